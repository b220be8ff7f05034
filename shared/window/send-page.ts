/**
 * SendPage: each fan of the page takes the TRIGGERED lease (a conditional update: at most one send per
 * notification, also when two runs of a window overlap), is handed to the provider at the iteration's
 * pace, and ends QUEUED, retry-pending (retryable error, attempts left) or FAILED. Retries are returned
 * to the state machine, which waits (backoff) and calls Send again with only those fans.
 * Right before each provider call the contact is checked again: the sign-up's contact must still be the
 * one the message was rendered for (else CONTACT_CHANGED) and must not have opted out since (OPTED_OUT;
 * read for about a second of the page's fans at once, never older than OPT_OUT_FRESH_MS: opt-out-check.ts).
 *
 * Nothing is handed over once the sale has started: such fans end FAILED with SALE_STARTED, without
 * waiting for their turn, and an SMS carries a validity period that ends at the sale's start, so the
 * provider drops what it could not send before then.
 */
import { isProviderError, ProviderConfigurationError, type ProviderError } from '#shared/clients/errors';
import { MAX_VALIDITY_PERIOD_SECONDS } from '#shared/clients/sms-client';
import type { NotificationError, NotificationRecord } from '#shared/data/notifications-repository';
import { hashContact, normalizeContact } from '#shared/domain/contacts';
import { demandSortKey, notificationKey } from '#shared/domain/keys';
import { CHANNELS, type Channel, MAX_SEND_ATTEMPTS } from '#shared/domain/model';
import { classifyProviderError } from '#shared/domain/provider-errors';
import { paced } from '#shared/lambda/pacing';
import type { Clock } from '#shared/time/clock';
import { ON_TIME_MARGIN_SECONDS } from './deadline-plan';
import { OptOutCheck } from './opt-out-check';
import { SALE_CHANGED, type SaleChange, saleChangeSincePlanning } from './sale-change';
import { addTotals, type PageLoopState } from './state';
import type { DemandStore, EventStore, NotificationStore, OptOutStore, ProviderSenders } from './stores';
import { type SendOutcome, tallySend } from './tally';

export interface SendDeps {
  demand: Pick<DemandStore, 'contacts'>;
  notifications: Pick<
    NotificationStore,
    'lease' | 'markQueued' | 'markRetryPending' | 'markFailed' | 'releaseLease'
  > &
    Partial<Pick<NotificationStore, 'stopUnsent'>>;
  /**
   * The stored events: with them (and `notifications.stopUnsent`), each page first checks the sale
   * against the plan and stops it when it changed (SALE_CHANGED).
   */
  events?: Pick<EventStore, 'get'>;
  optOuts: Pick<OptOutStore, 'add' | 'optedOut'>;
  senders: ProviderSenders;
  clock: Clock;
  /** In-flight provider calls at most (each waits up to the send time-out). */
  maxInFlight?: number;
  sleep?: (ms: number) => Promise<void>;
  /** The signed unsubscribe link of an email recipient (List-Unsubscribe, RFC 8058); none when absent. */
  unsubscribeLink?: (contact: string) => string;
}

/** Backoff before retry round `round` (1, 2): 2 s, 4 s... with a ceiling, in whole seconds for Wait. */
export function backoffSeconds(round: number): number {
  return Math.min(60, 2 ** round);
}

/**
 * After an ambiguous failure (time-out, connection lost after the request went out) the provider may have
 * the message. The retry round waits long enough for its status callback: a confirmed hand-off moves the
 * record to QUEUED (status stream), and the lease then refuses to send it again.
 */
export const AMBIGUOUS_RETRY_DELAY_SECONDS = 30;

export function splitSortKey(sk: string): { fanId: string; channel: Channel } {
  const at = sk.lastIndexOf('#');
  const channel = sk.slice(at + 1);
  if (at <= 0 || !(CHANNELS as readonly string[]).includes(channel)) {
    throw new Error(`malformed demand sort key at position ${at}`);
  }
  return { fanId: sk.slice(0, at), channel: channel as Channel };
}

/** Reason of a reminder not handed over because its sale had started. */
export const SALE_STARTED = 'SALE_STARTED';

/** Whole seconds from `now` until the sale starts, as a provider validity period; 0 once it started. */
export function secondsUntilStart(startsAt: string | undefined, now: Date): number | undefined {
  if (startsAt === undefined) return undefined;
  const left = Math.floor((Date.parse(startsAt) - now.getTime()) / 1000);
  return Math.max(0, Math.min(left, MAX_VALIDITY_PERIOD_SECONDS));
}

/** Handed over at least ON_TIME_MARGIN_SECONDS before the sale's start (or no start known). */
export function isOnTime(at: Date, startsAt: string | undefined): boolean {
  return startsAt === undefined || at.getTime() <= Date.parse(startsAt) - ON_TIME_MARGIN_SECONDS * 1000;
}

export async function sendPage(state: PageLoopState, deps: SendDeps): Promise<PageLoopState> {
  if (deps.events && deps.notifications.stopUnsent && state.startsAt && state.send.length > 0) {
    const event = await deps.events.get(state.eventId);
    const change = saleChangeSincePlanning(event, state.saleId, state.startsAt);
    if (change) return stopSale(state, change, deps.notifications.stopUnsent.bind(deps.notifications), deps);
  }
  const fans = state.send.map(splitSortKey);
  const contacts = await deps.demand.contacts(state.eventId, fans);
  // The first configuration error (credentials refused...) stops the page: no other fan is leased.
  let misconfigured: ProviderConfigurationError | undefined;
  // The shard's turns continue from its earlier pages: the time spent rendering between pages is made up.
  // The first page waits for the run's first hand-over (sendFrom), so the run's sales start together, and
  // each shard's turns are offset by a fraction of its interval, so the shards' first turns do not all
  // fall on the same instant (a burst the provider's one-second bucket would refuse).
  const perSecond = state.shardMps ?? state.iterationMps;
  const now = deps.clock.now().getTime();
  const sendFrom = state.sendFrom === undefined ? now : Date.parse(state.sendFrom);
  const schedule = {
    from: state.paceFrom ?? Math.max(now, sendFrom) + shardPhase(state.shard) * (1000 / perSecond),
    turns: state.turns,
  };
  const optOutCheck = new OptOutCheck(
    fans.map((fan) => {
      const contact = contacts.get(demandSortKey(fan.fanId, fan.channel))?.contact;
      return contact === undefined ? undefined : currentHash(fan.channel, contact);
    }),
    perSecond,
    deps.optOuts,
    () => deps.clock.now().getTime(),
  );

  const outcomes = await paced(
    fans,
    {
      perSecond,
      schedule,
      maxInFlight: deps.maxInFlight ?? 16,
      ...(deps.sleep ? { sleep: deps.sleep } : {}),
      now: () => deps.clock.now().getTime(),
      ...(state.startsAt !== undefined ? { stopWaitingAt: Date.parse(state.startsAt) } : {}),
    },
    async (fan, index): Promise<SendOutcome> => {
      const pk = notificationKey(state.saleId, fan.fanId, fan.channel);
      if (misconfigured) return { kind: 'notLeased' };
      const record = await deps.notifications.lease(pk, deps.clock.now().toISOString());
      if (!record) return { kind: 'notLeased' };
      const validity = secondsUntilStart(state.startsAt, deps.clock.now());
      if (validity === 0) {
        await deps.notifications.markFailed(pk, SALE_STARTED, undefined, deps.clock.now().toISOString());
        return { kind: 'failed', reason: SALE_STARTED };
      }
      const contact = contacts.get(demandSortKey(fan.fanId, fan.channel))?.contact;
      if (!contact) {
        // The fan cancelled the reminder between render and send.
        await deps.notifications.markFailed(
          pk,
          'REMINDER_CANCELLED',
          undefined,
          deps.clock.now().toISOString(),
        );
        return { kind: 'failed', reason: 'REMINDER_CANCELLED' };
      }
      const blocked = await contactBlocked(record, contact, (hash) => optOutCheck.optedOut(index, hash));
      if (blocked) {
        await deps.notifications.markFailed(pk, blocked, undefined, deps.clock.now().toISOString());
        return { kind: 'failed', reason: blocked };
      }
      try {
        // After an ambiguous failure the provider may hold the message already: ask before sending again.
        const taken = await alreadyTaken(record, contact, deps.senders);
        if (taken) {
          await deps.notifications.markQueued(pk, taken.messageId, deps.clock.now().toISOString());
          return { kind: 'queued' };
        }
        const { messageId } = await deliver(record, contact, deps, validity);
        const at = deps.clock.now();
        await deps.notifications.markQueued(pk, messageId, at.toISOString());
        return { kind: 'queued', at: at.toISOString(), onTime: isOnTime(at, state.startsAt) };
      } catch (error: unknown) {
        if (!isProviderError(error)) throw error;
        const outcome = await settleFailure(record, contact, error, deps);
        if (outcome.kind === 'configuration') {
          misconfigured ??= new ProviderConfigurationError(error, outcome.reason);
          return { kind: 'notLeased' };
        }
        return outcome;
      }
    },
  );
  if (misconfigured) throw misconfigured;

  const retry = outcomes.flatMap((outcome) => (outcome.kind === 'retry' ? [outcome.sk] : []));
  const ambiguous = outcomes.some((outcome) => outcome.kind === 'retry' && outcome.ambiguous);
  const round = retry.length > 0 ? state.round + 1 : 0;
  return {
    ...state,
    ...(fans.length > 0 ? { paceFrom: schedule.from, turns: schedule.turns } : {}),
    send: retry,
    round,
    retryCount: retry.length,
    ambiguousRetry: ambiguous,
    backoffSeconds:
      retry.length === 0 ? 0 : Math.max(backoffSeconds(round), ambiguous ? AMBIGUOUS_RETRY_DELAY_SECONDS : 0),
    totals: outcomes.reduce(tallySend, state.totals),
  };
}

/** A shard's offset within its interval, in [0, 1): spread evenly whatever the number of shards. */
export function shardPhase(shard: number): number {
  return (shard * 0.6180339887498949) % 1;
}

/**
 * Why the message may not go to `contact` now: the sign-up's contact changed since render (its hash is
 * not the rendered one), or the contact opted out since (a STOP between render and send).
 */
async function contactBlocked(
  record: NotificationRecord,
  contact: string,
  optedOut: (hash: string) => Promise<boolean>,
): Promise<'CONTACT_CHANGED' | 'OPTED_OUT' | undefined> {
  const current = currentHash(record.channel, contact);
  if (record.contactHash !== undefined && record.contactHash !== current) return 'CONTACT_CHANGED';
  return (await optedOut(record.contactHash ?? current)) ? 'OPTED_OUT' : undefined;
}

/** The keyed hash of the sign-up's contact as it is now. */
function currentHash(channel: Channel, contact: string): string {
  return hashContact(normalizedOrRaw(channel, contact));
}

function normalizedOrRaw(channel: Channel, contact: string): string {
  try {
    return normalizeContact(channel, contact);
  } catch {
    return contact;
  }
}

async function alreadyTaken(
  record: NotificationRecord,
  contact: string,
  senders: ProviderSenders,
): Promise<{ messageId: string } | undefined> {
  if (record.attempts < 2 || !record.lastError?.ambiguous || record.channel !== 'SMS') return undefined;
  if (!senders.findSms || !record.message?.text) return undefined;
  return senders.findSms({ to: contact, body: record.message.text, since: record.createdAt });
}

async function deliver(
  record: NotificationRecord,
  contact: string,
  deps: Pick<SendDeps, 'senders' | 'unsubscribeLink'>,
  validityPeriodSeconds: number | undefined,
): Promise<{ messageId: string }> {
  const { senders } = deps;
  if (record.channel === 'EMAIL') {
    if (!record.message?.template) throw new Error(`notification ${record.pk} has no email template`);
    const unsubscribeUrl = deps.unsubscribeLink?.(contact);
    return senders.email({
      to: contact,
      templateName: record.message.template,
      templateData: record.message.variables ?? {},
      notificationKey: record.pk,
      ...(unsubscribeUrl !== undefined ? { unsubscribeUrl } : {}),
    });
  }
  if (!record.message?.text) throw new Error(`notification ${record.pk} has no SMS text`);
  return senders.sms({
    to: contact,
    body: record.message.text,
    notificationKey: record.pk,
    ...(validityPeriodSeconds !== undefined ? { validityPeriodSeconds } : {}),
  });
}

async function settleFailure(
  record: NotificationRecord,
  contact: string,
  error: ProviderError,
  deps: SendDeps,
): Promise<SendOutcome | { kind: 'configuration'; reason: string }> {
  const now = deps.clock.now().toISOString();
  const failure = classifyProviderError({
    ...(error.httpStatus !== undefined ? { httpStatus: error.httpStatus } : {}),
    ...(error.code !== undefined ? { code: error.code } : {}),
    ...(error.timedOut ? { timedOut: true } : {}),
    // No HTTP answer at all (connection refused, reset, dropped): a transport failure, retryable.
    ...(error.httpStatus === undefined && !error.timedOut ? { networkError: true } : {}),
  });
  const lastError: NotificationError = {
    code: String(error.code ?? error.httpStatus ?? error.name),
    reason: failure.reason,
    retryable: failure.kind === 'retryable',
    ...(error.ambiguous ? { ambiguous: true } : {}),
  };
  if (failure.kind === 'configuration') {
    // The provider refused our credentials or settings, not this fan: leave the record resendable and
    // give back the attempt (the message was never taken).
    await deps.notifications.releaseLease(record.pk, lastError, now);
    return { kind: 'configuration', reason: failure.reason };
  }
  if (failure.kind === 'retryable' && record.attempts < MAX_SEND_ATTEMPTS) {
    await deps.notifications.markRetryPending(record.pk, lastError, now);
    return { kind: 'retry', sk: demandSortKey(record.fanId, record.channel), ambiguous: error.ambiguous };
  }
  const reason = failure.kind === 'retryable' ? 'RETRIES_EXHAUSTED' : failure.reason;
  await deps.notifications.markFailed(record.pk, reason, lastError, now);
  if (failure.optOut) {
    await deps.optOuts.add({
      // The contact that was messaged (rendered), not whatever the sign-up holds by now.
      contactHash: record.contactHash ?? hashContact(contact),
      reason: failure.reason,
      source: 'provider-error',
      createdAt: now,
    });
  }
  return { kind: 'failed', reason };
}

/**
 * The sale changed since the window planned it (moved, removed, event cancelled or postponed): nothing of
 * it is handed over any more. The page's fans end FAILED with SALE_CHANGED, except that a moved sale's
 * unsent records are released (deleted), so the window of its new time reminds them with the new time.
 * The shard ends here (no next page).
 */
async function stopSale(
  state: PageLoopState,
  change: SaleChange,
  stopUnsent: NotificationStore['stopUnsent'],
  deps: SendDeps,
): Promise<PageLoopState> {
  const now = deps.clock.now().toISOString();
  const release = change === 'SALE_MOVED';
  let stopped = 0;
  for (const fan of state.send.map(splitSortKey)) {
    const pk = notificationKey(state.saleId, fan.fanId, fan.channel);
    const outcome = await stopUnsent(pk, SALE_CHANGED, now, release);
    if (outcome !== 'untouched') stopped += 1;
  }
  return {
    ...state,
    cursor: null,
    send: [],
    round: 0,
    retryCount: 0,
    ambiguousRetry: false,
    backoffSeconds: 0,
    totals: addTotals(state.totals, { failed: stopped, failedByReason: { [SALE_CHANGED]: stopped } }),
  };
}
