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
 *
 * The counts come from the tallies table (each shard's counts, recorded by SendPage under the run and the
 * pass), not from the state: a shard child returns only its number and a sale child its verdict, so the
 * state of a window of 500 processed sales stays far below the 256 KiB Step Functions allows.
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

export const previousSummarySchema = z.custom<WindowSummary>(
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
  /** The top-level execution's own name: the shards' counts are recorded under it (tallies table). */
  run: z.string().min(1).optional(),
  plannedSales: z.number().int().nonnegative().optional(),
  /** Sales of the window the plan did not run (an earlier run hands them over). */
  skipped: z.array(skippedSaleSchema).default([]),
  /**
   * The sales this pass ran (the Sales map's items, in the order of `results`), kept whole: the second
   * pass runs them again.
   */
  sales: z.array(plannedSaleSchema.loose()).optional(),
  /** The shards of every processed sale. */
  shards: z.array(z.number().int().nonnegative()).optional(),
  /** Which pass over the window this is (the second one's Summarize reads the first one's summary). */
  mapRun: z.object({ pass: z.number().int().positive() }).optional(),
  /** The Sales map's result: per item a sale result or a failed child's error output. */
  results: z.array(z.unknown()),
  /** What a second pass starts from besides the sales (window, plan figures), handed back unchanged. */
  carry: z.record(z.string(), z.unknown()).optional(),
});
export type SummarizeInput = z.input<typeof summarizeInputSchema>;

/** The counts of one shard in one pass (tallies table), as Summarize reads them. */
export interface SaleShardTotals {
  saleId: string;
  totals: Totals;
}

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

/** The shards a sale child finished (their numbers) and how many failed, with their errors counted. */
function shardOutcomes(
  shards: unknown[],
  errors: Record<string, number>,
): { done: number[]; failed: number } {
  const done: number[] = [];
  let failed = 0;
  for (const entry of shards) {
    const shard = shardResultSchema.safeParse(entry);
    if (shard.success) {
      done.push(shard.data);
      continue;
    }
    failed++;
    errors[errorOf(entry)] = (errors[errorOf(entry)] ?? 0) + 1;
  }
  return { done, failed };
}

/** The counts of each sale over every pass of the run. */
function totalsBySale(tallies: readonly SaleShardTotals[]): Map<string, Totals> {
  const bySale = new Map<string, Totals>();
  for (const tally of tallies) {
    bySale.set(tally.saleId, addTotals(bySale.get(tally.saleId) ?? emptyTotals(), tally.totals));
  }
  return bySale;
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

type SaleRow = Pick<SaleDetail, 'saleId' | 'eventId' | 'name' | 'startsAt' | 'status' | 'reasons'>;

/**
 * The summary of a pass from the Sales map's result and the shards' counts of the run (`tallies`, every
 * pass). A second pass keeps the first pass's rows (`previous`) of the sales it did not run again.
 */
export function summarize(
  raw: SummarizeInput,
  tallies: readonly SaleShardTotals[] = [],
  previous?: WindowSummary,
): WindowSummary {
  const input = summarizeInputSchema.parse(raw);
  const rows = new Map<string, SaleRow>();
  for (const sale of previous?.sales.detail ?? []) rows.set(sale.saleId, sale);
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
    const plannedSale = planned[index];
    if (!plannedSale) {
      errors.NO_PLANNED_SALE = (errors.NO_PLANNED_SALE ?? 0) + 1;
      continue;
    }
    const { done, failed } = shardOutcomes(sale.shards, errors);
    const missing = sale.suppressed ? 0 : plannedShards.filter((shard) => !done.includes(shard)).length;
    const unfinished = Math.max(failed, missing);
    if (unfinished > 0) {
      unfinishedShards += unfinished;
      resume.push(plannedSale);
    } else {
      finished.add(plannedSale.saleId);
    }
    rows.set(plannedSale.saleId, {
      saleId: plannedSale.saleId,
      eventId: plannedSale.eventId,
      name: sale.name ?? sale.prepared?.saleName ?? null,
      startsAt: sale.prepared?.startsAt ?? plannedSale.startsAt,
      status: statusOf(sale),
      reasons: sale.reasons,
    });
  }
  // A planned sale without a result: its child failed before the Fans map (PrepareSale, Shorten).
  for (const sale of planned) {
    if (!finished.has(sale.saleId) && !resume.some((r) => r.saleId === sale.saleId)) resume.push(sale);
  }
  for (const sale of input.skipped) {
    rows.set(sale.saleId, { ...sale, name: null, status: 'skipped' });
  }

  const bySale = totalsBySale(tallies);
  const suppressionReasons: Record<string, number> = {};
  const detail: SaleDetail[] = [];
  for (const row of rows.values()) {
    for (const reason of row.reasons) suppressionReasons[reason] = (suppressionReasons[reason] ?? 0) + 1;
    const own = bySale.get(row.saleId) ?? emptyTotals();
    detail.push({
      ...row,
      created: own.created,
      queued: own.queued,
      failed: own.failed + own.invalid + own.optedOut,
      firstHandedOverAt: own.handedOver.first,
      lastHandedOverAt: own.handedOver.last,
    });
  }
  const totals = [...bySale.values()].reduce(addTotals, emptyTotals());
  const { failedByReason, handedOver, ...notifications } = totals;
  return {
    window: input.window,
    ...(input.executionName ? { executionName: input.executionName } : {}),
    sales: salesBlock(detail),
    suppressionReasons,
    notifications,
    failuresByReason: failedByReason,
    onTime: onTimeOf(handedOver, failedByReason),
    unfinished: { sales: resume.length, shards: unfinishedShards, resume, errors },
  };
}

/**
 * What the Summarize step returns, all that is left of the state after it: the summary (the execution's
 * output), the pass, and what a second pass starts from. The Sales map's items and result are dropped
 * here, so the summary of a window of hundreds of sales fits the 256 KiB of a state next to them; the
 * first pass's summary does not travel into the second pass either (the tallies table keeps it).
 */
export interface SummarizeStepOutput {
  summary: WindowSummary;
  pass: number;
  carry: Record<string, unknown>;
}

export function summarizeStep(
  raw: SummarizeInput,
  read: { tallies: readonly SaleShardTotals[]; previous?: WindowSummary },
): SummarizeStepOutput {
  const summary = summarize(raw, read.tallies, read.previous);
  return { summary, pass: raw.mapRun?.pass ?? 1, carry: raw.carry ?? {} };
}
