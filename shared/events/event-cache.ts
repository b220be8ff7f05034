/**
 * Read-through cache of Discovery events in the events table. A fresh record is served as is; a missing
 * or stale one is fetched from Discovery (one call at a time per event in this process), normalized, and
 * its sales synced to the sales table, so windows find new sales and moved sales at their new time only.
 * When Discovery fails, a stale record is served rather than nothing.
 *
 * Opt-in for readers that prefer speed to freshness (the API):
 * - stale-while-revalidate: a record past its TTL but younger than TTL + `staleWhileRevalidateSeconds`
 *   is served at once and refreshed in the background;
 * - a small in-process copy (`memoryTtlMs`) in front of the table, so a warm process answers hot events
 *   without a DynamoDB read.
 * After Discovery rate-limits us (429 once the client's own paced retries are spent) the cache pauses
 * its calls for a while (Retry-After, else doubling from `backoffBaseMs`): stale copies are served and
 * misses fail fast with DiscoveryBackoffError instead of adding to the storm.
 */
import { ProviderRateLimitedError } from '#shared/clients/errors';
import type { CachedEvent, EventsRepository } from '#shared/data/events-repository';
import type { SalesRepository } from '#shared/data/sales-repository';
import { parseDiscoveryEvent } from '#shared/domain/discovery';
import { pipelineClock } from '#shared/time/clock';
import { DiscoveryBackoffError } from './errors';

export interface DiscoverySource {
  getEvent(eventId: string): Promise<unknown>;
}

/**
 * Where an answer came from: 'cache' (fresh record), 'discovery' (fetched for this call), 'stale' (past
 * its TTL: served while a background refresh runs, or because Discovery failed or is backing off).
 */
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
  /** Serve a record up to this long past its TTL at once, refreshing it in the background. Default 0 (off). */
  staleWhileRevalidateSeconds?: number;
  /** Keep records in process memory this long in front of the table. Default 0 (off). */
  memoryTtlMs?: number;
  /** Most records kept in memory (oldest dropped first). Default 1000. */
  memoryMaxEntries?: number;
  /** First pause after Discovery rate-limits us, doubling on each further 429. Default 1000 ms. */
  backoffBaseMs?: number;
  /** Longest pause. Default 60 s. */
  backoffMaxMs?: number;
  /** How long the record is kept after its last sale or show (TTL attribute). */
  retentionSeconds?: number;
  /** Called when a background refresh fails (the caller already has its answer). */
  onBackgroundError?: (eventId: string, error: unknown) => void;
  /** Default: the pipeline's clock. */
  now?: () => Date;
}

/** Counters since the cache was created (or reset); per process. */
export interface EventCacheStats {
  /** Lookups answered. */
  lookups: number;
  /** Fresh record served (memory or table). */
  hits: number;
  /** Of the hits, those served from process memory. */
  memoryHits: number;
  /** Stale record served at once, refreshed in the background (stale-while-revalidate). */
  staleHits: number;
  /** Lookups that had to wait for Discovery (no record, or too old to serve). */
  misses: number;
  /** Misses answered with a stale record because Discovery failed or was backing off. */
  staleFallbacks: number;
  /** Discovery fetches started (concurrent lookups of one event share one). */
  discoveryCalls: number;
  /** Fetches that failed. */
  discoveryFailures: number;
  /** Lookups that did not call Discovery because it asked us to back off. */
  backoffSkips: number;
}

const emptyStats = (): EventCacheStats => ({
  lookups: 0,
  hits: 0,
  memoryHits: 0,
  staleHits: 0,
  misses: 0,
  staleFallbacks: 0,
  discoveryCalls: 0,
  discoveryFailures: 0,
  backoffSkips: 0,
});

/** Share of lookups answered without waiting for Discovery (fresh hits and stale-while-revalidate). */
export function hitRate(stats: EventCacheStats): number {
  return stats.lookups === 0 ? 0 : (stats.hits + stats.staleHits) / stats.lookups;
}

export class EventCache {
  private readonly inFlight = new Map<string, Promise<CachedEvent>>();
  private readonly memory = new Map<string, { event: CachedEvent; until: number }>();
  private readonly now: () => Date;
  private counters = emptyStats();
  private backoffUntil = 0;
  private consecutiveRateLimits = 0;

  constructor(private readonly options: EventCacheOptions) {
    this.now = options.now ?? pipelineClock.now;
  }

  private ageMs(event: CachedEvent): number {
    return this.now().getTime() - Date.parse(event.fetchedAt);
  }

  /** Younger than the TTL, or than `maxAgeSeconds` when the caller asks for a fresher copy. */
  isFresh(event: CachedEvent, maxAgeSeconds?: number): boolean {
    const limit = Math.min(this.options.ttlSeconds, maxAgeSeconds ?? Number.POSITIVE_INFINITY);
    return this.ageMs(event) < limit * 1000;
  }

  /** Past the TTL but still within the stale-while-revalidate allowance. */
  isServableStale(event: CachedEvent): boolean {
    const allowance = this.options.staleWhileRevalidateSeconds ?? 0;
    return allowance > 0 && this.ageMs(event) < (this.options.ttlSeconds + allowance) * 1000;
  }

  stats(): EventCacheStats {
    return { ...this.counters };
  }

  resetStats(): void {
    this.counters = emptyStats();
  }

  /** True while Discovery calls are paused after a rate limit. */
  isBackingOff(): boolean {
    return this.now().getTime() < this.backoffUntil;
  }

  /**
   * The event: from the cache when fresh; when stale within the allowance, at once with a background
   * refresh; else from Discovery (a stale copy if Discovery fails or is backing off). `maxAgeSeconds`
   * asks for a copy younger than that (PrepareSale: a few minutes), whatever the TTL.
   */
  async get(
    eventId: string,
    opts: { forceRefresh?: boolean; maxAgeSeconds?: number } = {},
  ): Promise<CachedLookup> {
    this.counters.lookups += 1;
    const forceRefresh = opts.forceRefresh ?? false;
    const maxAge = opts.maxAgeSeconds;
    if (!forceRefresh) {
      const remembered = this.fromMemory(eventId);
      if (remembered && this.isFresh(remembered, maxAge)) {
        this.counters.hits += 1;
        this.counters.memoryHits += 1;
        return { event: remembered, source: 'cache' };
      }
    }
    const cached = await this.options.events.get(eventId);
    if (cached && !forceRefresh) {
      if (this.isFresh(cached, maxAge)) {
        this.counters.hits += 1;
        this.remember(cached);
        return { event: cached, source: 'cache' };
      }
      if (this.isServableStale(cached)) {
        this.counters.staleHits += 1;
        this.revalidate(eventId, cached);
        return { event: cached, source: 'stale' };
      }
    }
    this.counters.misses += 1;
    if (this.isBackingOff()) {
      this.counters.backoffSkips += 1;
      if (cached) {
        this.counters.staleFallbacks += 1;
        return { event: cached, source: 'stale' };
      }
      throw new DiscoveryBackoffError(eventId, this.backoffUntil - this.now().getTime());
    }
    try {
      return { event: await this.refresh(eventId, cached), source: 'discovery' };
    } catch (error: unknown) {
      if (cached) {
        this.counters.staleFallbacks += 1;
        return { event: cached, source: 'stale' };
      }
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

  /** Resolves when every refresh running now has settled (tests, graceful shutdown). */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.inFlight.values()]);
  }

  private revalidate(eventId: string, cached: CachedEvent): void {
    if (this.inFlight.has(eventId) || this.isBackingOff()) return;
    this.refresh(eventId, cached).catch((error: unknown) => {
      this.options.onBackgroundError?.(eventId, error);
    });
  }

  private async fetchAndStore(eventId: string, previous: CachedEvent | undefined): Promise<CachedEvent> {
    this.counters.discoveryCalls += 1;
    let payload: unknown;
    try {
      payload = await this.options.discovery.getEvent(eventId);
      this.consecutiveRateLimits = 0;
    } catch (error: unknown) {
      this.counters.discoveryFailures += 1;
      if (error instanceof ProviderRateLimitedError) this.backOff(error.retryAfterMs);
      throw error;
    }
    const event = parseDiscoveryEvent(payload);
    const fetchedAt = this.now().toISOString();
    const saved = await this.options.events.save(
      event,
      fetchedAt,
      this.expiresAt(event.sales, event.startsAt),
    );
    await this.options.sales.sync(previous?.sales ?? [], event.sales);
    this.remember(saved);
    return saved;
  }

  private backOff(retryAfterMs: number | undefined): void {
    const base = this.options.backoffBaseMs ?? 1000;
    const max = this.options.backoffMaxMs ?? 60_000;
    const doubling = Math.min(max, base * 2 ** this.consecutiveRateLimits);
    this.consecutiveRateLimits += 1;
    const pause = Math.max(doubling, retryAfterMs ?? 0);
    this.backoffUntil = Math.max(this.backoffUntil, this.now().getTime() + pause);
  }

  private fromMemory(eventId: string): CachedEvent | undefined {
    const entry = this.memory.get(eventId);
    if (!entry) return undefined;
    if (entry.until <= this.now().getTime()) {
      this.memory.delete(eventId);
      return undefined;
    }
    return entry.event;
  }

  private remember(event: CachedEvent): void {
    const ttl = this.options.memoryTtlMs ?? 0;
    if (ttl <= 0) return;
    this.memory.delete(event.eventId);
    this.memory.set(event.eventId, { event, until: this.now().getTime() + ttl });
    const max = this.options.memoryMaxEntries ?? 1000;
    for (const key of this.memory.keys()) {
      if (this.memory.size <= max) break;
      this.memory.delete(key);
    }
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
