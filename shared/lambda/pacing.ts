/**
 * A sender's turns across its calls: turn k is due at `from + k / perSecond` (ms of the caller's clock),
 * so the time between two calls (rendering the next page, the state machine's transitions) is made up by
 * the next call instead of lost. `paced` advances it in place.
 */
export interface PaceSchedule {
  from: number;
  turns: number;
}

/**
 * Runs tasks at no more than `perSecond` starts per second and `maxInFlight` at once: the provider's
 * throughput budget split over the map iterations running in parallel. With a `schedule`, turns continue
 * it; a sender that fell behind catches up at most `maxLagMs` worth of turns at once (default 250 ms), so
 * a stall never turns into a burst the provider would refuse.
 */
export async function paced<T, R>(
  items: readonly T[],
  options: {
    perSecond: number;
    maxInFlight: number;
    sleep?: (ms: number) => Promise<void>;
    /** The time the turns are counted in (default the system clock; a replayed window's clock). */
    now?: () => number;
    /** Instant (of `now`) after which no task waits for its turn any more: their deadline passed. */
    stopWaitingAt?: number;
    schedule?: PaceSchedule;
    maxLagMs?: number;
  },
  task: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const interval = 1000 / Math.max(options.perSecond, 0.001);
  const results: R[] = new Array(items.length);
  const clock = options.now ?? Date.now;
  const schedule = options.schedule ?? { from: clock(), turns: 0 };
  const maxLag = options.maxLagMs ?? 250;
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      const now = clock();
      const turn = schedule.turns++;
      let at = schedule.from + turn * interval;
      if (at < now - maxLag) {
        // Behind by more than maxLag: the schedule moves on, the turns missed are not made up.
        schedule.from += now - maxLag - at;
        at = now - maxLag;
      }
      const due = Math.min(at, options.stopWaitingAt ?? Number.POSITIVE_INFINITY) - now;
      if (due > 0) await sleep(due);
      results[index] = await task(items[index] as T, index);
    }
  };
  const workers = Math.max(1, Math.min(options.maxInFlight, items.length));
  await Promise.all(Array.from({ length: workers }, worker));
  return results;
}

/** Maps with bounded concurrency (DynamoDB writes of one page). */
export function mapConcurrent<T, R>(
  items: readonly T[],
  concurrency: number,
  task: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  return paced(items, { perSecond: Number.POSITIVE_INFINITY, maxInFlight: concurrency }, task);
}
