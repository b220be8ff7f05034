/**
 * Discovery API v2 sandbox. Serves the events found in every *.json of a folder (a single event, or a
 * search response with _embedded.events) at the real paths:
 *   GET /discovery/v2/events/{id}.json?apikey=...          one event, 404 in Discovery's error shape
 *   GET /discovery/v2/events.json?apikey=...&id=&size=&page= search response with page {...}
 * A missing/wrong apikey gets Apigee's 401 fault; above rateLimitPerSecond, Apigee's 429 fault.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TokenBucket } from '#shared/clients/rate-limiter';
import { chance, delay, type ListenOptions, sendJson, startServer } from './server';

export interface DiscoveryFaults {
  /** Share of requests answered 429 (0..1). */
  rate429?: number;
  /** Share of requests answered 500. */
  rate500?: number;
  latencyMs?: number;
  /** Answer 200 with a truncated JSON body. */
  malformed?: boolean;
}

export interface DiscoverySandboxOptions extends ListenOptions {
  /** Folder of *.json files; optional when events are given with setEvent(). */
  dir?: string;
  /** Accepted API key; default 'local-discovery-key'. */
  apiKey?: string;
  faults?: DiscoveryFaults;
  /** Default 5 (Discovery's quota). 0 disables the limit. */
  rateLimitPerSecond?: number;
  random?: () => number;
  /** Clock (ms) of the rate limiter; tests freeze it. Default Date.now. */
  clock?: () => number;
}

export interface DiscoveryCounters {
  requests: number;
  /** GET /events/{id}.json calls per event id (found or not). */
  byEvent: Record<string, number>;
  searches: number;
  throttled: number;
  faults: number;
}

export interface DiscoverySandbox {
  url: string;
  /** The value for DISCOVERY_BASE_URL: `${url}/discovery/v2`. */
  baseUrl: string;
  apiKey: string;
  counters: DiscoveryCounters;
  reload(): void;
  setEvent(event: unknown): void;
  removeEvent(eventId: string): void;
  eventIds(): string[];
  setFaults(faults: DiscoveryFaults): void;
  resetCounters(): void;
  stop(): Promise<void>;
}

type Json = Record<string, unknown>;

function isEvent(value: unknown): value is Json & { id: string } {
  return typeof value === 'object' && value !== null && typeof (value as Json).id === 'string';
}

function eventsOf(doc: unknown): (Json & { id: string })[] {
  const embedded = (doc as { _embedded?: { events?: unknown } } | null)?._embedded?.events;
  if (Array.isArray(embedded)) return embedded.filter(isEvent);
  return isEvent(doc) ? [doc] : [];
}

const fault = (status: number, faultstring: string, errorcode: string) => ({
  status,
  body: { fault: { faultstring, detail: { errorcode } } },
});

export async function startDiscoverySandbox(opts: DiscoverySandboxOptions = {}): Promise<DiscoverySandbox> {
  const apiKey = opts.apiKey ?? 'local-discovery-key';
  const random = opts.random ?? Math.random;
  const rate = opts.rateLimitPerSecond ?? 5;
  const limiter = rate > 0 ? new TokenBucket(rate, rate, opts.clock ?? Date.now) : undefined;
  let faults: DiscoveryFaults = { ...opts.faults };
  const events = new Map<string, Json>();
  const counters: DiscoveryCounters = { requests: 0, byEvent: {}, searches: 0, throttled: 0, faults: 0 };

  const reload = (): void => {
    events.clear();
    if (!opts.dir) return;
    for (const file of readdirSync(opts.dir)
      .filter((f) => f.endsWith('.json'))
      .sort()) {
      const doc: unknown = JSON.parse(readFileSync(join(opts.dir, file), 'utf8'));
      for (const event of eventsOf(doc)) events.set(event.id, event);
    }
  };
  reload();

  const server = await startServer(
    'discovery',
    async (req, res) => {
      counters.requests += 1;
      const url = new URL(req.url ?? '/', 'http://sandbox');
      if (faults.latencyMs) await delay(faults.latencyMs);
      if (req.method !== 'GET') {
        sendJson(res, 405, { errors: [{ code: 'DIS1000', detail: 'Method not allowed', status: '405' }] });
        return;
      }
      if (url.searchParams.get('apikey') !== apiKey) {
        const f = fault(401, 'Invalid ApiKey', 'oauth.v2.InvalidApiKey');
        sendJson(res, f.status, f.body);
        return;
      }
      const limited = limiter !== undefined && !limiter.tryTake();
      if (limited || chance(faults.rate429, random)) {
        counters.throttled += 1;
        const f = fault(
          429,
          'Rate limit quota violation. Quota limit exceeded.',
          'policies.ratelimit.QuotaViolation',
        );
        sendJson(res, f.status, f.body, { 'rate-limit-over': '1' });
        return;
      }
      if (chance(faults.rate500, random)) {
        counters.faults += 1;
        sendJson(res, 500, { errors: [{ code: 'DIS1001', detail: 'Internal error', status: '500' }] });
        return;
      }
      const send = (body: unknown): void => {
        if (faults.malformed) {
          const text = JSON.stringify(body);
          res.writeHead(200, { 'content-type': 'application/json;charset=utf-8' });
          res.end(text.slice(0, Math.max(1, Math.floor(text.length / 2))));
          return;
        }
        sendJson(res, 200, body);
      };

      const one = /^\/discovery\/v2\/events\/([^/]+)\.json$/.exec(url.pathname);
      if (one?.[1]) {
        const id = decodeURIComponent(one[1]);
        counters.byEvent[id] = (counters.byEvent[id] ?? 0) + 1;
        const event = events.get(id);
        if (event) {
          send(event);
          return;
        }
        const locale = url.searchParams.get('locale') ?? 'en-us';
        sendJson(res, 404, {
          errors: [
            {
              code: 'DIS1004',
              detail: `Resource not found with provided criteria (locale=${locale}, id=${id})`,
              status: '404',
              _links: { self: { href: `/discovery/v2/events/${id}.json?locale=${locale}` } },
            },
          ],
        });
        return;
      }
      if (url.pathname === '/discovery/v2/events.json') {
        counters.searches += 1;
        send(search(url.searchParams));
        return;
      }
      sendJson(res, 404, { errors: [{ code: 'DIS1004', detail: 'Resource not found', status: '404' }] });
    },
    opts,
  );

  function search(params: URLSearchParams): Json {
    const ids = params.get('id')?.split(',').filter(Boolean);
    const keyword = params.get('keyword')?.toLowerCase();
    const attractionId = params.get('attractionId');
    const venueId = params.get('venueId');
    const matches = [...events.values()].filter((e) => {
      const embedded = (e._embedded ?? {}) as { attractions?: Json[]; venues?: Json[] };
      if (ids && !ids.includes(String(e.id))) return false;
      if (
        keyword &&
        !String(e.name ?? '')
          .toLowerCase()
          .includes(keyword)
      )
        return false;
      if (attractionId && !(embedded.attractions ?? []).some((a) => a.id === attractionId)) return false;
      if (venueId && !(embedded.venues ?? []).some((v) => v.id === venueId)) return false;
      return true;
    });
    const size = Math.min(200, Math.max(1, Number(params.get('size') ?? 20) || 20));
    const number = Math.max(0, Number(params.get('page') ?? 0) || 0);
    const pageEvents = matches.slice(number * size, (number + 1) * size);
    const body: Json = {
      _links: {
        self: { href: `/discovery/v2/events.json?${params.toString().replace(/apikey=[^&]*&?/, '')}` },
      },
      page: { size, totalElements: matches.length, totalPages: Math.ceil(matches.length / size), number },
    };
    if (pageEvents.length > 0) body._embedded = { events: pageEvents };
    return body;
  }

  return {
    url: server.url,
    baseUrl: `${server.url}/discovery/v2`,
    apiKey,
    counters,
    reload,
    setEvent(event) {
      if (!isEvent(event)) throw new TypeError('setEvent needs a Discovery event with an id');
      events.set(event.id, event);
    },
    removeEvent(eventId) {
      events.delete(eventId);
    },
    eventIds: () => [...events.keys()],
    setFaults(next) {
      faults = { ...next };
    },
    resetCounters() {
      Object.assign(counters, { requests: 0, byEvent: {}, searches: 0, throttled: 0, faults: 0 });
    },
    stop: () => server.stop(),
  };
}
