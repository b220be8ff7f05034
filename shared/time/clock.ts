/**
 * What time it is, passed to domain code as a dependency: Lambdas read the system clock, tests and the
 * local stack choose their own time.
 */
export interface Clock {
  now(): Date;
}

/** The machine's clock. */
export const systemClock: Clock = { now: () => new Date() };

/** A clock that always answers `instant` (tests, replays). */
export function fixedClock(instant: Date | string): Clock {
  const at = new Date(instant);
  return { now: () => new Date(at) };
}
