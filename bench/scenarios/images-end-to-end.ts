import { benchUser } from "../fakes.ts";
import type { BenchProfile } from "../profile.ts";
import type { Rig } from "../rig.ts";
import { interleavedRounds } from "../rounds.ts";
import type { ServerProcess } from "../server-process.ts";
import { closedLoop, prepareCommand, SlackLoad } from "../slack-load.ts";
import { type LatencySummary, summarize } from "../stats.ts";
import { LOGGED_IN_USERS } from "./ack-latency.ts";

export interface ImagesEndToEndRow {
  /** What every simulator call waited before its answer. */
  apiLatencyMs: number;
  rounds: number;
  /** All rounds pooled. */
  bot: LatencySummary;
  bare: LatencySummary;
}

/** How far past the API's own latency the bot's p99 may be. */
export const END_TO_END_ALLOWANCE_MS = 15;

/**
 * `/compshare images` from logged-in users, one at a time, from sending the signed command to the
 * reply's arrival at the fake Slack's response_url (reported by the fakes process over IPC, the
 * same hop for both), with every CompShare call delayed by the injected API latency. The
 * baseline is bare Bolt doing the least the command needs: ack, one raw DescribeCompShareImages,
 * respond. Bot and baseline take turns round by round.
 */
export async function measureImagesEndToEnd(
  rig: Rig,
  bot: ServerProcess,
  bare: ServerProcess,
  profile: BenchProfile,
): Promise<ImagesEndToEndRow[]> {
  const rows: ImagesEndToEndRow[] = [];
  const sides = [
    { server: bot, load: new SlackLoad(bot.baseUrl, 1) },
    { server: bare, load: new SlackLoad(bare.baseUrl, 1) },
  ] as const;
  const [botSide, bareSide] = sides;
  try {
    for (const apiLatencyMs of profile.imagesEndToEnd.apiLatenciesMs) {
      await rig.fakes.setApiLatency(apiLatencyMs);
      const count = profile.imagesEndToEnd.requestsPerRound(apiLatencyMs);
      for (const side of sides) await run(rig, side, 2);
      const rounds = await interleavedRounds(
        profile.rounds,
        () => run(rig, botSide, count),
        () => run(rig, bareSide, count),
      );
      rows.push({
        apiLatencyMs,
        rounds: profile.rounds,
        bot: summarize(rounds.flatMap((r) => r.subject)),
        bare: summarize(rounds.flatMap((r) => r.baseline)),
      });
    }
  } finally {
    await rig.fakes.setApiLatency(0);
    await Promise.all(sides.map((side) => side.load.close()));
  }
  return rows;
}

/** On a keep-alive connection warmed before the clock starts. */
async function run(rig: Rig, side: { server: ServerProcess; load: SlackLoad }, count: number): Promise<number[]> {
  const requests = Array.from({ length: count }, (_, i) =>
    prepareCommand(rig.signingSecret, "images", benchUser(i % LOGGED_IN_USERS), rig.fakes.responseUrl),
  );
  const { latencies } = await closedLoop(1, requests, async (request) => {
    const arrived = rig.fakes.arrival(request.responseId);
    const status = await side.load.send(request);
    if (status !== 200) throw new Error(`${side.server.name} answered ${status}`);
    await arrived;
  });
  return latencies;
}
