import { Pool } from "undici";
import { signedImagesBody } from "../compshare-body.ts";
import { LARGE_CATALOGUE, LARGE_CATALOGUE_PAGE } from "../fakes.ts";
import type { BenchProfile } from "../profile.ts";
import type { Rig } from "../rig.ts";
import { interleavedRounds } from "../rounds.ts";
import { type RatioEstimate, ratioEstimate } from "../stats.ts";
import { callMany, pooled, rate, rawCall, type ThroughputSide } from "./client-throughput.ts";

export interface SimulatorScalingResult {
  catalogue: number;
  limit: number;
  concurrency: number;
  rounds: number;
  /** Median (95 % bootstrap interval) of the per-round ratios simulator calls/s ÷ fixed-body calls/s. */
  ratio: RatioEstimate;
  simulator: ThroughputSide;
  fixedBody: ThroughputSide;
}

/**
 * What one DescribeCompShareImages costs the simulator on a large catalogue: raw undici calls/s
 * against a simulator of LARGE_CATALOGUE platform images, beside the same calls against a server
 * replaying that simulator's own answer (the floor any server has), in interleaved rounds.
 */
export async function measureSimulatorScaling(rig: Rig, profile: BenchProfile): Promise<SimulatorScalingResult> {
  const { concurrency, callsPerRound } = profile.simulator;
  const body = signedImagesBody(rig.account, LARGE_CATALOGUE_PAGE);
  const simPool = new Pool(rig.fakes.largeSimUrl, { connections: concurrency });
  const fixedPool = new Pool(rig.fakes.fixedLargeUrl, { connections: concurrency });
  const sim = rawCall(simPool, body);
  const fixed = rawCall(fixedPool, body);
  try {
    await callMany(concurrency, callsPerRound, sim);
    await callMany(concurrency, callsPerRound, fixed);
    const rounds = await interleavedRounds(
      profile.rounds,
      () => callMany(concurrency, callsPerRound, sim),
      () => callMany(concurrency, callsPerRound, fixed),
    );
    return {
      catalogue: LARGE_CATALOGUE,
      limit: LARGE_CATALOGUE_PAGE.Limit,
      concurrency,
      rounds: profile.rounds,
      ratio: ratioEstimate(rounds.map((r) => ({ numerator: rate(r.subject), denominator: rate(r.baseline) }))),
      simulator: pooled(rounds.map((r) => r.subject)),
      fixedBody: pooled(rounds.map((r) => r.baseline)),
    };
  } finally {
    await simPool.close();
    await fixedPool.close();
  }
}
