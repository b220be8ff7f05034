/**
 * The window run end to end on the local stack: the real ASL file on aws-local-stepfunctions, every Task
 * bound to its handler module, dynalite, kinesalite and the provider sandboxes.
 */
import type { EventRecord } from '#shared/domain/model';
import { type Session, startSession } from '../../../local/session';
import { DEMO_WINDOW, sendsByKey, US_EVENT } from './helpers';

describe('window run: two runs of one window at once', () => {
  let session: Session;
  let events: EventRecord[];

  beforeAll(async () => {
    session = await startSession({ shardCount: 2, env: { PAGE_SIZE: '25' } });
    events = await session.seedEvents();
  }, 60_000);

  afterAll(async () => {
    await session?.stop();
  });

  it('sends each notification once when two runs of one window start at once', async () => {
    await session.seedFans(
      events.filter((event) => event.eventId === US_EVENT),
      80,
      { mix: { invalidShare: 0, landlineShare: 0, failingShare: 0, flakyShare: 0, emailShare: 0 } },
    );
    const [a, b] = await Promise.all([
      session.run({ scheduledTime: DEMO_WINDOW, executionName: 'window-a' }),
      session.run({ scheduledTime: DEMO_WINDOW, executionName: 'window-b' }),
    ]);
    expect([a.status, b.status]).toEqual(['SUCCEEDED', 'SUCCEEDED']);
    const sends = sendsByKey(session);
    expect(sends.size).toBe(80);
    expect(Math.max(...sends.values())).toBe(1);
    const triggered = [a, b].map(
      (run) => (run.output as { notifications: { triggered: number } }).notifications.triggered,
    );
    expect((triggered[0] ?? 0) + (triggered[1] ?? 0)).toBe(80);
  });
});
