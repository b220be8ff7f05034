/**
 * The API end to end on the local stack: GraphQL over HTTP → local server → the resolver Lambda handler
 * (functions/api/handler.ts) → dynalite and the Discovery sandbox.
 */
import { DynamoDBDocumentClient, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { measureEventDetails } from '#bench/api-latency';
import type { ApiServer } from '#local/api/server';
import { applyEnv, type LocalStack, startLocalStack } from '#local/stack/stack';
import { EventsRepository } from '#shared/data/events-repository';
import { postGraphql, startApiHandlerServer } from '#test/helpers/graphql';

const MARISOL = 'vvG1fZ4Ax3kTpQ';
const AURORA = 'Z7r9jZ1AePstV';
const NORTHBOUND = 'Z7r9jZ1AeKq3P';
const ECLAIREURS = 'Z7r9jZ1AeFrCa';

describe('reminders API on the local stack', () => {
  let stack: LocalStack;
  let server: ApiServer;
  let restore: () => void;
  let documents: DynamoDBDocumentClient;

  beforeAll(async () => {
    stack = await startLocalStack({
      prefix: 'dmd-apitest',
      env: {
        POWERTOOLS_METRICS_DISABLED: 'true',
        POWERTOOLS_LOG_LEVEL: 'ERROR',
        // Every request reads the table, so a record aged in the table is seen at once.
        EVENT_CACHE_MEMORY_TTL_MS: '0',
        EVENT_CACHE_STALE_SECONDS: '600',
        API_DISCOVERY_MAX_RETRIES: '0',
      },
    });
    restore = applyEnv(stack.env);
    server = await startApiHandlerServer();
    documents = DynamoDBDocumentClient.from(stack.clients.dynamo);
  });

  afterAll(async () => {
    await server.stop();
    await stack.stop();
    restore();
  });

  const graphql = (query: string, variables: Record<string, unknown> = {}, fanId?: string) =>
    postGraphql(server.url, query, variables, fanId);

  const details = (eventId: string) =>
    graphql(
      'query D($id: ID!) { eventDetails(eventId: $id) { eventId name city cacheStatus fetchedAt sales { saleId startsAt suppressed } } }',
      { id: eventId },
    );

  /** Moves the stored record's fetchedAt back, as if it was fetched `seconds` ago. */
  const age = async (eventId: string, seconds: number) => {
    const events = new EventsRepository(documents, stack.tables.events);
    const record = await events.get(eventId);
    if (!record) throw new Error(`${eventId} not cached`);
    await events.put({ ...record, fetchedAt: new Date(Date.now() - seconds * 1000).toISOString() });
  };

  it('eventDetails: a miss fetches from Discovery and writes the sales; the next call is a hit', async () => {
    const first = await details(MARISOL);
    const second = await details(MARISOL);

    expect(first.errors).toBeUndefined();
    expect(first.data?.eventDetails).toMatchObject({
      eventId: MARISOL,
      city: 'New York',
      cacheStatus: 'MISS',
    });
    expect(second.data?.eventDetails?.cacheStatus).toBe('HIT');
    expect(stack.sandboxes.discovery.counters.byEvent[MARISOL]).toBe(1);
    const rows = await documents.send(new ScanCommand({ TableName: stack.tables.sales }));
    const sales = (first.data?.eventDetails?.sales ?? []) as Array<{ saleId: string }>;
    const saleIds = sales.map((s) => s.saleId);
    expect(saleIds.length).toBeGreaterThan(0);
    expect((rows.Items ?? []).map((row) => row.saleId)).toEqual(expect.arrayContaining(saleIds));
  });

  it('concurrent misses for one event make one Discovery call', async () => {
    const answers = await Promise.all(Array.from({ length: 20 }, () => details(NORTHBOUND)));

    expect(answers.every((answer) => answer.data?.eventDetails?.eventId === NORTHBOUND)).toBe(true);
    expect(stack.sandboxes.discovery.counters.byEvent[NORTHBOUND]).toBe(1);
  });

  it('past the TTL within the stale allowance: stale at once, refreshed in the background', async () => {
    await age(MARISOL, 3600 + 60);
    const calls = stack.sandboxes.discovery.counters.byEvent[MARISOL] ?? 0;

    const stale = await details(MARISOL);

    expect(stale.data?.eventDetails?.cacheStatus).toBe('STALE');
    for (let i = 0; i < 50; i++) {
      if ((await details(MARISOL)).data?.eventDetails?.cacheStatus === 'HIT') break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect((await details(MARISOL)).data?.eventDetails?.cacheStatus).toBe('HIT');
    expect(stack.sandboxes.discovery.counters.byEvent[MARISOL]).toBe(calls + 1);
  });

  it.each([
    ['500', { rate500: 1 }],
    ['429', { rate429: 1 }],
  ])('Discovery answering %s: the stale details are served', async (_status, faults) => {
    await age(MARISOL, 24 * 3600);
    stack.sandboxes.discovery.setFaults(faults);
    try {
      const answer = await details(MARISOL);

      expect(answer.errors).toBeUndefined();
      expect(answer.data?.eventDetails).toMatchObject({ eventId: MARISOL, cacheStatus: 'STALE' });
    } finally {
      stack.sandboxes.discovery.setFaults({});
    }
  });

  it('Discovery down and the event unknown: DiscoveryUnavailable', async () => {
    stack.sandboxes.discovery.setFaults({ rate500: 1 });
    try {
      const answer = await details(AURORA);

      expect(answer.data).toBeNull();
      expect(answer.errors?.[0]).toMatchObject({ errorType: 'DiscoveryUnavailable' });
    } finally {
      stack.sandboxes.discovery.setFaults({});
    }
  });

  it('an unknown event id is EventNotFound; bad arguments are InvalidArgument', async () => {
    // The 429 test above paused Discovery calls for a moment.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const missing = await details('NOSUCHEVENT');
    const bad = await details('has#hash');

    expect(missing.errors?.[0]).toMatchObject({ errorType: 'EventNotFound' });
    expect(bad.errors?.[0]).toMatchObject({ errorType: 'InvalidArgument', errorInfo: { field: 'eventId' } });
  });

  it('requestReminder: the same sign-up twice is one demand record; status and cancel follow', async () => {
    const mutation =
      'mutation R($input: RequestReminderInput!) { requestReminder(input: $input) { maskedContact created createdAt optedOut upcomingSales } }';
    const input = {
      eventId: ECLAIREURS,
      channel: 'SMS',
      contact: '(514) 555-0199',
      locale: 'FR_CA',
    };

    const first = await graphql(mutation, { input }, 'fan-77');
    const second = await graphql(mutation, { input: { ...input, contact: '+1 514-555-0199' } }, 'fan-77');

    expect(first.errors).toBeUndefined();
    expect(first.data?.requestReminder).toMatchObject({ maskedContact: '+1******0199', created: true });
    expect(second.data?.requestReminder).toMatchObject({
      created: false,
      createdAt: first.data?.requestReminder?.createdAt,
    });
    expect(JSON.stringify([first, second])).not.toContain('5550199');
    const records = await documents.send(
      new QueryCommand({
        TableName: stack.tables.demand,
        IndexName: 'byFan',
        KeyConditionExpression: 'fanId = :fan',
        ExpressionAttributeValues: { ':fan': 'fan-77' },
      }),
    );
    expect(records.Items).toEqual([expect.objectContaining({ contact: '+15145550199', locale: 'fr-ca' })]);

    const status = await graphql(
      `{ reminderStatus(eventId: "${ECLAIREURS}") { signUps { channel maskedContact } reminders { saleId channel state } } }`,
      {},
      'fan-77',
    );
    const reminders = status.data?.reminderStatus?.reminders as Array<{ state: string }>;
    expect(reminders.length).toBeGreaterThan(0);
    expect(reminders.every((r) => ['SCHEDULED', 'SUPPRESSED', 'NOT_SENT'].includes(r.state))).toBe(true);

    const cancel = await graphql(
      `mutation { cancelReminder(input: {eventId: "${ECLAIREURS}", channel: SMS}) { cancelled } }`,
      {},
      'fan-77',
    );
    expect(cancel.data?.cancelReminder).toEqual({ cancelled: true });
  });

  it('an invalid email is an InvalidContact error with a clear message', async () => {
    const answer = await graphql(
      `mutation { requestReminder(input: {eventId: "${MARISOL}", channel: EMAIL, contact: "fan@@example"}) { created } }`,
      {},
      'f1',
    );

    expect(answer.errors?.[0]).toMatchObject({
      message: 'Invalid email address: INVALID_EMAIL',
      errorType: 'InvalidContact',
      errorInfo: { field: 'input.contact', reason: 'INVALID_EMAIL' },
    });
  });

  it('the latency measurement reports percentiles and the hit rate', async () => {
    const report = await measureEventDetails({
      url: server.url,
      eventId: NORTHBOUND,
      requests: 200,
      concurrency: 20,
      warmupRequests: 50,
    });

    expect(report.requests).toBe(200);
    expect(report.warmupRequests).toBe(50);
    expect(report.warmupErrors).toBe(0);
    expect(report.errors).toBe(0);
    expect(report.hitRate).toBe(1);
    expect(report.p50).toBeLessThanOrEqual(report.p95);
    expect(report.p95).toBeLessThanOrEqual(report.p99);
  });
});
