/**
 * The tables in memory, one class per table, for unit tests of the window's steps (shared/window/stores.ts),
 * the API's resolver and the event cache. Each keeps the conditions of its DynamoDB repository (conditional
 * create, the lease, forward-only updates, a query that stops at its Limit) so the code under test sees what
 * the Lambda would see, and each records what that code did.
 */
import type { ConsentRecord, ConsentSource } from '#shared/data/consents-repository';
import type { DemandItem, DemandPage, DemandRepository } from '#shared/data/demand-repository';
import type { CachedEvent, EventsRepository } from '#shared/data/events-repository';
import type {
  CreateOutcome,
  NotificationError,
  NotificationRecord,
} from '#shared/data/notifications-repository';
import type { OptOutRecord } from '#shared/data/opt-outs-repository';
import { type SaleRow, type SalesRepository, toSaleRow } from '#shared/data/sales-repository';
import { demandPartitionKey, demandSortKey, shardOf } from '#shared/domain/keys';
import {
  type Channel,
  type Demand,
  type EventRecord,
  MAX_SEND_ATTEMPTS,
  type Sale,
  STATUS_RANK,
} from '#shared/domain/model';
import { isInWindow, type Window } from '#shared/domain/windows';
import type {
  ConsentStore,
  DemandStore,
  EventStore,
  NotificationStore,
  OptOutStore,
  SaleStore,
  StopOutcome,
} from '#shared/window/stores';

/** What DynamoDB answers when a condition does not hold (same name as the SDK's exception). */
export class ConditionFailed extends Error {
  constructor(what: string) {
    super(`The conditional request failed: ${what}`);
    this.name = 'ConditionalCheckFailedException';
  }
}

export class MemoryNotifications implements NotificationStore {
  readonly records = new Map<string, NotificationRecord>();

  get(pk: string): NotificationRecord | undefined {
    const record = this.records.get(pk);
    return record ? structuredClone(record) : undefined;
  }

  /** The record of `pk`, or a test failure naming it. */
  expect(pk: string): NotificationRecord {
    const record = this.get(pk);
    if (!record) throw new Error(`no notification ${pk}`);
    return record;
  }

  put(record: NotificationRecord): void {
    this.records.set(record.pk, structuredClone(record));
  }

  /** A fan's notifications (the API's reminder status). */
  async byFan(fanId: string): Promise<NotificationRecord[]> {
    return [...this.records.values()]
      .filter((record) => record.fanId === fanId)
      .map((r) => structuredClone(r));
  }

  /** The execution that created a notification of the sale, if any did. */
  async executionOf(saleId: string): Promise<string | undefined> {
    return [...this.records.values()].find((record) => record.saleId === saleId)?.executionName;
  }

  async createIfAbsent(record: NotificationRecord): Promise<CreateOutcome> {
    const existing = this.get(record.pk);
    if (existing) return { kind: 'exists', existing };
    this.put(record);
    return { kind: 'created' };
  }

  async lease(pk: string, now: string): Promise<NotificationRecord | undefined> {
    const record = this.records.get(pk);
    const leasable =
      record !== undefined &&
      (record.status === 'CREATED' ||
        (record.status === 'TRIGGERED' &&
          record.retryPending === true &&
          record.attempts < MAX_SEND_ATTEMPTS));
    if (!leasable) return undefined;
    record.status = 'TRIGGERED';
    record.statusRank = STATUS_RANK.TRIGGERED;
    record.attempts += 1;
    record.triggeredAt = now;
    record.updatedAt = now;
    delete record.retryPending;
    return structuredClone(record);
  }

  async markQueued(pk: string, providerMessageId: string, now: string): Promise<void> {
    const record = this.found(pk);
    if (record.status === 'TRIGGERED') {
      record.status = 'QUEUED';
      record.statusRank = STATUS_RANK.QUEUED;
      record.updatedAt = now;
    }
    record.providerMessageId = providerMessageId;
    record.queuedAt = now;
  }

  async markRetryPending(pk: string, error: NotificationError, now: string): Promise<void> {
    const record = this.found(pk);
    if (record.status !== 'TRIGGERED') throw new ConditionFailed(`${pk} is ${record.status}`);
    record.retryPending = true;
    record.lastError = structuredClone(error);
    record.updatedAt = now;
  }

  async releaseLease(pk: string, error: NotificationError, now: string): Promise<void> {
    const record = this.found(pk);
    if (record.status !== 'TRIGGERED') throw new ConditionFailed(`${pk} is ${record.status}`);
    record.retryPending = true;
    record.attempts -= 1;
    record.lastError = structuredClone(error);
    record.updatedAt = now;
  }

  async markFailed(
    pk: string,
    failureReason: string,
    error: NotificationError | undefined,
    now: string,
  ): Promise<void> {
    const record = this.found(pk);
    if (record.statusRank >= STATUS_RANK.FAILED) throw new ConditionFailed(`${pk} is ${record.status}`);
    record.status = 'FAILED';
    record.statusRank = STATUS_RANK.FAILED;
    record.failureReason = failureReason;
    record.failedAt = now;
    record.updatedAt = now;
    if (error) record.lastError = structuredClone(error);
    delete record.retryPending;
  }

  async stopUnsent(pk: string, reason: string, now: string, release: boolean): Promise<StopOutcome> {
    const record = this.records.get(pk);
    if (!record) return 'untouched';
    if (release && record.status === 'CREATED') {
      this.records.delete(pk);
      return 'released';
    }
    const unsent =
      record.status === 'CREATED' || (record.status === 'TRIGGERED' && record.retryPending === true);
    if (!unsent) return 'untouched';
    record.status = 'FAILED';
    record.statusRank = STATUS_RANK.FAILED;
    record.failureReason = reason;
    record.failedAt = now;
    record.updatedAt = now;
    delete record.retryPending;
    return 'failed';
  }

  private found(pk: string): NotificationRecord {
    const record = this.records.get(pk);
    if (!record) throw new ConditionFailed(`${pk} does not exist`);
    return record;
  }
}

/** Sign-ups by shard, in sort-key order, paged like a DynamoDB Query with Limit. */
export class MemoryDemand implements DemandStore {
  readonly items = new Map<string, DemandItem>();
  /** Pages read, as (shard, cursor) pairs. */
  readonly pages: Array<{ shard: number; cursor: string | undefined }> = [];
  /** Sign-ups written through put (the API). */
  puts = 0;

  constructor(readonly shardCount = 4) {}

  /** Stores a sign-up as the repository would, keyed by its shard. */
  add(demand: Demand): DemandItem {
    const shard = shardOf(demand.fanId, this.shardCount);
    const item: DemandItem = {
      ...demand,
      pk: demandPartitionKey(demand.eventId, shard),
      sk: demandSortKey(demand.fanId, demand.channel),
      shard,
    };
    this.items.set(this.key(demand.eventId, demand.fanId, demand.channel), item);
    return item;
  }

  async put(demand: Demand): Promise<DemandItem> {
    this.puts += 1;
    return structuredClone(this.add(demand));
  }

  async remove(eventId: string, fanId: string, channel: Channel): Promise<DemandItem | undefined> {
    const key = this.key(eventId, fanId, channel);
    const item = this.items.get(key);
    this.items.delete(key);
    return item;
  }

  async page(eventId: string, shard: number, limit: number, cursor?: string): Promise<DemandPage> {
    this.pages.push({ shard, cursor });
    const pk = demandPartitionKey(eventId, shard);
    const after = [...this.items.values()]
      .filter((item) => item.pk === pk && (cursor === undefined || item.sk > cursor))
      .sort((a, b) => (a.sk < b.sk ? -1 : a.sk > b.sk ? 1 : 0));
    const items = after.slice(0, limit).map((item) => structuredClone(item));
    // A Query that stops at its Limit returns LastEvaluatedKey even when nothing follows
    // (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Query.Pagination.html).
    const last = items.length === limit ? items[items.length - 1]?.sk : undefined;
    return { items, cursor: last };
  }

  async countShard(eventId: string, shard: number): Promise<number> {
    const pk = demandPartitionKey(eventId, shard);
    return [...this.items.values()].filter((item) => item.pk === pk).length;
  }

  /** Sign-ups of an event across its shards (PlanWindow counts reminders with it). */
  async count(eventId: string): Promise<number> {
    return [...this.items.values()].filter((item) => item.eventId === eventId).length;
  }

  async contacts(
    eventId: string,
    fans: Array<{ fanId: string; channel: Channel }>,
  ): Promise<Map<string, DemandItem>> {
    const found = new Map<string, DemandItem>();
    for (const fan of fans) {
      const item = this.items.get(this.key(eventId, fan.fanId, fan.channel));
      if (item) found.set(item.sk, structuredClone(item));
    }
    return found;
  }

  async byFan(fanId: string): Promise<DemandItem[]> {
    return [...this.items.values()].filter((item) => item.fanId === fanId).map((i) => structuredClone(i));
  }

  /** For code typed with the repository class itself. */
  asRepository(): DemandRepository {
    return this as unknown as DemandRepository;
  }

  private key(eventId: string, fanId: string, channel: Channel): string {
    return `${demandPartitionKey(eventId, shardOf(fanId, this.shardCount))}|${demandSortKey(fanId, channel)}`;
  }
}

export class MemoryOptOuts implements OptOutStore {
  readonly records = new Map<string, OptOutRecord>();

  /** Opts a contact out, by default as its own STOP reply does. */
  optOut(contactHash: string, reason = 'STOP', source: OptOutRecord['source'] = 'inbound-reply'): void {
    this.records.set(contactHash, { contactHash, reason, source, createdAt: new Date(0).toISOString() });
  }

  async optedOut(hashes: string[]): Promise<Set<string>> {
    return new Set(hashes.filter((hash) => this.records.has(hash)));
  }

  async add(record: OptOutRecord): Promise<void> {
    this.records.set(record.contactHash, structuredClone(record));
  }
}

/**
 * Consents, by (contact hash, fan). For the window's steps a pair with no record counts as confirmed (the
 * demo's fans are confirmed too) unless marked pending; the API's sign-ups write and confirm records.
 */
export class MemoryConsents implements ConsentStore {
  readonly records = new Map<string, ConsentRecord>();
  readonly pending = new Set<string>();

  markPending(contactHash: string, fanId: string): void {
    this.pending.add(`${contactHash}|${fanId}`);
  }

  async confirmed(keys: Array<{ contactHash: string; fanId: string }>): Promise<Set<string>> {
    return new Set(
      keys
        .map((key) => `${key.contactHash}|${key.fanId}`)
        .filter((key) => !this.pending.has(key) && this.records.get(key)?.status !== 'PENDING'),
    );
  }

  async get(contactHash: string, fanId: string): Promise<ConsentRecord | undefined> {
    const record = this.records.get(`${contactHash}|${fanId}`);
    return record ? structuredClone(record) : undefined;
  }

  async putPending(record: ConsentRecord): Promise<boolean> {
    const existing = this.records.get(`${record.contactHash}|${record.fanId}`);
    if (existing && existing.status !== 'PENDING') return false;
    this.records.set(`${record.contactHash}|${record.fanId}`, structuredClone(record));
    return true;
  }

  async markSent(contactHash: string, fanId: string, at: string): Promise<void> {
    const record = this.records.get(`${contactHash}|${fanId}`);
    if (record) record.confirmationSentAt = at;
  }

  async confirm(contactHash: string, fanId: string, source: ConsentSource, at: string): Promise<boolean> {
    const record = this.records.get(`${contactHash}|${fanId}`);
    if (record?.status !== 'PENDING') return false;
    Object.assign(record, { status: 'CONFIRMED', confirmedAt: at, source });
    delete record.tokenHash;
    delete record.expiresAt;
    return true;
  }
}

export class MemoryEvents implements EventStore {
  readonly items = new Map<string, CachedEvent>();
  /** Reads and writes through get and save (the event cache). */
  gets = 0;
  saves = 0;

  put(event: CachedEvent): void {
    this.items.set(event.eventId, structuredClone(event));
  }

  async get(eventId: string): Promise<CachedEvent | undefined> {
    this.gets += 1;
    const item = this.items.get(eventId);
    return item ? structuredClone(item) : undefined;
  }

  /** Stores a fetched event, keeping the short links already made for it. */
  async save(event: EventRecord, fetchedAt: string, expiresAt: number): Promise<CachedEvent> {
    this.saves += 1;
    const shortUrls = this.items.get(event.eventId)?.shortUrls ?? {};
    const saved: CachedEvent = { ...structuredClone(event), fetchedAt, expiresAt, shortUrls };
    this.items.set(event.eventId, saved);
    return structuredClone(saved);
  }

  /** For code typed with the repository class itself. */
  asRepository(): EventsRepository {
    return this as unknown as EventsRepository;
  }

  /** Keeps the first link stored under a key, as the conditional update does. */
  async setShortUrl(eventId: string, linkKey: string, url: string): Promise<string> {
    const item = this.items.get(eventId);
    if (!item) throw new ConditionFailed(`event ${eventId} does not exist`);
    item.shortUrls ??= {};
    item.shortUrls[linkKey] ??= url;
    return item.shortUrls[linkKey];
  }
}

export class MemorySales implements SaleStore {
  readonly rows: SaleRow[] = [];
  /** The syncs the event cache asked for, in order. */
  readonly syncs: Array<{ previous: Sale[]; current: Sale[] }> = [];

  add(sale: Sale): void {
    this.rows.push(toSaleRow(sale));
  }

  async inWindow(window: Window): Promise<SaleRow[]> {
    return this.rows.filter((row) => isInWindow(row.startsAt, window)).map((row) => structuredClone(row));
  }

  async sync(previous: Sale[], current: Sale[]): Promise<{ written: number; deleted: number }> {
    this.syncs.push({ previous, current });
    return { written: current.length, deleted: 0 };
  }

  /** For code typed with the repository class itself. */
  asRepository(): SalesRepository {
    return this as unknown as SalesRepository;
  }
}

/** The limits table's conditional writes (one process: no races to model). */
export class MemoryLimits {
  readonly counters = new Map<string, number>();
  readonly sets = new Map<string, Set<string>>();
  readonly claims = new Map<string, string>();

  async take(key: string, max: number): Promise<boolean> {
    const count = this.counters.get(key) ?? 0;
    if (count >= max) return false;
    this.counters.set(key, count + 1);
    return true;
  }

  async takeDistinct(key: string, member: string, max: number): Promise<boolean> {
    const set = this.sets.get(key) ?? new Set<string>();
    if (!set.has(member) && set.size >= max) return false;
    set.add(member);
    this.sets.set(key, set);
    return true;
  }

  async claim(key: string, owner: string): Promise<boolean> {
    const holder = this.claims.get(key);
    if (holder !== undefined && holder !== owner) return false;
    this.claims.set(key, owner);
    return true;
  }

  async release(key: string, owner: string): Promise<void> {
    if (this.claims.get(key) === owner) this.claims.delete(key);
  }
}
