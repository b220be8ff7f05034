/**
 * Reminder sign-up, cancellation and status. A sign-up validates and normalizes the contact, loads the
 * event through the cache (an unknown event is fetched and its sales written to the sales table, so the
 * windows find them) and records the demand; the same input twice is one record with its first createdAt.
 * A contact that opted out earlier is accepted and reported as `optedOut: true` (the render step skips it).
 */
import type { DemandItem, DemandRepository } from '#shared/data/demand-repository';
import type { NotificationRecord, NotificationsRepository } from '#shared/data/notifications-repository';
import type { OptOutsRepository } from '#shared/data/opt-outs-repository';
import { hashContact, maskContact, normalizeContact } from '#shared/domain/contacts';
import { InvalidContactError } from '#shared/domain/errors';
import { demandSortKey } from '#shared/domain/keys';
import type { Channel, Demand, Sale } from '#shared/domain/model';
import { evaluateSuppression, type SuppressionRules } from '#shared/domain/suppression';
import type { EventCache } from '#shared/events/event-cache';
import {
  brandToGraphQl,
  type CancelReminderArgs,
  localeToGraphQl,
  type ReminderStatusArgs,
  type RequestReminderArgs,
} from './arguments';
import { ApiError, InvalidContactArgumentError } from './errors';
import { loadEvent } from './event-details';

export interface ReminderDependencies {
  cache: EventCache;
  demand: Pick<DemandRepository, 'put' | 'remove' | 'contacts' | 'byFan'>;
  notifications: Pick<NotificationsRepository, 'byFan'>;
  optOuts: Pick<OptOutsRepository, 'optedOut'>;
  rules: SuppressionRules;
  now: () => Date;
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
  upcomingSales: number;
}

export async function requestReminder(
  { input }: RequestReminderArgs,
  deps: ReminderDependencies,
): Promise<ReminderView> {
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

  const key = demandSortKey(input.fanId, input.channel);
  const existing = (
    await deps.demand.contacts(input.eventId, [{ fanId: input.fanId, channel: input.channel }])
  ).get(key);
  const unchanged =
    existing !== undefined &&
    existing.contact === contact &&
    existing.locale === input.locale &&
    existing.brand === input.brand;
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
    };
    await deps.demand.put(record);
  }
  const optedOut = (await deps.optOuts.optedOut([hashContact(contact)])).size > 0;
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
  deps: Pick<ReminderDependencies, 'demand'>,
): Promise<CancelReminderView> {
  const cancelled = await deps.demand.remove(input.eventId, input.fanId, input.channel);
  return { eventId: input.eventId, fanId: input.fanId, channel: input.channel, cancelled };
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
  args: ReminderStatusArgs,
  deps: ReminderDependencies,
): Promise<ReminderStatusView> {
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

function fromRecord(record: NotificationRecord, sale: Sale | undefined): SaleReminderView {
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
