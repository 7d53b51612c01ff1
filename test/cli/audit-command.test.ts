import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AuditDetail, openStore } from "../../src/store/index.ts";
import { type StoreTarget, storeTargets } from "../store/harness.ts";

/** `compshare-bot audit` as a process over a store the bot wrote, on SQLite and PostgreSQL. */

const MAIN = new URL("../../src/main.ts", import.meta.url).pathname;
const HEADER = "at,team_id,actor_id,action,target,outcome,request_id,cloud_request_id";

function run(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [MAIN, "audit", ...args], { env: { PATH: process.env.PATH ?? "", ...env } });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise((resolve) => child.on("close", (code) => resolve({ code, stdout, stderr })));
}

const targets = await storeTargets("test/cli/audit-command.test.ts");

describe.each(targets)("compshare-bot audit on $name", ({ make }) => {
  let target: StoreTarget;
  let url: string;
  const credentialsKey = randomBytes(32);
  beforeAll(async () => {
    target = make();
    url = await target.newUrl();
    const now = Date.now();
    const store = await openStore({ url, keys: [credentialsKey] });
    const rows: { hoursAgo: number; action: string; target?: string; result: string; detail?: AuditDetail }[] = [
      { hoursAgo: 50, action: "keys.link", result: "ok" },
      {
        hoursAgo: 3,
        action: "reinstall.request",
        target: "uhost-a1",
        result: "pending",
        detail: { approval: "req_AAAA" },
      },
      {
        hoursAgo: 2,
        action: "reinstall.execute",
        target: "uhost-a1",
        result: "succeeded",
        detail: { approval: "req_AAAA", apiRequestId: "cs-1", retCode: 0 },
      },
      { hoursAgo: 1, action: "image.update", target: '=HYPERLINK("x")', result: "error", detail: { message: "a, b" } },
    ];
    for (const row of rows) {
      const { hoursAgo, ...entry } = row;
      await store.audit.append({
        teamId: "T0FAKE001",
        actorId: "U0ALICE01",
        ...entry,
        at: new Date(now - hoursAgo * 3600_000),
      });
    }
    await store.credentials.upsert({
      teamId: "T0FAKE001",
      userId: "U0ALICE01",
      publicKey: "pub-visible",
      privateKey: "PRIVATE-never-exported",
      region: "cn-wlcb",
      zone: "cn-wlcb-01",
    });
    await store.close();
  });
  afterAll(async () => {
    await target.cleanup();
  });

  it("--format csv --since 1d prints a header and one row per recorded action in that day, no secret", async () => {
    const result = await run(["--format", "csv", "--since", "1d"], { DATABASE_URL: url });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const lines = result.stdout.split("\r\n");
    expect(lines[0]).toBe(HEADER);
    expect(lines.slice(1, -1).map((l) => l.split(",").slice(3, 8).join(","))).toEqual([
      "reinstall.request,uhost-a1,pending,req_AAAA,",
      "reinstall.execute,uhost-a1,succeeded,req_AAAA,cs-1",
      `image.update,"'=HYPERLINK(""x"")",error,,`,
    ]);
    expect(lines.at(-1)).toBe("");
    expect(result.stdout).not.toContain("PRIVATE");
    expect(result.stdout).not.toContain("a, b");
  });

  it("--format jsonl, --until and the default 7 days", async () => {
    const jsonl = await run(["--format=jsonl", "--since", "7d", "--until", "150m"], { DATABASE_URL: url });
    expect(jsonl.code).toBe(0);
    const records = jsonl.stdout
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as Record<string, string>);
    expect(records.map((r) => r.action)).toEqual(["keys.link", "reinstall.request"]);
    const byDefault = await run([], { DATABASE_URL: url });
    expect(byDefault.stdout.split("\r\n").filter((l) => l !== "")).toHaveLength(5);
    const otherTeam = await run(["--team", "T0NOBODY1"], { DATABASE_URL: url });
    expect(otherTeam.stdout).toBe(`${HEADER}\r\n`);
  });
});

describe("compshare-bot audit refusals", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "audit-cli-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("exits 2 naming every bad argument", async () => {
    const result = await run(["--format", "xml", "--since", "last week", "--team", "acme"], {
      DATABASE_URL: `sqlite:${join(dir, "none.sqlite")}`,
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("compshare-bot: --format takes csv or jsonl");
    expect(result.stderr).toContain("compshare-bot: --team takes a workspace id (T…)");
    expect(result.stderr).toContain(`compshare-bot: --since "last week" is not a duration`);
    expect(result.stderr).toContain("Usage: compshare-bot audit");
    expect(result.stdout).toBe("");
  });

  it("exits 1 without creating a database where none is", async () => {
    const path = join(dir, "missing.sqlite");
    const result = await run([], { DATABASE_URL: `sqlite:${path}` });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(`compshare-bot audit: no database at ${path}; set DATABASE_URL to the bot's store.\n`);
  });
});
