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
