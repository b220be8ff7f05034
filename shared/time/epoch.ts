/** Whole-second epoch times, as DynamoDB TTL attributes and signed links carry them. */

export const DAY_SECONDS = 24 * 3600;

/** Epoch seconds `days` days after the instant `ms` (milliseconds since the epoch). */
export function epochSecondsAfterDays(ms: number, days: number): number {
  return Math.floor(ms / 1000) + days * DAY_SECONDS;
}
