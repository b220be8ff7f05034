/**
 * Consent at sign-up: a contact receives reminders for a fan's sign-ups only once its owner confirmed.
 * The first sign-up of a contact by a fan records a PENDING consent and sends one confirmation (SMS:
 * "Reply YES…", email: a link); later sign-ups of the same pair answer from the record. Confirmation
 * messages are limited per contact and day (all fans together) and per contact, fan and day, so sign-ups
 * cannot be used to flood a number. A failed send leaves the consent PENDING (logged, never the contact).
 */
import type { ConsentRecord, ConsentStatus, ConsentsRepository } from '#shared/data/consents-repository';
import type { LimitsRepository } from '#shared/data/limits-repository';
import { utcDay } from '#shared/data/limits-repository';
import {
  CONSENT_TEXT_VERSION,
  type ConfirmationEmail,
  confirmationEmail,
  confirmationSms,
  createConsentToken,
  parseConsentToken,
  tokenMatches,
} from '#shared/domain/consent';
import type { Brand, Channel, Locale } from '#shared/domain/model';
import { epochSecondsAfterDays } from '#shared/time/epoch';
import type { SignUpSettings } from './config';
import { ApiError } from './errors';

/** Sends confirmation messages (the API's SMS and email clients). */
export interface ConfirmationSender {
  sms(to: string, body: string): Promise<void>;
  email(to: string, message: ConfirmationEmail): Promise<void>;
}

export interface ConsentDependencies {
  consents: Pick<ConsentsRepository, 'get' | 'putPending' | 'markSent' | 'confirm'>;
  limits: Pick<LimitsRepository, 'take'>;
  confirmations: ConfirmationSender;
  settings: Pick<
    SignUpSettings,
    'CONSENT_CONTACT_DAILY_MESSAGES' | 'CONSENT_PENDING_DAYS' | 'CONSENT_CONFIRM_URL'
  >;
  now: () => Date;
  onSendError?: (error: unknown) => void;
}

export interface ConsentRequest {
  contact: string;
  contactHash: string;
  fanId: string;
  channel: Channel;
  locale: Locale;
  brand: Brand;
  originHash: string;
}

const HOUR_MS = 3600 * 1000;

/** The consent of the pair after this sign-up; sends the confirmation when one is due. */
export async function ensureConsent(
  request: ConsentRequest,
  deps: ConsentDependencies,
): Promise<ConsentStatus> {
  const current = await deps.consents.get(request.contactHash, request.fanId);
  if (current?.status === 'CONFIRMED') return 'CONFIRMED';
  const now = deps.now();
  // One confirmation a day per pair: a repeated sign-up does not text the number again.
  const sentAt = current?.confirmationSentAt ? Date.parse(current.confirmationSentAt) : Number.NaN;
  if (current && now.getTime() - sentAt < 24 * HOUR_MS) return 'PENDING';

  const token =
    request.channel === 'EMAIL' ? createConsentToken(request.contactHash, request.fanId) : undefined;
  const record: ConsentRecord = {
    contactHash: request.contactHash,
    fanId: request.fanId,
    channel: request.channel,
    status: 'PENDING',
    textVersion: CONSENT_TEXT_VERSION,
    locale: request.locale,
    requestedAt: current?.requestedAt ?? now.toISOString(),
    originHash: request.originHash,
    ...(token ? { tokenHash: token.tokenHash } : {}),
    expiresAt: epochSecondsAfterDays(now.getTime(), deps.settings.CONSENT_PENDING_DAYS),
  };
  // Confirmed meanwhile (a YES arrived between the read and this write): nothing to send.
  if (!(await deps.consents.putPending(record))) return 'CONFIRMED';

  const day = utcDay(now);
  const pairAllowed = await deps.limits.take(
    `consent#${request.contactHash}#${request.fanId}#${day}`,
    1,
    now,
  );
  if (!pairAllowed) return 'PENDING';
  const contactAllowed = await deps.limits.take(
    `consent#${request.contactHash}#${day}`,
    deps.settings.CONSENT_CONTACT_DAILY_MESSAGES,
    now,
  );
  if (!contactAllowed) return 'PENDING';
  try {
    if (request.channel === 'SMS') {
      await deps.confirmations.sms(request.contact, confirmationSms(request.locale, request.brand));
    } else {
      const link = new URL(deps.settings.CONSENT_CONFIRM_URL);
      link.searchParams.set('token', token?.token ?? '');
      await deps.confirmations.email(
        request.contact,
        confirmationEmail(request.locale, request.brand, link.toString()),
      );
    }
    await deps.consents.markSent(request.contactHash, request.fanId, deps.now().toISOString());
  } catch (error: unknown) {
    deps.onSendError?.(error);
  }
  return 'PENDING';
}

export interface ConfirmContactView {
  channel: Channel;
  consent: ConsentStatus;
}

/** The email link: confirms the consent the token names, once; a wrong or used token is refused. */
export async function confirmContact(
  token: string,
  deps: Pick<ConsentDependencies, 'consents' | 'now'>,
): Promise<ConfirmContactView> {
  const parsed = parseConsentToken(token);
  const invalid = () =>
    new ApiError('InvalidArgument', 'The confirmation link is not valid or has expired', {
      field: 'token',
      reason: 'INVALID_TOKEN',
    });
  if (!parsed) throw invalid();
  const record = await deps.consents.get(parsed.contactHash, parsed.fanId);
  if (!record) throw invalid();
  if (record.status === 'CONFIRMED') return { channel: record.channel, consent: 'CONFIRMED' };
  if (!tokenMatches(parsed.secret, record.tokenHash)) throw invalid();
  await deps.consents.confirm(parsed.contactHash, parsed.fanId, 'email-link', deps.now().toISOString());
  return { channel: record.channel, consent: 'CONFIRMED' };
}
