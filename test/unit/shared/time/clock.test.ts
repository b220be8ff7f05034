import { ManualClock, pipelineClock, ShiftedClock, systemClock, useClock } from '#shared/time/clock';

describe('ShiftedClock', () => {
  it('reads its origin when created and advances with real time from there', () => {
    let real = Date.parse('2030-06-01T12:00:00.000Z');
    const clock = new ShiftedClock('2022-03-22T13:30:00.000Z', () => real);
    expect(clock.now().toISOString()).toBe('2022-03-22T13:30:00.000Z');
    real += 90_000;
    expect(clock.now().toISOString()).toBe('2022-03-22T13:31:30.000Z');
  });

  it('can be set to another instant and keeps advancing from it', () => {
    let real = 1_000_000;
    const clock = new ShiftedClock('2026-12-08T14:30:00.000Z', () => real);
    real += 5_000;
    clock.setTo('2026-12-09T14:30:00.000Z');
    expect(clock.now().toISOString()).toBe('2026-12-09T14:30:00.000Z');
    real += 1_000;
    expect(clock.now().toISOString()).toBe('2026-12-09T14:30:01.000Z');
  });

  it('refuses an origin that is not an instant, naming it', () => {
    expect(() => new ShiftedClock('tomorrow')).toThrow('clock origin is not a valid instant: tomorrow');
  });
});

describe('pipelineClock', () => {
  it('is the real time unless a clock is installed, and the previous clock comes back on restore', () => {
    const before = Date.now();
    expect(pipelineClock.now().getTime()).toBeGreaterThanOrEqual(before);
    const restore = useClock(new ManualClock('2022-03-22T13:30:00.000Z'));
    // Passed around unbound, as the handlers do.
    const { now } = pipelineClock;
    expect(now().toISOString()).toBe('2022-03-22T13:30:00.000Z');
    restore();
    expect(Math.abs(pipelineClock.now().getTime() - systemClock.now().getTime())).toBeLessThan(1000);
  });
});

describe('ManualClock', () => {
  it('moves only when advanced', () => {
    const clock = new ManualClock('2026-12-08T14:30:00.000Z');
    expect(clock.now().toISOString()).toBe('2026-12-08T14:30:00.000Z');
    clock.advance(60_000);
    expect(clock.now().toISOString()).toBe('2026-12-08T14:31:00.000Z');
  });
});
