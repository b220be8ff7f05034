/**
 * SMS provider sandbox speaking the Twilio Messages API:
 *   POST /2010-04-01/Accounts/{AccountSid}/Messages.json  (form: To, Body, MessagingServiceSid|From,
 *        StatusCallback; HTTP Basic AccountSid:AuthToken) -> 201 message resource, or Twilio's JSON error
 *   GET  /2010-04-01/Accounts/{AccountSid}/Messages/{Sid}.json -> the message resource (current status)
 * Every accepted message then moves queued -> sent -> delivered (or undelivered/failed with an
 * ErrorCode), reported through onStatus or, without it, as signed form POSTs to its StatusCallback.
 * Twilio's magic test numbers behave as documented: +15005550001 -> 21211, +15005550004 -> 21610,
 * +15005550009 -> 21614.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isPossiblePhoneNumber } from 'libphonenumber-js';
import { TokenBucket } from '#shared/clients/rate-limiter';
import { twilioSignature } from '#shared/clients/twilio-signature';
import { chance, delay, type ListenOptions, sendJson, startServer } from './server';

/** A fault outcome: 'ok', 'timeout' (never answer), 'drop' (accept, then drop the connection), an HTTP status (500, 503, 429) or a Twilio code (20429, 21211, 21610, 21614, 30003..30008). */
export type SmsOutcome = 'ok' | 'timeout' | 'drop' | number;

export interface SmsFaults {
  /** Outcome -> probability (0..1), e.g. { '500': 0.05, '21211': 0.01, '30005': 0.02 }. */
  errorRates?: Record<string, number>;
  latencyMs?: number;
  /** Share of requests never answered (the client times out). */
  timeoutRate?: number;
  /** Share of requests accepted and recorded, then the connection dropped before the answer. */
  crashAfterAcceptRate?: number;
  /** Deterministic outcomes per E.164 number: one outcome, or a sequence (the last one repeats). */
  perNumber?: Record<string, SmsOutcome | SmsOutcome[]>;
}

export interface SmsStatusOptions {
  /** Default true. */
  enabled?: boolean;
  /** After acceptance; default { sent: 20, delivered: 60 }. */
  delaysMs?: { sent: number; delivered: number };
  /** Share of accepted messages ending undelivered; default 0. */
  undeliveredRate?: number;
  /** 30003..30008; default 30003 (unreachable handset). */
  undeliveredCode?: number;
}

export type StatusCallback = (params: Record<string, string>, callbackUrl: string) => Promise<void>;

export interface SmsSandboxOptions extends ListenOptions {
  accountSid?: string;
  authToken?: string;
  /** Token bucket of the account; above it 429 with code 20429. Default: unlimited. */
  messagesPerSecond?: number;
  faults?: SmsFaults;
  status?: SmsStatusOptions;
  /** Receives every status callback (params include To: drop it before it goes anywhere). */
  onStatus?: StatusCallback;
  random?: () => number;
  /** Clock (ms) of the rate limiter and peak counter; tests freeze it. Default Date.now. */
  clock?: () => number;
  /**
   * The time the sandbox's world is at, stamped on messages (date_created, date_updated): locally the
   * pipeline's clock, so the message list filters by the same days the pipeline asks for. Default: `clock`.
   */
  now?: () => Date;
}

export interface SmsRecord {
  sid: string;
  /** E.164: tests may read it, nothing may print it (see maskNumber). */
  to: string;
  body: string;
  statusCallback?: string;
  messagingServiceSid?: string;
  at: string;
  status: string;
  segments: number;
  errorCode?: number;
  /** When the message left Twilio for the carrier (status `sent`); absent while queued or failed. */
  sentAt?: string;
}

export interface SmsCounters {
  requests: number;
  accepted: number;
  /** Rejections by Twilio code ('20003', '21211', '20500', ...). */
  rejected: Record<string, number>;
  throttled: number;
  timedOut: number;
  dropped: number;
  /** Most messages accepted within any sliding 1-second window. */
  peakPerSecond: number;
  callbacks: number;
  callbackErrors: number;
}

export interface SmsSandbox {
  url: string;
  /** The value for SMS_BASE_URL (the client adds /2010-04-01/...). */
  baseUrl: string;
  accountSid: string;
  authToken: string;
  counters: SmsCounters;
  messages: SmsRecord[];
  messagesTo(to: string): SmsRecord[];
  setFaults(faults: SmsFaults): void;
  setStatus(status: SmsStatusOptions): void;
  /** Numbers that replied STOP (sending to them gives 21610). */
  optedOut: Set<string>;
  /** Posts a signed inbound message (as Twilio does to a number's webhook); STOP/ARRET opts the sender out. */
  sendInbound(webhookUrl: string, msg: { from: string; body: string; to?: string }): Promise<number>;
  /** Resolves when every scheduled status callback has been delivered. */
  idle(): Promise<void>;
  resetCounters(): void;
  stop(): Promise<void>;
}

export function maskNumber(e164: string): string {
  return e164.length > 4 ? `${'*'.repeat(e164.length - 4)}${e164.slice(-4)}` : '****';
}

const GSM7 =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM7_EXT = '^{}\\[~]|€\f';

/** Segments Twilio bills for a body: GSM-7 160/153, otherwise UCS-2 70/67 (UTF-16 units). */
export function segmentCount(body: string): number {
  let septets = 0;
  let gsm = true;
  for (const ch of body) {
    if (GSM7.includes(ch)) septets += 1;
    else if (GSM7_EXT.includes(ch)) septets += 2;
    else gsm = false;
  }
  if (gsm) return septets <= 160 ? 1 : Math.ceil(septets / 153);
  return body.length <= 70 ? 1 : Math.ceil(body.length / 67);
}

const MESSAGES = {
  20003: [401, 'Authenticate'],
  20404: [404, 'The requested resource was not found'],
  20429: [429, 'Too Many Requests'],
  20500: [500, 'Internal Server Error'],
  20503: [503, 'Service Unavailable'],
  21211: [400, "The 'To' number is not a valid phone number."],
  21408: [400, 'Permission to send an SMS has not been enabled for the region indicated by the To number'],
  21602: [400, 'Message body is required.'],
  21603: [400, "A 'From' or 'MessagingServiceSid' parameter is required to send a message"],
  21604: [400, "A 'To' phone number is required."],
  21610: [400, 'Attempt to send to unsubscribed recipient'],
  21614: [400, "'To' number is not a valid mobile number"],
  21617: [400, 'The concatenated message body exceeds the 1600 character limit.'],
  21624: [400, 'Validity period can only be set to integers between 1 and 36,000 seconds (10 hours max).'],
} as const satisfies Record<number, readonly [number, string]>;

const MAGIC_NUMBERS: Record<string, number> = {
  '+15005550001': 21211,
  '+15005550004': 21610,
  '+15005550009': 21614,
};
const STOP_WORDS = new Set(['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT', 'ARRET', 'ARRÊT']);
const START_WORDS = new Set(['START', 'UNSTOP', 'YES']);
/** Codes reported as 'failed' (never left Twilio) rather than 'undelivered'. */
const FAILED_CODES = new Set([30001, 30002, 30010]);

function twilioError(res: ServerResponse, code: number, httpStatus?: number, message?: string): void {
  const known = (MESSAGES as Record<number, readonly [number, string]>)[code];
  const status = httpStatus ?? known?.[0] ?? 400;
  sendJson(res, status, {
    code,
    message: message ?? known?.[1] ?? 'Error',
    more_info: `https://www.twilio.com/docs/errors/${code}`,
    status,
  });
}

function rfc2822(d: Date): string {
  return d.toUTCString().replace('GMT', '+0000');
}

export async function startSmsSandbox(opts: SmsSandboxOptions = {}): Promise<SmsSandbox> {
  const accountSid = opts.accountSid ?? `AC${'0'.repeat(32)}`;
  const authToken = opts.authToken ?? 'local-sms-auth-token';
  const random = opts.random ?? Math.random;
  const clock = opts.clock ?? Date.now;
  const stamp = opts.now ?? (() => new Date(clock()));
  const bucket = opts.messagesPerSecond
    ? new TokenBucket(opts.messagesPerSecond, undefined, clock)
    : undefined;
  let faults: SmsFaults = { ...opts.faults };
  let status: SmsStatusOptions = { ...opts.status };
  const counters: SmsCounters = {
    requests: 0,
    accepted: 0,
    rejected: {},
    throttled: 0,
    timedOut: 0,
    dropped: 0,
    peakPerSecond: 0,
    callbacks: 0,
    callbackErrors: 0,
  };
  const messages: SmsRecord[] = [];
  const bySid = new Map<string, SmsRecord>();
  const sequenceIndex = new Map<string, number>();
  const optedOut = new Set<string>();
  /** Acceptance times (ms) within the last second, oldest first. */
  let recent: number[] = [];
  const chains = new Map<string, Promise<void>>();
  const expectedAuth = `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`;

  const reject = (res: ServerResponse, code: number, httpStatus?: number): void => {
    counters.rejected[String(code)] = (counters.rejected[String(code)] ?? 0) + 1;
    twilioError(res, code, httpStatus);
  };

  function resource(m: SmsRecord): Record<string, unknown> {
    const created = new Date(m.at);
    return {
      account_sid: accountSid,
      api_version: '2010-04-01',
      body: m.body,
      date_created: rfc2822(created),
      date_sent: m.sentAt === undefined ? null : rfc2822(new Date(m.sentAt)),
      date_updated: rfc2822(stamp()),
      direction: 'outbound-api',
      error_code: m.errorCode ?? null,
      error_message: null,
      from: null,
      messaging_service_sid: m.messagingServiceSid ?? null,
      num_media: '0',
      num_segments: String(m.segments),
      price: null,
      price_unit: 'USD',
      sid: m.sid,
      status: m.status,
      subresource_uris: { media: `/2010-04-01/Accounts/${accountSid}/Messages/${m.sid}/Media.json` },
      to: m.to,
      uri: `/2010-04-01/Accounts/${accountSid}/Messages/${m.sid}.json`,
    };
  }

  /** The next scripted or random outcome for a request to `to`. */
  function outcomeFor(to: string): SmsOutcome {
    const magic = MAGIC_NUMBERS[to];
    if (magic !== undefined) return magic;
    if (optedOut.has(to)) return 21610;
    const scripted = faults.perNumber?.[to];
    if (scripted !== undefined) {
      if (!Array.isArray(scripted)) return scripted;
      const i = sequenceIndex.get(to) ?? 0;
      sequenceIndex.set(to, i + 1);
      const next = scripted[Math.min(i, scripted.length - 1)];
      if (next !== undefined) return next;
    }
    if (chance(faults.timeoutRate, random)) return 'timeout';
    const rates = Object.entries(faults.errorRates ?? {});
    if (rates.length > 0) {
      const r = random();
      let acc = 0;
      for (const [outcome, rate] of rates) {
        acc += rate;
        if (r < acc) return outcome === 'timeout' || outcome === 'drop' ? outcome : Number(outcome);
      }
    }
    if (chance(faults.crashAfterAcceptRate, random)) return 'drop';
    return 'ok';
  }

  async function emit(m: SmsRecord, messageStatus: string, errorCode?: number): Promise<void> {
    m.status = messageStatus;
    // Twilio sets date_sent once the message is sent; a queued (or failed) message has none.
    if (messageStatus === 'sent' && m.sentAt === undefined) m.sentAt = stamp().toISOString();
    const params: Record<string, string> = {
      AccountSid: accountSid,
      ApiVersion: '2010-04-01',
      MessageSid: m.sid,
      MessageStatus: messageStatus,
      SmsSid: m.sid,
      SmsStatus: messageStatus,
      To: m.to,
      NumSegments: String(m.segments),
    };
    if (m.messagingServiceSid) params.MessagingServiceSid = m.messagingServiceSid;
    if (errorCode !== undefined) params.ErrorCode = String(errorCode);
    const callbackUrl = m.statusCallback;
    try {
      if (opts.onStatus) {
        await opts.onStatus(params, callbackUrl ?? '');
        counters.callbacks += 1;
      } else if (callbackUrl) {
        const status = await postSigned(authToken, callbackUrl, params);
        if (status >= 200 && status < 300) counters.callbacks += 1;
        else counters.callbackErrors += 1;
      }
    } catch {
      counters.callbackErrors += 1;
    }
  }

  function scheduleStatuses(m: SmsRecord, asyncCode: number | undefined): void {
    if (status.enabled === false) return;
    const delays = status.delaysMs ?? { sent: 20, delivered: 60 };
    let finalCode = asyncCode;
    if (finalCode === undefined && chance(status.undeliveredRate, random)) {
      finalCode = status.undeliveredCode ?? 30003;
    }
    const step = (ms: number, messageStatus: string, code?: number): void => {
      server.later(ms, () => {
        const chained = (chains.get(m.sid) ?? Promise.resolve()).then(() => emit(m, messageStatus, code));
        chains.set(m.sid, chained);
        return chained;
      });
    };
    step(0, 'queued');
    if (finalCode !== undefined && FAILED_CODES.has(finalCode)) {
      step(delays.sent, 'failed', finalCode);
      return;
    }
    step(delays.sent, 'sent');
    if (finalCode !== undefined) step(delays.delivered, 'undelivered', finalCode);
    else step(delays.delivered, 'delivered');
  }

  function accept(form: URLSearchParams, to: string, body: string): SmsRecord {
    const now = new Date(clock());
    const m: SmsRecord = {
      sid: `SM${randomBytes(16).toString('hex')}`,
      to,
      body,
      at: stamp().toISOString(),
      status: 'queued',
      segments: segmentCount(body),
    };
    const callback = form.get('StatusCallback');
    if (callback) m.statusCallback = callback;
    const service = form.get('MessagingServiceSid');
    if (service) m.messagingServiceSid = service;
    messages.push(m);
    bySid.set(m.sid, m);
    counters.accepted += 1;
    const t = now.getTime();
    const firstInWindow = recent.findIndex((at) => at > t - 1000);
    recent = firstInWindow < 0 ? [] : recent.slice(firstInWindow);
    recent.push(t);
    counters.peakPerSecond = Math.max(counters.peakPerSecond, recent.length);
    return m;
  }

  function listMessages(url: URL): Record<string, unknown> {
    const params = url.searchParams;
    const to = params.get('To');
    const from = params.get('From');
    const day = (m: SmsRecord) => m.sentAt?.slice(0, 10);
    const on = params.get('DateSent');
    const onOrAfter = params.get('DateSent>');
    const onOrBefore = params.get('DateSent<');
    const dated = on !== null || onOrAfter !== null || onOrBefore !== null;
    const matching = [...bySid.values()]
      .filter((m) => to === null || m.to === to)
      // Sent through a Messaging Service, a message has no From until Twilio picks a sender.
      .filter(() => from === null)
      .filter((m) => {
        if (!dated) return true;
        const sent = day(m);
        if (sent === undefined) return false;
        return (
          (on === null || sent === on) &&
          (onOrAfter === null || sent >= onOrAfter) &&
          (onOrBefore === null || sent <= onOrBefore)
        );
      })
      .reverse();
    const pageSize = Math.min(1000, Math.max(1, Number(params.get('PageSize') ?? 50) || 50));
    const page = Math.max(0, Number(params.get('Page') ?? 0) || 0);
    const slice = matching.slice(page * pageSize, (page + 1) * pageSize);
    const next = new URLSearchParams(params);
    next.set('Page', String(page + 1));
    next.set('PageSize', String(pageSize));
    return {
      messages: slice.map(resource),
      page,
      page_size: pageSize,
      start: page * pageSize,
      end: page * pageSize + slice.length - 1,
      uri: `${url.pathname}?${params.toString()}`,
      next_page_uri: (page + 1) * pageSize < matching.length ? `${url.pathname}?${next.toString()}` : null,
    };
  }

  async function handle(req: IncomingMessage, res: ServerResponse, raw: string): Promise<void> {
    counters.requests += 1;
    const url = new URL(req.url ?? '/', 'http://sandbox');
    const create = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages\.json$/.exec(url.pathname);
    const fetchOne = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages\/([^/]+)\.json$/.exec(url.pathname);
    const pathSid = create?.[1] ?? fetchOne?.[1];
    if (pathSid === undefined) {
      reject(res, 20404);
      return;
    }
    if (req.headers.authorization !== expectedAuth || pathSid !== accountSid) {
      reject(res, 20003);
      return;
    }
    if (faults.latencyMs) await delay(faults.latencyMs);
    if (fetchOne && req.method === 'GET') {
      const m = bySid.get(fetchOne[2] ?? '');
      if (m) sendJson(res, 200, resource(m));
      else reject(res, 20404);
      return;
    }
    if (create && req.method === 'GET') {
      // The message list as Twilio serves it (https://www.twilio.com/docs/messaging/api/message-resource#read-multiple-message-resources):
      // most recent first; To/From filter the recipient/sender; DateSent (a UTC day, `YYYY-MM-DD`) with
      // `<` or `>` reads messages sent on or before / on or after that day. It filters on date_sent,
      // which Twilio sets only once a message is sent: a message still queued (or failed) has none and
      // no DateSent filter returns it. PageSize (default 50, at most 1000), Page and next_page_uri.
      sendJson(res, 200, listMessages(url));
      return;
    }
    if (!create || req.method !== 'POST') {
      reject(res, 20404, 405);
      return;
    }
    const form = new URLSearchParams(raw);
    const to = form.get('To') ?? '';
    const body = form.get('Body') ?? '';
    if (!to) return reject(res, 21604);
    if (!body) return reject(res, 21602);
    if (!form.get('MessagingServiceSid') && !form.get('From')) return reject(res, 21603);
    if (body.length > 1600) return reject(res, 21617);
    if (!to.startsWith('+') || !isPossiblePhoneNumber(to)) return reject(res, 21211);
    // ValidityPeriod: whole seconds 1..36000, else 21624 (https://www.twilio.com/docs/api/errors/21624).
    const validity = form.get('ValidityPeriod');
    if (validity !== null && !/^\d+$/.test(validity)) return reject(res, 21624);
    if (validity !== null && (Number(validity) < 1 || Number(validity) > 36_000)) return reject(res, 21624);
    if (bucket && !bucket.tryTake()) {
      counters.throttled += 1;
      return reject(res, 20429);
    }

    const outcome = outcomeFor(to);
    if (outcome === 'timeout') {
      counters.timedOut += 1;
      // Hold the request until the client gives up (or the sandbox stops).
      await new Promise<void>((resolve) => res.once('close', () => resolve()));
      return;
    }
    if (outcome === 'drop') {
      const m = accept(form, to, body);
      scheduleStatuses(m, undefined);
      counters.dropped += 1;
      req.socket.destroy();
      return;
    }
    if (typeof outcome === 'number' && outcome !== 200 && outcome !== 201) {
      if (outcome === 500 || outcome === 20500) return reject(res, 20500, 500);
      if (outcome === 503 || outcome === 20503) return reject(res, 20503, 503);
      if (outcome === 429 || outcome === 20429) {
        counters.throttled += 1;
        return reject(res, 20429, 429);
      }
      if (outcome < 30000) return reject(res, outcome);
    }
    // Accepted; a 3xxxx outcome fails later, in the status callbacks, as on the real network.
    const asyncCode = typeof outcome === 'number' && outcome >= 30000 ? outcome : undefined;
    const m = accept(form, to, body);
    sendJson(res, 201, resource(m));
    scheduleStatuses(m, asyncCode);
  }

  const server = await startServer('sms', handle, opts);

  return {
    url: server.url,
    baseUrl: server.url,
    accountSid,
    authToken,
    counters,
    messages,
    messagesTo: (to) => messages.filter((m) => m.to === to),
    setFaults(next) {
      faults = { ...next };
      sequenceIndex.clear();
    },
    setStatus(next) {
      status = { ...next };
    },
    optedOut,
    async sendInbound(webhookUrl, msg) {
      const word = msg.body.trim().toUpperCase();
      if (STOP_WORDS.has(word)) optedOut.add(msg.from);
      if (START_WORDS.has(word)) optedOut.delete(msg.from);
      const sid = `SM${randomBytes(16).toString('hex')}`;
      const params: Record<string, string> = {
        AccountSid: accountSid,
        ApiVersion: '2010-04-01',
        Body: msg.body,
        From: msg.from,
        MessageSid: sid,
        NumMedia: '0',
        NumSegments: String(segmentCount(msg.body)),
        SmsMessageSid: sid,
        SmsSid: sid,
        SmsStatus: 'received',
        To: msg.to ?? '+15550000000',
      };
      if (STOP_WORDS.has(word)) params.OptOutType = 'STOP';
      if (START_WORDS.has(word)) params.OptOutType = 'START';
      return postSigned(authToken, webhookUrl, params);
    },
    idle: () => server.idle(),
    resetCounters() {
      Object.assign(counters, {
        requests: 0,
        accepted: 0,
        rejected: {},
        throttled: 0,
        timedOut: 0,
        dropped: 0,
        peakPerSecond: 0,
        callbacks: 0,
        callbackErrors: 0,
      });
      recent = [];
    },
    stop: () => server.stop(),
  };
}

/** POSTs a form signed as Twilio signs its webhooks (X-Twilio-Signature); returns the HTTP status. */
async function postSigned(authToken: string, url: string, params: Record<string, string>): Promise<number> {
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-twilio-signature': twilioSignature(authToken, url, params),
    },
    body: new URLSearchParams(params).toString(),
    signal: AbortSignal.timeout(15_000),
  });
  await res.arrayBuffer();
  return res.status;
}
