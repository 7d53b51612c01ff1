import { describe, expect, it } from "vitest";
import { interleavedRounds } from "../../bench/rounds.ts";
import { bootstrapMedianInterval, median, ratioEstimate, seededRandom } from "../../bench/stats.ts";

describe("median", () => {
  it("is the middle value, or the mean of the two middle ones", () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([7])).toBe(7);
    expect(median([])).toBeNaN();
  });
});

describe("seededRandom", () => {
  it("repeats for a seed, differs between seeds, and stays in [0, 1)", () => {
    const a = Array.from({ length: 1000 }, seededRandom(42));
    expect(Array.from({ length: 1000 }, seededRandom(42))).toEqual(a);
    expect(Array.from({ length: 1000 }, seededRandom(43))).not.toEqual(a);
    expect(a.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(new Set(a).size).toBeGreaterThan(990);
  });
});

describe("bootstrapMedianInterval", () => {
  const spread = [0.9, 1.1, 1.3, 1.2, 1.0, 1.4, 1.25, 1.15, 0.95, 3.1];

  it("brackets the median, and is recomputed exactly from the same data", () => {
    const interval = bootstrapMedianInterval(spread);
    expect(interval.low).toBeLessThanOrEqual(median(spread));
    expect(interval.high).toBeGreaterThanOrEqual(median(spread));
    expect(interval.low).toBeGreaterThanOrEqual(Math.min(...spread));
    expect(interval.high).toBeLessThanOrEqual(Math.max(...spread));
    expect(bootstrapMedianInterval(spread)).toEqual(interval);
  });

  it("is a point for identical values and widens as the values spread", () => {
    expect(bootstrapMedianInterval([1.2, 1.2, 1.2, 1.2])).toEqual({ low: 1.2, high: 1.2 });
    const tight = bootstrapMedianInterval(spread.map((x) => 1 + (x - 1) / 10));
    const wide = bootstrapMedianInterval(spread);
    expect(tight.high - tight.low).toBeLessThan(wide.high - wide.low);
  });

  it("covers the true median of a known distribution about 95 % of the time", () => {
    const random = seededRandom(7);
    let covered = 0;
    const trials = 150;
    for (let t = 0; t < trials; t += 1) {
      // Uniform on [0, 2): the true median is 1.
      const sample = Array.from({ length: 15 }, () => random() * 2);
      const { low, high } = bootstrapMedianInterval(sample, { resamples: 600, random: seededRandom(t) });
      if (low <= 1 && 1 <= high) covered += 1;
    }
    expect(covered / trials).toBeGreaterThan(0.88);
    expect(covered / trials).toBeLessThan(1);
  });

  it("is NaN for no values", () => {
    expect(bootstrapMedianInterval([])).toEqual({ low: Number.NaN, high: Number.NaN });
  });
});

describe("ratioEstimate", () => {
  it("is the median of the per-round ratios, not the ratio of pooled values", () => {
    // One wild round inflates the pooled ratio (130 / 40 = 3.25); the per-round median stays at 1.2.
    const rounds = [
      { numerator: 12, denominator: 10 },
      { numerator: 100, denominator: 10 },
      { numerator: 6, denominator: 5 },
      { numerator: 12, denominator: 15 },
    ];
    const estimate = ratioEstimate(rounds);
    expect(estimate.perRound).toEqual([1.2, 10, 1.2, 0.8]);
    expect(estimate.median).toBe(1.2);
    expect(estimate.low).toBeLessThanOrEqual(1.2);
    expect(estimate.high).toBeGreaterThanOrEqual(1.2);
  });
});

describe("interleavedRounds", () => {
  it("measures both sides every round, alternating which goes first", async () => {
    const order: string[] = [];
    const results = await interleavedRounds(
      4,
      async (round) => {
        order.push(`s${round}`);
        return `s${round}`;
      },
      async (round) => {
        order.push(`b${round}`);
        return `b${round}`;
      },
    );
    expect(order).toEqual(["b0", "s0", "s1", "b1", "b2", "s2", "s3", "b3"]);
    expect(results).toEqual([0, 1, 2, 3].map((r) => ({ subject: `s${r}`, baseline: `b${r}` })));
  });
});
