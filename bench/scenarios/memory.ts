import { readFileSync, statSync } from "node:fs";
import { setTimeout as delay } from "node:timers/promises";
import { benchUser } from "../fakes.ts";
import type { BenchProfile } from "../profile.ts";
import type { Build, Rig } from "../rig.ts";
import type { ServerProcess } from "../server-process.ts";
import { closedLoop, prepareCommand, SlackLoad } from "../slack-load.ts";
import { round, slope } from "../stats.ts";

export interface MemorySide {
  idleMB: number;
  afterMB: number;
  peakMB: number;
  /** RSS by commands served, one sample per chunk, taken once the chunk's replies are in. */
  samples: { commands: number; rssMB: number }[];
  /** Least-squares RSS slope over the second half of the run. */
  slopeMBPer1000: number;
  growing: boolean;
  /**
   * The V8 heap still live after each full (mark-compact) GC, from --trace-gc: what the
   * program holds on to, as opposed to what V8 and the allocator keep in reserve.
   */
  liveHeap: { fullGcs: number; firstMB: number; lastMB: number; secondHalfSlopeMBPer1000: number };
}

export interface MemoryResult {
  commands: number;
  mix: readonly string[];
  /** The bot as the image runs it (compiled), and as `npm start` runs it (source; the full bench only). */
  bot: { compiled: MemorySide; source?: MemorySide };
  /** Compiled, with the image's flags, like the bot it is compared with. */
  bare: MemorySide;
}

const CONCURRENCY = 16;
/** What the bot is asked, in turn, by logged-in users: lists, help, the key status, a lookup that fails. */
const MIX = ["images", "help", "custom", "whoami", "shared", "images --type App", "image compshareImage-nonexistent0"];
const USERS = 16;
/**
 * A leak of 1 KB per command or more shows as at least 1 MB per 1,000 commands; below that,
 * RSS moving with the heap's own rhythm is not called growth.
 */
export const GROWTH_THRESHOLD_MB_PER_1000 = 1;

/**
 * The bot's own RSS (read from /proc for its process) when idle and along the run's commands,
 * next to bare Bolt's, compiled and under the image's V8 flags both, given the same commands
 * (it acks them all, and answers `images` with one raw call and a reply). Each server is fresh
 * for this, so nothing earlier in the run is counted.
 */
export async function measureMemory(rig: Rig, profile: BenchProfile): Promise<MemoryResult> {
  const { commands, chunk } = profile.memory;
  const compiled = await botSide(rig, "compiled", commands, chunk);
  const source = profile.memory.withSource ? await botSide(rig, "source", commands, chunk) : undefined;
  const bare = await rig.startBare("compiled", ["--trace-gc"]);
  try {
    await delay(1000);
    const bareSide = await drive(rig, bare, bare.rssBytes(), (text) => text === "images", commands, chunk);
    return { commands, mix: MIX, bot: { compiled, ...(source ? { source } : {}) }, bare: bareSide };
  } finally {
    await bare.stop();
  }
}

async function botSide(rig: Rig, build: Build, commands: number, chunk: number): Promise<MemorySide> {
  const bot = await rig.startBot(build, ["--trace-gc"]);
  try {
    await delay(1000);
    const idle = bot.rssBytes();
    for (let i = 0; i < USERS; i += 1) await rig.login(bot, benchUser(i));
    return await drive(rig, bot, idle, () => true, commands, chunk);
  } finally {
    await bot.stop();
  }
}

async function drive(
  rig: Rig,
  target: ServerProcess,
  idleBytes: number,
  replies: (text: string) => boolean,
  commands: number,
  chunk: number,
): Promise<MemorySide> {
  const samples: { commands: number; rssMB: number }[] = [];
  /** Where the log stood at each sample, to place GC lines among the samples. */
  const logOffsets: number[] = [statSync(target.logFile).size];
  const load = new SlackLoad(target.baseUrl, CONCURRENCY);
  try {
    for (let done = 0; done < commands; done += chunk) {
      const texts = Array.from({ length: chunk }, (_, i) => MIX[(done + i) % MIX.length] ?? "help");
      const requests = texts.map((text, i) =>
        prepareCommand(rig.signingSecret, text, benchUser(i % USERS), rig.fakes.responseUrl),
      );
      const expected = rig.fakes.responses + texts.filter(replies).length;
      await closedLoop(CONCURRENCY, requests, async (request) => {
        const status = await load.send(request);
        if (status !== 200) throw new Error(`${target.name} answered ${status}`);
      });
      await rig.fakes.responsesReach(expected, 120_000);
      samples.push({ commands: done + chunk, rssMB: mb(target.rssBytes()) });
      logOffsets.push(statSync(target.logFile).size);
    }
  } finally {
    await load.close();
  }
  const secondHalf = samples.filter((s) => s.commands > commands / 2);
  const slopeMBPer1000 = round(slope(secondHalf.map((s) => ({ x: s.commands, y: s.rssMB }))) * 1000, 2);
  return {
    idleMB: mb(idleBytes),
    afterMB: samples.at(-1)?.rssMB ?? Number.NaN,
    peakMB: Math.max(...samples.map((s) => s.rssMB)),
    samples,
    slopeMBPer1000,
    growing: slopeMBPer1000 >= GROWTH_THRESHOLD_MB_PER_1000,
    liveHeap: liveHeap(target.logFile, logOffsets, samples, commands),
  };
}

/** `Mark-Compact 35.4 (165.9) -> 30.5 (165.9) MB`: the heap in use after the collection. */
const FULL_GC = /Mark-Compact [\d.]+ \([\d.]+\) -> ([\d.]+) \(/g;

function liveHeap(
  logFile: string,
  offsets: number[],
  samples: { commands: number }[],
  commands: number,
): MemorySide["liveHeap"] {
  const log = readFileSync(logFile);
  const points: { x: number; y: number }[] = [];
  samples.forEach((sample, i) => {
    const text = log.subarray(offsets[i], offsets[i + 1]).toString("utf8");
    for (const match of text.matchAll(FULL_GC)) points.push({ x: sample.commands, y: Number(match[1]) });
  });
  const secondHalf = points.filter((p) => p.x > commands / 2);
  return {
    fullGcs: points.length,
    firstMB: points[0]?.y ?? Number.NaN,
    lastMB: points.at(-1)?.y ?? Number.NaN,
    secondHalfSlopeMBPer1000: round(slope(secondHalf) * 1000, 2),
  };
}

function mb(bytes: number): number {
  return round(bytes / (1024 * 1024), 1);
}
