import type { AckLatencyRow } from "./scenarios/ack-latency.ts";
import type { ClientThroughputRow } from "./scenarios/client-throughput.ts";
import type { ImagesEndToEndResult } from "./scenarios/images-end-to-end.ts";
import { GROWTH_THRESHOLD_MB_PER_1000, type MemoryResult, type MemorySide } from "./scenarios/memory.ts";
import type { PickerCacheResult } from "./scenarios/picker-cache.ts";
import type { StartupRow } from "./scenarios/startup.ts";
import { round } from "./stats.ts";

/** The results file: where and when it ran, every number, and each target's pass or miss. */

export interface Machine {
  cores: number;
  cpu: string;
  memoryGB: number;
  node: string;
  platform: string;
}

export interface Measurements {
  ackLatency: AckLatencyRow[];
  imagesEndToEnd: ImagesEndToEndResult;
  client: ClientThroughputRow[];
  memory: MemoryResult;
  startup: StartupRow[];
  pickerCache: PickerCacheResult;
}

export interface TargetCheck {
  target: string;
  measured: string;
  pass: boolean;
}

export interface BenchResults {
  date: string;
  machine: Machine;
  durationSeconds: number;
  measurements: Measurements;
  targets: TargetCheck[];
}

export function checkTargets(m: Measurements): TargetCheck[] {
  const checks: TargetCheck[] = [];
  for (const row of m.ackLatency.filter((r) => r.concurrency === 200)) {
    const ratio = row.bot.p99 / row.bare.p99;
    checks.push({
      target: `ack p99 at 200 concurrent (${row.mode}) ≤ 1.25× bare Bolt`,
      measured: `${ms(row.bot.p99)} vs ${ms(row.bare.p99)} (${round(ratio, 2)}×)`,
      pass: ratio <= 1.25,
    });
  }
  const ratios = m.client.map((row) => row.client.callsPerSecond / row.raw.callsPerSecond);
  checks.push({
    target: "client calls/s within 15 % of raw undici (every concurrency)",
    measured: m.client.map((row, i) => `${row.concurrency} in flight: ${percent(ratios[i] ?? Number.NaN)}`).join("; "),
    pass: ratios.every((r) => r >= 0.85),
  });
  const image = m.memory.bot.compiled;
  checks.push({
    target: `RSS < 120 MB after ${m.memory.commands.toLocaleString("en")} commands, no growth trend (compiled, as in the image)`,
    measured: `${image.afterMB} MB; second-half slope ${image.slopeMBPer1000} MB / 1,000 commands`,
    pass: image.afterMB < 120 && !image.growing,
  });
  const picker = m.pickerCache;
  checks.push({
    target: `reinstall picker cache, ${picker.users} users × ${picker.imagesPerUser.toLocaleString("en")} images: ≤ 40 MB of heap under --max-old-space-size=160`,
    measured: `${picker.bounded.cacheMB} MB (${picker.bounded.usersCached} users, ${picker.bounded.imagesCached.toLocaleString("en")} images held); unbounded ${picker.unbounded.cacheMB} MB`,
    pass: picker.bounded.cacheMB <= 40,
  });
  const source = m.startup.find((r) => r.build === "source");
  if (source) {
    checks.push({
      target: "ready (/readyz 200) in < 1 s on SQLite (`node src/main.ts start`)",
      measured: `median ${ms(source.bot.medianMs)}`,
      pass: source.bot.medianMs < 1000,
    });
  }
  return checks;
}

export function markdown(results: BenchResults): string {
  const { machine, measurements: m } = results;
  const memoryRow = (name: string, side: MemorySide) =>
    `| ${name} | ${side.idleMB} MB | ${side.afterMB} MB | ${side.peakMB} MB | ${side.slopeMBPer1000} | ${side.growing ? "yes" : "no"} | ${liveHeap(side.liveHeap)} |`;
  const lines = [
    "# compshare-bot benchmarks",
    "",
    `${results.date} · ${machine.cores} cores (${machine.cpu}) · ${machine.memoryGB} GB · Node ${machine.node} · ${machine.platform} · ${Math.round(results.durationSeconds)} s`,
    "",
    "Written by `npm run bench` with `latest.json`. Every measure runs beside its baseline in the same run, the two taking turns; servers run in child processes of their own, the fake Slack and the CompShare simulator in another, the load generator in the parent.",
    "",
    "## Targets",
    "",
    "| Target | Measured | |",
    "|---|---|---|",
    ...results.targets.map((t) => `| ${t.target} | ${t.measured} | ${t.pass ? "pass" : "**miss**"} |`),
    "",
    "## Slash-command ack latency",
    "",
    "`/compshare help`: the HTTP response time of POST /slack/events (what Slack waits for), on warm keep-alive connections. *burst*: N commands sent at once, then every ack and reply awaited, repeated. *sustained*: N kept in flight without pause, which saturates the server, so latency there is N ÷ throughput. The bot also sends each help through its response_url; bare Bolt only acks. CPU is the server's own (user + system) per command, replies included.",
    "",
    "| N | Mode | Requests | bot p50 | bot p99 | bare p50 | bare p99 | p99 ratio | CPU/command bot · bare |",
    "|---|---|---|---|---|---|---|---|---|",
    ...m.ackLatency.map(
      (r) =>
        `| ${r.concurrency} | ${r.mode} | ${r.bot.n} | ${ms(r.bot.p50)} | ${ms(r.bot.p99)} | ${ms(r.bare.p50)} | ${ms(r.bare.p99)} | ${round(r.bot.p99 / r.bare.p99, 2)}× | ${r.cpuMsPerCommand.bot} · ${r.cpuMsPerCommand.bare} ms |`,
    ),
    "",
    "## `/compshare images` end to end",
    "",
    "One at a time, from sending the signed command to the reply's arrival at the fake Slack's response_url; the simulator answers at once. Baseline: bare Bolt acking, making one raw undici DescribeCompShareImages call with a precomputed body, and responding.",
    "",
    "| | Requests | p50 | p99 | mean |",
    "|---|---|---|---|---|",
    `| bot | ${m.imagesEndToEnd.bot.n} | ${ms(m.imagesEndToEnd.bot.p50)} | ${ms(m.imagesEndToEnd.bot.p99)} | ${ms(m.imagesEndToEnd.bot.mean)} |`,
    `| bare Bolt + raw call + respond | ${m.imagesEndToEnd.bare.n} | ${ms(m.imagesEndToEnd.bare.p50)} | ${ms(m.imagesEndToEnd.bare.p99)} | ${ms(m.imagesEndToEnd.bare.mean)} |`,
    "",
    "## CompShare client: DescribeCompShareImages against the simulator",
    "",
    "Our client (validate, sign, POST, parse, check the envelope, decode the page) against raw undici posting a body signed once in advance and parsing the JSON; each on its own undici Pool with the same options.",
    "",
    "| In flight | client calls/s | client p50 | client p99 | raw calls/s | raw p50 | raw p99 | client ÷ raw |",
    "|---|---|---|---|---|---|---|---|",
    ...m.client.map(
      (r) =>
        `| ${r.concurrency} | ${r.client.callsPerSecond} | ${ms(r.client.latency.p50)} | ${ms(r.client.latency.p99)} | ${r.raw.callsPerSecond} | ${ms(r.raw.latency.p50)} | ${ms(r.raw.latency.p99)} | ${percent(r.client.callsPerSecond / r.raw.callsPerSecond)} |`,
    ),
    "",
    `## Memory: RSS of the server process over ${m.memory.commands.toLocaleString("en")} commands, 16 in flight`,
    "",
    `Bot mix, from logged-in users: ${m.memory.mix.map((c) => `\`${c}\``).join(", ")}; bare Bolt: acks. Sampled every 500 commands once their replies are in. Growing: second-half least-squares RSS slope ≥ ${GROWTH_THRESHOLD_MB_PER_1000} MB per 1,000 commands (a leak of 1 KB or more per command). The servers run with --trace-gc so the heap still live after each full GC can be told apart from memory V8 keeps in reserve. Compiled servers run with the V8 flags of the image's CMD (a capped young generation and old space); from source, V8 sizes its heap from the host's memory. About 50 MB of every Node.js process's RSS is the node binary's own code pages, shared between processes.`,
    "",
    "| | Idle | After | Peak | RSS slope (MB / 1,000 commands) | Growing | Live heap after full GCs: count, first → last, second-half slope |",
    "|---|---|---|---|---|---|---|",
    memoryRow("bot, compiled (image)", m.memory.bot.compiled),
    memoryRow("bot, source (`npm start`)", m.memory.bot.source),
    memoryRow("bare Bolt, compiled", m.memory.bare),
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
        `| ${r.build === "source" ? "source (`node src/main.ts start`)" : "compiled (`node dist/main.js start`)"} | ${ms(r.bot.medianMs)} | ${r.bot.runsMs.map(ms).join(", ")} | ${ms(r.bare.medianMs)} | ${r.bare.runsMs.map(ms).join(", ")} |`,
    ),
    "",
  ];
  return lines.join("\n");
}

function liveHeap(heap: MemorySide["liveHeap"]): string {
  if (heap.fullGcs === 0) return "no full GC in the run";
  return `${heap.fullGcs}: ${heap.firstMB} → ${heap.lastMB} MB, ${heap.secondHalfSlopeMBPer1000} MB / 1,000`;
}

function ms(value: number): string {
  return value >= 100 ? `${Math.round(value)} ms` : `${round(value, 2)} ms`;
}

function percent(ratio: number): string {
  return `${Math.round(ratio * 100)} %`;
}
