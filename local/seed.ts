/**
 * Seeds the local stack the way production fills it: events through the event cache (Discovery →
 * events and sales tables), and fans' sign-ups in the demand table. The generated fans are a realistic
 * mix: locales, channels and brands, sign-ups repeated, some invalid numbers and some numbers the SMS
 * sandbox treats as landlines or as failing, so every path of the lifecycle shows in a run. The seeded
 * fans' contacts come with a confirmed consent recorded as source `seed` (demo data: the owner of a
 * generated number never replied YES), so the demo's windows send.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  BatchWriteCommand,
  type BatchWriteCommandOutput,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import type { ConsentRecord } from '#shared/data/consents-repository';
import type { DemandRepository } from '#shared/data/demand-repository';
import { CONSENT_TEXT_VERSION } from '#shared/domain/consent';
import { hashContact, normalizeContact } from '#shared/domain/contacts';
import { parseDiscoveryDocument } from '#shared/domain/discovery';
import type { Brand, Channel, EventRecord, Locale } from '#shared/domain/model';
import type { EventCache } from '#shared/events/event-cache';
import type { SmsOutcome } from './sandboxes/sms';

/** Every event of the Discovery JSON files of a folder (each file one event or a search response). */
export async function readDiscoveryDir(dir: string): Promise<{ events: EventRecord[]; errors: string[] }> {
  const files = (await readdir(dir)).filter((file) => file.endsWith('.json')).sort();
  const events = new Map<string, EventRecord>();
  const errors: string[] = [];
  for (const file of files) {
    let json: unknown;
    try {
      json = JSON.parse(await readFile(join(dir, file), 'utf8'));
    } catch (error: unknown) {
      errors.push(`${file}: not JSON (${(error as Error).message})`);
      continue;
    }
    const parsed = parseDiscoveryDocument(json);
    for (const event of parsed.events) events.set(event.eventId, event);
    for (const error of parsed.errors) errors.push(`${file}: ${error.message}`);
  }
  return { events: [...events.values()], errors };
}

/** Loads each event through the cache: one Discovery call each, sales written to the sales table. */
export async function seedEvents(cache: EventCache, eventIds: string[]): Promise<void> {
  for (const eventId of eventIds) await cache.refresh(eventId);
}

export interface FanMix {
  /** Share of sign-ups by email (the rest by SMS). */
  emailShare: number;
  /** Share of sign-ups repeated (same fan, event and channel signing up again). */
  repeatShare: number;
  /** Share of SMS sign-ups with a number that is not a valid US/CA mobile number. */
  invalidShare: number;
  /** Numbers the SMS sandbox answers with a permanent error (landline, 30006). */
  landlineShare: number;
  /** Numbers whose sends always fail with HTTP 500 (three attempts, then FAILED). */
  failingShare: number;
  /** Numbers whose first send fails with HTTP 500 and the second succeeds. */
  flakyShare: number;
}

export const DEFAULT_FAN_MIX: FanMix = {
  emailShare: 0.2,
  repeatShare: 0.02,
  invalidShare: 0.01,
  landlineShare: 0.005,
  failingShare: 0.002,
  flakyShare: 0.005,
};

/** Every fan by SMS with a number the provider accepts, signing up once: runs where nothing may fail. */
export const VALID_SMS_ONCE_FAN_MIX: FanMix = {
  emailShare: 0,
  repeatShare: 0,
  invalidShare: 0,
  landlineShare: 0,
  failingShare: 0,
  flakyShare: 0,
};

export interface SeededFans {
  signUps: number;
  demandRecords: number;
  /** Scripted SMS sandbox outcomes for the generated problem numbers (E.164 → outcome(s)). */
  perNumber: Record<string, SmsOutcome | SmsOutcome[]>;
  byEvent: Record<string, number>;
}

const AREA_CODES: Record<'US' | 'CA', number[]> = {
  US: [212, 312, 415, 617, 646, 702, 718, 305, 206, 512],
  CA: [416, 514, 604, 613, 403, 438, 647, 902],
};

/** Small deterministic PRNG (mulberry32): the same seed gives the same fans. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function phoneNumber(country: 'US' | 'CA', random: () => number): string {
  const areas = AREA_CODES[country];
  const area = areas[Math.floor(random() * areas.length)] ?? 212;
  // Exchange 201-989 without N11 codes, subscriber any four digits.
  let exchange = 201 + Math.floor(random() * 789);
  if (exchange % 100 === 11) exchange += 1;
  const subscriber = String(Math.floor(random() * 10_000)).padStart(4, '0');
  return `+1${area}${exchange}${subscriber}`;
}

/**
 * Writes `count` sign-ups spread over `events` (first events get more, as real demand is skewed) in
 * BatchWriteItem calls of 25.
 */
export async function seedFans(options: {
  documents: DynamoDBDocumentClient;
  demand: DemandRepository;
  tableName: string;
  events: EventRecord[];
  count: number;
  seed?: number;
  mix?: Partial<FanMix>;
  /** Fan ids start after this offset (to add fans to an existing set). */
  offset?: number;
  /** The consents table: each sign-up's contact gets a CONFIRMED consent with source `seed`. */
  consentsTable?: string;
}): Promise<SeededFans> {
  const mix = { ...DEFAULT_FAN_MIX, ...options.mix };
  const random = prng(options.seed ?? 20261128);
  const perNumber: Record<string, SmsOutcome | SmsOutcome[]> = {};
  const byEvent: Record<string, number> = {};
  const items = new Map<string, Record<string, unknown>>();
  const consents = new Map<string, ConsentRecord>();
  let signUps = 0;
  const createdAt = new Date().toISOString();
  const events = options.events;
  if (events.length === 0) return { signUps: 0, demandRecords: 0, perNumber, byEvent };
  for (let i = 0; i < options.count; i++) {
    const event = events[i % events.length] as EventRecord;
    const fanId = `fan-${String((options.offset ?? 0) + i + 1).padStart(7, '0')}`;
    const channel: Channel = random() < mix.emailShare ? 'EMAIL' : 'SMS';
    const country = event.venue?.countryCode === 'CA' ? 'CA' : 'US';
    const locale: Locale | undefined =
      event.locale === 'fr-ca'
        ? random() < 0.7
          ? 'fr-ca'
          : 'en-ca'
        : random() < 0.1
          ? (['en-us', 'en-ca', 'fr-ca'] as const)[Math.floor(random() * 3)]
          : undefined;
    const brand: Brand = random() < 0.7 ? 'ticketmaster' : 'livenation';
    let contact: string;
    if (channel === 'EMAIL') {
      contact = `${fanId}@example.com`;
    } else {
      contact = phoneNumber(country, random);
      const outcome = problemOutcome(random(), mix);
      if (outcome === 'invalid') contact = `+1 555 01${String(i % 100).padStart(2, '0')}`;
      else if (outcome !== undefined) perNumber[contact] = outcome;
    }
    const item = options.demand.toItem({
      eventId: event.eventId,
      fanId,
      channel,
      contact,
      brand,
      createdAt,
      ...(locale ? { locale } : {}),
    });
    if (options.consentsTable) {
      const consent = seedConsent({ fanId, channel, contact, locale: locale ?? event.locale }, createdAt);
      consents.set(`${consent.contactHash}|${fanId}`, consent);
    }
    const repeats = random() < mix.repeatShare ? 2 : 1;
    signUps += repeats;
    items.set(`${item.pk}|${item.sk}`, item as unknown as Record<string, unknown>);
    byEvent[event.eventId] = (byEvent[event.eventId] ?? 0) + 1;
  }
  await batchPut(options.documents, options.tableName, [...items.values()]);
  if (options.consentsTable) {
    await batchPut(options.documents, options.consentsTable, [...consents.values()] as unknown as Array<
      Record<string, unknown>
    >);
  }
  return { signUps, demandRecords: items.size, perNumber, byEvent };
}

/** A CONFIRMED consent with source `seed` for a generated sign-up (demo and test data only). */
export function seedConsent(
  signUp: { fanId: string; channel: Channel; contact: string; locale: Locale },
  at: string,
): ConsentRecord {
  return {
    contactHash: hashContact(seedContact(signUp.channel, signUp.contact)),
    fanId: signUp.fanId,
    channel: signUp.channel,
    status: 'CONFIRMED',
    textVersion: CONSENT_TEXT_VERSION,
    locale: signUp.locale,
    requestedAt: at,
    confirmedAt: at,
    source: 'seed',
    originHash: hashContact('origin|seed'),
  };
}

/** The contact as the window hashes it (normalized; an invalid one as written). */
function seedContact(channel: Channel, contact: string): string {
  try {
    return normalizeContact(channel, contact);
  } catch {
    return contact;
  }
}

/** Which problem, if any, a generated SMS number has (by a uniform roll against the mix's shares). */
function problemOutcome(roll: number, mix: FanMix): 'invalid' | SmsOutcome | SmsOutcome[] | undefined {
  const bands: Array<[number, 'invalid' | SmsOutcome | SmsOutcome[]]> = [
    [mix.invalidShare, 'invalid'],
    [mix.landlineShare, 30006],
    [mix.failingShare, [500, 500, 500]],
    [mix.flakyShare, [500, 'ok']],
  ];
  let threshold = 0;
  for (const [share, outcome] of bands) {
    threshold += share;
    if (roll < threshold) return outcome;
  }
  return undefined;
}

async function batchPut(
  documents: DynamoDBDocumentClient,
  tableName: string,
  items: Array<Record<string, unknown>>,
): Promise<void> {
  const batches: Array<Array<Record<string, unknown>>> = [];
  for (let i = 0; i < items.length; i += 25) batches.push(items.slice(i, i + 25));
  let next = 0;
  const worker = async () => {
    while (next < batches.length) {
      let pending: Array<Record<string, unknown>> | undefined = (batches[next++] ?? []).map((Item) => ({
        PutRequest: { Item },
      }));
      for (let round = 0; pending && pending.length > 0; round++) {
        if (round > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 50 * 2 ** round)));
        const result: BatchWriteCommandOutput = await documents.send(
          new BatchWriteCommand({ RequestItems: { [tableName]: pending } }),
        );
        pending = result.UnprocessedItems?.[tableName];
      }
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
}
