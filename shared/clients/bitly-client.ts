/**
 * Bitly v4 client: POST {base}/shorten. Shortening is idempotent on Bitly's side (the same long URL in
 * the same group gives the same link), so 429/5xx/time-outs are retried.
 */
import {
  ProviderMalformedResponseError,
  ProviderRateLimitedError,
  ProviderRejectedError,
  ProviderUnavailableError,
} from './errors';
import { type HttpResponse, httpRequest, retryAfterMs, withRetries } from './http';

export const BITLY_DEFAULT_BASE_URL = 'https://api-ssl.bitly.com/v4';

export interface BitlyClientOptions {
  baseUrl: string;
  token: string;
  /** Branded short domain (e.g. 'tmtix.co'); Bitly's default is bit.ly. */
  domain?: string;
  groupGuid?: string;
  timeoutMs?: number;
  /** Default 2. */
  maxRetries?: number;
  retryBaseDelayMs?: number;
}

export interface ShortLink {
  /** The short URL to put in messages, e.g. https://bit.ly/3xYzAbC. */
  link: string;
  /** Bitly's id of the bitlink, e.g. bit.ly/3xYzAbC. */
  id: string;
}

function bitlyErrorCode(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const message = (body as { message?: unknown }).message;
  return typeof message === 'string' ? message : undefined;
}

export class BitlyClient {
  private readonly baseUrl: string;
  private readonly token: string;
  private readonly domain?: string;
  private readonly groupGuid?: string;
  private readonly timeoutMs: number;
  private readonly maxRetries: number;
  private readonly retryBaseDelayMs: number;

  constructor(opts: BitlyClientOptions) {
    this.baseUrl = opts.baseUrl.replace(/\/+$/, '');
    this.token = opts.token;
    if (opts.domain) this.domain = opts.domain;
    if (opts.groupGuid) this.groupGuid = opts.groupGuid;
    this.timeoutMs = opts.timeoutMs ?? 10_000;
    this.maxRetries = opts.maxRetries ?? 2;
    this.retryBaseDelayMs = opts.retryBaseDelayMs ?? 250;
  }

  shorten(longUrl: string): Promise<ShortLink> {
    const payload: Record<string, string> = { long_url: longUrl };
    if (this.domain) payload.domain = this.domain;
    if (this.groupGuid) payload.group_guid = this.groupGuid;
    const body = JSON.stringify(payload);
    return withRetries(
      async () => {
        const res = await httpRequest({
          provider: 'bitly',
          operation: 'shorten',
          method: 'POST',
          url: `${this.baseUrl}/shorten`,
          headers: {
            authorization: `Bearer ${this.token}`,
            'content-type': 'application/json',
            accept: 'application/json',
          },
          body,
          timeoutMs: this.timeoutMs,
        });
        return interpret(res);
      },
      { maxRetries: this.maxRetries, baseDelayMs: this.retryBaseDelayMs, maxDelayMs: 5_000 },
    );
  }
}

function interpret(res: HttpResponse): ShortLink {
  const base = { provider: 'bitly' as const, operation: 'shorten', httpStatus: res.status };
  const code = bitlyErrorCode(res.json);
  const withCode = code === undefined ? base : { ...base, code };
  if (res.status === 200 || res.status === 201) {
    const json = res.json as { link?: unknown; id?: unknown } | undefined;
    if (typeof json?.link !== 'string' || typeof json.id !== 'string') {
      throw new ProviderMalformedResponseError(base);
    }
    return { link: json.link, id: json.id };
  }
  if (res.status === 429) {
    const after = retryAfterMs(res.headers);
    throw new ProviderRateLimitedError(after === undefined ? withCode : { ...withCode, retryAfterMs: after });
  }
  if (res.status >= 500) throw new ProviderUnavailableError(withCode);
  throw new ProviderRejectedError(withCode);
}
