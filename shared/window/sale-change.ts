/**
 * Has the sale changed since the window planned it? Send checks before each page: a reminder must be
 * about the sale as it is now. The stored event is what the monitoring pass and PrepareSale keep current.
 */
import type { CachedEvent } from '#shared/data/events-repository';

/** Why the run stops sending a sale (the fans left unsent end `SALE_CHANGED`). */
export type SaleChange = 'EVENT_CANCELLED' | 'EVENT_POSTPONED' | 'SALE_REMOVED' | 'SALE_MOVED';

export const SALE_CHANGED = 'SALE_CHANGED';

export function saleChangeSincePlanning(
  event: Pick<CachedEvent, 'status' | 'sales'> | undefined,
  saleId: string,
  plannedStartsAt: string,
): SaleChange | undefined {
  // No stored event at all: nothing newer than the plan to compare with.
  if (!event) return undefined;
  if (event.status === 'cancelled') return 'EVENT_CANCELLED';
  if (event.status === 'postponed') return 'EVENT_POSTPONED';
  const sale = event.sales.find((candidate) => candidate.saleId === saleId);
  if (!sale) return 'SALE_REMOVED';
  if (Date.parse(sale.startsAt) !== Date.parse(plannedStartsAt)) return 'SALE_MOVED';
  return undefined;
}
