import { readFileSync } from 'node:fs';
import type { Context } from 'aws-lambda';
import { parseApiArgs, UsageError } from '#local/api/cli';
import { issueLocalToken, LOCAL_ISSUER } from '#local/api/local-issuer';
import { type ApiServer, rootFields, SCHEMA_PATH, startApiServer } from '#local/api/server';
import { API_FIELDS, createApiResolver } from '#shared/api/resolver';
import { MARISOL_ID, memoryApi } from '#test/helpers/fakes';

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
  const api = memoryApi();

  beforeAll(async () => {
    const app = createApiResolver(api.dependencies, quiet);
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

  const request = async (query: string, variables: Record<string, unknown> = {}, authorization?: string) => {
    const response = await fetch(server.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-api-key': 'local',
        ...(authorization ? { authorization } : {}),
      },
      body: JSON.stringify({ query, variables }),
    });
    return {
      status: response.status,
      body: (await response.json()) as {
        data?: { eventDetails: { venue: { name: string } } } | null;
        errors?: Array<{ message: string } & Record<string, unknown>>;
      },
    };
  };
  const post = async (query: string, variables: Record<string, unknown> = {}, authorization?: string) =>
    (await request(query, variables, authorization)).body;

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

  it('each field of a document gets its own selectionSetList, the same on every request of it', async () => {
    const query =
      'query Q($id: ID!) { a: eventDetails(eventId: $id) { name } b: eventDetails(eventId: $id) { ...F } } ' +
      'fragment F on EventDetails { city sales { saleId } }';
    const before = events.length;
    await post(query, { id: MARISOL_ID });
    await post(query, { id: MARISOL_ID });

    const lists = events
      .slice(before)
      .map((event) => (event as { info: { selectionSetList: string[] } }).info.selectionSetList);
    const withFragment = ['city', 'sales', 'sales/saleId'];
    expect(lists).toEqual([['name'], withFragment, ['name'], withFragment]);
    // One array per event, as AppSync's events are each their own.
    expect(lists[1]).not.toBe(lists[3]);
  });

  it('an API error is a GraphQL error with errorType and errorInfo, as AppSync returns it', async () => {
    const body = await post(
      'mutation { requestReminder(input: {eventId: "E", channel: SMS, contact: "555"}) { fanId } }',
      {},
      `Bearer ${await issueLocalToken('fan-1')}`,
    );

    expect(body.data).toBeNull();
    expect(body.errors?.[0]).toMatchObject({
      path: ['requestReminder'],
      errorType: 'InvalidContact',
      errorInfo: { field: 'input.contact' },
    });
    expect(body.errors?.[0]?.message).toMatch(/^Invalid phone number/);
  });

  it('a mutation without a token is refused as AppSync refuses a field its mode may not use, before the handler', async () => {
    const before = server.invocations;
    const body = await post('mutation { cancelReminder(input: {eventId: "E", channel: SMS}) { cancelled } }');

    expect(body.data).toBeNull();
    expect(body.errors?.[0]).toMatchObject({
      errorType: 'Unauthorized',
      message: 'Not Authorized to access cancelReminder on type Mutation',
    });
    expect(server.invocations).toBe(before);
  });

  it('a bad, expired or foreign token is HTTP 401 and nothing runs', async () => {
    const before = server.invocations;
    const good = await issueLocalToken('fan-1');
    const expired = await issueLocalToken('fan-1', 60, new Date(Date.now() - 3600_000));
    const tampered = `${good.slice(0, -4)}AAAA`;

    for (const token of ['not-a-jwt', expired, tampered, '']) {
      const answer = await request(
        `{ eventDetails(eventId: "${MARISOL_ID}") { name } }`,
        {},
        `Bearer ${token}`,
      );
      expect(answer.status).toBe(401);
      expect(answer.body.errors?.[0]).toMatchObject({ errorType: 'UnauthorizedException' });
    }
    expect(server.invocations).toBe(before);
  });

  it('a valid token reaches the handler as a user pool identity (sub = the fan)', async () => {
    const body = await post(
      `query { reminderStatus(eventId: "${MARISOL_ID}") { fanId } }`,
      {},
      `Bearer ${await issueLocalToken('fan-42')}`,
    );

    expect(body.errors).toBeUndefined();
    expect(events.at(-1)).toMatchObject({ identity: { sub: 'fan-42', issuer: LOCAL_ISSUER } });
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
