/**
 * Bitly v4 sandbox: POST /v4/shorten with `Authorization: Bearer <token>` and JSON {long_url, domain?,
 * group_guid?}. The short link is deterministic per (domain, long_url): 7 base62 characters of a hash.
 * 201 the first time a long URL is shortened, 200 afterwards (as Bitly does).
 */
import { createHash } from 'node:crypto';
import { chance, delay, type ListenOptions, sendJson, startServer } from './server';

export interface BitlyFaults {
  rate500?: number;
  rate429?: number;
  latencyMs?: number;
  /** Every request answered 503 TEMPORARILY_UNAVAILABLE. */
  down?: boolean;
}

export interface BitlySandboxOptions extends ListenOptions {
  /** Accepted bearer token; default 'local-bitly-token'. */
  token?: string;
  faults?: BitlyFaults;
  random?: () => number;
}

export interface BitlyCounters {
  /** Every POST /v4/shorten that reached the handler. */
  calls: number;
  created: number;
  errors: number;
}

export interface BitlySandbox {
  url: string;
  /** The value for BITLY_BASE_URL: `${url}/v4`. */
  baseUrl: string;
  token: string;
  counters: BitlyCounters;
  /** long_url -> link, of every link handed out. */
  links: Map<string, string>;
  setFaults(faults: BitlyFaults): void;
  resetCounters(): void;
  stop(): Promise<void>;
}

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** 7 base62 characters derived from the hash of domain + long URL. */
export function shortCode(domain: string, longUrl: string): string {
  let n = BigInt(`0x${createHash('sha256').update(`${domain}\n${longUrl}`).digest('hex').slice(0, 16)}`);
  let code = '';
  for (let i = 0; i < 7; i += 1) {
    code += BASE62[Number(n % 62n)];
    n /= 62n;
  }
  return code;
}

const error = (message: string, description: string) => ({
  message,
  errors: [],
  resource: 'bitlinks',
  description,
});

export async function startBitlySandbox(opts: BitlySandboxOptions = {}): Promise<BitlySandbox> {
  const token = opts.token ?? 'local-bitly-token';
  const random = opts.random ?? Math.random;
  let faults: BitlyFaults = { ...opts.faults };
  const counters: BitlyCounters = { calls: 0, created: 0, errors: 0 };
  const links = new Map<string, string>();
  const createdAt = new Map<string, string>();

  const server = await startServer(
    'bitly',
    async (req, res, raw) => {
      const url = new URL(req.url ?? '/', 'http://sandbox');
      if (req.method !== 'POST' || url.pathname !== '/v4/shorten') {
        sendJson(res, 404, error('NOT_FOUND', 'The requested path does not exist'));
        return;
      }
      counters.calls += 1;
      if (faults.latencyMs) await delay(faults.latencyMs);
      if (faults.down) {
        counters.errors += 1;
        sendJson(res, 503, error('TEMPORARILY_UNAVAILABLE', 'The service is temporarily unavailable'));
        return;
      }
      if (req.headers.authorization !== `Bearer ${token}`) {
        counters.errors += 1;
        sendJson(res, 403, error('FORBIDDEN', 'You are currently forbidden to access this resource.'));
        return;
      }
      if (chance(faults.rate429, random)) {
        counters.errors += 1;
        sendJson(res, 429, error('RATE_LIMIT_EXCEEDED', 'You have exceeded your rate limit.'));
        return;
      }
      if (chance(faults.rate500, random)) {
        counters.errors += 1;
        sendJson(res, 500, error('INTERNAL_ERROR', 'An internal error occurred'));
        return;
      }
      let body: { long_url?: unknown; domain?: unknown; group_guid?: unknown };
      try {
        body = JSON.parse(raw) as typeof body;
      } catch {
        counters.errors += 1;
        sendJson(res, 400, error('INVALID_CONTENT_TYPE_HEADER', 'Invalid JSON body'));
        return;
      }
      const longUrl = typeof body.long_url === 'string' ? body.long_url : '';
      if (!/^https?:\/\/[^\s]+$/.test(longUrl)) {
        counters.errors += 1;
        sendJson(res, 400, {
          ...error('INVALID_ARG_LONG_URL', 'The value provided is invalid.'),
          errors: [{ field: 'long_url', error_code: 'invalid' }],
        });
        return;
      }
      const domain = typeof body.domain === 'string' && body.domain ? body.domain : 'bit.ly';
      const id = `${domain}/${shortCode(domain, longUrl)}`;
      const link = `https://${id}`;
      const key = `${domain}\n${longUrl}`;
      const existed = createdAt.has(key);
      if (!existed) {
        createdAt.set(key, new Date().toISOString().replace(/\.\d{3}Z$/, '+0000'));
        counters.created += 1;
      }
      links.set(longUrl, link);
      sendJson(res, existed ? 200 : 201, {
        created_at: createdAt.get(key),
        id,
        link,
        custom_bitlinks: [],
        long_url: longUrl,
        archived: false,
        tags: [],
        deeplinks: [],
        references: {
          group: `https://api-ssl.bitly.com/v4/groups/${String(body.group_guid ?? 'Bsandbox0001')}`,
        },
      });
    },
    opts,
  );

  return {
    url: server.url,
    baseUrl: `${server.url}/v4`,
    token,
    counters,
    links,
    setFaults(next) {
      faults = { ...next };
    },
    resetCounters() {
      Object.assign(counters, { calls: 0, created: 0, errors: 0 });
    },
    stop: () => server.stop(),
  };
}
