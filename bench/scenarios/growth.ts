import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { createOperationsEngine } from "../../src/domain/operations/engine.ts";
import { startSimulator } from "../../src/simulator/simulator.ts";
import { REINSTALL_ACTIONS, REINSTALL_BLOCKS } from "../../src/slack/views/reinstall-modal.ts";
import { openStore } from "../../src/store/open-store.ts";
import type { NewOperationRecord, Store } from "../../src/store/types.ts";
import { ALICE, type Harness, startHarness } from "../../test/e2e/harness.ts";
import { CAROL, LEADS_GROUP, REINSTALL_ENV, REINSTALL_USERS } from "../../test/e2e/reinstall-steps.ts";
import type { Actor } from "../../test/e2e/slack-requests.ts";
import type { BenchProfile } from "../profile.ts";
import { median, round } from "../stats.ts";

/**
 * Cost as work grows (issue 13, item 5): the same piece of work at a small size and at large
 * ones, each stays within GROWTH_LIMIT× its small-size cost. These run in the bench's own process
 * on the real bot (the e2e harness: real Bolt receiver, SQLite file, fake Slack, simulator), one
 * at a time, so what is measured is the work itself and not contention.
 */
export type GrowthWork = "home" | "picker-keystroke" | "sweep";

export interface GrowthRow {
  work: GrowthWork;
  /** Stored requests (home), catalogue images (picker) or requests due (sweep). */
  size: number;
  smallSize: number;
  /** Median ms: per open (home), per keystroke once the user's images are cached (picker), per request swept (sweep). */
  ms: number;
  smallMs: number;
  ratio: number;
  /** Picker only: the first keystroke, which lists every image (up to the picker's per-list cap) before it answers. */
  coldMs?: number;
  smallColdMs?: number;
}

export const GROWTH_LIMIT = 2;
const SMALL_HOME = 100;
const SMALL_SWEEP = 100;

export async function measureGrowth(profile: BenchProfile): Promise<GrowthRow[]> {
  const { repeats } = profile.growth;
  return [
    ...(await homeRows(profile.growth.homeRequests, repeats)),
    ...(await pickerRows(profile.growth.pickerImages, repeats)),
    ...(await sweepRows(profile.growth.sweepDue)),
  ];
}

/** An approver's Home tab (their own requests, what waits for them, recent decisions) over ever more stored requests. */
async function homeRows(sizes: readonly number[], repeats: number): Promise<GrowthRow[]> {
  const h = await startHarness({ env: { ...REINSTALL_ENV, LOG_LEVEL: "warn" }, users: REINSTALL_USERS });
  try {
    h.slack.usergroups.set(LEADS_GROUP, [CAROL.userId]);
    await h.login(CAROL);
    let stored = 0;
    const grow = async (to: number) => {
      for (; stored < to; stored += 1) await h.bot.services.store.operations.create(storedRequest(stored));
    };
    await grow(SMALL_HOME);
    const smallMs = await timeHome(h, CAROL, repeats);
    const rows: GrowthRow[] = [];
    for (const size of sizes) {
      await grow(size);
      const ms = await timeHome(h, CAROL, repeats);
      rows.push({ work: "home", size, smallSize: SMALL_HOME, ms, smallMs, ratio: round(ms / smallMs, 2) });
    }
    return rows;
  } finally {
    await h.stop();
  }
}

/** Most by others, one in ten the approver's own; all pending, so every list Home reads is full. */
function storedRequest(i: number): NewOperationRecord {
  const instanceId = `uhost-${String(i).padStart(8, "0")}`;
  return {
    teamId: CAROL.teamId ?? "",
    requesterId: i % 10 === 0 ? CAROL.userId : `U0REQ${String(i % 500).padStart(4, "0")}`,
    kind: "reinstall",
    region: "cn-wlcb",
    zone: "cn-wlcb-01",
    reason: "benchmark",
    keyFingerprint: "0123456789abcdef",
    targets: [{ instanceId, name: `instance-${i}` }],
    steps: [
      {
        instanceId,
        action: { kind: "reinstall", imageId: "compshareImage-bench00001", imageName: "Ubuntu 22.04 CUDA 12.4" },
      },
    ],
    ttlMs: 7 * 24 * 3600_000,
  };
}

/** From the app_home_opened event to the views.publish it causes, median of `repeats`. */
async function timeHome(h: Harness, actor: Actor, repeats: number): Promise<number> {
  const samples: number[] = [];
  const published = () => h.slack.callsTo("views.publish").filter((c) => c.args.user_id === actor.userId).length;
  for (let i = 0; i <= repeats; i += 1) {
    await h.bot.services.inFlight.drain(10_000);
    const before = published();
    const started = performance.now();
    const response = await h.send.event({ type: "app_home_opened", user: actor.userId, tab: "home", channel: "D0H" });
    if (response.status !== 200) throw new Error(`Home event answered ${response.status}`);
    await h.slack.waitFor(() => published() > before, 30_000, "views.publish");
    // The first open warms the code paths; it is not counted.
    if (i > 0) samples.push(performance.now() - started);
  }
  return round(median(samples), 2);
}

/** One keystroke in the reinstall form's image picker, over a catalogue of `size` platform images. */
async function pickerRows(sizes: readonly number[], repeats: number): Promise<GrowthRow[]> {
  const small = await timePicker(0, repeats);
  const rows: GrowthRow[] = [];
  for (const size of sizes) {
    const large = await timePicker(size - small.catalogue, repeats);
    rows.push({
      work: "picker-keystroke",
      size: large.catalogue,
      smallSize: small.catalogue,
      ms: large.warmMs,
      smallMs: small.warmMs,
      ratio: round(large.warmMs / small.warmMs, 2),
      coldMs: large.coldMs,
      smallColdMs: small.coldMs,
    });
  }
  return rows;
}

async function timePicker(
  extraImages: number,
  repeats: number,
): Promise<{ catalogue: number; coldMs: number; warmMs: number }> {
  const sim = await startSimulator({ extraImages });
  const h = await startHarness({ sim, env: { ...REINSTALL_ENV, LOG_LEVEL: "warn" }, users: REINSTALL_USERS });
  try {
    await h.login(ALICE);
    const keystroke = async (value: string) => {
      const started = performance.now();
      const response = await h.send.suggest(ALICE, {
        action_id: REINSTALL_ACTIONS.image,
        block_id: REINSTALL_BLOCKS.image,
        value,
      });
      if (response.status !== 200) throw new Error(`picker answered ${response.status}`);
      return performance.now() - started;
    };
    const coldMs = await keystroke("u");
    const typed = ["ub", "ubu", "ubun", "ubunt", "ubuntu", "qw", "qwe", "qwen", "co", "com", "comf", "comfy"];
    const warm: number[] = [];
    for (let i = 0; i < repeats; i += 1) warm.push(await keystroke(typed[i % typed.length] ?? "a"));
    return {
      catalogue: sim.state.listPlatformImages().length,
      coldMs: round(coldMs, 2),
      warmMs: round(median(warm), 2),
    };
  } finally {
    await h.stop();
    await sim.close();
  }
}

/** The engine's sweep expiring `size` due requests, per request, with their audit rows; nobody listens to the announcements (a Slack call each). */
async function sweepRows(sizes: readonly number[]): Promise<GrowthRow[]> {
  // A small sweep takes a few milliseconds, so it is timed several times.
  const smallRuns: number[] = [];
  for (let i = 0; i < 3; i += 1) smallRuns.push(await timeSweep(SMALL_SWEEP));
  const small = median(smallRuns);
  const rows: GrowthRow[] = [];
  for (const size of sizes) {
    const ms = await timeSweep(size);
    rows.push({
      work: "sweep",
      size,
      smallSize: SMALL_SWEEP,
      ms,
      smallMs: round(small, 4),
      ratio: round(ms / small, 2),
    });
  }
  return rows;
}

async function timeSweep(due: number): Promise<number> {
  const dir = await mkdtemp(join(tmpdir(), "compshare-bench-sweep-"));
  let now = Date.parse("2026-01-01T00:00:00Z");
  let store: Store | undefined;
  try {
    store = await openStore({
      url: `sqlite:${join(dir, "sweep.sqlite")}`,
      keys: [randomBytes(32)],
      clock: () => new Date(now),
    });
    for (let i = 0; i < due; i += 1) await store.operations.create({ ...storedRequest(i), ttlMs: 60_000 });
    now += 120_000;
    const engine = createOperationsEngine({
      operations: store.operations,
      audit: store.audit,
      accountFor: () => Promise.reject(new Error("the sweep bench runs no step")),
      clock: () => now,
      logger: pino({ level: "silent" }),
      allowSelfApproval: false,
      exclusiveStore: true,
    });
    const started = performance.now();
    const report = await engine.sweep();
    const ms = performance.now() - started;
    await engine.stop();
    if (report.expired !== due) throw new Error(`the sweep expired ${report.expired} of ${due}`);
    return round(ms / due, 4);
  } finally {
    await store?.close();
    await rm(dir, { recursive: true, force: true });
  }
}
