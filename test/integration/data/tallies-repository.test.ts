/**
 * The tallies table on dynalite: a shard's counts are recorded after each page round, a late write of an
 * earlier round never puts older counts back, and Summarize reads every shard of a run (paged).
 */
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { tableName } from '#shared/data/tables';
import { TalliesRepository, tallyProgress } from '#shared/data/tallies-repository';
import { emptyTotals } from '#shared/window/state';
import { startLocalTables } from '#test/helpers/local-dynamo';

const PREFIX = 'dmd-tallies';
const NOW = new Date('2026-12-08T14:40:00.000Z');

describe('tallies repository', () => {
  let stop: (() => Promise<void>) | undefined;
  let tallies: TalliesRepository;

  beforeAll(async () => {
    const local = await startLocalTables(PREFIX);
    stop = () => local.stop();
    tallies = new TalliesRepository(DynamoDBDocumentClient.from(local.client), tableName(PREFIX, 'tallies'));
  }, 60_000);

  afterAll(async () => {
    await stop?.();
  });

  const tally = (shard: number, page: number, round: number, queued: number, pass = 1) => ({
    run: 'window-20261208T1500Z',
    saleId: 'vvG1fZ4Ax3kTpQ.verified-fan-presale',
    pass,
    shard,
    progress: tallyProgress(page, round),
    totals: { ...emptyTotals(), created: queued, queued },
  });

  it('keeps the latest page round of a shard: an earlier round written late is refused, the same round again is accepted', async () => {
    expect(await tallies.record(tally(0, 1, 0, 25), NOW)).toBe(true);
    expect(await tallies.record(tally(0, 2, 1, 50), NOW)).toBe(true);
    // A send of page 2 round 0 that outlived its Task writes after round 1 did.
    expect(await tallies.record(tally(0, 2, 0, 40), NOW)).toBe(false);
    // A retry or redrive of the same round (idempotent: the same counts).
    expect(await tallies.record(tally(0, 2, 1, 50), NOW)).toBe(true);
    const [only] = await tallies.ofRun('window-20261208T1500Z');
    expect(only).toMatchObject({ shard: 0, pass: 1, progress: tallyProgress(2, 1) });
    expect(only?.totals.queued).toBe(50);
  });

  it('reads every shard of every pass of a run, over several Query pages', async () => {
    const big = { ...emptyTotals(), failedByReason: { ['X'.repeat(40_000)]: 1 } };
    for (let shard = 0; shard < 40; shard++) {
      await tallies.record({ ...tally(shard, 1, 0, 1, 2), run: 'big-run', totals: big }, NOW);
    }
    await tallies.record({ ...tally(1, 1, 0, 1), run: 'other-run' }, NOW);
    const read = await tallies.ofRun('big-run');
    expect(read).toHaveLength(40);
    expect(new Set(read.map((t) => t.shard)).size).toBe(40);
    expect(read.every((t) => t.pass === 2)).toBe(true);
  });

  it("keeps a run's first-pass summary apart from its shards' counts", async () => {
    const summary = { sales: { detail: [{ saleId: 'a', name: null }] }, notifications: { queued: 1 } };
    await tallies.saveFirstPass('big-run', summary, NOW);
    expect(await tallies.firstPass('big-run')).toEqual(summary);
    expect(await tallies.firstPass('other-run')).toBeUndefined();
    expect(await tallies.ofRun('big-run')).toHaveLength(40);
  });
});
