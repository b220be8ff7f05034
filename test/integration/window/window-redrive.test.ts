/**
 * The window run end to end on the local stack: the real ASL file on aws-local-stepfunctions, every Task
 * bound to its handler module, dynalite, kinesalite and the provider sandboxes.
 */
import { notificationKeyFromUrl } from '#shared/clients/sms-client';
import type { EventRecord } from '#shared/domain/model';
import { type Session, startSession } from '../../../local/session';

const DEMO_WINDOW = '2026-12-08T14:30:00.000Z';
const US_EVENT = 'vvG1fZ4Ax3kTpQ';
const _FR_EVENT = 'Z7r9jZ1AeFrCa';

function sendsByKey(session: Session): Map<string, number> {
  const counts = new Map<string, number>();
  for (const message of session.stack.sandboxes.sms.messages) {
    const key = message.statusCallback ? notificationKeyFromUrl(message.statusCallback) : undefined;
    if (key) counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

async function _demandCount(session: Session, eventIds: string[]): Promise<number> {
  let total = 0;
  for (const eventId of eventIds) total += await session.repos.demand.count(eventId);
  return total;
}

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
