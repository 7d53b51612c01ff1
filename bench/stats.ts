/** Summaries of measured samples. Pure; all times in milliseconds. */

export interface LatencySummary {
  n: number;
  p50: number;
  p99: number;
  mean: number;
  max: number;
}

/** Nearest-rank percentile of already sorted values. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] ?? Number.NaN;
}

export function summarize(samples: readonly number[]): LatencySummary {
  const sorted = [...samples].sort((a, b) => a - b);
  const sum = sorted.reduce((total, value) => total + value, 0);
  return {
    n: sorted.length,
    p50: round(percentile(sorted, 50)),
    p99: round(percentile(sorted, 99)),
    mean: round(sum / Math.max(1, sorted.length)),
    max: round(sorted.at(-1) ?? Number.NaN),
  };
}

/** The middle value; the mean of the two middle ones when the count is even. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const middle = sorted.length >> 1;
  const upper = sorted[middle] as number;
  return sorted.length % 2 === 1 ? upper : ((sorted[middle - 1] as number) + upper) / 2;
}

/** Deterministic uniform numbers in [0, 1) (mulberry32), so an interval can be recomputed from the same data. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Interval {
  low: number;
  high: number;
}

/**
 * Percentile bootstrap interval for the median: the values resampled with replacement, the
 * median of each resample, and the middle `confidence` of those medians.
 */
export function bootstrapMedianInterval(
  values: readonly number[],
  options: { resamples?: number; confidence?: number; random?: () => number } = {},
): Interval {
  if (values.length === 0) return { low: Number.NaN, high: Number.NaN };
  const resamples = options.resamples ?? 10_000;
  const confidence = options.confidence ?? 0.95;
  const random = options.random ?? seededRandom(0x13);
  const medians: number[] = [];
  const sample = new Array<number>(values.length);
  for (let r = 0; r < resamples; r += 1) {
    for (let i = 0; i < values.length; i += 1) sample[i] = values[Math.floor(random() * values.length)] as number;
    medians.push(median(sample));
  }
  medians.sort((a, b) => a - b);
  const tail = ((1 - confidence) / 2) * 100;
  return { low: percentile(medians, tail), high: percentile(medians, 100 - tail) };
}

/** A ratio taken round by round (each round measures both sides, in turn), summarised robustly. */
export interface RatioEstimate {
  /** Median of the per-round ratios. */
  median: number;
  /** 95 % percentile-bootstrap interval of that median. */
  low: number;
  high: number;
  /** Each round's ratio, in round order. */
  perRound: number[];
}

export function ratioEstimate(rounds: readonly { numerator: number; denominator: number }[]): RatioEstimate {
  const perRound = rounds.map((r) => r.numerator / r.denominator);
  const interval = bootstrapMedianInterval(perRound);
  return {
    median: round(median(perRound)),
    low: round(interval.low),
    high: round(interval.high),
    perRound: perRound.map((ratio) => round(ratio)),
  };
}

/** Least-squares slope of y over x. */
export function slope(points: readonly { x: number; y: number }[]): number {
  const n = points.length;
  if (n < 2) return 0;
  const meanX = points.reduce((s, p) => s + p.x, 0) / n;
  const meanY = points.reduce((s, p) => s + p.y, 0) / n;
  let covariance = 0;
  let variance = 0;
  for (const { x, y } of points) {
    covariance += (x - meanX) * (y - meanY);
    variance += (x - meanX) ** 2;
  }
  return variance === 0 ? 0 : covariance / variance;
}

/** Three significant decimals are more than any of these measurements can carry. */
export function round(value: number, decimals = 3): number {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
}
