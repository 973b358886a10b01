export type Timing = { n: number; p50: number; p95: number; max: number };

/** Nearest-rank percentile of an ascending list. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export function timingOf(samples: number[]): Timing {
  const sorted = [...samples].sort((a, b) => a - b);
  return { n: sorted.length, p50: percentile(sorted, 50), p95: percentile(sorted, 95), max: sorted.at(-1) ?? Number.NaN };
}

/**
 * Runs `fn` `warmup` times unmeasured, then `samples` times, one after another. `settle` (untimed)
 * waits for work a result leaves running (the queue page's streamed summary), so one sample's
 * leftovers never slow the next.
 */
export async function measure<T>(fn: () => Promise<T>, opts: { warmup: number; samples: number }, settle?: (result: T) => Promise<unknown>): Promise<Timing> {
  for (let i = 0; i < opts.warmup; i++) await settle?.(await fn());
  const times: number[] = [];
  for (let i = 0; i < opts.samples; i++) {
    const t0 = performance.now();
    const result = await fn();
    times.push(performance.now() - t0);
    await settle?.(result);
  }
  return timingOf(times);
}

export const ms = (value: number): string => (Number.isFinite(value) ? (value >= 100 ? value.toFixed(0) : value.toFixed(1)) : "–");
export const mb = (bytes: number): string => `${(bytes / 1_048_576).toFixed(0)} MB`;
