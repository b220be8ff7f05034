/**
 * In-memory stores for the window's steps (shared/window/stores.ts). Each keeps the conditions of its
 * DynamoDB repository (conditional create, the lease, forward-only updates, a query that stops at its
 * Limit) so a unit test of a step sees what the Lambda would see, and records what the step did.
 */
import type { DemandItem, DemandPage } from '#shared/data/demand-repository';
import type { CachedEvent } from '#shared/data/events-repository';
import type {
  CreateOutcome,
  NotificationError,
  NotificationRecord,
} from '#shared/data/notifications-repository';
import type { OptOutRecord } from '#shared/data/opt-outs-repository';
import { type SaleRow, toSaleRow } from '#shared/data/sales-repository';
import { demandPartitionKey, demandSortKey, notificationKey, shardOf } from '#shared/domain/keys';
import { type Channel, type Demand, MAX_SEND_ATTEMPTS, type Sale, STATUS_RANK } from '#shared/domain/model';
import { isInWindow, type Window } from '#shared/domain/windows';
import { type PageLoopState, pageLoopSchema } from '#shared/window/state';
import type {
  ConsentStore,
  DemandStore,
  EventStore,
  NotificationStore,
  OptOutStore,
  ProviderSenders,
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

  constructor(readonly shardCount = 4) {}

  add(demand: Demand): DemandItem {
    const shard = shardOf(demand.fanId, this.shardCount);
    const item: DemandItem = {
      ...demand,
      pk: demandPartitionKey(demand.eventId, shard),
      sk: demandSortKey(demand.fanId, demand.channel),
      shard,
    };
    this.items.set(`${item.pk}|${item.sk}`, item);
    return item;
  }

  remove(eventId: string, fanId: string, channel: Channel): void {
    const pk = demandPartitionKey(eventId, shardOf(fanId, this.shardCount));
    this.items.delete(`${pk}|${demandSortKey(fanId, channel)}`);
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
      const pk = demandPartitionKey(eventId, shardOf(fan.fanId, this.shardCount));
      const item = this.items.get(`${pk}|${demandSortKey(fan.fanId, fan.channel)}`);
      if (item) found.set(item.sk, structuredClone(item));
    }
    return found;
  }
}

export class MemoryOptOuts implements OptOutStore {
  readonly records = new Map<string, OptOutRecord>();

  async optedOut(hashes: string[]): Promise<Set<string>> {
    return new Set(hashes.filter((hash) => this.records.has(hash)));
  }

  async add(record: OptOutRecord): Promise<void> {
    this.records.set(record.contactHash, structuredClone(record));
  }
}

/** Consents: every pair is confirmed unless marked pending (the demo's fans are confirmed too). */
export class MemoryConsents implements ConsentStore {
  readonly pending = new Set<string>();

  markPending(contactHash: string, fanId: string): void {
    this.pending.add(`${contactHash}|${fanId}`);
  }

  async confirmed(keys: Array<{ contactHash: string; fanId: string }>): Promise<Set<string>> {
    return new Set(
      keys.map((key) => `${key.contactHash}|${key.fanId}`).filter((key) => !this.pending.has(key)),
    );
  }
}

export class MemoryEvents implements EventStore {
  readonly items = new Map<string, CachedEvent>();

  put(event: CachedEvent): void {
    this.items.set(event.eventId, structuredClone(event));
  }

  async get(eventId: string): Promise<CachedEvent | undefined> {
    const item = this.items.get(eventId);
    return item ? structuredClone(item) : undefined;
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

  add(sale: Sale): void {
    this.rows.push(toSaleRow(sale));
  }

  async inWindow(window: Window): Promise<SaleRow[]> {
    return this.rows.filter((row) => isInWindow(row.startsAt, window)).map((row) => structuredClone(row));
  }
}

type SmsInput = Parameters<ProviderSenders['sms']>[0];
type EmailInput = Parameters<ProviderSenders['email']>[0];
type FindInput = Parameters<NonNullable<ProviderSenders['findSms']>>[0];

/**
 * Providers that accept every message (ids `SM0001`, `EM0001`...) unless a scripted failure is queued for
 * the recipient: `failNext(contact, error)` makes that recipient's next send throw `error`.
 */
export class ScriptedSenders implements ProviderSenders {
  readonly sent: Array<{ channel: Channel; to: string; notificationKey: string; messageId: string }> = [];
  readonly lookups: FindInput[] = [];
  /** Messages the provider already holds (by recipient and body), as `findSms` reports them. */
  readonly held = new Map<string, string>();
  private readonly failures = new Map<string, unknown[]>();
  private count = 0;

  failNext(to: string, ...errors: unknown[]): void {
    this.failures.set(to, [...(this.failures.get(to) ?? []), ...errors]);
  }

  async sms(input: SmsInput): Promise<{ messageId: string }> {
    return this.accept('SMS', input.to, input.notificationKey);
  }

  async email(input: EmailInput): Promise<{ messageId: string }> {
    return this.accept('EMAIL', input.to, input.notificationKey);
  }

  async findSms(input: FindInput): Promise<{ messageId: string } | undefined> {
    this.lookups.push(input);
    const messageId = this.held.get(`${input.to}|${input.body}`);
    return messageId ? { messageId } : undefined;
  }

  sentTo(to: string): number {
    return this.sent.filter((message) => message.to === to).length;
  }

  private accept(channel: Channel, to: string, notificationKey: string): { messageId: string } {
    const failure = this.failures.get(to)?.shift();
    if (failure !== undefined) throw failure;
    this.count += 1;
    const messageId = `${channel === 'SMS' ? 'SM' : 'EM'}${String(this.count).padStart(4, '0')}`;
    this.sent.push({ channel, to, notificationKey, messageId });
    return { messageId };
  }
}

/** The page-loop state of one shard, as the state machine hands it to RenderPage and SendPage. */
export function pageState(overrides: Partial<PageLoopState> = {}): PageLoopState {
  return pageLoopSchema.parse({
    saleId: 'S1',
    eventId: 'E1',
    shard: 0,
    iterationMps: 1000,
    executionName: 'unit',
    ...overrides,
  });
}

/** A notification as RenderPage leaves it for `fan` of sale `saleId`: CREATED with its message. */
export function createdNotification(
  saleId: string,
  fan: DemandItem,
  overrides: Partial<NotificationRecord> = {},
): NotificationRecord {
  return {
    pk: notificationKey(saleId, fan.fanId, fan.channel),
    saleId,
    eventId: fan.eventId,
    fanId: fan.fanId,
    channel: fan.channel,
    shard: fan.shard,
    status: 'CREATED',
    statusRank: STATUS_RANK.CREATED,
    attempts: 0,
    locale: fan.locale ?? 'en-us',
    brand: fan.brand,
    message:
      fan.channel === 'SMS'
        ? { text: `Reminder for ${saleId}`, encoding: 'GSM-7', segments: 1 }
        : { template: 'onsale-reminder-en', variables: { saleId } },
    createdAt: '2026-12-09T14:30:00.000Z',
    updatedAt: '2026-12-09T14:30:00.000Z',
    expiresAt: 1_800_000_000,
    ...overrides,
  };
}
