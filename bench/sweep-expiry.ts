import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { pino } from "pino";
import { createOperationsEngine } from "../src/domain/operations/index.ts";
import { openStore } from "../src/store/open-store.ts";

/**
 * `node bench/sweep-expiry.ts [due] [concurrency] [url]`: how long the sweep takes to expire and
 * announce `due` requests (default 5,000) when each announcement costs what Slack costs (three
 * calls of 100 ms: card, DM permalink, DM). Prints one line; nothing is asserted.
 */

const due = Number(process.argv[2] ?? 5000);
const concurrency = Number(process.argv[3] ?? 8);
const SLACK_CALL_MS = 100;
const dir = await mkdtemp(join(tmpdir(), "sweep-bench-"));
const url = process.argv[4] ?? `sqlite:${join(dir, "bench.sqlite")}`;
let now = Date.parse("2026-12-01T09:00:00Z");
const store = await openStore({ url, keys: [randomBytes(32)], clock: () => new Date(now) });
try {
  for (let i = 0; i < due; i += 1) {
    await store.operations.create({
      teamId: `T${i % 50}`,
      requesterId: `U${i}`,
      kind: "reboot",
      region: "cn-wlcb",
      zone: "cn-wlcb-01",
      reason: "bench",
      keyFingerprint: "0000000000000000",
      targets: [{ instanceId: `uhost-${i}` }],
      steps: [{ instanceId: `uhost-${i}`, action: { kind: "reboot" } }],
      ttlMs: 60_000,
    });
  }
  now += 60_000;
  const engine = createOperationsEngine({
    operations: store.operations,
    audit: store.audit,
    accountFor: () => Promise.reject(new Error("not used")),
    clock: () => now,
    logger: pino({ level: "silent" }),
    allowSelfApproval: false,
    exclusiveStore: true,
    announceConcurrency: concurrency,
  });
  let announced = 0;
  engine.subscribe(async (event) => {
    if (event.type !== "request-moved" || event.cause !== "expired") return;
    for (let call = 0; call < 3; call += 1) await sleep(SLACK_CALL_MS);
    announced += 1;
  });
  const started = performance.now();
  const report = await engine.sweep();
  const swept = performance.now();
  await engine.idle();
  const finished = performance.now();
  const sequential = (due * 3 * SLACK_CALL_MS) / 1000;
  console.log(
    `sweep of ${report.expired} due (${store.driver}): expired + audited in ${((swept - started) / 1000).toFixed(1)} s; ` +
      `${announced} announced at ${concurrency} at once in ${((finished - started) / 1000).toFixed(1)} s ` +
      `(one at a time: ${sequential.toFixed(0)} s)`,
  );
} finally {
  await store.close();
  await rm(dir, { recursive: true, force: true });
}
