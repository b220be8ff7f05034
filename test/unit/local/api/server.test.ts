import { readFileSync } from 'node:fs';
import type { Context } from 'aws-lambda';
import { parseApiArgs, UsageError } from '#local/api/cli';
import { type ApiServer, rootFields, SCHEMA_PATH, startApiServer } from '#local/api/server';
import { API_FIELDS, createApiResolver } from '#shared/api/resolver';
import { EventCache } from '#shared/events/event-cache';
import {
  clock,
  FakeDemand,
  FakeDiscovery,
  FakeEvents,
  FakeNotifications,
  FakeOptOuts,
  FakeSales,
  MARISOL_ID,
  RULES,
} from '#test/helpers/fakes';

const quiet = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

describe('the schema', () => {
  it('declares exactly the fields the resolver routes', () => {
    const fields = rootFields(readFileSync(SCHEMA_PATH, 'utf8'));

    expect(fields.Query.sort()).toEqual([...API_FIELDS.Query].sort());
    expect(fields.Mutation.sort()).toEqual([...API_FIELDS.Mutation].sort());
  });
});

describe('local GraphQL server', () => {
  let server: ApiServer;
  const events: unknown[] = [];
  const discovery = new FakeDiscovery();

  beforeAll(async () => {
    const time = clock();
    const app = createApiResolver(
      {
        cache: new EventCache({
          events: new FakeEvents().asRepository(),
          sales: new FakeSales().asRepository(),
          discovery,
          ttlSeconds: 3600,
          now: time.now,
        }),
        demand: new FakeDemand().asRepository(),
        notifications: new FakeNotifications(),
        optOuts: new FakeOptOuts(),
        rules: RULES,
        now: time.now,
      },
      quiet,
    );
    server = await startApiServer({
      port: 0,
      handler: async (event: unknown, context: Context) => {
        events.push(event);
        return app.resolve(event, context);
      },
    });
  });

  afterAll(async () => {
    await server.stop();
  });

  const post = async (query: string, variables: Record<string, unknown> = {}) => {
    const response = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': 'local' },
      body: JSON.stringify({ query, variables }),
    });
    return (await response.json()) as {
      data?: { eventDetails: { venue: { name: string } } } | null;
      errors?: Array<{ message: string } & Record<string, unknown>>;
    };
  };

  it('resolves a field through the handler with an AppSync-shaped event', async () => {
    const body = await post(
      'query Q($id: ID!) { eventDetails(eventId: $id, locale: EN_CA) { name venue { name } sales { saleId localStart { short } } } }',
      { id: MARISOL_ID },
    );

    expect(body.errors).toBeUndefined();
    expect(body.data?.eventDetails.venue.name).toBe('Madison Square Garden');
    expect(events.at(-1)).toMatchObject({
      arguments: { eventId: MARISOL_ID, locale: 'EN_CA' },
      identity: null,
      source: null,
      request: { headers: { 'x-api-key': 'local' }, domainName: null },
      info: {
        fieldName: 'eventDetails',
        parentTypeName: 'Query',
        variables: { id: MARISOL_ID },
        selectionSetList: [
          'name',
          'venue',
          'venue/name',
          'sales',
          'sales/saleId',
          'sales/localStart',
          'sales/localStart/short',
        ],
      },
      prev: null,
      stash: {},
    });
  });

  it('an API error is a GraphQL error with errorType and errorInfo, as AppSync returns it', async () => {
    const body = await post(
      'mutation { requestReminder(input: {eventId: "E", fanId: "f", channel: SMS, contact: "555"}) { fanId } }',
    );

    expect(body.data).toBeNull();
    expect(body.errors?.[0]).toMatchObject({
      path: ['requestReminder'],
      errorType: 'InvalidContact',
      errorInfo: { field: 'input.contact' },
    });
    expect(body.errors?.[0]?.message).toMatch(/^Invalid phone number/);
  });

  it('schema errors are caught before the handler (unknown enum value)', async () => {
    const before = server.invocations;
    const body = await post(`{ eventDetails(eventId: "${MARISOL_ID}", locale: DE_DE) { name } }`);

    expect(body.errors?.[0]?.message).toContain('DE_DE');
    expect(server.invocations).toBe(before);
  });
});

describe('npm run api arguments', () => {
  it('defaults to port 4000', () => {
    expect(parseApiArgs([])).toEqual({ help: false, port: 4000, quiet: false });
  });

  it('reads --port, --discovery and --data', () => {
    expect(
      parseApiArgs(['--port', '0', '--discovery', 'test/fixtures/discovery', '--data', '.data']),
    ).toEqual({
      help: false,
      port: 0,
      quiet: false,
      discoveryDir: 'test/fixtures/discovery',
      dataDir: '.data',
    });
  });

  it.each([
    [['--port', 'abc'], /--port must be a number/],
    [['--port', '70000'], /--port must be a number/],
    [['--discovery', 'no/such/dir'], /is not a folder/],
    [['--bogus'], /Unknown option '--bogus'/],
    [['extra'], /positional/],
  ])('%j is a usage error', (argv, message) => {
    expect(() => parseApiArgs(argv)).toThrow(UsageError);
    expect(() => parseApiArgs(argv)).toThrow(message);
  });
});
