import type { AckPair } from "./scenarios/ack-latency.ts";
import type { ClientThroughputRow } from "./scenarios/client-throughput.ts";
import { GROWTH_LIMIT, type GrowthRow } from "./scenarios/growth.ts";
import { END_TO_END_ALLOWANCE_MS, type ImagesEndToEndRow } from "./scenarios/images-end-to-end.ts";
import { GROWTH_THRESHOLD_MB_PER_1000, type MemoryResult, type MemorySide } from "./scenarios/memory.ts";
import type { PickerCacheResult } from "./scenarios/picker-cache.ts";
import type { SimulatorScalingResult } from "./scenarios/simulator-scaling.ts";
import type { StartupRow } from "./scenarios/startup.ts";
import { type RatioEstimate, round } from "./stats.ts";

/** The results file: where and when it ran, every number, and each target's pass or miss. */

export interface Machine {
  cores: number;
  cpu: string;
  memoryGB: number;
  node: string;
  platform: string;
  /** 1-minute load average when the run began: how busy the machine already was. */
  loadAverage: number;
}

export interface Measurements {
  ack: AckPair[];
  imagesEndToEnd: ImagesEndToEndRow[];
  client: ClientThroughputRow[];
  simulator: SimulatorScalingResult;
  memory: MemoryResult;
  startup: StartupRow[];
  pickerCache: PickerCacheResult;
  growth: GrowthRow[];
}

/**
 * One goal of issue 13, checked. `name` is stable across runs (a dotted path, no numbers that
 * vary), `measured` is a plain number in the goal's unit, `goal` the comparison it must meet.
 */
export interface Target {
  name: string;
  measured: number;
  goal: string;
  pass: boolean;
}

export interface BenchResults {
  date: string;
  machine: Machine;
  /** full: `npm run bench`; quick: `--quick`, fewer rounds and samples, indicative only. */
  profile: "full" | "quick";
  durationSeconds: number;
  targets: Target[];
  measurements: Measurements;
}

type Comparison = "≤" | "<" | "≥";

function target(name: string, measured: number, comparison: Comparison, limit: number): Target {
  const pass =
    Number.isFinite(measured) &&
    (comparison === "≤" ? measured <= limit : comparison === "<" ? measured < limit : measured >= limit);
  return { name, measured: round(measured), goal: `${comparison} ${limit}`, pass };
}

export const ACK_RATIO_GOAL = 1.25;
export const CLIENT_RATIO_GOAL = 0.85;
export const SIMULATOR_RATIO_GOAL = 0.5;
export const RSS_RATIO_GOAL = 1.15;
export const READY_GOAL_MS = 1000;
/** Heap the reinstall picker's cache may hold, 500 users × 3,000 images, under the image's V8 flags. */
export const PICKER_CACHE_GOAL_MB = 40;

export function checkTargets(m: Measurements): Target[] {
  const targets: Target[] = [];
  for (const pair of m.ack) {
    for (const mode of ["burst", "sustained"] as const) {
      targets.push(
        target(
          `ack.${pair.command}.${mode}-${pair.concurrency}.${pair.build}.p99-ratio`,
          pair[mode].p99Ratio.median,
          "≤",
          ACK_RATIO_GOAL,
        ),
      );
    }
  }
  for (const row of m.imagesEndToEnd) {
    targets.push(
      target(
        `images-end-to-end.api-latency-${row.apiLatencyMs}ms.p99-ms`,
        row.bot.p99,
        "≤",
        row.apiLatencyMs + END_TO_END_ALLOWANCE_MS,
      ),
    );
  }
  for (const row of m.client.filter((r) => r.server === "fixed-body")) {
    targets.push(
      target(`client.fixed-body.${row.concurrency}-in-flight.calls-ratio`, row.ratio.median, "≥", CLIENT_RATIO_GOAL),
    );
  }
  targets.push(
    target(
      `simulator.describe-images-limit-${m.simulator.limit}.${m.simulator.catalogue}-images.calls-ratio`,
      m.simulator.ratio.median,
      "≥",
      SIMULATOR_RATIO_GOAL,
    ),
  );
  const image = m.memory.bot.compiled;
  targets.push(target("memory.compiled.rss-ratio", image.afterMB / m.memory.bare.afterMB, "≤", RSS_RATIO_GOAL));
  targets.push(
    target("memory.compiled.rss-slope-mb-per-1000", image.slopeMBPer1000, "<", GROWTH_THRESHOLD_MB_PER_1000),
  );
  targets.push(target("picker-cache.bounded.heap-mb", m.pickerCache.bounded.cacheMB, "≤", PICKER_CACHE_GOAL_MB));
  const source = m.startup.find((r) => r.build === "source");
  if (source) targets.push(target("startup.source.ready-ms", source.bot.medianMs, "<", READY_GOAL_MS));
  for (const row of m.growth) {
    targets.push(target(`growth.${row.work}.${row.size}.ratio`, row.ratio, "≤", GROWTH_LIMIT));
  }
  return targets;
}

export function markdown(results: BenchResults): string {
  const { machine, measurements: m } = results;
  const memoryRow = (name: string, side: MemorySide) =>
    `| ${name} | ${side.idleMB} MB | ${side.afterMB} MB | ${side.peakMB} MB | ${side.slopeMBPer1000} | ${side.growing ? "yes" : "no"} | ${liveHeap(side.liveHeap)} |`;
  const lines = [
    "# compshare-bot benchmarks",
    "",
    `${results.date} · ${machine.cores} cores (${machine.cpu}) · ${machine.memoryGB} GB · load average ${machine.loadAverage} at start · Node ${machine.node} · ${machine.platform} · ${results.profile} profile · ${Math.round(results.durationSeconds)} s`,
    "",
    ...(results.profile === "quick"
      ? [
          "**Quick profile** (`--quick`): fewer rounds and samples than the full bench; the numbers are indicative only.",
          "",
        ]
      : []),
    "Written by `npm run bench` with its JSON twin. Every comparison runs beside its baseline in the same run, in interleaved rounds (baseline first in even rounds, the subject first in odd ones); a ratio is the median of the per-round ratios, with its 95 % bootstrap interval. Servers run in child processes of their own, the fake Slack, the CompShare simulators and the fixed-body servers in another, the load generator in the parent. *compiled* is the container image's configuration (`node <the Dockerfile CMD's V8 flags> dist/main.js start`, the baseline stripped to JavaScript and run with the same flags); *source* is `npm start` (`node src/main.ts start`, no flags).",
    "",
    "## Targets",
    "",
    "| Target | Measured | Goal | |",
    "|---|---|---|---|",
    ...results.targets.map(
      (t) => `| \`${t.name}\` | ${describeMeasure(t, m)} | ${t.goal} | ${t.pass ? "pass" : "**miss**"} |`,
    ),
    "",
    `## Slash-command ack latency, ${m.ack[0]?.concurrency ?? 200} concurrent`,
    "",
    "The HTTP response time of POST /slack/events (what Slack waits for), on warm keep-alive connections, from users who have logged in. *burst*: N commands sent at once, then every ack and reply awaited, repeated. *sustained*: N kept in flight without pause, which saturates the server, so latency there is N ÷ throughput. The bot answers every command through its response_url; bare Bolt acks `help` only, and answers `images` with one raw undici DescribeCompShareImages and a reply. CPU is the server's own (user + system) per command, replies included.",
    "",
    "| Build | Command | Mode | Rounds | p99 ratio (95 % CI) | bot p50 · p99 | bare p50 · p99 | CPU/command bot · bare |",
    "|---|---|---|---|---|---|---|---|",
    ...m.ack.flatMap((pair) =>
      (["burst", "sustained"] as const).map(
        (mode) =>
          `| ${pair.build} | \`${pair.command}\` | ${mode} | ${pair.rounds} | ${ratio(pair[mode].p99Ratio, "×")} | ${ms(pair[mode].bot.p50)} · ${ms(pair[mode].bot.p99)} | ${ms(pair[mode].bare.p50)} · ${ms(pair[mode].bare.p99)} | ${pair.cpuMsPerCommand.bot} · ${pair.cpuMsPerCommand.bare} ms |`,
      ),
    ),
    "",
    "Per-round p99 ratios:",
    "",
    ...m.ack.flatMap((pair) =>
      (["burst", "sustained"] as const).map(
        (mode) => `- ${pair.build} \`${pair.command}\` ${mode}: ${pair[mode].p99Ratio.perRound.join(" · ")}`,
      ),
    ),
    "",
    "## `/compshare images` end to end, compiled",
    "",
    `One at a time, from logged-in users, from sending the signed command to the reply's arrival at the fake Slack's response_url, with every simulator call held for the injected API latency first. Goal: bot p99 ≤ API latency + ${END_TO_END_ALLOWANCE_MS} ms. Baseline: bare Bolt acking, making one raw undici DescribeCompShareImages call with a precomputed body, and responding (the floor).`,
    "",
    "| API latency | Rounds | bot n | bot p50 · p99 | bare n | bare p50 · p99 |",
    "|---|---|---|---|---|---|",
    ...m.imagesEndToEnd.map(
      (r) =>
        `| ${r.apiLatencyMs} ms | ${r.rounds} | ${r.bot.n} | ${ms(r.bot.p50)} · ${ms(r.bot.p99)} | ${r.bare.n} | ${ms(r.bare.p50)} · ${ms(r.bare.p99)} |`,
    ),
    "",
    "## CompShare client: DescribeCompShareImages",
    "",
    "Our client (validate, sign, POST, parse, check the envelope, decode the page) against raw undici posting a body signed once in advance and parsing the JSON; each on its own undici Pool with the same options. *fixed-body*: a loopback server replaying one recorded simulator answer, so the ratio is the client's own overhead; *simulator*: the demo simulator, whose own work dilutes the ratio.",
    "",
    "| Server | In flight | Rounds | client ÷ raw calls/s (95 % CI) | client calls/s · p99 | raw calls/s · p99 |",
    "|---|---|---|---|---|---|",
    ...m.client.map(
      (r) =>
        `| ${r.server} | ${r.concurrency} | ${r.rounds} | ${ratio(r.ratio, "")} | ${r.client.callsPerSecond} · ${ms(r.client.latency.p99)} | ${r.raw.callsPerSecond} · ${ms(r.raw.latency.p99)} |`,
    ),
    "",
    "## Simulator on a large catalogue",
    "",
    `Raw undici DescribeCompShareImages Limit=${m.simulator.limit}, ${m.simulator.concurrency} in flight, against a simulator of ${m.simulator.catalogue.toLocaleString("en")} platform images and against a server replaying that simulator's own answer.`,
    "",
    "| Rounds | simulator ÷ fixed-body calls/s (95 % CI) | simulator calls/s · p99 | fixed-body calls/s · p99 |",
    "|---|---|---|---|",
    `| ${m.simulator.rounds} | ${ratio(m.simulator.ratio, "")} | ${m.simulator.simulator.callsPerSecond} · ${ms(m.simulator.simulator.latency.p99)} | ${m.simulator.fixedBody.callsPerSecond} · ${ms(m.simulator.fixedBody.latency.p99)} |`,
    "",
    `## Memory: RSS of the server process over ${m.memory.commands.toLocaleString("en")} commands, 16 in flight`,
    "",
    `Both servers get the same commands, from logged-in users: ${m.memory.mix.map((c) => `\`${c}\``).join(", ")}; bare Bolt acks them all and answers \`images\` with one raw call and a reply. Sampled once each chunk's replies are in. Growing: second-half least-squares RSS slope ≥ ${GROWTH_THRESHOLD_MB_PER_1000} MB per 1,000 commands (a leak of 1 KB or more per command). The servers run with --trace-gc so the heap still live after each full GC can be told apart from memory V8 keeps in reserve. The compiled bot and bare Bolt both run with the image's V8 flags; from source, V8 sizes its heap from the host's memory. About 50 MB of every Node.js process's RSS is the node binary's own code pages, shared between processes.`,
    "",
    "| | Idle | After | Peak | RSS slope (MB / 1,000 commands) | Growing | Live heap after full GCs: count, first → last, second-half slope |",
    "|---|---|---|---|---|---|---|",
    memoryRow("bot, compiled (image)", m.memory.bot.compiled),
    memoryRow("bare Bolt, compiled (image flags)", m.memory.bare),
    ...(m.memory.bot.source ? [memoryRow("bot, source (`npm start`)", m.memory.bot.source)] : []),
    "",
    `Bot (compiled) RSS along the run, MB: ${m.memory.bot.compiled.samples.map((s) => s.rssMB).join(" · ")}`,
    "",
    "## Reinstall picker cache, worst case",
    "",
    `${m.pickerCache.users} users open the image picker within its TTL, each with ${m.pickerCache.imagesPerUser.toLocaleString("en")} images (own, shared and platform, 1,000 each; pages JSON-parsed as the client would). Heap in use after a full GC, less the heap before, each side in a fresh process: as shipped under the image's V8 flags (${m.pickerCache.bounded.flags.join(" ")}), and with the image bound lifted, as the cache was before it had one.`,
    "",
    "| | Heap held | Heap after | Users held | Images held |",
    "|---|---|---|---|---|",
    `| as shipped | ${m.pickerCache.bounded.cacheMB} MB | ${m.pickerCache.bounded.heapAfterMB} MB | ${m.pickerCache.bounded.usersCached} | ${m.pickerCache.bounded.imagesCached.toLocaleString("en")} |`,
    `| unbounded | ${m.pickerCache.unbounded.cacheMB} MB | ${m.pickerCache.unbounded.heapAfterMB} MB | ${m.pickerCache.unbounded.usersCached} | ${m.pickerCache.unbounded.imagesCached.toLocaleString("en")} |`,
    "",
    "## Start-up to /readyz",
    "",
    "A fresh process and a fresh SQLite file each run (migrations included), auth.test against the fake Slack.",
    "",
    "| | bot median | bot runs | bare Bolt median | bare Bolt runs |",
    "|---|---|---|---|---|",
    ...m.startup.map(
      (r) =>
        `| ${r.build === "source" ? "source (`node src/main.ts start`)" : "compiled (`node <flags> dist/main.js start`)"} | ${ms(r.bot.medianMs)} | ${r.bot.runsMs.map(ms).join(", ")} | ${ms(r.bare.medianMs)} | ${r.bare.runsMs.map(ms).join(", ")} |`,
    ),
    "",
    "## Cost as work grows",
    "",
    `In the bench's own process, on the real bot (Bolt HTTP receiver, SQLite file, fake Slack, simulator), one at a time. Goal: each within ${GROWTH_LIMIT}× its small-size cost. *home*: an approver opening the Home tab, from the app_home_opened event to its views.publish, over that many stored pending requests. *picker-keystroke*: one keystroke in the reinstall form's image picker once the user's images are cached (the first keystroke, which lists them, is shown as cold) over a platform catalogue of that many images; the picker lists at most 1,000 per list. *sweep*: the housekeeping sweep expiring that many due requests, per request (announcing each, one Slack call, left out).`,
    "",
    "| Work | Size | Cost | Small size | Small cost | Ratio | Cold (picker) large · small |",
    "|---|---|---|---|---|---|---|",
    ...m.growth.map(
      (r) =>
        `| ${r.work} | ${r.size.toLocaleString("en")} | ${ms(r.ms)} | ${r.smallSize.toLocaleString("en")} | ${ms(r.smallMs)} | ${r.ratio}× | ${r.coldMs === undefined ? "" : `${ms(r.coldMs)} · ${ms(r.smallColdMs ?? Number.NaN)}`} |`,
    ),
    "",
  ];
  return lines.join("\n");
}

/** The measured value in words, with its interval where it is a ratio of rounds. */
function describeMeasure(t: Target, m: Measurements): string {
  const estimate = estimateFor(t.name, m);
  if (estimate !== undefined)
    return `${round(estimate.median, 2)} (${round(estimate.low, 2)}–${round(estimate.high, 2)})`;
  if (t.name.endsWith("-ms")) return ms(t.measured);
  return String(round(t.measured, 2));
}

function estimateFor(name: string, m: Measurements): RatioEstimate | undefined {
  for (const pair of m.ack) {
    for (const mode of ["burst", "sustained"] as const) {
      if (name === `ack.${pair.command}.${mode}-${pair.concurrency}.${pair.build}.p99-ratio`)
        return pair[mode].p99Ratio;
    }
  }
  for (const row of m.client) {
    if (name === `client.${row.server}.${row.concurrency}-in-flight.calls-ratio`) return row.ratio;
  }
  if (name.startsWith("simulator.")) return m.simulator.ratio;
  return undefined;
}

function ratio(estimate: RatioEstimate, unit: string): string {
  return `${round(estimate.median, 2)}${unit} (${round(estimate.low, 2)}–${round(estimate.high, 2)})`;
}

function liveHeap(heap: MemorySide["liveHeap"]): string {
  if (heap.fullGcs === 0) return "no full GC in the run";
  return `${heap.fullGcs}: ${heap.firstMB} → ${heap.lastMB} MB, ${heap.secondHalfSlopeMBPer1000} MB / 1,000`;
}

function ms(value: number): string {
  return value >= 100 ? `${Math.round(value)} ms` : `${round(value, 2)} ms`;
}
