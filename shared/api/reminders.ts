/**
 * Reminder sign-up, cancellation and status. A sign-up validates and normalizes the contact, loads the
 * event through the cache (an unknown event is fetched and its sales written to the sales table, so the
 * windows find them) and records the demand; the same input twice is one record with its first createdAt.
 * A contact that opted out earlier is accepted and reported as `optedOut: true` (the render step skips it).
 * The fan is the verified caller (identity.ts), never an argument. Each sign-up passes the limits first
 * (requests and distinct contacts per fan and day, one fan per contact and event) and answers with the
 * contact's consent: PENDING until its owner confirms (consent.ts), CONFIRMED after.
 */

import type { ConsentStatus, ConsentsRepository } from '#shared/data/consents-repository';
import type { DemandItem, DemandRepository } from '#shared/data/demand-repository';
import type { CachedEvent } from '#shared/data/events-repository';
import { type LimitsRepository, utcDay } from '#shared/data/limits-repository';
import type { NotificationFanView, NotificationsRepository } from '#shared/data/notifications-repository';
import type { OptOutsRepository } from '#shared/data/opt-outs-repository';
import { hashContact, maskContact, normalizeContact } from '#shared/domain/contacts';
import { InvalidContactError } from '#shared/domain/errors';
import { demandSortKey } from '#shared/domain/keys';
import type { Channel, Demand, Sale } from '#shared/domain/model';
import { evaluateSuppression, type SuppressionRules } from '#shared/domain/suppression';
import type { EventCache } from '#shared/events/event-cache';
import { epochSecondsAfterDays } from '#shared/time/epoch';
import {
  brandToGraphQl,
  type CancelReminderArgs,
  localeToGraphQl,
  type ReminderStatusArgs,
  type RequestReminderArgs,
} from './arguments';
import type { SignUpSettings } from './config';
import { type ConfirmationSender, ensureConsent } from './consent';
import { ApiError, InvalidContactArgumentError, LimitExceededError } from './errors';
import { loadEvent } from './event-details';

export interface ReminderDependencies {
  cache: EventCache;
  demand: Pick<DemandRepository, 'put' | 'remove' | 'contacts' | 'byFan'>;
  notifications: Pick<NotificationsRepository, 'byFan'>;
  optOuts: Pick<OptOutsRepository, 'optedOut'>;
  consents: Pick<ConsentsRepository, 'get' | 'putPending' | 'markSent' | 'confirm'>;
  limits: Pick<LimitsRepository, 'take' | 'takeDistinct' | 'claim' | 'release'>;
  confirmations: ConfirmationSender;
  settings: SignUpSettings;
  rules: SuppressionRules;
  now: () => Date;
  onSendError?: (error: unknown) => void;
}

/** The verified caller of a sign-up and a keyed hash of where the request came from. */
export interface SignUpCaller {
  fanId: string;
  originHash: string;
}

/** Epoch seconds at which a sign-up expires: `days` after the event's last sale (its end, else start). */
export function signUpExpiry(event: CachedEvent, days: number, now: Date): number {
  const last = Math.max(
    now.getTime(),
    ...event.sales.map((sale) => Date.parse(sale.endsAt ?? sale.startsAt)).filter(Number.isFinite),
  );
  return epochSecondsAfterDays(last, days);
}

/** The claim that makes a contact one fan's for an event. */
function claimKey(eventId: string, contactHash: string): string {
  return `claim#${eventId}#${contactHash}`;
}

export interface ReminderView {
  eventId: string;
  fanId: string;
  channel: Channel;
  maskedContact: string;
  locale: string | null;
  brand: string;
  createdAt: string;
  created: boolean;
  optedOut: boolean;
  consent: ConsentStatus;
  upcomingSales: number;
}

export async function requestReminder(
  { input: args }: RequestReminderArgs,
  caller: SignUpCaller,
  deps: ReminderDependencies,
): Promise<ReminderView> {
  const input = { ...args, fanId: caller.fanId };
  const settings = deps.settings;
  // Each call counts, aliases of one request one by one, before any other work.
  if (
    !(await deps.limits.take(
      `fan#${input.fanId}#requests#${utcDay(deps.now())}`,
      settings.SIGNUP_FAN_DAILY_REQUESTS,
      deps.now(),
    ))
  ) {
    throw new LimitExceededError(
      'FAN_DAILY_REQUESTS',
      `At most ${settings.SIGNUP_FAN_DAILY_REQUESTS} sign-up requests a day; try again tomorrow`,
    );
  }
  let contact: string;
  try {
    contact = normalizeContact(input.channel, input.contact);
  } catch (error: unknown) {
    if (error instanceof InvalidContactError) {
      throw new InvalidContactArgumentError(error.message, error.reason, { cause: error });
    }
    throw error;
  }
  const { event } = await loadEvent(deps.cache, input.eventId);
  const now = deps.now();
  const contactHash = hashContact(contact);

  if (
    !(await deps.limits.takeDistinct(
      `fan#${input.fanId}#contacts#${utcDay(now)}`,
      contactHash,
      settings.SIGNUP_FAN_DAILY_CONTACTS,
      now,
    ))
  ) {
    throw new LimitExceededError(
      'FAN_DAILY_CONTACTS',
      `At most ${settings.SIGNUP_FAN_DAILY_CONTACTS} different contacts a day; try again tomorrow`,
      'input.contact',
    );
  }
  const expiresAt = signUpExpiry(event, settings.SIGNUP_RETENTION_DAYS, now);
  if (!(await deps.limits.claim(claimKey(input.eventId, contactHash), input.fanId, expiresAt))) {
    throw new LimitExceededError(
      'CONTACT_EVENT_LIMIT',
      'This contact is already signed up for this event',
      'input.contact',
    );
  }

  const key = demandSortKey(input.fanId, input.channel);
  const existing = (
    await deps.demand.contacts(input.eventId, [{ fanId: input.fanId, channel: input.channel }])
  ).get(key);
  const unchanged =
    existing !== undefined &&
    existing.contact === contact &&
    existing.locale === input.locale &&
    existing.brand === input.brand &&
    existing.expiresAt === expiresAt;
  let record: Demand = existing ?? {
    eventId: input.eventId,
    fanId: input.fanId,
    channel: input.channel,
    contact,
    brand: input.brand,
    createdAt: now.toISOString(),
  };
  if (!unchanged) {
    record = {
      eventId: input.eventId,
      fanId: input.fanId,
      channel: input.channel,
      contact,
      ...(input.locale === undefined ? {} : { locale: input.locale }),
      brand: input.brand,
      // A changed contact or language refreshes the sign-up; it stays the same sign-up.
      createdAt: existing?.createdAt ?? now.toISOString(),
      expiresAt,
    };
    await deps.demand.put(record);
    if (existing && existing.contact !== contact) {
      // The old contact is free for this event again.
      await deps.limits.release(claimKey(input.eventId, hashContact(existing.contact)), input.fanId);
    }
  }
  const consent = await ensureConsent(
    {
      contact,
      contactHash,
      fanId: input.fanId,
      channel: input.channel,
      locale: input.locale ?? event.locale,
      brand: input.brand,
      originHash: caller.originHash,
    },
    deps,
  );
  const optedOut = (await deps.optOuts.optedOut([contactHash])).size > 0;
  const upcomingSales = event.sales.filter(
    (sale) => !evaluateSuppression(event, sale, deps.rules, now).suppressed,
  ).length;
  return {
    eventId: record.eventId,
    fanId: record.fanId,
    channel: record.channel,
    maskedContact: maskContact(record.contact),
    locale: record.locale ? localeToGraphQl(record.locale) : null,
    brand: brandToGraphQl(record.brand),
    createdAt: record.createdAt,
    created: existing === undefined,
    optedOut,
    consent,
    upcomingSales,
  };
}

export interface CancelReminderView {
  eventId: string;
  fanId: string;
  channel: Channel;
  cancelled: boolean;
}

export async function cancelReminder(
  { input }: CancelReminderArgs,
  fanId: string,
  deps: Pick<ReminderDependencies, 'demand' | 'limits'>,
): Promise<CancelReminderView> {
  const removed = await deps.demand.remove(input.eventId, fanId, input.channel);
  if (removed) await deps.limits.release(claimKey(input.eventId, hashContact(removed.contact)), fanId);
  return { eventId: input.eventId, fanId, channel: input.channel, cancelled: removed !== undefined };
}

export type ReminderState =
  | 'SCHEDULED'
  | 'SUPPRESSED'
  | 'NOT_SENT'
  | 'CREATED'
  | 'TRIGGERED'
  | 'QUEUED'
  | 'SENT'
  | 'DELIVERED'
  | 'FAILED';

export interface SaleReminderView {
  saleId: string;
  saleName: string | null;
  saleStartsAt: string | null;
  channel: Channel;
  state: ReminderState;
  suppressionReasons: string[];
  attempts: number;
  createdAt: string | null;
  triggeredAt: string | null;
  queuedAt: string | null;
  sentAt: string | null;
  deliveredAt: string | null;
  failedAt: string | null;
  failureReason: string | null;
}

export interface ReminderStatusView {
  eventId: string;
  fanId: string;
  signUps: Array<{
    channel: Channel;
    maskedContact: string;
    locale: string | null;
    brand: string;
    createdAt: string;
  }>;
  reminders: SaleReminderView[];
}

/** Reasons that only say the sale's time has passed: the fan was not reminded, nothing suppressed it. */
const TIMING_REASONS = new Set(['SALE_STARTED', 'SALE_ENDED']);

export async function reminderStatus(
  { eventId }: ReminderStatusArgs,
  fanId: string,
  deps: ReminderDependencies,
): Promise<ReminderStatusView> {
  const args = { eventId, fanId };
  const [signUps, records, event] = await Promise.all([
    deps.demand.byFan(args.fanId).then((items) => items.filter((item) => item.eventId === args.eventId)),
    deps.notifications
      .byFan(args.fanId)
      .then((items) => items.filter((item) => item.eventId === args.eventId)),
    // The status still answers from the notification records when the event cannot be loaded.
    loadEvent(deps.cache, args.eventId).then(
      (lookup) => lookup.event,
      (error: unknown) => {
        if (error instanceof ApiError) return undefined;
        throw error;
      },
    ),
  ]);
  const now = deps.now();
  const byKey = new Map(records.map((record) => [`${record.saleId}|${record.channel}`, record]));
  const sales = new Map<string, Sale>((event?.sales ?? []).map((sale) => [sale.saleId, sale]));
  const reminders: SaleReminderView[] = [];
  const seen = new Set<string>();

  for (const channel of new Set(signUps.map((item) => item.channel))) {
    for (const sale of sales.values()) {
      const key = `${sale.saleId}|${channel}`;
      seen.add(key);
      const record = byKey.get(key);
      if (record) {
        reminders.push(fromRecord(record, sale));
        continue;
      }
      const decision = event
        ? evaluateSuppression(event, sale, deps.rules, now)
        : { suppressed: false, reasons: [] };
      const timingOnly = decision.reasons.every((reason) => TIMING_REASONS.has(reason));
      const state: ReminderState = !decision.suppressed
        ? 'SCHEDULED'
        : timingOnly
          ? 'NOT_SENT'
          : 'SUPPRESSED';
      reminders.push({
        ...emptyTimes(),
        saleId: sale.saleId,
        saleName: sale.name,
        saleStartsAt: sale.startsAt,
        channel,
        state,
        suppressionReasons: state === 'SUPPRESSED' ? [...decision.reasons] : [],
      });
    }
  }
  for (const record of records) {
    if (!seen.has(`${record.saleId}|${record.channel}`)) {
      reminders.push(fromRecord(record, sales.get(record.saleId)));
    }
  }
  reminders.sort(
    (a, b) =>
      (a.saleStartsAt ?? '').localeCompare(b.saleStartsAt ?? '') ||
      a.saleId.localeCompare(b.saleId) ||
      a.channel.localeCompare(b.channel),
  );
  return {
    eventId: args.eventId,
    fanId: args.fanId,
    signUps: signUps.map(signUpView),
    reminders,
  };
}

function signUpView(item: DemandItem): ReminderStatusView['signUps'][number] {
  return {
    channel: item.channel,
    maskedContact: maskContact(item.contact),
    locale: item.locale ? localeToGraphQl(item.locale) : null,
    brand: brandToGraphQl(item.brand),
    createdAt: item.createdAt,
  };
}

function emptyTimes() {
  return {
    attempts: 0,
    createdAt: null,
    triggeredAt: null,
    queuedAt: null,
    sentAt: null,
    deliveredAt: null,
    failedAt: null,
    failureReason: null,
  };
}

function fromRecord(record: NotificationFanView, sale: Sale | undefined): SaleReminderView {
  return {
    saleId: record.saleId,
    saleName: sale?.name ?? null,
    saleStartsAt: sale?.startsAt ?? null,
    channel: record.channel,
    state: record.status,
    suppressionReasons: [],
    attempts: record.attempts,
    createdAt: record.createdAt,
    triggeredAt: record.triggeredAt ?? null,
    queuedAt: record.queuedAt ?? null,
    sentAt: record.sentAt ?? null,
    deliveredAt: record.deliveredAt ?? null,
    failedAt: record.failedAt ?? null,
    failureReason: record.failureReason ?? null,
  };
}
