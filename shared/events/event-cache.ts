/**
 * Read-through cache of Discovery events in the events table. A fresh record is served as is; a missing
 * or stale one is fetched from Discovery (one call at a time per event in this process), normalized, and
 * its sales synced to the sales table, so windows find new sales and moved sales at their new time only.
 * When Discovery fails, a stale record is served rather than nothing.
 */
import type { CachedEvent, EventsRepository } from '#shared/data/events-repository';
import type { SalesRepository } from '#shared/data/sales-repository';
import { parseDiscoveryEvent } from '#shared/domain/discovery';

export interface DiscoverySource {
  getEvent(eventId: string): Promise<unknown>;
}

export type CacheSource = 'cache' | 'discovery' | 'stale';

export interface CachedLookup {
  event: CachedEvent;
  source: CacheSource;
}

export interface EventCacheOptions {
  events: EventsRepository;
  sales: SalesRepository;
  discovery: DiscoverySource;
  ttlSeconds: number;
  /** How long the record is kept after its last sale or show (TTL attribute). */
  retentionSeconds?: number;
  now?: () => Date;
}

export class EventCache {
  private readonly inFlight = new Map<string, Promise<CachedEvent>>();
  private readonly now: () => Date;

  constructor(private readonly options: EventCacheOptions) {
    this.now = options.now ?? (() => new Date());
  }

  isFresh(event: CachedEvent): boolean {
    return this.now().getTime() - Date.parse(event.fetchedAt) < this.options.ttlSeconds * 1000;
  }

  /** The event, from the cache when fresh, else from Discovery (stale copy if Discovery fails). */
  async get(eventId: string, opts: { forceRefresh?: boolean } = {}): Promise<CachedLookup> {
    const cached = await this.options.events.get(eventId);
    if (cached && !opts.forceRefresh && this.isFresh(cached)) return { event: cached, source: 'cache' };
    try {
      return { event: await this.refresh(eventId, cached), source: 'discovery' };
    } catch (error: unknown) {
      if (cached) return { event: cached, source: 'stale' };
      throw error;
    }
  }

  /** Fetches the event from Discovery and stores it; concurrent refreshes of one event share one call. */
  refresh(eventId: string, previous?: CachedEvent): Promise<CachedEvent> {
    const pending = this.inFlight.get(eventId);
    if (pending) return pending;
    const work = this.fetchAndStore(eventId, previous).finally(() => this.inFlight.delete(eventId));
    this.inFlight.set(eventId, work);
    return work;
  }

  private async fetchAndStore(eventId: string, previous: CachedEvent | undefined): Promise<CachedEvent> {
    const payload = await this.options.discovery.getEvent(eventId);
    const event = parseDiscoveryEvent(payload);
    const fetchedAt = this.now().toISOString();
    const saved = await this.options.events.save(
      event,
      fetchedAt,
      this.expiresAt(event.sales, event.startsAt),
    );
    await this.options.sales.sync(previous?.sales ?? [], event.sales);
    return saved;
  }

  private expiresAt(sales: Array<{ startsAt: string; endsAt?: string }>, showStartsAt?: string): number {
    const instants = [
      this.now().getTime(),
      ...sales.map((sale) => Date.parse(sale.endsAt ?? sale.startsAt)),
      ...(showStartsAt ? [Date.parse(showStartsAt)] : []),
    ].filter((ms) => !Number.isNaN(ms));
    const retention = this.options.retentionSeconds ?? 30 * 24 * 3600;
    return Math.floor(Math.max(...instants) / 1000) + retention;
  }
}
