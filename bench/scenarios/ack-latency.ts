import { benchUser } from "../fakes.ts";
import type { Rig } from "../rig.ts";
import type { ServerProcess } from "../server-process.ts";
import { closedLoop, prepareCommand, SlackLoad } from "../slack-load.ts";
import { type LatencySummary, round, summarize } from "../stats.ts";

export interface AckLatencyRow {
  concurrency: number;
  /**
   * burst: `concurrency` commands sent at once, then every ack and reply awaited, repeated (a
   * spike, as when a channel acts at once). sustained: a closed loop keeping `concurrency` in
   * flight without pause, which saturates the server, so latency there is concurrency ÷ throughput.
   */
  mode: "burst" | "sustained";
  bot: LatencySummary;
  bare: LatencySummary;
  /** Server CPU (user + system) per command over this level's measured runs, replies included. */
  cpuMsPerCommand: { bot: number; bare: number };
}

export const ACK_LEVELS = [
  { concurrency: 1, requests: 600 },
  { concurrency: 50, requests: 3000 },
  { concurrency: 200, requests: 4000 },
] as const;

const ROUNDS = 2;

interface Target {
  server: ServerProcess;
  load: SlackLoad;
  /** The bot answers each help through its response_url; bare Bolt only acks. */
  replies: boolean;
  samples: { burst: number[]; sustained: number[] };
  cpuMs: number;
}

/**
 * The HTTP response time of POST /slack/events for `/compshare help`, i.e. how long Slack waits
 * for the ack. Each level opens its keep-alive connections and warms them before the clock
 * starts, so connection set-up is not what is measured. Bot and bare Bolt take turns, round by
 * round, so drift on the machine hits both; the bot's replies are drained before every turn.
 */
export async function measureAckLatency(rig: Rig, bot: ServerProcess, bare: ServerProcess): Promise<AckLatencyRow[]> {
  const rows: AckLatencyRow[] = [];
  for (const level of ACK_LEVELS) {
    const target = (server: ServerProcess, replies: boolean): Target => ({
      server,
      load: new SlackLoad(server.baseUrl, level.concurrency),
      replies,
      samples: { burst: [], sustained: [] },
      cpuMs: 0,
    });
    const targets = { bot: target(bot, true), bare: target(bare, false) };
    const perRound = level.requests / ROUNDS;
    try {
      for (const t of Object.values(targets)) await run(rig, t, level.concurrency, level.concurrency * 4);
      for (let round = 0; round < ROUNDS; round += 1) {
        for (const which of round % 2 === 0 ? (["bare", "bot"] as const) : (["bot", "bare"] as const)) {
          const t = targets[which];
          const cpuBefore = t.server.cpuMs();
          for (let sent = 0; sent < perRound; sent += level.concurrency) {
            t.samples.burst.push(...(await run(rig, t, level.concurrency, level.concurrency)));
          }
          if (level.concurrency > 1) t.samples.sustained.push(...(await run(rig, t, level.concurrency, perRound)));
          t.cpuMs += t.server.cpuMs() - cpuBefore;
        }
      }
    } finally {
      await Promise.all(Object.values(targets).map((t) => t.load.close()));
    }
    for (const mode of level.concurrency > 1 ? (["burst", "sustained"] as const) : (["burst"] as const)) {
      rows.push({
        concurrency: level.concurrency,
        mode,
        bot: summarize(targets.bot.samples[mode]),
        bare: summarize(targets.bare.samples[mode]),
        cpuMsPerCommand: {
          bot: round(targets.bot.cpuMs / commands(targets.bot), 3),
          bare: round(targets.bare.cpuMs / commands(targets.bare), 3),
        },
      });
    }
  }
  return rows;
}

/** `count` commands with `concurrency` in flight; resolves once every reply has arrived too. */
async function run(rig: Rig, target: Target, concurrency: number, count: number): Promise<number[]> {
  const requests = Array.from({ length: count }, (_, i) =>
    prepareCommand(rig.signingSecret, "help", benchUser(i), rig.fakes.responseUrl),
  );
  const expected = rig.fakes.responses + (target.replies ? count : 0);
  const { latencies } = await closedLoop(concurrency, requests, async (request) => {
    const status = await target.load.send(request);
    if (status !== 200) throw new Error(`${target.server.name} answered ${status}`);
  });
  await rig.fakes.responsesReach(expected, 120_000);
  return latencies;
}

function commands(target: Target): number {
  return target.samples.burst.length + target.samples.sustained.length;
}
