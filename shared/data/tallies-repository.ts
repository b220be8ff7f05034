/**
 * The tallies table: what a window run keeps out of its Step Functions state, whose 256 KiB a window of
 * hundreds of sales would exceed.
 * - One item per shard of a sale per pass (`shard#saleId#pass#shard`), holding the shard's counts so far
 *   (the page loop's cumulative totals). SendPage writes it after each page round; Summarize reads every
 *   item of the run with one paged Query. A write carries the page loop's progress (page, round) and is
 *   refused when a later round of the same shard is already recorded, so a late or repeated invocation (a
 *   retry, a redrive, an invocation that outlived its Task) never puts older counts back.
 * - The first pass's summary (`summary#1`), when a second pass follows: the second Summarize keeps its
 *   rows of the sales it does not run again.
 * Condition expressions: https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.ConditionExpressions.html
 */
import { epochSecondsAfterDays } from '#shared/time/epoch';
import { type Totals, totalsSchema } from '#shared/window/state';
import { TableRepository } from './table-repository';

/** How long a run's tallies are kept (the summary of a redrive reads them again). */
const TALLY_DAYS = 30;
const SHARD_PREFIX = 'shard#';
const SUMMARY_PART = 'summary#1';

export interface ShardTally {
  /** The top-level execution's name. */
  run: string;
  saleId: string;
  /** Pass over the window (1, then 2 for the work the first left unfinished). */
  pass: number;
  shard: number;
  /** Page and send round the counts include, as one ordered number (page * 100 + round). */
  progress: number;
  totals: Totals;
}

/** The progress of a page loop at `page` and send `round`: later rounds and pages are larger. */
export function tallyProgress(page: number, round: number): number {
  return page * 100 + round;
}

function expiresAt(now: Date): number {
  return epochSecondsAfterDays(now.getTime(), TALLY_DAYS);
}

export class TalliesRepository extends TableRepository {
  /** Records a shard's counts unless a later round of that shard is recorded already (false then). */
  record(tally: ShardTally, now: Date): Promise<boolean> {
    return this.applied(
      this.putItem({
        Item: {
          run: tally.run,
          part: `${SHARD_PREFIX}${tally.saleId}#${tally.pass}#${tally.shard}`,
          saleId: tally.saleId,
          pass: tally.pass,
          shard: tally.shard,
          progress: tally.progress,
          totals: tally.totals,
          expiresAt: expiresAt(now),
        },
        ConditionExpression: 'attribute_not_exists(#run) OR progress <= :progress',
        ExpressionAttributeNames: { '#run': 'run' },
        ExpressionAttributeValues: { ':progress': tally.progress },
      }),
    );
  }

  /** Every shard tally of a run. */
  async ofRun(run: string): Promise<ShardTally[]> {
    const items = await this.queryAll<Record<string, unknown>>({
      KeyConditionExpression: '#run = :run AND begins_with(part, :shard)',
      ExpressionAttributeNames: { '#run': 'run' },
      ExpressionAttributeValues: { ':run': run, ':shard': SHARD_PREFIX },
      ConsistentRead: true,
    });
    return items.map((item) => ({
      run,
      saleId: String(item.saleId),
      pass: Number(item.pass),
      shard: Number(item.shard),
      progress: Number(item.progress),
      totals: totalsSchema.parse(item.totals),
    }));
  }

  /** Keeps the first pass's summary for the second pass (JSON text: up to the 400 KB of an item). */
  async saveFirstPass(run: string, summary: unknown, now: Date): Promise<void> {
    await this.putItem({
      Item: { run, part: SUMMARY_PART, summary: JSON.stringify(summary), expiresAt: expiresAt(now) },
    });
  }

  /** The first pass's summary of a run, if one was kept. */
  async firstPass(run: string): Promise<unknown> {
    const item = await this.getItem<{ summary?: unknown }>({ run, part: SUMMARY_PART }, true);
    return typeof item?.summary === 'string' ? JSON.parse(item.summary) : undefined;
  }
}
