/**
 * PrepareSale (LoadEvent + Suppress): the event from the cache, refreshed from Discovery when missing or
 * stale, then the suppression rules. A sale that moved out of the window, or left the event, is skipped
 * with a reason: the refresh has already written it under its new time.
 */
import { z } from 'zod';
import { DiscoveryNotFoundError } from '#shared/clients/errors';
import { evaluateSuppression, type SuppressionRules } from '#shared/domain/suppression';
import { isInWindow } from '#shared/domain/windows';
import type { EventCache } from '#shared/events/event-cache';
import type { Clock } from '#shared/time/clock';
import { plannedSaleSchema, windowSchema } from './state';

export const prepareInputSchema = z.object({
  sale: plannedSaleSchema,
  window: windowSchema,
  executionName: z.string().optional(),
});
export type PrepareInput = z.infer<typeof prepareInputSchema>;

export type SkipReason = 'EVENT_NOT_FOUND' | 'SALE_REMOVED' | 'SALE_MOVED';

export interface PreparedSale {
  suppressed: boolean;
  reasons: string[];
  /** Where the event came from: the cache, a Discovery refresh, or a stale copy (Discovery failing). */
  source: 'cache' | 'discovery' | 'stale' | 'none';
  startsAt?: string;
  saleName?: string;
  saleType?: string;
}

export async function prepareSale(
  input: PrepareInput,
  deps: {
    cache: Pick<EventCache, 'get'>;
    rules: SuppressionRules;
    clock: Clock;
    /** A stored copy older than this is read again from Discovery (default: the cache's TTL only). */
    maxEventAgeSeconds?: number;
  },
): Promise<PreparedSale> {
  let lookup: Awaited<ReturnType<EventCache['get']>>;
  try {
    lookup = await deps.cache.get(
      input.sale.eventId,
      deps.maxEventAgeSeconds === undefined ? {} : { maxAgeSeconds: deps.maxEventAgeSeconds },
    );
  } catch (error: unknown) {
    if (error instanceof DiscoveryNotFoundError) {
      return { suppressed: true, reasons: ['EVENT_NOT_FOUND' satisfies SkipReason], source: 'none' };
    }
    throw error;
  }
  const { event, source } = lookup;
  const sale = event.sales.find((candidate) => candidate.saleId === input.sale.saleId);
  if (!sale) return { suppressed: true, reasons: ['SALE_REMOVED' satisfies SkipReason], source };
  const described = { startsAt: sale.startsAt, saleName: sale.name, saleType: sale.type };
  // A sale a run starts ahead of its window (deadline-aware plan) is checked against the start it was
  // planned at; any other against the window.
  const planned = input.sale.startsAt;
  const moved = isInWindow(planned, input.window)
    ? !isInWindow(sale.startsAt, input.window)
    : Date.parse(sale.startsAt) !== Date.parse(planned);
  if (moved) {
    return { suppressed: true, reasons: ['SALE_MOVED' satisfies SkipReason], source, ...described };
  }
  const decision = evaluateSuppression(event, sale, deps.rules, deps.clock.now());
  return { suppressed: decision.suppressed, reasons: decision.reasons, source, ...described };
}
