/**
 * PlanWindow: the sales starting in the window of a scheduled time, and how wide the maps may run so the
 * whole window stays inside the SMS provider's throughput budget.
 */
import { z } from 'zod';
import { type Window, windowFor } from '#shared/domain/windows';
import type { PlannedSale } from './state';
import type { SaleStore } from './stores';

export const planInputSchema = z.object({
  scheduledTime: z.iso.datetime({ offset: true }),
  executionName: z.string().min(1).optional(),
});
export type PlanInput = z.infer<typeof planInputSchema>;

export interface PlanSettings {
  leadMinutes: number;
  shardCount: number;
  providerMps: number;
  iterationMps: number;
  salesConcurrency: number;
}

export interface WindowPlan {
  window: Window;
  executionName: string;
  plannedSales: number;
  sales: PlannedSale[];
  shards: number[];
  salesConcurrency: number;
  fansConcurrency: number;
  /** Messages per second each Send iteration may use: the budget split over the iterations at once. */
  iterationMps: number;
}

/**
 * The fan map's width comes from the provider budget, not from Lambda limits: enough iterations for
 * `providerMps`, each pushing about `iterationMps`, never more than there are shards.
 */
export function concurrencyFor(
  settings: PlanSettings,
): Pick<WindowPlan, 'salesConcurrency' | 'fansConcurrency' | 'iterationMps'> {
  const salesConcurrency = Math.max(1, settings.salesConcurrency);
  const perSale = settings.providerMps / salesConcurrency;
  const fansConcurrency = Math.max(
    1,
    Math.min(settings.shardCount, Math.ceil(perSale / settings.iterationMps)),
  );
  const iterationMps = Math.max(0.1, Math.floor((perSale / fansConcurrency) * 10) / 10);
  return { salesConcurrency, fansConcurrency, iterationMps };
}

export async function planWindow(
  input: PlanInput,
  deps: { sales: SaleStore; settings: PlanSettings },
): Promise<WindowPlan> {
  const window = windowFor(input.scheduledTime, deps.settings.leadMinutes);
  const rows = await deps.sales.inWindow(window);
  const sales = rows
    .map((row) => ({ saleId: row.saleId, eventId: row.eventId, startsAt: row.startsAt }))
    .sort((a, b) => a.startsAt.localeCompare(b.startsAt) || a.saleId.localeCompare(b.saleId));
  return {
    window,
    executionName: input.executionName ?? 'manual',
    plannedSales: sales.length,
    sales,
    shards: Array.from({ length: deps.settings.shardCount }, (_, shard) => shard),
    ...concurrencyFor(deps.settings),
  };
}
