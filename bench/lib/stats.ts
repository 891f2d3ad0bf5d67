// Order statistics for benchmark samples: medians of runs, percentiles of latencies.

/** Linear-interpolated percentile (p in 0..100) of the samples; NaN when there are none. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (rank - lo);
}

const median = (samples: readonly number[]): number => percentile(samples, 50);

export interface Summary {
  median: number;
  min: number;
  max: number;
  runs: number[];
}

/** Median with min and max of one figure's per-run values (NaN runs are kept, then ignored). */
export function summarize(runs: readonly number[]): Summary {
  const ok = runs.filter((v) => Number.isFinite(v));
  return {
    median: round(median(ok)),
    min: round(ok.length ? Math.min(...ok) : NaN),
    max: round(ok.length ? Math.max(...ok) : NaN),
    runs: runs.map(round),
  };
}

/** Three significant decimals at most: results.json stays readable. */
function round(v: number): number {
  if (!Number.isFinite(v)) return v;
  const digits = Math.abs(v) >= 100 ? 0 : Math.abs(v) >= 1 ? 2 : 3;
  return Number(v.toFixed(digits));
}
