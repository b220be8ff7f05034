/**
 * "Now" for the whole pipeline. Every decision that depends on the time (suppression of started or ended
 * sales, cache ages, leases, deadlines, pacing, the monitoring horizon) reads one `Clock`, injected as a
 * dependency; nothing in `shared/` calls `new Date()` for "now" on its own.
 *
 * On AWS the clock is the real time (`systemClock`). Local runs set the process's clock to the scheduled
 * time of the window being run, advancing at real speed from there (`ShiftedClock`), so a replay of a
 * past window over that day's Discovery data behaves as it would have then, and waits, paces and ages
 * measure the same durations as in production.
 */

export interface Clock {
  now(): Date;
}

/** The real time. */
export const systemClock: Clock = { now: () => new Date() };

/**
 * A clock that reads `origin` at the moment it is created (or last set) and advances with real time.
 * `realMs` is the underlying time source (tests pass a fake one).
 */
export class ShiftedClock implements Clock {
  private offsetMs = 0;

  constructor(
    origin: Date | string,
    private readonly realMs: () => number = Date.now,
  ) {
    this.setTo(origin);
  }

  now(): Date {
    return new Date(this.realMs() + this.offsetMs);
  }

  /** Makes the clock read `instant` now; it keeps advancing at real speed from there. */
  setTo(instant: Date | string): void {
    const ms = instant instanceof Date ? instant.getTime() : Date.parse(instant);
    if (Number.isNaN(ms)) throw new RangeError(`clock origin is not a valid instant: ${String(instant)}`);
    this.offsetMs = ms - this.realMs();
  }

  /** Milliseconds between this clock and the real time (positive: ahead). */
  get offset(): number {
    return this.offsetMs;
  }
}

/** A clock that always answers `instant` (tests, replays). */
export function fixedClock(instant: Date | string): Clock {
  const at = new Date(instant);
  return { now: () => new Date(at) };
}

/** A clock that moves only when told to (unit tests). */
export class ManualClock implements Clock {
  private ms: number;

  constructor(start: Date | string) {
    this.ms = new Date(start).getTime();
    if (Number.isNaN(this.ms)) throw new RangeError(`clock start is not a valid instant: ${String(start)}`);
  }

  now(): Date {
    return new Date(this.ms);
  }

  advance(ms: number): void {
    this.ms += ms;
  }

  set(instant: Date | string): void {
    this.ms = new Date(instant).getTime();
  }
}

let current: Clock = systemClock;

/**
 * The process's clock, read by the handlers: the real time on AWS, whatever `useClock` installed in
 * local runs. `now` is an own function so it can be passed around unbound (`{ now: pipelineClock.now }`).
 */
export const pipelineClock: Clock & { now: () => Date } = {
  now: () => current.now(),
};

/** Installs `clock` as the process's clock (local stack, tests); returns a function restoring the previous one. */
export function useClock(clock: Clock): () => void {
  const previous = current;
  current = clock;
  return () => {
    current = previous;
  };
}
