/**
 * SMS client speaking the Twilio Messages API:
 * POST {base}/2010-04-01/Accounts/{AccountSid}/Messages.json, form-encoded, HTTP Basic auth.
 *
 * No retries here by default: a send is not idempotent on the provider's side, and the pipeline's
 * attempt counter (REQ-004) decides whether to try again. Errors carry Twilio's numeric code.
 */
import {
  ProviderMalformedResponseError,
  ProviderRateLimitedError,
  ProviderRejectedError,
  ProviderUnavailableError,
} from './errors';
import { type HttpResponse, httpRequest, retryAfterMs, withRetries } from './http';

export const SMS_DEFAULT_BASE_URL = 'https://api.twilio.com';

/** Twilio codes that mean "never send to this number again" (the number goes to the opt-out table). */
export const TWILIO_OPT_OUT_CODES: ReadonlySet<number> = new Set([21211, 21610, 21614, 30005, 30006]);
/** Twilio codes that fail a notification at once (no retry). */
export const TWILIO_PERMANENT_CODES: ReadonlySet<number> = new Set([
  21211, 21408, 21610, 21612, 21614, 30003, 30004, 30005, 30006, 30007,
]);
/** Twilio codes worth another attempt. */
export const TWILIO_RETRYABLE_CODES: ReadonlySet<number> = new Set([20429, 20500, 20503, 30001, 30008]);

export interface SmsClientOptions {
  /** https://api.twilio.com (the client adds /2010-04-01/...). */
  baseUrl: string;
  accountSid: string;
  authToken: string;
  /** Sender: a Messaging Service (preferred) or a From number. */
  messagingServiceSid?: string;
  from?: string;
  /** Default StatusCallback URL (the status webhook); the notification key is appended as ?key=. */
  statusCallbackUrl?: string;
  /** Default 30 s (PERF-003). */
  timeoutMs?: number;
  /** Default 0: see the module comment. */
  maxRetries?: number;
  retryBaseDelayMs?: number;
}

export interface SmsSendInput {
  /** E.164. Never logged, never in an error message. */
  to: string;
  body: string;
  /** Our notification key: appended to the StatusCallback URL as ?key=... */
  notificationKey?: string;
  /** Overrides the client's statusCallbackUrl. */
  statusCallback?: string;
  /**
   * Twilio `ValidityPeriod`: seconds the message may wait in Twilio's queue before it is dropped
   * (status failed, error 30036). Whole seconds, 1 to 36,000 (error 21624 otherwise):
   * https://www.twilio.com/docs/messaging/api/message-resource, https://www.twilio.com/docs/api/errors/21624
   */
  validityPeriodSeconds?: number;
}

export const MAX_VALIDITY_PERIOD_SECONDS = 36_000;

export interface SmsSendResult {
  /** Twilio message SID, 'SM' + 32 hex. */
  sid: string;
  /** 'queued' or 'accepted' on a fresh send. */
  status: string;
}

/** Adds (or replaces) ?key=<notificationKey> on a callback URL. */
export function withNotificationKey(callbackUrl: string, notificationKey: string): string {
  const url = new URL(callbackUrl);
  url.searchParams.set('key', notificationKey);
  return url.toString();
}

/** The notification key of a callback URL built by withNotificationKey, if any. */
export function notificationKeyFromUrl(callbackUrl: string): string | undefined {
  try {
    return new URL(callbackUrl).searchParams.get('key') ?? undefined;
  } catch {
    return undefined;
  }
}

function twilioCode(body: unknown): number | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const code = (body as { code?: unknown }).code;
  if (typeof code === 'number') return code;
  if (typeof code === 'string' && /^\d+$/.test(code)) return Number(code);
  return undefined;
}

export class SmsClient {
  private readonly messagesUrl: string;
  private readonly authorization: string;
  private readonly opts: SmsClientOptions;
  private readonly timeoutMs: number;

  constructor(opts: SmsClientOptions) {
    if (!opts.messagingServiceSid && !opts.from) {
      throw new TypeError('SmsClient needs messagingServiceSid or from');
    }
    this.opts = opts;
    const base = opts.baseUrl.replace(/\/+$/, '');
    this.messagesUrl = `${base}/2010-04-01/Accounts/${encodeURIComponent(opts.accountSid)}/Messages.json`;
    this.authorization = `Basic ${Buffer.from(`${opts.accountSid}:${opts.authToken}`).toString('base64')}`;
    this.timeoutMs = opts.timeoutMs ?? 30_000;
  }

  /** A message to `to` with exactly `body`, created since `since`, if the provider has one. */
  findSent(input: FindSentInput): Promise<SentMessage | undefined> {
    return findSentMessage(
      { messagesUrl: this.messagesUrl, authorization: this.authorization, timeoutMs: this.timeoutMs },
      input,
    );
  }

  send(input: SmsSendInput): Promise<SmsSendResult> {
    const form = new URLSearchParams({ To: input.to, Body: input.body });
    if (this.opts.messagingServiceSid) form.set('MessagingServiceSid', this.opts.messagingServiceSid);
    else if (this.opts.from) form.set('From', this.opts.from);
    const callback = input.statusCallback ?? this.opts.statusCallbackUrl;
    if (callback) {
      form.set(
        'StatusCallback',
        input.notificationKey === undefined ? callback : withNotificationKey(callback, input.notificationKey),
      );
    }
    if (input.validityPeriodSeconds !== undefined) {
      const seconds = Math.floor(input.validityPeriodSeconds);
      if (seconds < 1 || seconds > MAX_VALIDITY_PERIOD_SECONDS) {
        throw new RangeError(`validity period must be 1 to ${MAX_VALIDITY_PERIOD_SECONDS} s, got ${seconds}`);
      }
      form.set('ValidityPeriod', String(seconds));
    }
    const body = form.toString();
    return withRetries(
      async () => {
        const res = await httpRequest({
          provider: 'sms',
          operation: 'send',
          method: 'POST',
          url: this.messagesUrl,
          headers: {
            authorization: this.authorization,
            'content-type': 'application/x-www-form-urlencoded',
            accept: 'application/json',
          },
          body,
          timeoutMs: this.timeoutMs,
        });
        return interpret(res);
      },
      {
        maxRetries: this.opts.maxRetries ?? 0,
        baseDelayMs: this.opts.retryBaseDelayMs ?? 500,
        maxDelayMs: 5_000,
      },
    );
  }
}

/** A message found at the provider by `findSent`. */
export interface SentMessage {
  sid: string;
  status: string;
}

export interface FindSentInput {
  /** E.164. Never logged, never in an error message. */
  to: string;
  body: string;
  /** The earliest moment the message may have been created (the first attempt's hand-off). */
  since: string;
}

/** Pages of the recipient's message list read at most by `findSent` (50 messages each). */
export const FIND_SENT_MAX_PAGES = 4;

/**
 * Looks up a message the provider may have taken although we got no answer (time-out, dropped
 * connection): the recipient's message list, most recent first, matched on the exact body and a creation
 * time not before `since`. No DateSent filter: Twilio filters on date_sent, which it sets only once the
 * message is sent, so a message still queued would be missed and sent again
 * (https://www.twilio.com/docs/messaging/api/message-resource#read-multiple-message-resources).
 * Reads at most FIND_SENT_MAX_PAGES pages, and stops at the first message created before `since`.
 */
export async function findSentMessage(
  client: { messagesUrl: string; authorization: string; timeoutMs: number },
  input: FindSentInput,
): Promise<SentMessage | undefined> {
  const since = Date.parse(input.since) - 1000;
  let next: string | undefined =
    `${client.messagesUrl}?${new URLSearchParams({ To: input.to, PageSize: '50' }).toString()}`;
  const origin = new URL(client.messagesUrl).origin;
  for (let page = 0; page < FIND_SENT_MAX_PAGES && next !== undefined; page++) {
    const res = await httpRequest({
      provider: 'sms',
      operation: 'findSent',
      method: 'GET',
      url: next,
      headers: { authorization: client.authorization, accept: 'application/json' },
      timeoutMs: client.timeoutMs,
    });
    if (res.status !== 200) {
      const base = { provider: 'sms' as const, operation: 'findSent', httpStatus: res.status };
      if (res.status >= 500 || res.status === 429) throw new ProviderUnavailableError(base);
      throw new ProviderRejectedError({ ...base, retryable: false });
    }
    const json = res.json as
      | { messages?: Array<Record<string, unknown>>; next_page_uri?: unknown }
      | undefined;
    for (const message of json?.messages ?? []) {
      const created = Date.parse(String(message.date_created ?? ''));
      // Most recent first: everything after this one is older than the first attempt.
      if (created < since) return undefined;
      if (message.body === input.body && typeof message.sid === 'string') {
        return { sid: message.sid, status: String(message.status ?? 'queued') };
      }
    }
    next = typeof json?.next_page_uri === 'string' ? `${origin}${json.next_page_uri}` : undefined;
  }
  return undefined;
}

function interpret(res: HttpResponse): SmsSendResult {
  const base = { provider: 'sms' as const, operation: 'send', httpStatus: res.status };
  const code = twilioCode(res.json);
  const withCode = code === undefined ? base : { ...base, code };
  if (res.status === 200 || res.status === 201) {
    const json = res.json as { sid?: unknown; status?: unknown } | undefined;
    if (typeof json?.sid !== 'string' || typeof json.status !== 'string') {
      // Twilio may have accepted the message: do not let a blind retry duplicate it.
      throw new ProviderMalformedResponseError({ ...base, ambiguous: true });
    }
    return { sid: json.sid, status: json.status };
  }
  if (res.status === 429 || code === 20429) {
    const after = retryAfterMs(res.headers);
    throw new ProviderRateLimitedError(after === undefined ? withCode : { ...withCode, retryAfterMs: after });
  }
  if (res.status >= 500) throw new ProviderUnavailableError(withCode);
  const retryable = code !== undefined && TWILIO_RETRYABLE_CODES.has(code);
  throw new ProviderRejectedError({ ...withCode, retryable });
}
