/**
 * Summarize: the run's result as it appears in the console (the execution's output): each sale of the
 * window with what happened to it (processed, suppressed by a rule, or skipped: not this run's to remind),
 * notification counts by outcome, failures by reason, how many reminders were handed over on time, and
 * the work left unfinished (a sale or shard whose child execution failed), which the state machine runs
 * once more before the run ends.
 *
 * The Sales map tolerates failed children, so its result holds, in item order, either a sale's result or
 * the error output of a failed child (and the same for the shards inside a sale). Anything that is not a
 * result is counted as unfinished; so is a planned sale or shard without a result at all.
 */
import { z } from 'zod';
import {
  addTotals,
  emptyTotals,
  type PlannedSale,
  plannedSaleSchema,
  saleResultSchema,
  shardResultSchema,
  type Totals,
  windowSchema,
} from './state';

/** Reasons that say the sale was not this run's to remind (as opposed to a suppression rule). */
export const SKIP_REASONS: readonly string[] = [
  'EVENT_NOT_FOUND',
  'SALE_REMOVED',
  'SALE_MOVED',
  'SALE_CHANGED',
  'STARTED_EARLIER',
];

export type SaleStatus = 'processed' | 'suppressed' | 'skipped';

export interface SaleDetail {
  saleId: string;
  eventId: string;
  name: string | null;
  startsAt: string | null;
  status: SaleStatus;
  reasons: string[];
  created: number;
  queued: number;
  failed: number;
  firstHandedOverAt: string | null;
  lastHandedOverAt: string | null;
}

export interface OnTime {
  /** Reminders handed over at least 5 minutes before their sale's start. */
  handedOverBeforeStart: number;
  /** Handed over in the last 5 minutes before the start. */
  late: number;
  /** Not handed over because their sale had started (FAILED SALE_STARTED). */
  skippedStarted: number;
  /** handedOverBeforeStart over all three; null when the run had none to hand over. */
  rate: number | null;
}

export interface WindowSummary {
  window: { start: string; end: string };
  executionName?: string;
  sales: { total: number; processed: number; suppressed: number; skipped: number; detail: SaleDetail[] };
  suppressionReasons: Record<string, number>;
  notifications: Omit<Totals, 'failedByReason' | 'handedOver'>;
  failuresByReason: Record<string, number>;
  onTime: OnTime;
  /**
   * Sales and shards whose child execution failed in this pass, the sales to run again, and the errors
   * the failed children ended with (`ProviderConfigurationError`: the provider refused the credentials).
   */
  unfinished: { sales: number; shards: number; resume: PlannedSale[]; errors: Record<string, number> };
}

const previousSummarySchema = z.custom<WindowSummary>(
  (value) => typeof value === 'object' && value !== null && 'sales' in value && 'notifications' in value,
  { message: 'expected the summary of the previous pass' },
);

const skippedSaleSchema = z.object({
  saleId: z.string(),
  eventId: z.string(),
  startsAt: z.string(),
  reasons: z.array(z.string()),
});

export const summarizeInputSchema = z.object({
  window: windowSchema,
  executionName: z.string().optional(),
  plannedSales: z.number().int().nonnegative().optional(),
  /** Sales of the window the plan did not run (an earlier run hands them over). */
  skipped: z.array(skippedSaleSchema).default([]),
  /** The sales this pass ran (the Sales map's items), kept whole: the second pass runs them again. */
  sales: z.array(plannedSaleSchema.loose()).optional(),
  /** The shards of every processed sale. */
  shards: z.array(z.number().int().nonnegative()).optional(),
  /** Which pass over the window this is; the second one carries the first one's summary. */
  mapRun: z
    .object({ pass: z.number().int().positive(), previous: previousSummarySchema.optional() })
    .optional(),
  /** The Sales map's result: per item a sale result or a failed child's error output. */
  results: z.array(z.unknown()),
});
export type SummarizeInput = z.input<typeof summarizeInputSchema>;

export function statusOf(sale: { suppressed: boolean; reasons: string[] }): SaleStatus {
  if (!sale.suppressed) return 'processed';
  return sale.reasons.length > 0 && sale.reasons.every((reason) => SKIP_REASONS.includes(reason))
    ? 'skipped'
    : 'suppressed';
}

function rateOf(onTime: number, late: number, skippedStarted: number): number | null {
  const all = onTime + late + skippedStarted;
  return all === 0 ? null : Math.round((onTime / all) * 10_000) / 10_000;
}

export function onTimeOf(handedOver: Totals['handedOver'], failedByReason: Record<string, number>): OnTime {
  const skippedStarted = failedByReason.SALE_STARTED ?? 0;
  return {
    handedOverBeforeStart: handedOver.onTime,
    late: handedOver.late,
    skippedStarted,
    rate: rateOf(handedOver.onTime, handedOver.late, skippedStarted),
  };
}

/** The error name of a failed child's entry in a map result (`{Error, Cause}`), if it has one. */
function errorOf(entry: unknown): string {
  const name = (entry as { Error?: unknown } | null)?.Error;
  return typeof name === 'string' ? name : 'UNKNOWN';
}

function saleTotals(
  shards: unknown[],
  errors: Record<string, number>,
): { totals: Totals; done: number[]; failed: number } {
  let totals = emptyTotals();
  const done: number[] = [];
  let failed = 0;
  for (const entry of shards) {
    const shard = shardResultSchema.safeParse(entry);
    if (!shard.success) {
      failed++;
      errors[errorOf(entry)] = (errors[errorOf(entry)] ?? 0) + 1;
      continue;
    }
    done.push(shard.data.shard);
    totals = addTotals(totals, shard.data.totals);
  }
  return { totals, done, failed };
}

const byStart = (a: SaleDetail, b: SaleDetail) =>
  (a.startsAt ?? '').localeCompare(b.startsAt ?? '') || a.saleId.localeCompare(b.saleId);

function salesBlock(detail: SaleDetail[]): WindowSummary['sales'] {
  const count = (status: SaleStatus) => detail.filter((sale) => sale.status === status).length;
  return {
    total: detail.length,
    processed: count('processed'),
    suppressed: count('suppressed'),
    skipped: count('skipped'),
    detail: [...detail].sort(byStart),
  };
}

export function summarize(raw: SummarizeInput): WindowSummary {
  const input = summarizeInputSchema.parse(raw);
  const suppressionReasons: Record<string, number> = {};
  let totals = emptyTotals();
  const detail: SaleDetail[] = [];
  const finished = new Set<string>();
  const resume: PlannedSale[] = [];
  let unfinishedShards = 0;
  const planned = input.sales ?? [];
  const plannedShards = input.shards ?? [];
  const errors: Record<string, number> = {};

  for (const [index, entry] of input.results.entries()) {
    const parsed = saleResultSchema.safeParse(entry);
    if (!parsed.success) {
      errors[errorOf(entry)] = (errors[errorOf(entry)] ?? 0) + 1;
      continue;
    }
    const sale = parsed.data;
    const { totals: own, done, failed } = saleTotals(sale.shards, errors);
    const missing = sale.suppressed ? 0 : plannedShards.filter((shard) => !done.includes(shard)).length;
    const unfinished = Math.max(failed, missing);
    if (unfinished > 0) {
      unfinishedShards += unfinished;
      const plannedSale = planned[index] ?? planned.find((p) => p.saleId === sale.saleId);
      if (plannedSale) resume.push(plannedSale);
    } else {
      finished.add(sale.saleId);
    }
    for (const reason of sale.reasons) suppressionReasons[reason] = (suppressionReasons[reason] ?? 0) + 1;
    totals = addTotals(totals, own);
    detail.push({
      saleId: sale.saleId,
      eventId: sale.eventId,
      name: sale.prepared?.saleName ?? null,
      startsAt: sale.prepared?.startsAt ?? sale.sale?.startsAt ?? null,
      status: statusOf(sale),
      reasons: sale.reasons,
      created: own.created,
      queued: own.queued,
      failed: own.failed + own.invalid + own.optedOut,
      firstHandedOverAt: own.handedOver.first,
      lastHandedOverAt: own.handedOver.last,
    });
  }
  // A planned sale without a result: its child failed before the Fans map (PrepareSale, Shorten).
  for (const sale of planned) {
    if (!finished.has(sale.saleId) && !resume.some((r) => r.saleId === sale.saleId)) resume.push(sale);
  }
  for (const sale of input.skipped) {
    for (const reason of sale.reasons) suppressionReasons[reason] = (suppressionReasons[reason] ?? 0) + 1;
    detail.push({
      ...sale,
      name: null,
      status: 'skipped',
      created: 0,
      queued: 0,
      failed: 0,
      firstHandedOverAt: null,
      lastHandedOverAt: null,
    });
  }

  const { failedByReason, handedOver, ...notifications } = totals;
  const summary: WindowSummary = {
    window: input.window,
    ...(input.executionName ? { executionName: input.executionName } : {}),
    sales: salesBlock(detail),
    suppressionReasons,
    notifications,
    failuresByReason: failedByReason,
    onTime: onTimeOf(handedOver, failedByReason),
    unfinished: { sales: resume.length, shards: unfinishedShards, resume, errors },
  };
  const previous = input.mapRun?.previous;
  return previous ? mergePasses(previous, summary) : summary;
}

/** The second pass ran only the unfinished sales: its counts add to the first pass's. */
function mergePasses(first: WindowSummary, second: WindowSummary): WindowSummary {
  const add = (a: Record<string, number>, b: Record<string, number>) => {
    const sum = { ...a };
    for (const [key, value] of Object.entries(b)) sum[key] = (sum[key] ?? 0) + value;
    return sum;
  };
  const earliest = (a: string | null, b: string | null) => (a === null ? b : b === null || a <= b ? a : b);
  const latest = (a: string | null, b: string | null) => (a === null ? b : b === null || a >= b ? a : b);
  const detail = new Map(first.sales.detail.map((sale) => [sale.saleId, sale]));
  const secondIds = new Set<string>();
  for (const sale of second.sales.detail) {
    const before = detail.get(sale.saleId);
    // The plan's skipped sales come with both passes: count them once.
    if (sale.status === 'skipped' && before?.status === 'skipped') continue;
    secondIds.add(sale.saleId);
    detail.set(
      sale.saleId,
      before
        ? {
            ...sale,
            created: before.created + sale.created,
            queued: before.queued + sale.queued,
            failed: before.failed + sale.failed,
            firstHandedOverAt: earliest(before.firstHandedOverAt, sale.firstHandedOverAt),
            lastHandedOverAt: latest(before.lastHandedOverAt, sale.lastHandedOverAt),
          }
        : sale,
    );
  }
  const reasonsOfSecond = Object.fromEntries(
    Object.entries(second.suppressionReasons).map(([reason, count]) => [
      reason,
      count -
        second.sales.detail.filter((sale) => !secondIds.has(sale.saleId) && sale.reasons.includes(reason))
          .length,
    ]),
  );
  const onTime = {
    handedOverBeforeStart: first.onTime.handedOverBeforeStart + second.onTime.handedOverBeforeStart,
    late: first.onTime.late + second.onTime.late,
    skippedStarted: first.onTime.skippedStarted + second.onTime.skippedStarted,
  };
  return {
    ...second,
    sales: salesBlock([...detail.values()]),
    suppressionReasons: add(first.suppressionReasons, reasonsOfSecond),
    notifications: add(first.notifications, second.notifications) as WindowSummary['notifications'],
    failuresByReason: add(first.failuresByReason, second.failuresByReason),
    onTime: { ...onTime, rate: rateOf(onTime.handedOverBeforeStart, onTime.late, onTime.skippedStarted) },
  };
}
