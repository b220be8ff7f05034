/**
 * The sale monitoring pass (its own schedule, every 10 minutes by default): keeps the sales table current
 * for the sales that matter next. Every event that has sign-ups and a sale starting within the horizon
 * (48 hours by default) is read again from Discovery, soonest sale first, through the event cache, which
 * stores the event and makes the sales table match it: a new sale is written under its start (the
 * window that holds it plans it), a moved sale is deleted under its old start and written under the new
 * one (the old time is never reminded), a removed sale is deleted. A cancelled or postponed event keeps
 * its sales but its stored status makes PrepareSale suppress them (EVENT_CANCELLED, EVENT_POSTPONED) and
 * stops a run already sending them (SALE_CHANGED).
 *
 * Discovery's quota (5 requests a second, 5,000 a day, shared with PrepareSale and the API) bounds a
 * pass: requests are paced, at most `maxRequests` are made, and the pass stops before its deadline. The
 * events it could not reach are reported, soonest first, never silently dropped.
 */
import type { CachedEvent } from '#shared/data/events-repository';
import type { SaleRow } from '#shared/data/sales-repository';
import type { Sale } from '#shared/domain/model';
import type { Window } from '#shared/domain/windows';
import type { Clock } from '#shared/time/clock';

export interface SaleMonitorSettings {
  /** Sales starting within this many hours from now are watched. */
  horizonHours: number;
  /** Discovery requests one pass may make (its share of the daily quota). */
  maxRequests: number;
}

/** What the pass needs from storage and Discovery (the repositories and the event cache satisfy it). */
export interface SaleMonitorDeps {
  sales: { inWindow(window: Window): Promise<SaleRow[]> };
  demand: { hasSignUps(eventId: string): Promise<boolean> };
  events: { get(eventId: string): Promise<CachedEvent | undefined> };
  /** Reads the event from Discovery, stores it and syncs its sales (EventCache.refresh). */
  refresh(eventId: string, previous?: CachedEvent): Promise<CachedEvent>;
  clock: Clock;
  /** Milliseconds left before the pass must stop (the Lambda's remaining time minus a margin). */
  remainingMs?: () => number;
  /** Waits before each Discovery request so the pass stays within its pace (a token bucket's take). */
  pace?: () => Promise<void>;
}

export interface SaleMove {
  saleId: string;
  eventId: string;
  from: string;
  to: string;
}

export interface SaleMonitorReport {
  /** The instant the pass ran at and the horizon it watched. */
  at: string;
  horizon: Window;
  /** Events with a sale in the horizon (from the sales table). */
  events: number;
  /** Of those, events with sign-ups: the ones to refresh. */
  watched: number;
  refreshed: number;
  discoveryRequests: number;
  /** Sales Discovery has that the table did not: written, so their window plans them. */
  added: Array<{ saleId: string; eventId: string; startsAt: string }>;
  /** Sales whose start changed: re-keyed under the new time. */
  moved: SaleMove[];
  /** Sales Discovery no longer lists for the event: deleted. */
  removed: Array<{ saleId: string; eventId: string }>;
  /** Events now cancelled or postponed (their sales are suppressed). */
  cancelled: string[];
  postponed: string[];
  /** Events of the horizon not refreshed in this pass (request budget or time spent), soonest sale first. */
  unreached: string[];
  /** Events Discovery could not give us in this pass (the stored copy stays). */
  failed: Array<{ eventId: string; error: string }>;
}

const HOUR_MS = 3_600_000;

/** One monitoring pass at the clock's time. */
export async function monitorSales(
  settings: SaleMonitorSettings,
  deps: SaleMonitorDeps,
): Promise<SaleMonitorReport> {
  const now = deps.clock.now();
  const horizon: Window = {
    start: now.toISOString(),
    end: new Date(now.getTime() + settings.horizonHours * HOUR_MS).toISOString(),
  };
  const rows = await deps.sales.inWindow(horizon);
  const soonest = new Map<string, string>();
  for (const row of rows) {
    const known = soonest.get(row.eventId);
    if (known === undefined || row.startsAt < known) soonest.set(row.eventId, row.startsAt);
  }
  const ordered = [...soonest]
    .sort(([a, at], [b, bt]) => at.localeCompare(bt) || a.localeCompare(b))
    .map(([eventId]) => eventId);

  const report: SaleMonitorReport = {
    at: horizon.start,
    horizon,
    events: ordered.length,
    watched: 0,
    refreshed: 0,
    discoveryRequests: 0,
    added: [],
    moved: [],
    removed: [],
    cancelled: [],
    postponed: [],
    unreached: [],
    failed: [],
  };

  for (const eventId of ordered) {
    if (!(await deps.demand.hasSignUps(eventId))) continue;
    report.watched += 1;
    const outOfTime = deps.remainingMs !== undefined && deps.remainingMs() <= 0;
    if (report.discoveryRequests >= settings.maxRequests || outOfTime) {
      report.unreached.push(eventId);
      continue;
    }
    const previous = await deps.events.get(eventId);
    await deps.pace?.();
    report.discoveryRequests += 1;
    let current: CachedEvent;
    try {
      current = await deps.refresh(eventId, previous);
    } catch (error: unknown) {
      report.failed.push({ eventId, error: describe(error) });
      continue;
    }
    report.refreshed += 1;
    recordChanges(report, previous, current);
  }
  return report;
}

function recordChanges(report: SaleMonitorReport, previous: CachedEvent | undefined, current: CachedEvent) {
  const before = new Map<string, Sale>((previous?.sales ?? []).map((sale) => [sale.saleId, sale]));
  for (const sale of current.sales) {
    const old = before.get(sale.saleId);
    if (!old) report.added.push({ saleId: sale.saleId, eventId: sale.eventId, startsAt: sale.startsAt });
    else if (Date.parse(old.startsAt) !== Date.parse(sale.startsAt)) {
      report.moved.push({
        saleId: sale.saleId,
        eventId: sale.eventId,
        from: old.startsAt,
        to: sale.startsAt,
      });
    }
    before.delete(sale.saleId);
  }
  for (const sale of before.values()) report.removed.push({ saleId: sale.saleId, eventId: sale.eventId });
  if (current.status !== previous?.status) {
    if (current.status === 'cancelled') report.cancelled.push(current.eventId);
    if (current.status === 'postponed') report.postponed.push(current.eventId);
  }
}

/** An error as a short text for the report: its class and message, never a payload. */
function describe(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`.slice(0, 200);
  return String(error).slice(0, 200);
}
