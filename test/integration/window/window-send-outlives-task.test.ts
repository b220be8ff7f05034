/**
 * A Send whose Lambda outlives its Task: Step Functions gives up on the Task (States.Timeout), but nothing
 * stops the invocation, which keeps leasing and handing fans over while the second pass runs the same
 * shard again (on AWS the same happens until the function's own time-out, and after a Lambda service
 * error or a child aborted by its Map Run). The TRIGGERED lease (a conditional update) lets each fan be
 * handed over by one invocation only: no fan gets the reminder twice.
 */
import { DEMO_WINDOW, seedValidSmsFans, sendsByKey, US_EVENT, useWindowSession } from '#test/helpers/window';

const FANS = 60;

describe('window run: a Send that outlives its Task', () => {
  const setup = useWindowSession({ shardCount: 2, pageSize: 10 });

  it('hands each fan over once while the outlived invocation and the second pass send the same shard', async () => {
    const { session } = setup;
    await seedValidSmsFans(setup, US_EVENT, FANS);
    // Slow enough answers that the outlived invocation is still sending when the second pass starts.
    session.stack.sandboxes.sms.setFaults({ latencyMs: 40 });
    const outlived: Array<Promise<unknown>> = [];
    const run = await session.run({
      scheduledTime: DEMO_WINDOW,
      intercept: {
        SendPage: async (input, invoke) => {
          const page = input as { pass: number; page: number; round: number };
          const running = invoke(input);
          if (page.pass !== 1 || page.page !== 1 || page.round !== 0) return running;
          // The Task times out after 100 ms; the invocation goes on.
          outlived.push(running.catch(() => undefined));
          await new Promise((resolve) => setTimeout(resolve, 100));
          const timeout = new Error('Task timed out');
          timeout.name = 'States.Timeout';
          throw timeout;
        },
      },
    });
    await Promise.all(outlived);

    expect(outlived.length).toBeGreaterThan(0);
    expect(run.status).toBe('SUCCEEDED');
    expect(run.trace.some((entry) => entry.state === 'ResumeUnfinished')).toBe(true);
    const sends = sendsByKey(session);
    expect(sends.size).toBeGreaterThan(FANS / 2);
    expect(Math.max(...sends.values())).toBe(1);
  }, 120_000);
});
