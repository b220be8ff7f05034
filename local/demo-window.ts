/**
 * The window a demo runs when none is given: chosen from the Discovery data alone, never from today's
 * date, so the bundled samples (and any folder of past payloads) keep working whatever the real date is.
 * The local clock is then set to that window's scheduled time.
 */
import { slotStart } from '#shared/domain/windows';

/**
 * The scheduled time whose window holds the most sales of the events (the earliest such window on a
 * tie): with the bundled samples, the run of 2026-12-08 14:30 UTC and its five sales at 15:00.
 */
export function busiestWindow(
  events: ReadonlyArray<{ sales: ReadonlyArray<{ startsAt: string }> }>,
  leadMinutes: number,
): string | undefined {
  const counts = new Map<string, number>();
  for (const event of events) {
    for (const sale of event.sales) {
      const starts = Date.parse(sale.startsAt);
      if (Number.isNaN(starts)) continue;
      const scheduled = slotStart(new Date(starts - leadMinutes * 60_000));
      counts.set(scheduled, (counts.get(scheduled) ?? 0) + 1);
    }
  }
  let best: string | undefined;
  for (const [scheduled, count] of [...counts].sort(([a], [b]) => a.localeCompare(b))) {
    if (best === undefined || count > (counts.get(best) ?? 0)) best = scheduled;
  }
  return best;
}
