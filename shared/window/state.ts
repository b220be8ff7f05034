/**
 * What travels between the states of a window run: ids, counts and cursors, never contact data. Every
 * function validates its part with these schemas at the edge.
 */
import { z } from 'zod';

export const windowSchema = z.object({ start: z.string().min(1), end: z.string().min(1) });

export const plannedSaleSchema = z.object({
  saleId: z.string().min(1),
  eventId: z.string().min(1),
  startsAt: z.string().min(1),
  /** The plan's figures (PlanWindow): reminders to hand over and the pace of the sale's senders. */
  messages: z.number().int().nonnegative().optional(),
  fansConcurrency: z.number().int().positive().optional(),
  iterationMps: z.number().positive().optional(),
  finishesAt: z.string().optional(),
  onTime: z.boolean().optional(),
  /** The run's first hand-over (SEND_START_SECONDS after planning): each shard's schedule starts then. */
  sendFrom: z.string().optional(),
});
export type PlannedSale = z.infer<typeof plannedSaleSchema>;

/**
 * When the reminders were handed to the provider, against their sale's start: on time means at least
 * 5 minutes before it (ON_TIME_MARGIN_SECONDS), late means after that but before the start.
 */
export const handOverSchema = z.object({
  onTime: z.number().int().nonnegative().default(0),
  late: z.number().int().nonnegative().default(0),
  first: z.string().nullable().default(null),
  last: z.string().nullable().default(null),
});
export type HandOver = z.infer<typeof handOverSchema>;

export function noHandOver(): HandOver {
  return { onTime: 0, late: 0, first: null, last: null };
}

/** Two hand-over records as one: counts added, the earliest first and the latest last. */
export function addHandOver(a: HandOver, b: HandOver): HandOver {
  const earliest = [a.first, b.first].filter((at): at is string => at !== null).sort()[0] ?? null;
  const latest =
    [a.last, b.last]
      .filter((at): at is string => at !== null)
      .sort()
      .at(-1) ?? null;
  return { onTime: a.onTime + b.onTime, late: a.late + b.late, first: earliest, last: latest };
}

/** Counts of one shard, summed into the run's summary. */
export const totalsSchema = z.object({
  created: z.number().int().nonnegative().default(0),
  duplicates: z.number().int().nonnegative().default(0),
  resumed: z.number().int().nonnegative().default(0),
  optedOut: z.number().int().nonnegative().default(0),
  /** Sign-ups whose contact's owner has not confirmed yet (no reminder: CONSENT_PENDING). */
  consentPending: z.number().int().nonnegative().default(0),
  invalid: z.number().int().nonnegative().default(0),
  triggered: z.number().int().nonnegative().default(0),
  queued: z.number().int().nonnegative().default(0),
  failed: z.number().int().nonnegative().default(0),
  retried: z.number().int().nonnegative().default(0),
  notLeased: z.number().int().nonnegative().default(0),
  failedByReason: z.record(z.string(), z.number().int().nonnegative()).default({}),
  handedOver: handOverSchema.default(noHandOver),
});
export type Totals = z.infer<typeof totalsSchema>;

export function emptyTotals(): Totals {
  return totalsSchema.parse({});
}

export function addTotals(a: Totals, b: Partial<Totals>): Totals {
  const sum = { ...a, failedByReason: { ...a.failedByReason } };
  for (const [key, value] of Object.entries(b)) {
    if (key === 'failedByReason') {
      for (const [reason, count] of Object.entries(value as Record<string, number>)) {
        sum.failedByReason[reason] = (sum.failedByReason[reason] ?? 0) + count;
      }
    } else if (key === 'handedOver') {
      sum.handedOver = addHandOver(a.handedOver, value as HandOver);
    } else if (typeof value === 'number') {
      (sum as Record<string, unknown>)[key] = ((a as Record<string, unknown>)[key] as number) + value;
    }
  }
  return sum;
}

/**
 * The state of one shard's page loop (Fans map iteration): RenderPage reads it and returns it with the
 * next cursor and the fans to send; SendPage returns it with the fans to retry.
 */
export const pageLoopSchema = z.object({
  saleId: z.string().min(1),
  eventId: z.string().min(1),
  shard: z.number().int().nonnegative(),
  /** The sale's start: nothing is handed over from then on (SALE_STARTED). */
  startsAt: z.string().min(1).optional(),
  iterationMps: z.number().positive(),
  /**
   * The sale's reminders (the plan's count) and how many of its shards run at once. When every shard
   * runs at once, each is paced at the sale's pace times its share of the reminders (`shardMps`, set by
   * the first RenderPage), so the shards finish together instead of the biggest one alone at the end.
   */
  saleMessages: z.number().int().nonnegative().optional(),
  senders: z.number().int().positive().optional(),
  shardMps: z.number().positive().optional(),
  /** When the run's hand-overs begin (the plan's `sendFrom`): the shard's first turn waits for it. */
  sendFrom: z.string().optional(),
  /** The shard's send schedule: its turn k is due at `paceFrom + k / pace` (ms, pipeline clock). */
  paceFrom: z.number().nonnegative().optional(),
  turns: z.number().int().nonnegative().default(0),
  executionName: z.string().min(1).default('manual'),
  /**
   * The top-level execution's own name and the pass over the window: where SendPage records the shard's
   * counts (tallies table) for Summarize. Without a run nothing is recorded (a page sent outside a run).
   */
  run: z.string().min(1).optional(),
  pass: z.number().int().positive().default(1),
  /** Pages rendered so far in this shard. */
  page: z.number().int().nonnegative().default(0),
  /** Demand sort key after which the next page starts; null when the shard is done. */
  cursor: z.string().min(1).nullable().default(null),
  /** Demand sort keys (`fanId#channel`) the next Send handles. */
  send: z.array(z.string().min(1)).default([]),
  /** Send rounds of the current page (0 = first attempt, then one per retry round). */
  round: z.number().int().nonnegative().default(0),
  retryCount: z.number().int().nonnegative().default(0),
  /** Some retry follows an ambiguous failure: wait for the provider's acknowledgement first. */
  ambiguousRetry: z.boolean().default(false),
  backoffSeconds: z.number().int().nonnegative().default(0),
  totals: totalsSchema.default(emptyTotals),
});
export type PageLoopState = z.infer<typeof pageLoopSchema>;

/** The keys that name one page of a shard in the logs of RenderPage and SendPage (never a contact). */
export function pageLogKeys(input: PageLoopState): Record<string, string | number> {
  return { executionName: input.executionName, saleId: input.saleId, shard: input.shard, page: input.page };
}

/**
 * What a shard child returns: its shard number only. Its counts are in the tallies table; a list of
 * numbers keeps the Sales map's result small for a window of hundreds of sales.
 */
export const shardResultSchema = z.number().int().nonnegative();

/**
 * What a sale child returns: its verdict and its shards, nothing it was given (the Sales map's result is in
 * item order, so the sale is the planned one at the same index).
 */
export const saleResultSchema = z.object({
  /** The sale's name as PrepareSale found it (a processed sale). */
  name: z.string().optional(),
  /** What PrepareSale found (a suppressed or skipped sale): the sale's name and current start if known. */
  prepared: z.object({ saleName: z.string().optional(), startsAt: z.string().optional() }).optional(),
  suppressed: z.boolean(),
  reasons: z.array(z.string()).default([]),
  /** Per shard its number, or the error output of a shard child that failed (the map tolerates it). */
  shards: z.array(z.unknown()).default([]),
});
export type SaleResult = z.infer<typeof saleResultSchema>;
