import { spawn } from "node:child_process";
import { mkdir, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { cpus, loadavg, totalmem } from "node:os";
import { join } from "node:path";
import { benchUser } from "./fakes.ts";
import { FULL, QUICK } from "./profile.ts";
import { type BenchResults, checkTargets, type Machine, type Measurements, markdown } from "./report.ts";
import { type Build, startRig } from "./rig.ts";
import { ACK_COMMANDS, type AckPair, LOGGED_IN_USERS, measureAck } from "./scenarios/ack-latency.ts";
import { measureClientThroughput } from "./scenarios/client-throughput.ts";
import { measureGrowth } from "./scenarios/growth.ts";
import { type ImagesEndToEndRow, measureImagesEndToEnd } from "./scenarios/images-end-to-end.ts";
import { measureMemory } from "./scenarios/memory.ts";
import { measurePickerCache } from "./scenarios/picker-cache.ts";
import { measureSimulatorScaling } from "./scenarios/simulator-scaling.ts";
import { measureStartup } from "./scenarios/startup.ts";

/**
 * `npm run bench`: every measure beside its baseline, results to bench/results/latest.{json,md}
 * (the directory holds only the latest full run). `npm run bench -- --quick`: the same scenarios
 * with fewer rounds and samples, to bench/results/quick.{json,md} (not committed).
 * `npm run bench -- picker-cache` re-measures only the picker cache into the latest results.
 * Nothing here is asserted; targets are reported.
 */

const RESULTS = new URL("./results/", import.meta.url).pathname;
const BIOME = new URL("../node_modules/@biomejs/biome/bin/biome", import.meta.url).pathname;

const args = process.argv.slice(2);
const unknown = args.filter((arg) => arg !== "--quick" && arg !== "picker-cache");
if (unknown.length > 0) {
  console.error(`Unknown option ${unknown.join(" ")}. Usage: npm run bench [-- --quick | picker-cache]`);
  process.exit(2);
}
const profile = args.includes("--quick") ? QUICK : FULL;

const started = performance.now();
if (args.includes("picker-cache")) {
  const latest = JSON.parse(await readFile(join(RESULTS, "latest.json"), "utf8")) as BenchResults;
  const measurements = { ...latest.measurements, pickerCache: await measurePickerCache() };
  await save({ ...latest, measurements, targets: checkTargets(measurements) });
  process.exit(0);
}
const machineAtStart = machine();
const rig = await startRig();
try {
  const step = (what: string) => console.log(`[${Math.round((performance.now() - started) / 1000)} s] ${what}`);

  step("start-up");
  const startup = await measureStartup(rig, profile);

  const ack: AckPair[] = [];
  let imagesEndToEnd: ImagesEndToEndRow[] = [];
  for (const build of ["compiled", "source"] as const satisfies readonly Build[]) {
    const bot = await rig.startBot(build);
    const bare = await rig.startBare(build);
    try {
      for (let i = 0; i < LOGGED_IN_USERS; i += 1) await rig.login(bot, benchUser(i));
      for (const command of ACK_COMMANDS) {
        step(`ack latency: ${command}, ${build}`);
        ack.push(await measureAck(rig, { bot, bare, build }, command, profile));
      }
      if (build === "compiled") {
        step("/compshare images end to end, with API latency");
        imagesEndToEnd = await measureImagesEndToEnd(rig, bot, bare, profile);
      }
    } finally {
      await bot.stop();
      await bare.stop();
    }
  }

  step("CompShare client against raw undici");
  const client = await measureClientThroughput(rig, profile);

  step("simulator on a large catalogue");
  const simulator = await measureSimulatorScaling(rig, profile);

  step(`memory over ${profile.memory.commands.toLocaleString("en")} commands`);
  const memory = await measureMemory(rig, profile);

  step("reinstall picker cache, worst case");
  const pickerCache = await measurePickerCache();

  step("cost as work grows");
  const growth = await measureGrowth(profile);

  const measurements: Measurements = { ack, imagesEndToEnd, client, simulator, memory, startup, pickerCache, growth };
  const results: BenchResults = {
    date: new Date().toISOString(),
    machine: machineAtStart,
    profile: profile.name,
    durationSeconds: Math.round((performance.now() - started) / 1000),
    targets: checkTargets(measurements),
    measurements,
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
    loadAverage: Math.round((loadavg()[0] ?? 0) * 100) / 100,
  };
}

/** Written beside, then renamed over, so an interrupted run never leaves half a file. */
async function save(results: BenchResults): Promise<void> {
  await mkdir(RESULTS, { recursive: true });
  const base = results.profile === "full" ? "latest" : "quick";
  const files = { [`${base}.json`]: `${JSON.stringify(results, null, 2)}\n`, [`${base}.md`]: markdown(results) };
  for (const [name, text] of Object.entries(files)) {
    await writeFile(join(RESULTS, `${name}.tmp`), text);
    await rename(join(RESULTS, `${name}.tmp`), join(RESULTS, name));
  }
  if (results.profile === "full") {
    for (const name of await readdir(RESULTS)) {
      if (!(name in files)) await rm(join(RESULTS, name), { force: true });
    }
  }
  // Committed beside the code, so it is laid out as `npm run lint` expects.
  const biome = spawn(process.execPath, [BIOME, "format", "--write", join(RESULTS, `${base}.json`)], {
    stdio: "ignore",
  });
  await new Promise((resolve) => biome.once("exit", resolve));
  console.log(`results: ${join(RESULTS, `${base}.md`)}`);
}
