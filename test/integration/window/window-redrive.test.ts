/**
 * The window run end to end on the local stack: the real ASL file on aws-local-stepfunctions, every Task
 * bound to its handler module, dynalite, kinesalite and the provider sandboxes.
 */

import {
  DEMO_WINDOW,
  seedFansOf,
  sendsByKey,
  US_EVENT,
  useWindowSession,
  VALID_SMS_ONLY,
} from '#test/helpers/window';

describe('window run: crash and redrive', () => {
  const setup = useWindowSession();

  it('resumes a run that crashed mid-send with a redrive: every fan at most once, a stuck TRIGGERED record is left alone', async () => {
    const { session } = setup;
    await seedFansOf(setup, US_EVENT, 60, VALID_SMS_ONLY);
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
