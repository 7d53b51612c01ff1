import type { Build } from "./rig.ts";

/**
 * How much each scenario does: the full bench (`npm run bench`, what results/latest.* record)
 * and a quick one for development (`npm run bench -- --quick`, under a minute, same scenarios
 * and target names with fewer rounds and samples, so its numbers are only indicative).
 */
export interface BenchProfile {
  name: "full" | "quick";
  /** A/B rounds per measured pair (ack latency has its own); every ratio is the median of its per-round ratios. */
  rounds: number;
  ack: { rounds: number; concurrency: number; warmup: number; burstsPerRound: number; sustainedPerRound: number };
  imagesEndToEnd: { apiLatenciesMs: readonly number[]; requestsPerRound: (latencyMs: number) => number };
  client: { callsPerRound: (concurrency: number) => number };
  simulator: { callsPerRound: number; concurrency: number };
  /** The bot from source is measured for the picture only (no target rests on it). */
  memory: { commands: number; chunk: number; withSource: boolean };
  startup: { runs: number; builds: readonly Build[] };
  growth: {
    homeRequests: readonly number[];
    pickerImages: readonly number[];
    sweepDue: readonly number[];
    repeats: number;
  };
}

export const FULL: BenchProfile = {
  name: "full",
  rounds: 10,
  ack: { rounds: 10, concurrency: 200, warmup: 400, burstsPerRound: 2, sustainedPerRound: 400 },
  imagesEndToEnd: {
    apiLatenciesMs: [0, 20, 100],
    requestsPerRound: (latencyMs) => (latencyMs >= 100 ? 10 : latencyMs >= 20 ? 20 : 40),
  },
  client: { callsPerRound: (concurrency) => (concurrency === 1 ? 300 : 600) },
  simulator: { callsPerRound: 600, concurrency: 16 },
  memory: { commands: 10_000, chunk: 500, withSource: true },
  startup: { runs: 5, builds: ["source", "compiled"] },
  growth: { homeRequests: [10_000, 50_000], pickerImages: [3000, 10_000], sweepDue: [10_000], repeats: 15 },
};

export const QUICK: BenchProfile = {
  name: "quick",
  rounds: 3,
  ack: { rounds: 2, concurrency: 200, warmup: 100, burstsPerRound: 1, sustainedPerRound: 200 },
  imagesEndToEnd: { apiLatenciesMs: [0, 20, 100], requestsPerRound: () => 3 },
  client: { callsPerRound: () => 80 },
  simulator: { callsPerRound: 150, concurrency: 16 },
  memory: { commands: 500, chunk: 250, withSource: false },
  startup: { runs: 1, builds: ["source"] },
  growth: { homeRequests: [10_000], pickerImages: [3000], sweepDue: [10_000], repeats: 7 },
};
