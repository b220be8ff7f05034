/**
 * Stand-ins for what the code under test calls beyond the tables (those are in memory-stores.ts): Discovery,
 * the SMS and email providers, the API's confirmation sender, a clock the test moves; and the API's
 * dependencies built on the in-memory tables.
 */
import { type SignUpSettings, signUpEnv } from '#shared/api/config';
import type { ConfirmationSender } from '#shared/api/consent';
import type { ReminderDependencies } from '#shared/api/reminders';
import type { Channel } from '#shared/domain/model';
import type { SuppressionRules } from '#shared/domain/suppression';
import { type DiscoverySource, EventCache } from '#shared/events/event-cache';
import type { ProviderSenders } from '#shared/window/stores';
import { readFixture } from '#test/helpers/factories';
import {
  MemoryConsents,
  MemoryDemand,
  MemoryEvents,
  MemoryLimits,
  MemoryNotifications,
  MemoryOptOuts,
  MemorySales,
} from '#test/helpers/memory-stores';

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

/**
 * The API's dependencies on in-memory tables, a fake Discovery and recorded confirmations, at a clock the
 * test moves; each piece is returned for the test to seed or inspect.
 */
export function memoryApi(time = clock()) {
  const events = new MemoryEvents();
  const sales = new MemorySales();
  const discovery = new FakeDiscovery();
  const confirmations = new FakeConfirmations();
  /** The tables the resolver reads and writes itself. */
  const tables = {
    demand: new MemoryDemand(16),
    notifications: new MemoryNotifications(),
    optOuts: new MemoryOptOuts(),
    consents: new MemoryConsents(),
    limits: new MemoryLimits(),
  };
  const cache = new EventCache({
    events: events.asRepository(),
    sales: sales.asRepository(),
    discovery,
    ttlSeconds: 3600,
    now: time.now,
  });
  const dependencies: ReminderDependencies = {
    ...tables,
    cache,
    confirmations: confirmations.asSender(),
    settings: SIGN_UP_SETTINGS,
    rules: RULES,
    now: time.now,
  };
  return { ...tables, time, events, sales, discovery, confirmations, cache, dependencies };
}
