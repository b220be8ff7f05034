/**
 * Discovery API v2 event payloads: a zod schema for the fields this system uses (unknown fields are
 * ignored, optional blocks may be absent or null) and their normalization into an EventRecord with its
 * sales.
 */
import { z } from 'zod';
import { InvalidDiscoveryPayloadError } from '#shared/domain/errors';
import type {
  Artist,
  EventRecord,
  EventStatus,
  Locale,
  Sale,
  UnscheduledSale,
  Venue,
} from '#shared/domain/model';
import { classifySale, foldSaleName } from '#shared/domain/sale-type';

/** ISO-8601 date-time with a zone (Z or offset), as Discovery writes `dateTime`/`startDateTime`. */
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;

const instant = z
  .string()
  .regex(ISO_INSTANT, 'expected an ISO-8601 date-time with a zone, e.g. 2026-12-05T15:00:00Z')
  .refine((value) => !Number.isNaN(Date.parse(value)), 'not a valid date-time');

const localDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD');

// Bounds well above anything Discovery sends, well below DynamoDB's limits (2 KB keys, 400 KB items):
// an oversized field is a malformed payload, not something to store.
const MAX_ID = 128;
const MAX_NAME = 512;
const MAX_TEXT = 4096;
const optionalText = z.string().max(MAX_TEXT, `longer than ${MAX_TEXT} characters`).nullish();
const boundedName = (what: string) =>
  z.string().trim().min(1, `${what} is empty`).max(MAX_NAME, `${what} is longer than ${MAX_NAME} characters`);

const presaleSchema = z.object({
  name: boundedName('presale name'),
  description: optionalText,
  startDateTime: instant,
  endDateTime: instant.nullish(),
  url: optionalText,
});

const publicSaleSchema = z.object({
  startDateTime: instant.nullish(),
  endDateTime: instant.nullish(),
  startTBD: z.boolean().nullish(),
  startTBA: z.boolean().nullish(),
});

const namedRef = z.object({ id: optionalText, name: optionalText });

const classificationSchema = z.object({
  primary: z.boolean().nullish(),
  segment: namedRef.nullish(),
  genre: namedRef.nullish(),
});

const venueSchema = z.object({
  id: optionalText,
  name: optionalText,
  city: z.object({ name: optionalText }).nullish(),
  state: z.object({ stateCode: optionalText, name: optionalText }).nullish(),
  country: z.object({ countryCode: optionalText, name: optionalText }).nullish(),
  timezone: optionalText,
});

const attractionSchema = z.object({
  id: z
    .string()
    .min(1, 'attraction id is empty')
    .max(MAX_ID, `attraction id is longer than ${MAX_ID} characters`),
  name: boundedName('attraction name'),
});

export const discoveryEventSchema = z.object({
  id: z
    .string()
    .min(1, 'event id is empty')
    .max(MAX_ID, `event id is longer than ${MAX_ID} characters`)
    .regex(/^[^#\s/]+$/, "event id must not contain '#', '/' or white space"),
  name: boundedName('event name'),
  type: optionalText,
  url: optionalText,
  locale: optionalText,
  dates: z
    .object({
      start: z
        .object({
          localDate: localDate.nullish(),
          localTime: optionalText,
          dateTime: instant.nullish(),
          dateTBD: z.boolean().nullish(),
          dateTBA: z.boolean().nullish(),
          timeTBA: z.boolean().nullish(),
          noSpecificTime: z.boolean().nullish(),
        })
        .nullish(),
      timezone: optionalText,
      status: z.object({ code: optionalText }).nullish(),
    })
    .nullish(),
  sales: z
    .object({
      public: publicSaleSchema.nullish(),
      presales: z.array(presaleSchema).nullish(),
    })
    .nullish(),
  classifications: z.array(classificationSchema).nullish(),
  _embedded: z
    .object({
      venues: z.array(venueSchema).nullish(),
      attractions: z.array(attractionSchema).nullish(),
    })
    .nullish(),
});

export type DiscoveryEvent = z.infer<typeof discoveryEventSchema>;

/** `['dates', 'start', 'dateTime']` → `dates.start.dateTime`; `['sales', 'presales', 1]` → `sales.presales[1]`. */
export function formatPath(path: ReadonlyArray<PropertyKey>, prefix = ''): string {
  let out = prefix;
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out === '' ? '(root)' : out;
}

function rawEventId(json: unknown): string | undefined {
  if (typeof json === 'object' && json !== null && 'id' in json) {
    const id = (json as { id: unknown }).id;
    if (typeof id === 'string' && id !== '') return id;
  }
  return undefined;
}

/** Parse and normalize one Discovery event. `pathPrefix` places it inside a search response. */
function parseEventAt(json: unknown, pathPrefix: string): EventRecord {
  const eventId = rawEventId(json);
  const result = discoveryEventSchema.safeParse(json);
  if (!result.success) {
    const issue = result.error.issues[0];
    const path = formatPath(issue?.path ?? [], pathPrefix);
    // An id is echoed in the message only as far as it can be an id: a huge one would flood the logs.
    const shownId =
      eventId && eventId.length > 64 ? `${eventId.slice(0, 32)}… (${eventId.length} chars)` : eventId;
    const what = shownId ? `event ${shownId}` : 'event';
    const missing = issue?.code === 'invalid_type' && /received undefined$/.test(issue.message);
    const reason = missing ? 'required field is missing' : (issue?.message ?? 'invalid payload');
    throw new InvalidDiscoveryPayloadError(
      `Invalid Discovery ${what} at ${path}: ${reason}`,
      { path, eventId },
      { cause: result.error },
    );
  }
  return normalizeEvent(result.data);
}

/** One Discovery event (the body of GET /discovery/v2/events/{id}). Throws InvalidDiscoveryPayloadError. */
export function parseDiscoveryEvent(json: unknown): EventRecord {
  return parseEventAt(json, '');
}

/**
 * One event or a search response (`_embedded.events`). A bad event in a search response does not stop
 * the others: it is returned in `errors` with its path (`_embedded.events[3].sales...`) and id.
 * A search response without `_embedded` is an empty result page.
 */
export function parseDiscoveryDocument(json: unknown): {
  events: EventRecord[];
  errors: InvalidDiscoveryPayloadError[];
} {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    return {
      events: [],
      errors: [
        new InvalidDiscoveryPayloadError('Not a Discovery event or search response: expected a JSON object', {
          path: '(root)',
        }),
      ],
    };
  }
  const doc = json as Record<string, unknown>;
  const embedded = doc._embedded;
  const hasEmbeddedEvents = typeof embedded === 'object' && embedded !== null && 'events' in embedded;
  // An empty result page has `page` (and `_links`) but no `_embedded` and, unlike an event, no id or name.
  const isEmptyPage = !hasEmbeddedEvents && 'page' in doc && !('id' in doc) && !('name' in doc);
  if (isEmptyPage) return { events: [], errors: [] };
  if (!hasEmbeddedEvents) {
    try {
      return { events: [parseDiscoveryEvent(json)], errors: [] };
    } catch (error: unknown) {
      if (error instanceof InvalidDiscoveryPayloadError) return { events: [], errors: [error] };
      throw error;
    }
  }
  const rawEvents = (embedded as { events: unknown }).events;
  if (!Array.isArray(rawEvents)) {
    return {
      events: [],
      errors: [
        new InvalidDiscoveryPayloadError(
          'Invalid Discovery search response at _embedded.events: expected an array',
          {
            path: '_embedded.events',
          },
        ),
      ],
    };
  }
  const events: EventRecord[] = [];
  const errors: InvalidDiscoveryPayloadError[] = [];
  rawEvents.forEach((raw: unknown, index) => {
    try {
      events.push(parseEventAt(raw, `_embedded.events[${index}]`));
    } catch (error: unknown) {
      if (error instanceof InvalidDiscoveryPayloadError) errors.push(error);
      else throw error;
    }
  });
  return { events, errors };
}

// ---------------------------------------------------------------------------------------------------------
// Normalization

const STATUS_CODES: Record<string, EventStatus> = {
  onsale: 'onsale',
  offsale: 'offsale',
  cancelled: 'cancelled',
  canceled: 'cancelled',
  postponed: 'postponed',
  rescheduled: 'rescheduled',
};

function eventStatus(code: string | null | undefined): EventStatus {
  return STATUS_CODES[(code ?? '').trim().toLowerCase()] ?? 'unknown';
}

/** Discovery locale ("en-us", "fr-ca", "en-us,fr-ca"...) and venue country → one of our locales. */
export function mapLocale(
  discoveryLocale: string | null | undefined,
  countryCode: string | undefined,
): Locale {
  const first =
    (discoveryLocale ?? '')
      .split(/[,;\s]/)[0]
      ?.trim()
      .toLowerCase()
      .replace('_', '-') ?? '';
  const language = first.split('-')[0];
  if (countryCode === 'CA') return language === 'fr' ? 'fr-ca' : 'en-ca';
  if (first === 'fr-ca') return 'fr-ca';
  if (first === 'en-ca') return 'en-ca';
  return 'en-us';
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

const CA_PROVINCE_ZONES: Record<string, string> = {
  BC: 'America/Vancouver',
  YT: 'America/Whitehorse',
  AB: 'America/Edmonton',
  NT: 'America/Yellowknife',
  SK: 'America/Regina',
  MB: 'America/Winnipeg',
  NU: 'America/Iqaluit',
  ON: 'America/Toronto',
  QC: 'America/Toronto',
  NB: 'America/Moncton',
  NS: 'America/Halifax',
  PE: 'America/Halifax',
  NL: 'America/St_Johns',
};

const US_STATE_ZONES: Record<string, string> = {
  HI: 'Pacific/Honolulu',
  AK: 'America/Anchorage',
  AZ: 'America/Phoenix',
  ...Object.fromEntries(['CA', 'WA', 'OR', 'NV'].map((s) => [s, 'America/Los_Angeles'])),
  ...Object.fromEntries(['CO', 'UT', 'NM', 'MT', 'WY', 'ID'].map((s) => [s, 'America/Denver'])),
  ...Object.fromEntries(
    ['TX', 'IL', 'MN', 'WI', 'MO', 'LA', 'TN', 'AL', 'MS', 'OK', 'KS', 'NE', 'IA', 'AR', 'ND', 'SD'].map(
      (s) => [s, 'America/Chicago'],
    ),
  ),
};

/** dates.timezone, else the venue's, else a zone guessed from country/state, else UTC. */
function eventTimezone(
  datesZone: string | null | undefined,
  venueZone: string | null | undefined,
  countryCode: string | undefined,
  stateCode: string | undefined,
): string {
  for (const zone of [datesZone, venueZone]) {
    if (zone && isTimeZone(zone)) return zone;
  }
  if (countryCode === 'CA') return CA_PROVINCE_ZONES[stateCode ?? ''] ?? 'America/Toronto';
  if (countryCode === 'US') return US_STATE_ZONES[stateCode ?? ''] ?? 'America/New_York';
  return 'UTC';
}

/** Discovery writes placeholder dates such as 1900-01-01T06:00:00Z for an unknown public on-sale. */
function isPlaceholderInstant(value: string): boolean {
  return new Date(value).getUTCFullYear() < 1971;
}

function toInstant(value: string): string {
  return new Date(value).toISOString();
}

const MAX_SLUG = 60;

/** A saleId-safe slug: ASCII lower case words joined by '-'. */
export function slugify(name: string): string {
  const slug = foldSaleName(name).replace(/ /g, '-');
  const capped = slug.length > MAX_SLUG ? slug.slice(0, MAX_SLUG).replace(/-[^-]*$/, '') : slug;
  return capped || 'presale';
}

function compactInstant(iso: string): string {
  // 2026-12-05T15:00:00.000Z → 20261205T1500Z (seconds kept when not zero)
  const [date = '', time = ''] = iso.split('T');
  const [hh = '00', mm = '00', ss = '00'] = time.replace(/\..*$/, '').replace('Z', '').split(':');
  return `${date.replace(/-/g, '')}T${hh}${mm}${ss === '00' ? '' : ss}Z`;
}

function presaleIds(eventId: string, presales: Array<{ name: string; startsAt: string }>): string[] {
  const slugs = presales.map((p) => slugify(p.name));
  const slugCount = new Map<string, number>();
  for (const slug of slugs) slugCount.set(slug, (slugCount.get(slug) ?? 0) + 1);
  const base = presales.map((p, i) => {
    const slug = slugs[i] ?? 'presale';
    return (slugCount.get(slug) ?? 0) > 1 ? `${slug}.${compactInstant(p.startsAt)}` : slug;
  });
  // Same name and same start (a repeated entry): number them in document order.
  const seen = new Map<string, number>();
  return base.map((id) => {
    const n = (seen.get(id) ?? 0) + 1;
    seen.set(id, n);
    return `${eventId}.presale.${n === 1 ? id : `${id}-${n}`}`;
  });
}

export const PUBLIC_SALE_NAME = 'Public Onsale';

/** The public sale when Discovery lists one without a start that can be scheduled. */
function unscheduledPublicSale(event: DiscoveryEvent): UnscheduledSale | undefined {
  const pub = event.sales?.public;
  if (!pub) return undefined;
  const base = { saleId: `${event.id}.public`, name: PUBLIC_SALE_NAME };
  if (pub.startDateTime && isPlaceholderInstant(pub.startDateTime)) {
    return { ...base, reason: 'ONSALE_DATE_PLACEHOLDER', startDateTime: pub.startDateTime };
  }
  if (pub.startTBD || pub.startTBA) {
    return {
      ...base,
      reason: 'ONSALE_DATE_TBD',
      ...(pub.startDateTime ? { startDateTime: pub.startDateTime } : {}),
    };
  }
  return undefined;
}

function normalizeSales(event: DiscoveryEvent): Sale[] {
  const sales: Sale[] = [];
  const pub = event.sales?.public;
  if (pub?.startDateTime && !pub.startTBD && !pub.startTBA && !isPlaceholderInstant(pub.startDateTime)) {
    sales.push({
      saleId: `${event.id}.public`,
      eventId: event.id,
      name: PUBLIC_SALE_NAME,
      type: 'public',
      startsAt: toInstant(pub.startDateTime),
      ...(pub.endDateTime ? { endsAt: toInstant(pub.endDateTime) } : {}),
    });
  }
  const presales = (event.sales?.presales ?? []).map((p) => ({
    name: p.name.trim(),
    startsAt: toInstant(p.startDateTime),
    endsAt: p.endDateTime ? toInstant(p.endDateTime) : undefined,
  }));
  const ids = presaleIds(event.id, presales);
  presales.forEach((p, i) => {
    sales.push({
      saleId: ids[i] ?? `${event.id}.presale.${i}`,
      eventId: event.id,
      name: p.name,
      type: classifySale(p.name),
      startsAt: p.startsAt,
      ...(p.endsAt ? { endsAt: p.endsAt } : {}),
    });
  });
  return sales.sort((a, b) => a.startsAt.localeCompare(b.startsAt) || a.saleId.localeCompare(b.saleId));
}

function normalizeVenue(raw: z.infer<typeof venueSchema> | undefined): Venue | undefined {
  if (!raw) return undefined;
  const city = raw.city?.name?.trim() || undefined;
  const countryCode = raw.country?.countryCode?.trim().toUpperCase() || undefined;
  const name = raw.name?.trim() || city;
  if (!name && !countryCode) return undefined;
  const venue: Venue = { name: name ?? 'TBA' };
  if (raw.id) venue.id = raw.id;
  if (city) venue.city = city;
  const stateCode = raw.state?.stateCode?.trim().toUpperCase();
  if (stateCode) venue.stateCode = stateCode;
  if (countryCode) venue.countryCode = countryCode;
  if (raw.timezone && isTimeZone(raw.timezone)) venue.timezone = raw.timezone;
  return venue;
}

function defaultEventUrl(eventId: string, countryCode: string | undefined): string {
  const host = countryCode === 'CA' ? 'www.ticketmaster.ca' : 'www.ticketmaster.com';
  return `https://${host}/event/${eventId}`;
}

/** The event's page as Discovery gives it, when it is an absolute http(s) URL. */
function httpUrl(value: string | null | undefined): string | undefined {
  const trimmed = value?.trim();
  if (!trimmed || !URL.canParse(trimmed)) return undefined;
  const { protocol } = new URL(trimmed);
  return protocol === 'https:' || protocol === 'http:' ? trimmed : undefined;
}

function normalizeEvent(event: DiscoveryEvent): EventRecord {
  const rawVenue = event._embedded?.venues?.[0] ?? undefined;
  const venue = normalizeVenue(rawVenue);
  const primary =
    event.classifications?.find((c) => c.primary === true) ?? event.classifications?.[0] ?? undefined;
  const segment = primary?.segment?.name?.trim();
  const genre = primary?.genre?.name?.trim();
  const start = event.dates?.start;
  const dateUnknown = start?.dateTBA === true || start?.dateTBD === true;
  const artists: Artist[] = (event._embedded?.attractions ?? []).map((a) => ({
    id: a.id,
    name: a.name.trim(),
  }));

  const record: EventRecord = {
    eventId: event.id,
    name: event.name.trim(),
    url: httpUrl(event.url) ?? defaultEventUrl(event.id, venue?.countryCode),
    locale: mapLocale(event.locale, venue?.countryCode),
    timezone: eventTimezone(event.dates?.timezone, rawVenue?.timezone, venue?.countryCode, venue?.stateCode),
    status: eventStatus(event.dates?.status?.code),
    artists,
    sales: normalizeSales(event),
  };
  // Discovery marks unknown classification levels "Undefined".
  if (segment && segment !== 'Undefined') record.segment = segment;
  if (genre && genre !== 'Undefined') record.genre = genre;
  if (!dateUnknown && start?.dateTime) record.startsAt = toInstant(start.dateTime);
  if (!dateUnknown && start?.localDate) record.localDate = start.localDate;
  if (venue) record.venue = venue;
  const unscheduled = unscheduledPublicSale(event);
  if (unscheduled) record.unscheduledSales = [unscheduled];
  return record;
}
