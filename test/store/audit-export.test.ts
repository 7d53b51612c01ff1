import { randomBytes } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { openStore, type Store } from "../../src/store/index.ts";
import type { AuditEntry } from "../../src/store/types.ts";
import { manualClock, type StoreTarget, storeTargets } from "./harness.ts";

const targets = await storeTargets("test/store/audit-export.test.ts");

async function all(rows: AsyncIterable<AuditEntry>): Promise<AuditEntry[]> {
  const out: AuditEntry[] = [];
  for await (const row of rows) out.push(row);
  return out;
}

describe.each(targets)("audit export on $name", ({ make }) => {
  let target: StoreTarget;
  const opened: Store[] = [];
  beforeAll(() => {
    target = make();
  });
  afterEach(async () => {
    for (const store of opened.splice(0)) await store.close();
  });
  afterAll(async () => {
    await target.cleanup();
  });

  async function open(): Promise<{ store: Store; clock: ReturnType<typeof manualClock> }> {
    const clock = manualClock(new Date("2026-11-20T00:00:00.000Z"));
    const store = await openStore({ url: await target.newUrl(), keys: [randomBytes(32)], clock: clock.now });
    opened.push(store);
    return { store, clock };
  }

  it("reads every row oldest first across pages, by period and team", async () => {
    const { store, clock } = await open();
    // More than two pages (500 each), several rows per instant, two teams.
    for (let i = 0; i < 1203; i += 1) {
      if (i % 3 === 0) clock.advance(60_000);
      await store.audit.append({
        teamId: i % 4 === 0 ? "T0OTHER01" : "T0FAKE001",
        actorId: "U0ALICE01",
        action: "reinstall.request",
        target: `uhost-${i}`,
        result: "pending",
        detail: { approval: `req_${String(i).padStart(16, "0")}` },
      });
    }
    const everything = await all(store.audit.export({}));
    expect(everything).toHaveLength(1203);
    expect(everything.map((e) => e.target)).toEqual(Array.from({ length: 1203 }, (_, i) => `uhost-${i}`));

    const fakeTeam = await all(store.audit.export({ teamId: "T0FAKE001" }));
    expect(fakeTeam).toHaveLength(902);
    expect(fakeTeam.every((e) => e.teamId === "T0FAKE001")).toBe(true);

    // Rows 300-302 share the 101st minute, 600-602 the 201st: from inclusive, to exclusive.
    const from = new Date("2026-11-20T01:41:00.000Z");
    const to = new Date("2026-11-20T03:21:00.000Z");
    const period = await all(store.audit.export({ from, to }));
    expect(period[0]?.target).toBe("uhost-300");
    expect(period.at(-1)?.target).toBe("uhost-599");
    expect(period).toHaveLength(300);
    expect(period[0]?.detail).toEqual({ approval: "req_0000000000000300" });
  });

  it("yields nothing from an empty log", async () => {
    const { store } = await open();
    expect(await all(store.audit.export({ from: new Date(0) }))).toEqual([]);
  });
});
