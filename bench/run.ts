import { spawn } from "node:child_process";
import { mkdir, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { cpus, totalmem } from "node:os";
import { join } from "node:path";
import { benchUser } from "./fakes.ts";
import { type BenchResults, checkTargets, type Machine, markdown } from "./report.ts";
import { startRig } from "./rig.ts";
import { measureAckLatency } from "./scenarios/ack-latency.ts";
import { measureClientThroughput } from "./scenarios/client-throughput.ts";
import { LOGGED_IN_USERS, measureImagesEndToEnd } from "./scenarios/images-end-to-end.ts";
import { measureMemory } from "./scenarios/memory.ts";
import { measurePickerCache } from "./scenarios/picker-cache.ts";
import { measureStartup } from "./scenarios/startup.ts";

/**
 * `npm run bench`: every measure beside its baseline, results to bench/results/latest.{json,md}
 * (the directory holds only the latest run). Nothing here is asserted; targets are reported.
 * `npm run bench -- picker-cache` re-measures only the picker cache into the latest results.
 */

const RESULTS = new URL("./results/", import.meta.url).pathname;
const BIOME = new URL("../node_modules/@biomejs/biome/bin/biome", import.meta.url).pathname;

const started = performance.now();
if (process.argv.includes("picker-cache")) {
  const latest = JSON.parse(await readFile(join(RESULTS, "latest.json"), "utf8")) as BenchResults;
  const measurements = { ...latest.measurements, pickerCache: await measurePickerCache() };
  await save({ ...latest, measurements, targets: checkTargets(measurements) });
  process.exit(0);
}
const rig = await startRig();
try {
  const step = (what: string) => console.log(`[${Math.round((performance.now() - started) / 1000)} s] ${what}`);

  step("start-up");
  const startup = await measureStartup(rig);

  step("ack latency and /compshare images end to end");
  const bot = await rig.startBot();
  const bare = await rig.startBare();
  let ackLatency: Awaited<ReturnType<typeof measureAckLatency>>;
  let imagesEndToEnd: Awaited<ReturnType<typeof measureImagesEndToEnd>>;
  try {
    for (let i = 0; i < LOGGED_IN_USERS; i += 1) await rig.login(bot, benchUser(i));
    ackLatency = await measureAckLatency(rig, bot, bare);
    imagesEndToEnd = await measureImagesEndToEnd(rig, bot, bare);
  } finally {
    await bot.stop();
    await bare.stop();
  }

  step("CompShare client against raw undici");
  const client = await measureClientThroughput(rig);

  step("memory over 10,000 commands");
  const memory = await measureMemory(rig);

  step("reinstall picker cache, worst case");
  const pickerCache = await measurePickerCache();

  const measurements = { ackLatency, imagesEndToEnd, client, memory, startup, pickerCache };
  const results: BenchResults = {
    date: new Date().toISOString(),
    machine: machine(),
    durationSeconds: Math.round((performance.now() - started) / 1000),
    measurements,
    targets: checkTargets(measurements),
  };
  await save(results);
  console.log(markdown(results));
} finally {
  await rig.close();
}

function machine(): Machine {
  const list = cpus();
  return {
    cores: list.length,
    cpu: list[0]?.model.trim() ?? "unknown",
    memoryGB: Math.round(totalmem() / 1024 ** 3),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
  };
}

/** Written beside, then renamed over, so an interrupted run never leaves half a file. */
async function save(results: BenchResults): Promise<void> {
  await mkdir(RESULTS, { recursive: true });
  const files = { "latest.json": `${JSON.stringify(results, null, 2)}\n`, "latest.md": markdown(results) };
  for (const [name, text] of Object.entries(files)) {
    await writeFile(join(RESULTS, `${name}.tmp`), text);
    await rename(join(RESULTS, `${name}.tmp`), join(RESULTS, name));
  }
  for (const name of await readdir(RESULTS)) {
    if (!(name in files)) await rm(join(RESULTS, name), { force: true });
  }
  // Committed beside the code, so it is laid out as `npm run lint` expects.
  const biome = spawn(process.execPath, [BIOME, "format", "--write", join(RESULTS, "latest.json")], {
    stdio: "ignore",
  });
  await new Promise((resolve) => biome.once("exit", resolve));
  console.log(`results: ${join(RESULTS, "latest.md")}`);
}
