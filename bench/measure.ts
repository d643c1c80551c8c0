export interface Percentiles {
  p50Ms: number;
  p99Ms: number;
}

const round = (ms: number) => Math.round(ms * 1000) / 1000;

/** Nearest-rank percentile of samples in milliseconds, rounded to the microsecond. */
export function percentile(samples: readonly number[], p: number) {
  const sorted = [...samples].sort((a, b) => a - b);
  return round(
    sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((sorted.length * p) / 100) - 1))] ?? 0,
  );
}

export function percentiles(samples: readonly number[]): Percentiles {
  return { p50Ms: percentile(samples, 50), p99Ms: percentile(samples, 99) };
}

export const median = (samples: readonly number[]) => percentile(samples, 50);

/** Milliseconds one call takes. */
export async function timed<T>(action: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const result = await action();
  return [result, round(performance.now() - started)];
}
