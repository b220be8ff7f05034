/**
 * Shared by the window-run tests: one local-stack session per test file, the demo window of the sample data,
 * seeding shortcuts and counts read from the sandboxes.
 */

import { DEMO_US_EVENT as US_EVENT } from '#local/demo';
import { type Session, startSession } from '#local/session';
import type { LocalRunRecord } from '#local/stepfunctions/types';
import { notificationKeyFromUrl } from '#shared/clients/sms-client';
import type { EventRecord } from '#shared/domain/model';
import type { SaleDetail, WindowSummary } from '#shared/window/summarize';

export { DEMO_FR_EVENT as FR_EVENT, DEMO_US_EVENT as US_EVENT, DEMO_WINDOW } from '#local/demo';

/** Fans that all sign up by SMS with numbers the provider accepts. */
const VALID_SMS_ONLY = {
  invalidShare: 0,
  landlineShare: 0,
  failingShare: 0,
  flakyShare: 0,
  emailShare: 0,
};

export interface WindowSession {
  /** The session started before the file's first test (read it inside tests, not at describe time). */
  readonly session: Session;
  /** The sample Discovery events, loaded into the session. */
  readonly events: EventRecord[];
}

/**
 * Starts a local-stack session with the sample events before the file's tests and stops it after them.
 * `seed` runs once after the events are loaded.
 */
export function useWindowSession(
  options: {
    shardCount?: number;
    pageSize?: number;
    seed?: (session: Session, events: EventRecord[]) => Promise<void>;
  } = {},
): WindowSession {
  const setup: { session?: Session; events?: EventRecord[] } = {};
  beforeAll(async () => {
    setup.session = await startSession({
      shardCount: options.shardCount ?? 2,
      env: { PAGE_SIZE: String(options.pageSize ?? 25) },
    });
    setup.events = await setup.session.seedEvents();
    await options.seed?.(setup.session, setup.events);
  }, 60_000);
  afterAll(async () => {
    await setup.session?.stop();
  });
  return {
    get session() {
      if (!setup.session) throw new Error('the window session is not started yet (read it inside a test)');
      return setup.session;
    },
    get events() {
      if (!setup.events) throw new Error('the sample events are not loaded yet (read them inside a test)');
      return setup.events;
    },
  };
}

/** Signs up `count` fans of one sample event. */
export async function seedFansOf(
  { session, events }: WindowSession,
  eventId: string,
  count: number,
  mix?: Partial<typeof VALID_SMS_ONLY>,
): Promise<void> {
  await session.seedFans(
    events.filter((event) => event.eventId === eventId),
    count,
    mix ? { mix } : undefined,
  );
}

/** Signs up `count` fans of one sample event, all by SMS with numbers the provider accepts. */
export function seedValidSmsFans(setup: WindowSession, eventId: string, count: number): Promise<void> {
  return seedFansOf(setup, eventId, count, VALID_SMS_ONLY);
}

/** One fan of the US sample event who signed up by SMS with this number. */
export async function putSmsFan(session: Session, fanId: string, contact: string): Promise<void> {
  // With a confirmed consent (source seed), as the demo's fans: the window then sends to it.
  await session.seedSignUp({
    eventId: US_EVENT,
    fanId,
    channel: 'SMS',
    contact,
    brand: 'ticketmaster',
    createdAt: new Date().toISOString(),
  });
}

/** The sales of one event a run processed (not suppressed or skipped), from its summary. */
export function processedSales(run: LocalRunRecord, eventId: string): SaleDetail[] {
  return (run.output as WindowSummary).sales.detail.filter(
    (sale) => sale.eventId === eventId && sale.status === 'processed',
  );
}

/** SMS the provider accepted, by notification key (from the ?key= of each message's status callback). */
export function sendsByKey(session: Session): Map<string, number> {
  const counts = new Map<string, number>();
  for (const message of session.stack.sandboxes.sms.messages) {
    const key = message.statusCallback ? notificationKeyFromUrl(message.statusCallback) : undefined;
    if (key) counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

export async function demandCount(session: Session, eventIds: string[]): Promise<number> {
  let total = 0;
  for (const eventId of eventIds) total += await session.repos.demand.count(eventId);
  return total;
}
