/** Pure statistics of the benchmark: percentiles and per-thousand ratios. */

/** The p-th percentile (0..100) of the samples, nearest-rank method; 0 for no samples. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return 0;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.ceil((Math.min(100, Math.max(0, p)) / 100) * sorted.length);
  return sorted[Math.max(0, rank - 1)] ?? 0;
}

/** `count` per 1,000 of `of` (0 when `of` is 0). */
export function perThousand(count: number, of: number): number {
  return of === 0 ? 0 : (count * 1000) / of;
}

/** Rounds to `digits` decimals (for the table and the JSON). */
export function round(value: number, digits = 2): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

/**
 * Smallest and largest of the samples, in one pass; undefined for none. Not Math.min(...samples): spreading
 * an array passes every element as an argument, and 200,000 acceptance times exceed the call stack.
 */
export function bounds(samples: readonly number[]): { min: number; max: number } | undefined {
  if (samples.length === 0) return undefined;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const sample of samples) {
    if (sample < min) min = sample;
    if (sample > max) max = sample;
  }
  return { min, max };
}
