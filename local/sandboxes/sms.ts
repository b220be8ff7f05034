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
import {
  LOCAL_SMS_ACCOUNT_SID,
  LOCAL_SMS_AUTH_TOKEN,
  postTwilioForm,
  replyParams,
} from '#local/inbound-reply';
import { TokenBucket } from '#shared/clients/rate-limiter';
import { chance, delay, HttpSandbox, type ListenOptions, sendJson } from './server';

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

/** A request the sandbox answers with one of Twilio's errors (https://www.twilio.com/docs/errors/{code}). */
class TwilioRejection extends Error {
  constructor(
    readonly code: number,
    readonly httpStatus?: number,
  ) {
    super(`Twilio error ${code}`);
    this.name = 'TwilioRejection';
  }
}

function twilioError(res: ServerResponse, code: number, httpStatus?: number): void {
  const known = (MESSAGES as Record<number, readonly [number, string]>)[code];
  const status = httpStatus ?? known?.[0] ?? 400;
  sendJson(res, status, {
    code,
    message: known?.[1] ?? 'Error',
    more_info: `https://www.twilio.com/docs/errors/${code}`,
    status,
  });
}

function rfc2822(d: Date): string {
  return d.toUTCString().replace('GMT', '+0000');
}

function newSid(): string {
  return `SM${randomBytes(16).toString('hex')}`;
}

function zeroCounters(): SmsCounters {
  return {
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
}

/**
 * What happens to a send: Twilio's magic test numbers and opted-out recipients first, then the scripted
 * outcomes per number (a sequence advances per request, its last outcome repeating), then the random
 * rates (timeouts, errors, accepted-then-dropped).
 */
export class SmsFaultPolicy {
  private faults: SmsFaults;
  private readonly sequenceIndex = new Map<string, number>();

  constructor(
    faults: SmsFaults | undefined,
    private readonly random: () => number,
  ) {
    this.faults = { ...faults };
  }

  get latencyMs(): number {
    return this.faults.latencyMs ?? 0;
  }

  /** New faults; scripted sequences start over. */
  set(faults: SmsFaults): void {
    this.faults = { ...faults };
    this.sequenceIndex.clear();
  }

  /** The next scripted or random outcome for a request to `to`. */
  outcomeFor(to: string, optedOut: boolean): SmsOutcome {
    const magic = MAGIC_NUMBERS[to];
    if (magic !== undefined) return magic;
    if (optedOut) return 21610;
    const scripted = this.faults.perNumber?.[to];
    if (scripted !== undefined) {
      if (!Array.isArray(scripted)) return scripted;
      const i = this.sequenceIndex.get(to) ?? 0;
      this.sequenceIndex.set(to, i + 1);
      const next = scripted[Math.min(i, scripted.length - 1)];
      if (next !== undefined) return next;
    }
    if (chance(this.faults.timeoutRate, this.random)) return 'timeout';
    const rates = Object.entries(this.faults.errorRates ?? {});
    if (rates.length > 0) {
      const r = this.random();
      let acc = 0;
      for (const [outcome, rate] of rates) {
        acc += rate;
        if (r < acc) return outcome === 'timeout' || outcome === 'drop' ? outcome : Number(outcome);
      }
    }
    if (chance(this.faults.crashAfterAcceptRate, this.random)) return 'drop';
    return 'ok';
  }
}

/**
 * The Twilio sandbox: routes (create, fetch and list messages), state (messages, opt-outs, counters), the
 * fault policy (SmsFaultPolicy) and the status callbacks of each accepted message. Start it with
 * `SmsSandboxServer.start()` or `startSmsSandbox()`.
 */
export class SmsSandboxServer extends HttpSandbox implements SmsSandbox {
  readonly accountSid: string;
  readonly authToken: string;
  readonly counters: SmsCounters = zeroCounters();
  readonly messages: SmsRecord[] = [];
  readonly optedOut = new Set<string>();
  private readonly bySid = new Map<string, SmsRecord>();
  private readonly faults: SmsFaultPolicy;
  private statusOptions: SmsStatusOptions;
  private readonly random: () => number;
  private readonly clock: () => number;
  private readonly stamp: () => Date;
  private readonly bucket: TokenBucket | undefined;
  private readonly expectedAuth: string;
  /** Acceptance times (ms) within the last second, oldest first. */
  private recent: number[] = [];
  /** Each message's status callbacks, delivered one after the other. */
  private readonly chains = new Map<string, Promise<void>>();

  private constructor(private readonly options: SmsSandboxOptions) {
    super('SMS');
    this.accountSid = options.accountSid ?? LOCAL_SMS_ACCOUNT_SID;
    this.authToken = options.authToken ?? LOCAL_SMS_AUTH_TOKEN;
    this.random = options.random ?? Math.random;
    this.clock = options.clock ?? Date.now;
    this.stamp = options.now ?? (() => new Date(this.clock()));
    this.bucket = options.messagesPerSecond
      ? new TokenBucket(options.messagesPerSecond, undefined, this.clock)
      : undefined;
    this.faults = new SmsFaultPolicy(options.faults, this.random);
    this.statusOptions = { ...options.status };
    this.expectedAuth = `Basic ${Buffer.from(`${this.accountSid}:${this.authToken}`).toString('base64')}`;
  }

  static async start(options: SmsSandboxOptions = {}): Promise<SmsSandboxServer> {
    const sandbox = new SmsSandboxServer(options);
    await sandbox.listen(options);
    return sandbox;
  }

  get baseUrl(): string {
    return this.running().url;
  }

  messagesTo(to: string): SmsRecord[] {
    return this.messages.filter((m) => m.to === to);
  }

  setFaults(faults: SmsFaults): void {
    this.faults.set(faults);
  }

  setStatus(status: SmsStatusOptions): void {
    this.statusOptions = { ...status };
  }

  async sendInbound(webhookUrl: string, msg: { from: string; body: string; to?: string }): Promise<number> {
    const word = msg.body.trim().toUpperCase();
    if (STOP_WORDS.has(word)) this.optedOut.add(msg.from);
    if (START_WORDS.has(word)) this.optedOut.delete(msg.from);
    const params = replyParams(msg, {
      accountSid: this.accountSid,
      sid: newSid(),
      numSegments: segmentCount(msg.body),
    });
    if (STOP_WORDS.has(word)) params.OptOutType = 'STOP';
    if (START_WORDS.has(word)) params.OptOutType = 'START';
    return (await postTwilioForm(webhookUrl, params, this.authToken)).status;
  }

  resetCounters(): void {
    Object.assign(this.counters, zeroCounters());
    this.recent = [];
  }

  // Routes ---------------------------------------------------------------------------------------------

  protected async handle(req: IncomingMessage, res: ServerResponse, raw: string): Promise<void> {
    this.counters.requests += 1;
    try {
      await this.route(req, res, raw);
    } catch (error: unknown) {
      if (!(error instanceof TwilioRejection)) throw error;
      this.counters.rejected[String(error.code)] = (this.counters.rejected[String(error.code)] ?? 0) + 1;
      twilioError(res, error.code, error.httpStatus);
    }
  }

  private async route(req: IncomingMessage, res: ServerResponse, raw: string): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://sandbox');
    const create = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages\.json$/.exec(url.pathname);
    const fetchOne = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages\/([^/]+)\.json$/.exec(url.pathname);
    const pathSid = create?.[1] ?? fetchOne?.[1];
    if (pathSid === undefined) throw new TwilioRejection(20404);
    if (req.headers.authorization !== this.expectedAuth || pathSid !== this.accountSid) {
      throw new TwilioRejection(20003);
    }
    if (this.faults.latencyMs) await delay(this.faults.latencyMs);
    if (fetchOne && req.method === 'GET') return this.fetchMessage(res, fetchOne[2] ?? '');
    if (create && req.method === 'GET') return this.listMessages(res, url);
    if (!create || req.method !== 'POST') throw new TwilioRejection(20404, 405);
    return this.createMessage(req, res, new URLSearchParams(raw));
  }

  private fetchMessage(res: ServerResponse, sid: string): void {
    const m = this.bySid.get(sid);
    if (!m) throw new TwilioRejection(20404);
    sendJson(res, 200, this.resource(m));
  }

  /**
   * The message list as Twilio serves it (https://www.twilio.com/docs/messaging/api/message-resource#read-multiple-message-resources):
   * most recent first; To/From filter the recipient/sender; DateSent (a UTC day, `YYYY-MM-DD`) with
   * `<` or `>` reads messages sent on or before / on or after that day. It filters on date_sent,
   * which Twilio sets only once a message is sent: a message still queued (or failed) has none and
   * no DateSent filter returns it. PageSize (default 50, at most 1000), Page and next_page_uri.
   */
  private listMessages(res: ServerResponse, url: URL): void {
    const params = url.searchParams;
    const to = params.get('To');
    const from = params.get('From');
    const day = (m: SmsRecord) => m.sentAt?.slice(0, 10);
    const on = params.get('DateSent');
    const onOrAfter = params.get('DateSent>');
    const onOrBefore = params.get('DateSent<');
    const dated = on !== null || onOrAfter !== null || onOrBefore !== null;
    const matching = [...this.bySid.values()]
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
    sendJson(res, 200, {
      messages: slice.map((m) => this.resource(m)),
      page,
      page_size: pageSize,
      start: page * pageSize,
      end: page * pageSize + slice.length - 1,
      uri: `${url.pathname}?${params.toString()}`,
      next_page_uri: (page + 1) * pageSize < matching.length ? `${url.pathname}?${next.toString()}` : null,
    });
  }

  private async createMessage(
    req: IncomingMessage,
    res: ServerResponse,
    form: URLSearchParams,
  ): Promise<void> {
    const to = form.get('To') ?? '';
    const body = form.get('Body') ?? '';
    this.validate(form, to, body);
    if (this.bucket && !this.bucket.tryTake()) {
      this.counters.throttled += 1;
      throw new TwilioRejection(20429);
    }

    const outcome = this.faults.outcomeFor(to, this.optedOut.has(to));
    if (outcome === 'timeout') {
      this.counters.timedOut += 1;
      // Hold the request until the client gives up (or the sandbox stops).
      await new Promise<void>((resolve) => res.once('close', () => resolve()));
      return;
    }
    if (outcome === 'drop') {
      const m = this.accept(form, to, body);
      this.scheduleStatuses(m, undefined);
      this.counters.dropped += 1;
      req.socket.destroy();
      return;
    }
    if (typeof outcome === 'number' && outcome !== 200 && outcome !== 201) {
      if (outcome === 500 || outcome === 20500) throw new TwilioRejection(20500, 500);
      if (outcome === 503 || outcome === 20503) throw new TwilioRejection(20503, 503);
      if (outcome === 429 || outcome === 20429) {
        this.counters.throttled += 1;
        throw new TwilioRejection(20429, 429);
      }
      if (outcome < 30000) throw new TwilioRejection(outcome);
    }
    // Accepted; a 3xxxx outcome fails later, in the status callbacks, as on the real network.
    const asyncCode = typeof outcome === 'number' && outcome >= 30000 ? outcome : undefined;
    const m = this.accept(form, to, body);
    sendJson(res, 201, this.resource(m));
    this.scheduleStatuses(m, asyncCode);
  }

  /** The checks Twilio makes on a create request, in its order, each with its error code. */
  private validate(form: URLSearchParams, to: string, body: string): void {
    if (!to) throw new TwilioRejection(21604);
    if (!body) throw new TwilioRejection(21602);
    if (!form.get('MessagingServiceSid') && !form.get('From')) throw new TwilioRejection(21603);
    if (body.length > 1600) throw new TwilioRejection(21617);
    if (!to.startsWith('+') || !isPossiblePhoneNumber(to)) throw new TwilioRejection(21211);
    // ValidityPeriod: whole seconds 1..36000, else 21624 (https://www.twilio.com/docs/api/errors/21624).
    const validity = form.get('ValidityPeriod');
    if (validity !== null && !/^\d+$/.test(validity)) throw new TwilioRejection(21624);
    if (validity !== null && (Number(validity) < 1 || Number(validity) > 36_000)) {
      throw new TwilioRejection(21624);
    }
  }

  // State ----------------------------------------------------------------------------------------------

  private accept(form: URLSearchParams, to: string, body: string): SmsRecord {
    const now = new Date(this.clock());
    const m: SmsRecord = {
      sid: newSid(),
      to,
      body,
      at: this.stamp().toISOString(),
      status: 'queued',
      segments: segmentCount(body),
    };
    const callback = form.get('StatusCallback');
    if (callback) m.statusCallback = callback;
    const service = form.get('MessagingServiceSid');
    if (service) m.messagingServiceSid = service;
    this.messages.push(m);
    this.bySid.set(m.sid, m);
    this.counters.accepted += 1;
    const t = now.getTime();
    const firstInWindow = this.recent.findIndex((at) => at > t - 1000);
    this.recent = firstInWindow < 0 ? [] : this.recent.slice(firstInWindow);
    this.recent.push(t);
    this.counters.peakPerSecond = Math.max(this.counters.peakPerSecond, this.recent.length);
    return m;
  }

  private resource(m: SmsRecord): Record<string, unknown> {
    const created = new Date(m.at);
    return {
      account_sid: this.accountSid,
      api_version: '2010-04-01',
      body: m.body,
      date_created: rfc2822(created),
      date_sent: m.sentAt === undefined ? null : rfc2822(new Date(m.sentAt)),
      date_updated: rfc2822(this.stamp()),
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
      subresource_uris: { media: `/2010-04-01/Accounts/${this.accountSid}/Messages/${m.sid}/Media.json` },
      to: m.to,
      uri: `/2010-04-01/Accounts/${this.accountSid}/Messages/${m.sid}.json`,
    };
  }

  // Status callbacks -----------------------------------------------------------------------------------

  private scheduleStatuses(m: SmsRecord, asyncCode: number | undefined): void {
    const status = this.statusOptions;
    if (status.enabled === false) return;
    const delays = status.delaysMs ?? { sent: 20, delivered: 60 };
    let finalCode = asyncCode;
    if (finalCode === undefined && chance(status.undeliveredRate, this.random)) {
      finalCode = status.undeliveredCode ?? 30003;
    }
    const step = (ms: number, messageStatus: string, code?: number): void => {
      this.running().later(ms, () => {
        const chained = (this.chains.get(m.sid) ?? Promise.resolve()).then(() =>
          this.emit(m, messageStatus, code),
        );
        this.chains.set(m.sid, chained);
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

  private async emit(m: SmsRecord, messageStatus: string, errorCode?: number): Promise<void> {
    m.status = messageStatus;
    // Twilio sets date_sent once the message is sent; a queued (or failed) message has none.
    if (messageStatus === 'sent' && m.sentAt === undefined) m.sentAt = this.stamp().toISOString();
    const params: Record<string, string> = {
      AccountSid: this.accountSid,
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
      if (this.options.onStatus) {
        await this.options.onStatus(params, callbackUrl ?? '');
        this.counters.callbacks += 1;
      } else if (callbackUrl) {
        const { status } = await postTwilioForm(callbackUrl, params, this.authToken);
        if (status >= 200 && status < 300) this.counters.callbacks += 1;
        else this.counters.callbackErrors += 1;
      }
    } catch {
      this.counters.callbackErrors += 1;
    }
  }
}

export function startSmsSandbox(opts: SmsSandboxOptions = {}): Promise<SmsSandbox> {
  return SmsSandboxServer.start(opts);
}
