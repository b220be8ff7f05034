/** In-memory stand-ins for the repositories and Discovery, recording what the code under test did. */
import { type SignUpSettings, signUpEnv } from '#shared/api/config';
import type { ConfirmationSender } from '#shared/api/consent';
import type { ConsentRecord, ConsentSource } from '#shared/data/consents-repository';
import type { DemandItem, DemandRepository } from '#shared/data/demand-repository';
import type { CachedEvent, EventsRepository } from '#shared/data/events-repository';
import type { NotificationRecord } from '#shared/data/notifications-repository';
import type { SalesRepository } from '#shared/data/sales-repository';
import { demandPartitionKey, demandSortKey, shardOf } from '#shared/domain/keys';
import type { Channel, Demand, EventRecord, Sale } from '#shared/domain/model';
import type { SuppressionRules } from '#shared/domain/suppression';
import type { DiscoverySource } from '#shared/events/event-cache';
import { readFixture } from '#test/helpers/factories';

export function discoveryPayload(file = 'us-music-marisol-reyes.json'): Record<string, unknown> {
  return readFixture(file) as Record<string, unknown>;
}

export const MARISOL_ID = 'vvG1fZ4Ax3kTpQ';

export const RULES: SuppressionRules = {
  suppressedArtistIds: [],
  supportedCountries: ['US', 'CA'],
  allowedSegments: ['Music', 'Arts & Theatre'],
  suppressedSaleTypes: ['registration'],
};

/** A clock the test moves. */
export function clock(start = '2026-11-28T12:00:00.000Z') {
  let ms = Date.parse(start);
  return {
    now: () => new Date(ms),
    advance: (seconds: number) => {
      ms += seconds * 1000;
    },
  };
}

export class FakeEvents {
  readonly items = new Map<string, CachedEvent>();
  gets = 0;
  saves = 0;

  async get(eventId: string): Promise<CachedEvent | undefined> {
    this.gets += 1;
    const item = this.items.get(eventId);
    return item ? structuredClone(item) : undefined;
  }

  async save(event: EventRecord, fetchedAt: string, expiresAt: number): Promise<CachedEvent> {
    this.saves += 1;
    const shortUrls = this.items.get(event.eventId)?.shortUrls ?? {};
    const saved: CachedEvent = { ...structuredClone(event), fetchedAt, expiresAt, shortUrls };
    this.items.set(event.eventId, saved);
    return structuredClone(saved);
  }

  asRepository(): EventsRepository {
    return this as unknown as EventsRepository;
  }
}

export class FakeSales {
  readonly syncs: Array<{ previous: Sale[]; current: Sale[] }> = [];

  async sync(previous: Sale[], current: Sale[]) {
    this.syncs.push({ previous, current });
    return { written: current.length, deleted: 0 };
  }

  asRepository(): SalesRepository {
    return this as unknown as SalesRepository;
  }
}

/** Discovery that answers from `payloads`, fails with `failWith` when set, and can be held open. */
export class FakeDiscovery implements DiscoverySource {
  calls = 0;
  failWith: Error | undefined;
  private gate: Promise<void> | undefined;
  private release: (() => void) | undefined;

  constructor(readonly payloads: Map<string, unknown> = new Map([[MARISOL_ID, discoveryPayload()]])) {}

  hold(): void {
    this.gate = new Promise<void>((resolve) => {
      this.release = resolve;
    });
  }

  open(): void {
    this.release?.();
    this.gate = undefined;
  }

  async getEvent(eventId: string): Promise<unknown> {
    this.calls += 1;
    if (this.gate) await this.gate;
    if (this.failWith) throw this.failWith;
    const payload = this.payloads.get(eventId);
    if (payload === undefined) throw new Error(`no payload for ${eventId}`);
    return structuredClone(payload);
  }
}

export class FakeDemand {
  readonly items = new Map<string, DemandItem>();
  puts = 0;

  private key(eventId: string, fanId: string, channel: Channel): string {
    return `${demandPartitionKey(eventId, shardOf(fanId, 16))}|${demandSortKey(fanId, channel)}`;
  }

  async put(demand: Demand): Promise<DemandItem> {
    this.puts += 1;
    const shard = shardOf(demand.fanId, 16);
    const item: DemandItem = {
      ...demand,
      pk: demandPartitionKey(demand.eventId, shard),
      sk: demandSortKey(demand.fanId, demand.channel),
      shard,
    };
    this.items.set(this.key(demand.eventId, demand.fanId, demand.channel), item);
    return item;
  }

  async remove(eventId: string, fanId: string, channel: Channel): Promise<DemandItem | undefined> {
    const key = this.key(eventId, fanId, channel);
    const item = this.items.get(key);
    this.items.delete(key);
    return item;
  }

  async contacts(eventId: string, fans: Array<{ fanId: string; channel: Channel }>) {
    const found = new Map<string, DemandItem>();
    for (const fan of fans) {
      const item = this.items.get(this.key(eventId, fan.fanId, fan.channel));
      if (item) found.set(item.sk, structuredClone(item));
    }
    return found;
  }

  async byFan(fanId: string): Promise<DemandItem[]> {
    return [...this.items.values()].filter((item) => item.fanId === fanId);
  }

  asRepository(): DemandRepository {
    return this as unknown as DemandRepository;
  }
}

export class FakeNotifications {
  readonly records: NotificationRecord[] = [];

  async byFan(fanId: string): Promise<NotificationRecord[]> {
    return this.records.filter((record) => record.fanId === fanId);
  }
}

export class FakeOptOuts {
  readonly hashes = new Set<string>();

  async optedOut(hashes: string[]): Promise<Set<string>> {
    return new Set(hashes.filter((hash) => this.hashes.has(hash)));
  }
}

export class FakeConsents {
  readonly records = new Map<string, ConsentRecord>();

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

/** The limits table's conditional writes, in memory (one process: no races to model). */
export class FakeLimits {
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

/** Records the confirmation messages the API would send. */
export class FakeConfirmations {
  readonly sms: Array<{ to: string; body: string }> = [];
  readonly emails: Array<{ to: string; subject: string; text: string }> = [];

  asSender(): ConfirmationSender {
    return {
      sms: async (to, body) => {
        this.sms.push({ to, body });
      },
      email: async (to, message) => {
        this.emails.push({ to, ...message });
      },
    };
  }
}

export const SIGN_UP_SETTINGS: SignUpSettings = signUpEnv.parse({});

/** AppSync's identity of a Cognito user pool caller. */
export function cognitoIdentity(sub: string) {
  return {
    sub,
    issuer: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_test',
    username: sub,
    claims: { sub },
    sourceIp: ['203.0.113.7'],
    defaultAuthStrategy: 'ALLOW',
    groups: null,
  };
}
