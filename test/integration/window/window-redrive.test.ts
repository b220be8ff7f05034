/**
 * The window run end to end on the local stack: the real ASL file on aws-local-stepfunctions, every Task
 * bound to its handler module, dynalite, kinesalite and the provider sandboxes.
 */
import type { EventRecord } from '#shared/domain/model';
import { type Session, startSession } from '../../../local/session';
import { DEMO_WINDOW, sendsByKey, US_EVENT } from './helpers';

describe('window run: crash and redrive', () => {
  let session: Session;
  let events: EventRecord[];

  beforeAll(async () => {
    session = await startSession({ shardCount: 2, env: { PAGE_SIZE: '25' } });
    events = await session.seedEvents();
  }, 60_000);

  afterAll(async () => {
    await session?.stop();
  });

  it('resumes a run that crashed mid-send with a redrive: every fan at most once, a stuck TRIGGERED record is left alone', async () => {
    await session.seedFans(
      events.filter((event) => event.eventId === US_EVENT),
      60,
      { mix: { invalidShare: 0, landlineShare: 0, failingShare: 0, flakyShare: 0, emailShare: 0 } },
    );
    let crashes = 0;
    const crashed = await session.run({
      scheduledTime: DEMO_WINDOW,
      intercept: {
        // The Lambda runs the page, then dies before returning (an error no Retry matches).
        SendPage: async (input, invoke) => {
          const output = await invoke(input);
          if (crashes++ === 1) {
            const error = new Error('Runtime exited with error: signal: killed');
            error.name = 'Runtime.ExitError';
            throw error;
          }
          return output;
        },
      },
    });
    expect(crashed.status).toBe('FAILED');
    const before = session.stack.sandboxes.sms.counters.accepted;
    expect(before).toBeGreaterThan(0);

    const redriven = await session.redrive(crashed.executionName);
    expect(redriven.status).toBe('SUCCEEDED');
    expect(redriven.redrives).toBe(1);
    const sends = sendsByKey(session);
    expect(sends.size).toBe(60);
    expect(Math.max(...sends.values())).toBe(1);
  });
});
