/**
 * Summarize: the run's result as it appears in the console (the execution's output): sales planned,
 * suppressed with their reasons, processed; notification counts by outcome; failures by reason; and the
 * work left unfinished (a sale or shard whose child execution failed), which the state machine runs once
 * more before the run ends.
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

export interface SaleSummary {
  saleId: string;
  eventId: string;
  suppressed: boolean;
  reasons: string[];
  created: number;
  queued: number;
  failed: number;
}

export interface WindowSummary {
  window: { start: string; end: string };
  executionName?: string;
  sales: { total: number; suppressed: number; processed: number };
  suppressionReasons: Record<string, number>;
  notifications: Omit<Totals, 'failedByReason'>;
  failuresByReason: Record<string, number>;
  perSale: SaleSummary[];
  /**
   * Sales and shards whose child execution failed in this pass, the sales to run again, and the errors
   * the failed children ended with (`ProviderConfigurationError`: the provider refused the credentials).
   */
  unfinished: { sales: number; shards: number; resume: PlannedSale[]; errors: Record<string, number> };
}

const previousSummarySchema = z.custom<WindowSummary>(
  (value) => typeof value === 'object' && value !== null && 'perSale' in value && 'notifications' in value,
  { message: 'expected the summary of the previous pass' },
);

export const summarizeInputSchema = z.object({
  window: windowSchema,
  executionName: z.string().optional(),
  plannedSales: z.number().int().nonnegative().optional(),
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
export type SummarizeInput = z.infer<typeof summarizeInputSchema>;

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

export function summarize(input: SummarizeInput): WindowSummary {
  const suppressionReasons: Record<string, number> = {};
  let totals = emptyTotals();
  const perSale: SaleSummary[] = [];
  const finished = new Set<string>();
  const resume: PlannedSale[] = [];
  let unfinishedShards = 0;
  let suppressed = 0;
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
    if (sale.suppressed) suppressed++;
    for (const reason of sale.reasons) suppressionReasons[reason] = (suppressionReasons[reason] ?? 0) + 1;
    totals = addTotals(totals, own);
    perSale.push({
      saleId: sale.saleId,
      eventId: sale.eventId,
      suppressed: sale.suppressed,
      reasons: sale.reasons,
      created: own.created,
      queued: own.queued,
      failed: own.failed + own.invalid + own.optedOut,
    });
  }
  // A planned sale without a result: its child failed before the Fans map (PrepareSale, Shorten).
  for (const sale of planned) {
    if (!finished.has(sale.saleId) && !resume.some((r) => r.saleId === sale.saleId)) resume.push(sale);
  }

  const { failedByReason, ...notifications } = totals;
  const total = input.plannedSales ?? planned.length ?? input.results.length;
  const summary: WindowSummary = {
    window: input.window,
    ...(input.executionName ? { executionName: input.executionName } : {}),
    sales: { total, suppressed, processed: perSale.length - suppressed },
    suppressionReasons,
    notifications,
    failuresByReason: failedByReason,
    perSale,
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
  const perSale = new Map(first.perSale.map((sale) => [sale.saleId, sale]));
  for (const sale of second.perSale) {
    const before = perSale.get(sale.saleId);
    perSale.set(
      sale.saleId,
      before
        ? {
            ...sale,
            created: before.created + sale.created,
            queued: before.queued + sale.queued,
            failed: before.failed + sale.failed,
          }
        : sale,
    );
  }
  const sales = [...perSale.values()];
  const suppressed = sales.filter((sale) => sale.suppressed).length;
  return {
    ...second,
    sales: { total: first.sales.total, suppressed, processed: sales.length - suppressed },
    suppressionReasons: add(first.suppressionReasons, second.suppressionReasons),
    notifications: add(first.notifications, second.notifications) as WindowSummary['notifications'],
    failuresByReason: add(first.failuresByReason, second.failuresByReason),
    perSale: sales,
  };
}
