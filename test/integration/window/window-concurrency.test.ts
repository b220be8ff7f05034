/**
 * The window run end to end on the local stack: the real ASL file on aws-local-stepfunctions, every Task
 * bound to its handler module, dynalite, kinesalite and the provider sandboxes.
 */

import { DEMO_WINDOW, seedValidSmsFans, sendsByKey, US_EVENT, useWindowSession } from '#test/helpers/window';

describe('window run: two runs of one window at once', () => {
  const setup = useWindowSession();

  it('sends each notification once when two runs of one window start at once', async () => {
    const { session } = setup;
    await seedValidSmsFans(setup, US_EVENT, 80);
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
