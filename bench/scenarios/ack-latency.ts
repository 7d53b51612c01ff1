import { benchUser } from "../fakes.ts";
import type { BenchProfile } from "../profile.ts";
import type { Build, Rig } from "../rig.ts";
import { interleavedRounds } from "../rounds.ts";
import type { ServerProcess } from "../server-process.ts";
import { closedLoop, prepareCommand, SlackLoad } from "../slack-load.ts";
import { type LatencySummary, percentile, type RatioEstimate, ratioEstimate, round, summarize } from "../stats.ts";

/** The commands timed: the cheapest, and the one that calls CompShare with the user's stored keys. */
export type AckCommand = "help" | "images";
export const ACK_COMMANDS: readonly AckCommand[] = ["help", "images"];
/** Users who have logged in, so `images` runs as for a real user; both commands come from them. */
export const LOGGED_IN_USERS = 8;

export interface AckMode {
  /** Median (95 % bootstrap interval) of the per-round ratios bot p99 ÷ bare p99. */
  p99Ratio: RatioEstimate;
  /** Every round's samples pooled, for the picture. */
  bot: LatencySummary;
  bare: LatencySummary;
}

export interface AckPair {
  build: Build;
  command: AckCommand;
  concurrency: number;
  rounds: number;
  /**
   * burst: `concurrency` commands sent at once, then every ack and reply awaited, repeated (a
   * spike, as when a channel acts at once). sustained: a closed loop keeping `concurrency` in
   * flight without pause, which saturates the server, so latency there is concurrency ÷ throughput.
   */
  burst: AckMode;
  sustained: AckMode;
  /** Server CPU (user + system) per command over the measured rounds, replies included. */
  cpuMsPerCommand: { bot: number; bare: number };
}

interface Side {
  server: ServerProcess;
  load: SlackLoad;
  /** The bot answers every command through its response_url; bare Bolt only for `images`. */
  replies: boolean;
  cpuMs: number;
  commands: number;
  pooled: { burst: number[]; sustained: number[] };
}

interface RoundSamples {
  burst: number[];
  sustained: number[];
}

/**
 * The HTTP response time of POST /slack/events (how long Slack waits for the ack) for one
 * command, bot against bare Bolt in the same build, in interleaved rounds. Keep-alive connections
 * are opened and warmed before the first round, and each turn waits for its replies, so neither
 * side's replies land in the other's turn.
 */
export async function measureAck(
  rig: Rig,
  servers: { bot: ServerProcess; bare: ServerProcess; build: Build },
  command: AckCommand,
  profile: BenchProfile,
): Promise<AckPair> {
  const { concurrency, warmup, burstsPerRound, sustainedPerRound } = profile.ack;
  const side = (server: ServerProcess, replies: boolean): Side => ({
    server,
    load: new SlackLoad(server.baseUrl, concurrency),
    replies,
    cpuMs: 0,
    commands: 0,
    pooled: { burst: [], sustained: [] },
  });
  const bot = side(servers.bot, true);
  const bare = side(servers.bare, command === "images");
  try {
    for (const s of [bot, bare]) await send(rig, s, command, concurrency, warmup);
    const turn = async (s: Side): Promise<RoundSamples> => {
      const cpuBefore = s.server.cpuMs();
      const burst: number[] = [];
      for (let b = 0; b < burstsPerRound; b += 1)
        burst.push(...(await send(rig, s, command, concurrency, concurrency)));
      const sustained = await send(rig, s, command, concurrency, sustainedPerRound);
      s.cpuMs += s.server.cpuMs() - cpuBefore;
      s.commands += burst.length + sustained.length;
      s.pooled.burst.push(...burst);
      s.pooled.sustained.push(...sustained);
      return { burst, sustained };
    };
    const rounds = await interleavedRounds(
      profile.ack.rounds,
      () => turn(bot),
      () => turn(bare),
    );
    const mode = (name: keyof RoundSamples): AckMode => ({
      p99Ratio: ratioEstimate(
        rounds.map((r) => ({ numerator: p99(r.subject[name]), denominator: p99(r.baseline[name]) })),
      ),
      bot: summarize(bot.pooled[name]),
      bare: summarize(bare.pooled[name]),
    });
    return {
      build: servers.build,
      command,
      concurrency,
      rounds: profile.ack.rounds,
      burst: mode("burst"),
      sustained: mode("sustained"),
      cpuMsPerCommand: { bot: round(bot.cpuMs / bot.commands), bare: round(bare.cpuMs / bare.commands) },
    };
  } finally {
    await Promise.all([bot.load.close(), bare.load.close()]);
  }
}

function p99(samples: readonly number[]): number {
  return percentile(
    [...samples].sort((a, b) => a - b),
    99,
  );
}

/** `count` commands with `concurrency` in flight; resolves once every reply has arrived too. */
async function send(rig: Rig, side: Side, command: AckCommand, concurrency: number, count: number): Promise<number[]> {
  const requests = Array.from({ length: count }, (_, i) =>
    prepareCommand(rig.signingSecret, command, benchUser(i % LOGGED_IN_USERS), rig.fakes.responseUrl),
  );
  const expected = rig.fakes.responses + (side.replies ? count : 0);
  const { latencies } = await closedLoop(concurrency, requests, async (request) => {
    const status = await side.load.send(request);
    if (status !== 200) throw new Error(`${side.server.name} answered ${status}`);
  });
  await rig.fakes.responsesReach(expected, 120_000);
  return latencies;
}
