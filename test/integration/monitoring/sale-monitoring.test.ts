/**
 * Sales change after fans signed up: the monitoring pass the schedule runs before the window reads them
 * again from Discovery, and the window reminds the sales as they are now. On the local stack, with the
 * sale-monitor handler and the window state machine as deployed.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { monitorPassBefore, type Session, startSession } from '#local/session';
import type { EventRecord } from '#shared/domain/model';
import { FR_EVENT, sendsByKey, US_EVENT, DEMO_WINDOW as WINDOW } from '#test/helpers/window';

const FIXTURES = join(__dirname, '..', '..', 'fixtures', 'discovery');
const MOVED = `${US_EVENT}.presale.verified-fan-presale`;
const ADDED = `${US_EVENT}.presale.fan-club-presale`;

type DiscoveryEvent = {
  id: string;
  dates: { status: { code: string } };
  sales: { presales: Array<{ startDateTime: string; endDateTime?: string; name: string }> };
};

const fixture = (file: string) => JSON.parse(readFileSync(join(FIXTURES, file), 'utf8')) as DiscoveryEvent;

describe('sale monitoring before a window', () => {
  let session: Session;
  let events: EventRecord[];

  beforeAll(async () => {
    // Fans signed up the day before the window.
    session = await startSession({ shardCount: 4, clockStart: '2026-12-07T12:00:00.000Z' });
    events = await session.seedEvents();
    await session.seedFans(
      events.filter((event) => [US_EVENT, FR_EVENT].includes(event.eventId)),
      80,
      { mix: { invalidShare: 0, landlineShare: 0, failingShare: 0, flakyShare: 0 } },
    );
  }, 60_000);

  afterAll(async () => {
    await session?.stop();
  });

  it('plans an added presale, re-keys a moved one out of the window, and suppresses a cancelled event', async () => {
    // Discovery changes after the sign-ups: the verified fan presale moves to 18:00 (another window), a
    // fan club presale is added at 15:15 (this window), and the French event is cancelled.
    const us = fixture('us-music-marisol-reyes.json');
    const verified = us.sales.presales.find((presale) => presale.name === 'Verified Fan Presale');
    if (!verified) throw new Error('fixture without its Verified Fan Presale');
    verified.startDateTime = '2026-12-08T18:00:00Z';
    us.sales.presales.push({
      name: 'Fan Club Presale',
      startDateTime: '2026-12-08T15:15:00Z',
      endDateTime: '2026-12-10T03:00:00Z',
    });
    const fr = fixture('ca-fr-eclaireurs.json');
    fr.dates.status.code = 'cancelled';
    session.stack.sandboxes.discovery.setEvent(us);
    session.stack.sandboxes.discovery.setEvent(fr);

    const report = await session.sync({ at: monitorPassBefore(WINDOW) });
    expect(report.at).toMatch(/^2026-12-08T14:25:/);
    expect(report.moved).toEqual([
      { saleId: MOVED, eventId: US_EVENT, from: '2026-12-08T15:00:00.000Z', to: '2026-12-08T18:00:00.000Z' },
    ]);
    expect(report.added).toEqual([
      { saleId: ADDED, eventId: US_EVENT, startsAt: '2026-12-08T15:15:00.000Z' },
    ]);
    expect(report.cancelled).toEqual([FR_EVENT]);
    expect(report.unreached).toEqual([]);
    expect(report.failed).toEqual([]);

    const run = await session.run({ scheduledTime: WINDOW });
    expect(run.status).toBe('SUCCEEDED');
    const summary = run.output as {
      sales: { detail: Array<{ saleId: string; status: string; reasons: string[] }> };
    };
    const bySale = new Map(summary.sales.detail.map((sale) => [sale.saleId, sale]));
    // The moved sale is not in this window at all; the cancelled event's sale is suppressed.
    expect(bySale.has(MOVED)).toBe(false);
    const frSale = [...bySale.values()].find((sale) => sale.saleId.startsWith(`${FR_EVENT}.`));
    expect(frSale).toMatchObject({
      status: 'suppressed',
      reasons: expect.arrayContaining(['EVENT_CANCELLED']),
    });
    expect(bySale.get(ADDED)).toMatchObject({ status: 'processed' });

    // Every US fan is reminded of the added presale once per channel; nobody of the moved one.
    const signUps = await session.repos.demand.count(US_EVENT);
    expect(signUps).toBeGreaterThan(0);
    const added = await session.lifecycle([ADDED]);
    expect(added.total).toBe(signUps);
    expect(added.byStatus.CREATED ?? 0).toBe(0);
    expect((await session.lifecycle([MOVED])).total).toBe(0);
    const sends = sendsByKey(session);
    expect([...sends.keys()].some((key) => key.startsWith(`${MOVED}#`))).toBe(false);
    expect([...sends.keys()].some((key) => key.startsWith(`${FR_EVENT}.`))).toBe(false);
    expect([...sends.keys()].filter((key) => key.startsWith(`${ADDED}#`)).length).toBeGreaterThan(0);

    // The moved sale is planned by the window of its new time (17:30), not by this one.
    const later = await session.repos.sales.inWindow({
      start: '2026-12-08T18:00:00.000Z',
      end: '2026-12-08T18:30:00.000Z',
    });
    expect(later.map((row) => row.saleId)).toContain(MOVED);
  }, 240_000);
});
