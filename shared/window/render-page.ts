/**
 * RenderPage: one page of a demand shard becomes CREATED notifications, each with its rendered message.
 * The conditional create is the dedup (REQ-007): an existing record is a duplicate, unless an earlier run
 * created it and never sent it (crash, redrive), in which case it is handed to Send again.
 * A contact whose owner has not confirmed the fan's sign-up (consent PENDING) is skipped: its record is
 * FAILED with CONSENT_PENDING. Each record keeps the keyed hash of the contact it was rendered for, so
 * Send and the status stream act on the contact that was messaged, not on whatever the sign-up holds later.
 */

import type { DemandItem } from '#shared/data/demand-repository';
import { type CachedEvent, shortUrlKey } from '#shared/data/events-repository';
import type { NotificationRecord, RenderedMessage } from '#shared/data/notifications-repository';
import { hashContact, normalizeContact } from '#shared/domain/contacts';
import { InvalidContactError } from '#shared/domain/errors';
import { notificationKey } from '#shared/domain/keys';
import { type Locale, STATUS_RANK } from '#shared/domain/model';
import { RetryableError } from '#shared/lambda/errors';
import { mapConcurrent } from '#shared/lambda/pacing';
import { renderEmail } from '#shared/messages/email';
import { pickLocale } from '#shared/messages/format';
import { renderSms } from '#shared/messages/sms';
import type { Clock } from '#shared/time/clock';
import { MIN_SENDER_MPS } from './deadline-plan';
import type { PageLoopState } from './state';
import type { ConsentStore, DemandStore, EventStore, NotificationStore, OptOutStore } from './stores';
import { type RenderOutcome, tallyRender } from './tally';

export interface RenderDeps {
  demand: Pick<DemandStore, 'page'> & Partial<Pick<DemandStore, 'countShard'>>;
  notifications: Pick<NotificationStore, 'createIfAbsent'>;
  optOuts: Pick<OptOutStore, 'optedOut'>;
  consents: Pick<ConsentStore, 'confirmed'>;
  events: Pick<EventStore, 'get'>;
  pageSize: number;
  /** Demand shards per event: with this many senders a sale runs every shard at once. */
  shardCount?: number;
  clock: Clock;
  optOutText?: Partial<Record<'en' | 'fr', string>>;
  /** How long notification records are kept after the sale starts. */
  retentionSeconds?: number;
}

const WRITE_CONCURRENCY = 16;

/**
 * How many fans this page holds: what its Send hands over within the page contract's time (PAGE_SIZE
 * at MIN_SENDER_MPS). When the sale runs every shard at once and the shard needs more than one page, the
 * first pages differ in size (shard k of n gets (k+1)/n of a page), so the shards' later pages are
 * rendered at different times, each while the other shards keep sending, instead of all at once.
 */
function pageLimit(
  state: PageLoopState,
  pace: { shardMps: number; size?: number },
  deps: RenderDeps,
): number {
  const limit = Math.max(
    1,
    Math.min(deps.pageSize, Math.floor((pace.shardMps * deps.pageSize) / MIN_SENDER_MPS)),
  );
  const shards = deps.shardCount;
  // A shard that fits one page is rendered whole before it sends: nothing to spread.
  if (state.page > 0 || shards === undefined || pace.size === undefined || pace.size <= limit) return limit;
  return Math.max(1, Math.ceil((limit * ((state.shard % shards) + 1)) / shards));
}

/**
 * The pace of this shard's sender. When the sale runs every shard at once, the sale's pace
 * (`senders × iterationMps`) is shared by the shards' sizes, so all of them finish together; otherwise
 * (a small sale, fewer senders than shards) each shard gets the iteration's pace.
 */
async function shardPace(
  state: PageLoopState,
  deps: RenderDeps,
): Promise<{ shardMps: number; size?: number }> {
  const { senders, saleMessages } = state;
  if (
    deps.shardCount === undefined ||
    !deps.demand.countShard ||
    senders === undefined ||
    senders < deps.shardCount ||
    !saleMessages
  ) {
    return { shardMps: state.iterationMps };
  }
  const size = await deps.demand.countShard(state.eventId, state.shard);
  const pace = (state.iterationMps * senders * size) / saleMessages;
  return { shardMps: pace > 0 ? pace : state.iterationMps, size };
}

export async function renderPage(state: PageLoopState, deps: RenderDeps): Promise<PageLoopState> {
  const event = await deps.events.get(state.eventId);
  if (!event) throw new RetryableError(`event ${state.eventId} is not in the cache`);
  const sale = event.sales.find((candidate) => candidate.saleId === state.saleId);
  if (!sale) throw new RetryableError(`sale ${state.saleId} is not on event ${state.eventId}`);

  const pace = state.shardMps === undefined ? await shardPace(state, deps) : { shardMps: state.shardMps };
  const { shardMps } = pace;
  const limit = pageLimit(state, pace, deps);
  const page = await deps.demand.page(state.eventId, state.shard, limit, state.cursor ?? undefined);
  const now = deps.clock.now().toISOString();
  const expiresAt = Math.floor(Date.parse(sale.startsAt) / 1000) + (deps.retentionSeconds ?? 90 * 24 * 3600);

  const contacts = page.items.map((fan) => normalizedContact(fan));
  const hashes = contacts.map((contact) => (contact === undefined ? undefined : hashContact(contact)));
  const known = hashes.filter((hash): hash is string => hash !== undefined);
  const [optedOut, confirmed] = await Promise.all([
    deps.optOuts.optedOut(known),
    deps.consents.confirmed(
      page.items.flatMap((fan, index) => {
        const contactHash = hashes[index];
        return contactHash === undefined ? [] : [{ contactHash, fanId: fan.fanId }];
      }),
    ),
  ]);
  const messages = new Map<string, RenderedMessage | undefined>();
  const messageFor = (fan: DemandItem): RenderedMessage | undefined => {
    const locale = pickLocale(fan.locale, event.locale);
    const cacheKey = `${fan.channel}|${locale}|${fan.brand}`;
    if (!messages.has(cacheKey)) messages.set(cacheKey, render(event, sale, fan, locale, deps.optOutText));
    return messages.get(cacheKey);
  };

  const outcomes = await mapConcurrent(
    page.items,
    WRITE_CONCURRENCY,
    async (fan, index): Promise<RenderOutcome> => {
      const contact = contacts[index];
      const contactHash = hashes[index];
      const base = {
        pk: notificationKey(state.saleId, fan.fanId, fan.channel),
        saleId: state.saleId,
        eventId: state.eventId,
        fanId: fan.fanId,
        channel: fan.channel,
        shard: state.shard,
        attempts: 0,
        locale: pickLocale(fan.locale, event.locale),
        brand: fan.brand,
        createdAt: now,
        updatedAt: now,
        executionName: state.executionName,
        expiresAt,
        ...(contactHash === undefined ? {} : { contactHash }),
      };
      const skipped =
        contact === undefined || contactHash === undefined
          ? 'INVALID_CONTACT'
          : optedOut.has(contactHash)
            ? 'OPTED_OUT'
            : confirmed.has(`${contactHash}|${fan.fanId}`)
              ? undefined
              : 'CONSENT_PENDING';
      if (skipped !== undefined) {
        const reason = skipped;
        const created = await deps.notifications.createIfAbsent({
          ...base,
          status: 'FAILED',
          statusRank: STATUS_RANK.FAILED,
          failureReason: reason,
          failedAt: now,
        });
        if (created.kind === 'exists') return { kind: 'duplicate' };
        return reason === 'INVALID_CONTACT'
          ? { kind: 'invalid' }
          : reason === 'OPTED_OUT'
            ? { kind: 'optedOut' }
            : { kind: 'consentPending' };
      }
      const message = messageFor(fan);
      if (message === undefined) {
        // No SMS without its short link (REQ-006): recorded as failed, never sent without it.
        const created = await deps.notifications.createIfAbsent({
          ...base,
          status: 'FAILED',
          statusRank: STATUS_RANK.FAILED,
          failureReason: 'NO_SHORT_LINK',
          failedAt: now,
        });
        return created.kind === 'exists' ? { kind: 'duplicate' } : { kind: 'noLink' };
      }
      const record: NotificationRecord = {
        ...base,
        status: 'CREATED',
        statusRank: STATUS_RANK.CREATED,
        message,
      };
      const outcome = await deps.notifications.createIfAbsent(record);
      if (outcome.kind === 'created') return { kind: 'send', sk: fan.sk, resumed: false };
      const existing = outcome.existing;
      const unsent =
        existing.status === 'CREATED' || (existing.status === 'TRIGGERED' && existing.retryPending === true);
      return unsent ? { kind: 'send', sk: fan.sk, resumed: true } : { kind: 'duplicate' };
    },
  );

  const send = outcomes.flatMap((outcome) => (outcome.kind === 'send' ? [outcome.sk] : []));
  return {
    ...state,
    shardMps,
    page: state.page + 1,
    cursor: page.cursor ?? null,
    send,
    round: 0,
    retryCount: 0,
    ambiguousRetry: false,
    backoffSeconds: 0,
    totals: outcomes.reduce(tallyRender, state.totals),
  };
}

function normalizedContact(fan: DemandItem): string | undefined {
  try {
    return normalizeContact(fan.channel, fan.contact);
  } catch (error: unknown) {
    if (error instanceof InvalidContactError) return undefined;
    throw error;
  }
}

function render(
  event: CachedEvent,
  sale: CachedEvent['sales'][number],
  fan: DemandItem,
  locale: Locale,
  optOutText: RenderDeps['optOutText'],
): RenderedMessage | undefined {
  const shortUrl = event.shortUrls?.[shortUrlKey(locale, fan.brand, fan.channel)];
  // Shorten made the links of the sign-ups it saw; a later sign-up's combination may have none.
  if (fan.channel === 'SMS' && shortUrl === undefined) return undefined;
  if (fan.channel === 'EMAIL') {
    const email = renderEmail({ event, sale, locale, brand: fan.brand, shortUrl });
    return { template: email.template, variables: { ...email.variables } };
  }
  const override = locale === 'fr-ca' ? optOutText?.fr : optOutText?.en;
  const sms = renderSms({
    event,
    sale,
    locale,
    brand: fan.brand,
    shortUrl,
    ...(override !== undefined ? { optOutText: override } : {}),
  });
  return { text: sms.text, encoding: sms.encoding, segments: sms.segments };
}
