/** Shared by the window-run tests: the demo window of the sample data and counts read from the sandboxes. */
import { notificationKeyFromUrl } from '#shared/clients/sms-client';
import type { Session } from '../../../local/session';

/** Scheduled time of the demo window (sales starting 2026-12-08 15:00–15:30 UTC). */
export const DEMO_WINDOW = '2026-12-08T14:30:00.000Z';
export const US_EVENT = 'vvG1fZ4Ax3kTpQ';
export const FR_EVENT = 'Z7r9jZ1AeFrCa';

/** SMS the provider accepted, by notification key (from the ?key= of each message's status callback). */
export function sendsByKey(session: Session): Map<string, number> {
  const counts = new Map<string, number>();
  for (const message of session.stack.sandboxes.sms.messages) {
    const key = message.statusCallback ? notificationKeyFromUrl(message.statusCallback) : undefined;
    if (key) counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

export async function demandCount(session: Session, eventIds: string[]): Promise<number> {
  let total = 0;
  for (const eventId of eventIds) total += await session.repos.demand.count(eventId);
  return total;
}
