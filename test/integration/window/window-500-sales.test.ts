/**
 * The worst case of the Step Functions payload limit: a window of 500 processed sales. Every state's input
 * and output must stay under 256 KiB ("The maximum size of the input or output of a state ... is 256 KiB",
 * https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html), which the local runner
 * enforces (States.DataLimitExceeded fails the run). The shards' counts travel through the tallies table,
 * not the state; the test measures the largest state the runner saw and checks the summary is complete.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_DISCOVERY_DIR, DEMO_US_EVENT, DEMO_WINDOW } from '#local/demo';
import { readDiscoveryDir, VALID_SMS_ONCE_FAN_MIX } from '#local/seed';
import { type Session, startSession } from '#local/session';
import { payloadBytes, STATE_PAYLOAD_LIMIT_BYTES } from '#local/stepfunctions/limits';
import type { EventLog } from '#local/stepfunctions/runner';
import type { WindowSummary } from '#shared/window/summarize';
import { sendsByKey } from '#test/helpers/window';

const SALES = 500;
const SHARDS = 2;

/** The sample US event (one presale in the demo window) as SALES distinct events of one search page. */
async function writeEvents(dir: string): Promise<void> {
  const page = JSON.parse(await readFile(join(DEMO_DISCOVERY_DIR, 'search-response.json'), 'utf8')) as {
    _embedded: { events: Array<{ id: string }> };
  };
  const sample = page._embedded.events.find((event) => event.id === DEMO_US_EVENT);
  if (!sample) throw new Error(`the sample search page has no event ${DEMO_US_EVENT}`);
  const events = Array.from({ length: SALES }, (_, i) => ({
    ...structuredClone(sample),
    id: `${DEMO_US_EVENT}${String(i).padStart(3, '0')}`,
  }));
  await writeFile(
    join(dir, 'search-response.json'),
    JSON.stringify({
      ...page,
      _embedded: { events },
      page: { size: SALES, totalElements: SALES, totalPages: 1, number: 0 },
    }),
  );
}

describe('window run: 500 processed sales in one window', () => {
  let dir: string;
  let session: Session;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dmd-500-sales-'));
    await writeEvents(dir);
    session = await startSession({ discoveryDir: dir, shardCount: SHARDS, env: { PAGE_SIZE: '25' } });
    const { events } = await readDiscoveryDir(dir);
    // Loaded through the cache as the sale monitor does (sales table, event copy), 25 at a time.
    for (let i = 0; i < events.length; i += 25) {
      await Promise.all(events.slice(i, i + 25).map((event) => session.cache.refresh(event.eventId)));
    }
    // One fan per sale: the state's size depends on the sales and shards, not on the fans.
    await session.seedFans(events, SALES, { mix: VALID_SMS_ONCE_FAN_MIX });
  }, 300_000);

  afterAll(async () => {
    await session?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('keeps every state under 256 KiB and reports every sale with its counts', async () => {
    // The largest input or output of each state, over the run and its child executions.
    const largest = new Map<string, number>();
    const measure = (event: EventLog) => {
      if (event.type !== 'StateEntered' && event.type !== 'StateExited') return;
      const value = event.type === 'StateEntered' ? event.state.input : event.state.output;
      const what = `${event.type === 'StateEntered' ? 'input' : 'output'} of ${event.state.name}`;
      largest.set(what, Math.max(largest.get(what) ?? 0, payloadBytes(value)));
    };
    // One shard of one sale fails its first Send for good, so a second pass runs: the heavier case, whose
    // state also carries what the second pass starts from.
    let failed: string | undefined;
    const run = await session.run({
      scheduledTime: DEMO_WINDOW,
      onEvent: measure,
      intercept: {
        SendPage: async (input, invoke) => {
          const page = input as { saleId: string; shard: number; pass: number };
          if (page.pass === 1 && (failed === undefined || failed === `${page.saleId}#${page.shard}`)) {
            failed = `${page.saleId}#${page.shard}`;
            const error = new Error('Runtime exited with error: signal: killed');
            error.name = 'Runtime.ExitError';
            throw error;
          }
          return invoke(input);
        },
      },
    });

    expect(run.error).toBeUndefined();
    expect(run.status).toBe('SUCCEEDED');
    const summary = run.output as WindowSummary;
    expect(summary.sales.processed).toBe(SALES);
    expect(summary.sales.detail).toHaveLength(SALES);
    expect(summary.sales.detail.every((sale) => sale.queued === 1 && sale.name !== null)).toBe(true);
    // Created by the first RenderPage, or found unsent and resumed by a later one (on a loaded machine a
    // RenderPage can be retried after it wrote its record): each notification in one of the two, once.
    expect(summary.notifications.queued).toBe(SALES);
    expect(summary.notifications.created + summary.notifications.resumed).toBe(SALES);
    expect(summary.onTime.handedOverBeforeStart).toBe(SALES);
    expect(Math.max(...sendsByKey(session).values())).toBe(1);
    expect(run.trace.some((entry) => entry.state === 'ResumeUnfinished')).toBe(true);
    // Only the Sales map's result grows with the shard count (each sale lists its shards' numbers): with
    // the stages' 16 shards (dmd:shardCount) instead of the test's 2, each sale's list is this much longer.
    const growth = JSON.stringify([...Array(16).keys()]).length - JSON.stringify([0, 1]).length;
    const withSixteenShards = [...largest].map(([what, bytes]) =>
      /(output of Sales|input of Summarize)$/.test(what) ? bytes + SALES * growth : bytes,
    );
    const [what, bytes] = [...largest].sort((a, b) => b[1] - a[1])[0] ?? ['none', 0];
    const worst = Math.max(...withSixteenShards);
    console.info(`largest state: ${bytes} bytes (${what}); ${worst} bytes with 16 shards; limit 262144`);
    expect(bytes).toBeGreaterThan(SALES * 100);
    expect(largest.get('output of Sales')).toBeGreaterThan(SALES * 100);
    expect(worst).toBeLessThan(STATE_PAYLOAD_LIMIT_BYTES * 0.8);
  }, 600_000);
});
