import { describe, expect, it } from "vitest";
import { type BenchResults, checkTargets, type Measurements, markdown } from "../../bench/report.ts";
import type { MemorySide } from "../../bench/scenarios/memory.ts";
import { type LatencySummary, type RatioEstimate, ratioEstimate } from "../../bench/stats.ts";

/** Measurements of the right shape, every number derived from `scale` so two runs differ everywhere. */
function measurements(scale: number): Measurements {
  const latency = (p99: number): LatencySummary => ({ n: 100, p50: p99 / 2, p99, mean: p99 / 2, max: p99 * 1.1 });
  const estimate = (value: number): RatioEstimate => ratioEstimate([{ numerator: value, denominator: 1 }]);
  const memory = (afterMB: number, slopeMBPer1000: number): MemorySide => ({
    idleMB: 80,
    afterMB,
    peakMB: afterMB,
    samples: [{ commands: 500, rssMB: afterMB }],
    slopeMBPer1000,
    growing: slopeMBPer1000 >= 1,
    liveHeap: { fullGcs: 0, firstMB: Number.NaN, lastMB: Number.NaN, secondHalfSlopeMBPer1000: 0 },
  });
  const mode = (ratio: number) => ({ p99Ratio: estimate(ratio), bot: latency(50 * ratio), bare: latency(50) });
  const throughput = (callsPerSecond: number) => ({ callsPerSecond, latency: latency(5) });
  return {
    ack: (["compiled", "source"] as const).flatMap((build) =>
      (["help", "images"] as const).map((command) => ({
        build,
        command,
        concurrency: 200,
        rounds: 10,
        burst: mode(1.2 * scale),
        sustained: mode(1.22 * scale),
        cpuMsPerCommand: { bot: 0.5, bare: 0.4 },
      })),
    ),
    imagesEndToEnd: [0, 20, 100].map((apiLatencyMs) => ({
      apiLatencyMs,
      rounds: 10,
      bot: latency(apiLatencyMs + 10 * scale),
      bare: latency(apiLatencyMs + 5),
    })),
    client: (["fixed-body", "simulator"] as const).flatMap((server) =>
      [1, 16].map((concurrency) => ({
        server,
        concurrency,
        rounds: 10,
        ratio: estimate(0.9 / scale),
        client: throughput(900),
        raw: throughput(1000),
      })),
    ),
    simulator: {
      catalogue: 5000,
      limit: 20,
      concurrency: 16,
      rounds: 10,
      ratio: estimate(0.6 / scale),
      simulator: throughput(600),
      fixedBody: throughput(1000),
    },
    memory: {
      commands: 10_000,
      mix: ["help"],
      bot: { compiled: memory(110 * scale, 0.1 * scale), source: memory(300, 5) },
      bare: memory(100, 0.1),
    },
    startup: (["source", "compiled"] as const).map((build) => ({
      build,
      bot: { runsMs: [900 * scale], medianMs: 900 * scale },
      bare: { runsMs: [400], medianMs: 400 },
    })),
    pickerCache: {
      users: 500,
      imagesPerUser: 3000,
      bounded: {
        flags: ["--max-old-space-size=160"],
        cacheMB: 30 * scale,
        heapAfterMB: 50,
        usersCached: 33,
        imagesCached: 100_000,
      },
      unbounded: { flags: [], cacheMB: 375, heapAfterMB: 400, usersCached: 500, imagesCached: 1_500_000 },
    },
    growth: [
      { work: "home", size: 10_000, smallSize: 100, ms: 10 * scale, smallMs: 6, ratio: (10 * scale) / 6 },
      { work: "home", size: 50_000, smallSize: 100, ms: 11 * scale, smallMs: 6, ratio: (11 * scale) / 6 },
      { work: "picker-keystroke", size: 3000, smallSize: 156, ms: 3, smallMs: 2, ratio: 1.5 * scale },
      { work: "sweep", size: 10_000, smallSize: 100, ms: 0.02, smallMs: 0.02, ratio: scale },
    ],
  };
}

describe("the targets array", () => {
  it("holds { name, measured, goal, pass } and nothing else, one per goal", () => {
    const targets = checkTargets(measurements(1));
    for (const t of targets) {
      expect(Object.keys(t).sort()).toEqual(["goal", "measured", "name", "pass"]);
      expect(typeof t.name).toBe("string");
      expect(typeof t.measured).toBe("number");
      expect(t.goal).toMatch(/^(≤|<|≥) \d+(\.\d+)?$/);
      expect(typeof t.pass).toBe("boolean");
    }
    expect(new Set(targets.map((t) => t.name)).size).toBe(targets.length);
    expect(targets.map((t) => t.name)).toEqual([
      "ack.help.burst-200.compiled.p99-ratio",
      "ack.help.sustained-200.compiled.p99-ratio",
      "ack.images.burst-200.compiled.p99-ratio",
      "ack.images.sustained-200.compiled.p99-ratio",
      "ack.help.burst-200.source.p99-ratio",
      "ack.help.sustained-200.source.p99-ratio",
      "ack.images.burst-200.source.p99-ratio",
      "ack.images.sustained-200.source.p99-ratio",
      "images-end-to-end.api-latency-0ms.p99-ms",
      "images-end-to-end.api-latency-20ms.p99-ms",
      "images-end-to-end.api-latency-100ms.p99-ms",
      "client.fixed-body.1-in-flight.calls-ratio",
      "client.fixed-body.16-in-flight.calls-ratio",
      "simulator.describe-images-limit-20.5000-images.calls-ratio",
      "memory.compiled.rss-ratio",
      "memory.compiled.rss-slope-mb-per-1000",
      "picker-cache.bounded.heap-mb",
      "startup.source.ready-ms",
      "growth.home.10000.ratio",
      "growth.home.50000.ratio",
      "growth.picker-keystroke.3000.ratio",
      "growth.sweep.10000.ratio",
    ]);
  });

  it("keeps the same names when every number changes", () => {
    const names = (scale: number) => checkTargets(measurements(scale)).map((t) => t.name);
    expect(names(3.7)).toEqual(names(1));
    expect(checkTargets(measurements(3.7)).map((t) => t.measured)).not.toEqual(
      checkTargets(measurements(1)).map((t) => t.measured),
    );
  });

  it("checks each measure against its goal, the limit itself passing", () => {
    const byName = (scale: number) => new Map(checkTargets(measurements(scale)).map((t) => [t.name, t]));
    const good = byName(1);
    expect([...good.values()].every((t) => t.pass)).toBe(true);
    expect(good.get("ack.help.burst-200.compiled.p99-ratio")).toEqual({
      name: "ack.help.burst-200.compiled.p99-ratio",
      measured: 1.2,
      goal: "≤ 1.25",
      pass: true,
    });
    expect(good.get("images-end-to-end.api-latency-20ms.p99-ms")).toMatchObject({ measured: 30, goal: "≤ 35" });
    expect(good.get("client.fixed-body.1-in-flight.calls-ratio")).toMatchObject({ measured: 0.9, goal: "≥ 0.85" });
    expect(good.get("memory.compiled.rss-ratio")).toMatchObject({ measured: 1.1, goal: "≤ 1.15" });

    const bad = byName(1.6);
    for (const name of [
      "ack.images.sustained-200.source.p99-ratio",
      "images-end-to-end.api-latency-0ms.p99-ms",
      "client.fixed-body.16-in-flight.calls-ratio",
      "simulator.describe-images-limit-20.5000-images.calls-ratio",
      "memory.compiled.rss-ratio",
      "picker-cache.bounded.heap-mb",
      "startup.source.ready-ms",
      "growth.picker-keystroke.3000.ratio",
    ]) {
      expect(bad.get(name)?.pass, name).toBe(false);
    }
    // Exactly at the limit passes; a measure that is not a number never does.
    const edge = measurements(1);
    edge.memory.bot.compiled.afterMB = 115;
    const [first] = edge.ack;
    if (first === undefined) throw new Error("no ack pair");
    first.burst.p99Ratio = ratioEstimate([{ numerator: Number.NaN, denominator: 1 }]);
    const edged = new Map(checkTargets(edge).map((t) => [t.name, t]));
    expect(edged.get("memory.compiled.rss-ratio")?.pass).toBe(true);
    expect(edged.get("ack.help.burst-200.compiled.p99-ratio")?.pass).toBe(false);
  });

  it("is rendered in latest.md, one row per target", () => {
    const m = measurements(1);
    const results: BenchResults = {
      date: "2026-12-01T00:00:00.000Z",
      machine: { cores: 2, cpu: "test", memoryGB: 1, node: "v24", platform: "linux-x64", loadAverage: 0 },
      profile: "full",
      durationSeconds: 1,
      targets: checkTargets(m),
      measurements: m,
    };
    const text = markdown(results);
    for (const t of results.targets) expect(text).toContain(`| \`${t.name}\` |`);
    expect(text).toContain("| `ack.help.burst-200.compiled.p99-ratio` | 1.2 (1.2–1.2) | ≤ 1.25 | pass |");
    expect(text).not.toContain("Quick profile");
  });
});
