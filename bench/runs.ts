/** The window scenarios of `npm run bench` besides the scale curve: the pacing runs. */
import { DEMO_FR_EVENT } from '#local/demo';
import type { WindowScenario } from './scenario';

/** Fans of each other event of the window (the small sales). */
export const SMALL_FANS = 200;

/** The window's sports sale (suppressed by the default segments): a third processed sale once allowed. */
export const SPORTS_EVENT = 'vvG1fZ4AsptsX';

/**
 * Seconds from planning to the first hand-over in the pacing runs (SEND_START_SECONDS): every sale's first
 * pages are rendered by then, so the sales start together instead of in the order their renders finish
 * on the one local DynamoDB.
 */
export const PACING_SEND_START_SECONDS = '15';

/**
 * The pacing runs: one minute of the budget each. One sale alone; then three sales of different sizes
 * (6 : 3 : 1) sharing it, with the window's two suppressed sales holding sign-ups too (they get no budget).
 */
export function pacingRuns(
  fans: number,
  mps: number,
): Array<{ label: string; messages: number; scenario: WindowScenario }> {
  const total = Math.min(fans, mps * 60);
  const tenth = Math.max(1, Math.round(total / 10));
  return [
    {
      label: 'one sale',
      messages: total,
      scenario: {
        kind: 'window',
        fans: total,
        smallFans: 0,
        mps,
        floor: false,
        env: { SEND_START_SECONDS: PACING_SEND_START_SECONDS },
      },
    },
    {
      label: 'three sales',
      messages: 10 * tenth,
      scenario: {
        kind: 'window',
        fans: 6 * tenth,
        smallFans: SMALL_FANS,
        mps,
        floor: false,
        fansByEvent: { [DEMO_FR_EVENT]: 3 * tenth, [SPORTS_EVENT]: tenth },
        // The stage's segments plus Sports: the window's sports sale becomes a third processed sale.
        env: {
          ALLOWED_SEGMENTS: 'Music,Arts & Theatre,Sports',
          SEND_START_SECONDS: PACING_SEND_START_SECONDS,
        },
      },
    },
  ];
}
