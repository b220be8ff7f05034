/**
 * The demand table on dynalite: the audiences of an event (what Shorten makes links for) are read from
 * every shard at once, across pages, and the read stops once nothing more can be learned.
 */
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DemandRepository } from '#shared/data/demand-repository';
import { tableName } from '#shared/data/tables';
import type { Demand } from '#shared/domain/model';
import { startLocalTables } from '#test/helpers/local-dynamo';

const PREFIX = 'dmd-demand';
const SHARDS = 4;
const EVENT = 'vvG1fZ4Ax3kTpQ';

describe('demand repository: audiences', () => {
  let stop: (() => Promise<void>) | undefined;
  let demand: DemandRepository;
  let queries = 0;

  beforeAll(async () => {
    const local = await startLocalTables(PREFIX);
    stop = () => local.stop();
    const documents = DynamoDBDocumentClient.from(local.client);
    documents.middlewareStack.add(
      (next, context) => (args) => {
        if (context.commandName === 'QueryCommand') queries++;
        return next(args);
      },
      { step: 'initialize' },
    );
    demand = new DemandRepository(documents, tableName(PREFIX, 'demand'), SHARDS);
    // 600 sign-ups with a 9 KB contact each: about 1.4 MB per shard, read in 2 pages (1 MB each at most).
    const contact = `fan-${'x'.repeat(9000)}@example.com`;
    const signUp = (i: number): Demand => ({
      eventId: EVENT,
      fanId: `fan-${i}`,
      channel: 'EMAIL',
      contact,
      brand: 'ticketmaster',
      createdAt: '2026-12-01T10:00:00.000Z',
    });
    for (let i = 0; i < 600; i += 50) {
      await Promise.all(Array.from({ length: 50 }, (_, j) => demand.put(signUp(i + j))));
    }
    // One fan in French on Live Nation by SMS, another who chose no language.
    await demand.put({ ...signUp(600), locale: 'fr-ca', brand: 'livenation', channel: 'SMS' });
    await demand.put({ ...signUp(601), channel: 'SMS' });
  }, 120_000);

  afterAll(async () => {
    await stop?.();
  });

  it('finds every distinct audience in every shard, across pages', async () => {
    queries = 0;
    const found = await demand.audiences(EVENT);
    expect(found).toHaveLength(3);
    expect(found).toEqual(
      expect.arrayContaining([
        { brand: 'ticketmaster', channel: 'EMAIL' },
        { locale: 'fr-ca', brand: 'livenation', channel: 'SMS' },
        { brand: 'ticketmaster', channel: 'SMS' },
      ]),
    );
    // Every shard read to its last page: more queries than shards.
    expect(queries).toBeGreaterThan(SHARDS);
  });

  it('stops every shard once the audiences found are complete', async () => {
    queries = 0;
    const found = await demand.audiences(EVENT, (audiences) => audiences.length >= 1);
    expect(found.length).toBeGreaterThanOrEqual(1);
    // Each shard reads at most the page it was on when the first answer made the set complete.
    expect(queries).toBeLessThanOrEqual(SHARDS);
  });
});
