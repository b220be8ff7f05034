/**
 * Summarize: the run's result as it appears in the console (the execution's output): sales planned,
 * suppressed with their reasons, processed; notification counts by outcome; failures by reason.
 */
import { z } from 'zod';
import { addTotals, emptyTotals, saleResultSchema, type Totals, windowSchema } from './state';

export const summarizeInputSchema = z.object({
  window: windowSchema,
  executionName: z.string().optional(),
  plannedSales: z.number().int().nonnegative().optional(),
  results: z.array(saleResultSchema),
});
export type SummarizeInput = z.infer<typeof summarizeInputSchema>;

export interface WindowSummary {
  window: { start: string; end: string };
  executionName?: string;
  sales: { total: number; suppressed: number; processed: number };
  suppressionReasons: Record<string, number>;
  notifications: Omit<Totals, 'failedByReason'>;
  failuresByReason: Record<string, number>;
  perSale: Array<{
    saleId: string;
    eventId: string;
    suppressed: boolean;
    reasons: string[];
    created: number;
    queued: number;
    failed: number;
  }>;
}

export function summarize(input: SummarizeInput): WindowSummary {
  const suppressionReasons: Record<string, number> = {};
  let totals = emptyTotals();
  const perSale: WindowSummary['perSale'] = [];
  for (const sale of input.results) {
    for (const reason of sale.reasons) suppressionReasons[reason] = (suppressionReasons[reason] ?? 0) + 1;
    const saleTotals = sale.shards.reduce((sum, shard) => addTotals(sum, shard.totals), emptyTotals());
    totals = addTotals(totals, saleTotals);
    perSale.push({
      saleId: sale.saleId,
      eventId: sale.eventId,
      suppressed: sale.suppressed,
      reasons: sale.reasons,
      created: saleTotals.created,
      queued: saleTotals.queued,
      failed: saleTotals.failed + saleTotals.invalid + saleTotals.optedOut,
    });
  }
  const { failedByReason, ...notifications } = totals;
  const suppressed = input.results.filter((sale) => sale.suppressed).length;
  return {
    window: input.window,
    ...(input.executionName ? { executionName: input.executionName } : {}),
    sales: { total: input.results.length, suppressed, processed: input.results.length - suppressed },
    suppressionReasons,
    notifications,
    failuresByReason: failedByReason,
    perSale,
  };
}
