import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, statSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { afterEach, describe, expect, it } from "vitest";
import { keyIdOf } from "../../src/store/credential-cipher.ts";
import { openStore } from "../../src/store/index.ts";
import { secretForms } from "./harness.ts";

const KEY_A = randomBytes(32);
const KEY_B = randomBytes(32);

const dirs: string[] = [];
async function tempDir() {
  const dir = await mkdtemp(join(tmpdir(), "compshare-sqlite-"));
  dirs.push(dir);
  return dir;
}
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

function readIfExists(path: string): Buffer {
  return existsSync(path) ? readFileSync(path) : Buffer.alloc(0);
}

describe("SQLite file", () => {
  it("creates its directory and an owner-only file in WAL mode", async () => {
    const path = join(await tempDir(), "nested", "data", "bot.sqlite");
    const store = await openStore({ url: `sqlite:${path}`, keys: [KEY_A] });
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(join(path, "..")).mode & 0o777).toBe(0o700);
    await store.close();
    const db = new DatabaseSync(path, { readOnly: true });
    expect(db.prepare("PRAGMA journal_mode").get()).toEqual({ journal_mode: "wal" });
    db.close();
  });

  it("holds no private key in clear, base64 or hex, in the database file or its WAL", async () => {
    const path = join(await tempDir(), "bot.sqlite");
    const store = await openStore({ url: `sqlite:${path}`, keys: [KEY_A] });
    const users = Array.from({ length: 5 }, (_, i) => ({
      teamId: "T1",
      userId: `U${i}`,
      publicKey: `PUBKEY${randomBytes(12).toString("hex")}`,
      privateKey: `PRIVKEY${randomBytes(16).toString("base64url")}`,
      region: "cn-wlcb",
      zone: "cn-wlcb-01",
    }));
    for (const u of users) await store.credentials.upsert(u);

    const scan = () => {
      const files = [readIfExists(path), readIfExists(`${path}-wal`)];
      const text = files.map((f) => f.toString("latin1")).join("\n");
      // The search works: what is not secret is found in the very same bytes.
      for (const u of users) expect(text).toContain(u.publicKey);
      for (const u of users) for (const form of secretForms(u.privateKey)) expect(text).not.toContain(form);
      for (const form of secretForms(KEY_A)) expect(text).not.toContain(form);
    };
    expect(readIfExists(`${path}-wal`).length).toBeGreaterThan(0);
    scan();
    await store.close();
    scan();
  });

  it("survives a writer killed mid-transaction: intact file, no trace of the torn transaction, every row whole", async () => {
    const path = join(await tempDir(), "bot.sqlite");
    const iterations = 30;
    const writer = join(import.meta.dirname, "fixtures", "kill-writer.ts");
    const child = spawn(
      "npm",
      ["exec", "--", "node", writer, path, KEY_A.toString("base64"), KEY_B.toString("base64"), String(iterations)],
      { cwd: join(import.meta.dirname, "..", ".."), detached: true, stdio: ["ignore", "pipe", "pipe"] },
    );
    await killWhenHolding(child);
    expect(statSync(`${path}-wal`).size).toBeGreaterThan(2 * 1024 * 1024);

    const db = new DatabaseSync(path, { timeout: 5000 });
    expect(db.prepare("PRAGMA integrity_check").all()).toEqual([{ integrity_check: "ok" }]);
    expect(db.prepare("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'torn'").get()).toEqual({ n: 0 });
    // Each rotation rewrote every record in one transaction; a torn one would leave two key ids.
    const keyIds = db.prepare("SELECT DISTINCT key_id FROM credentials").all();
    expect(keyIds).toEqual([{ key_id: iterations % 2 === 0 ? keyIdOf(KEY_A) : keyIdOf(KEY_B) }]);
    db.close();

    const store = await openStore({ url: `sqlite:${path}`, keys: [KEY_A, KEY_B] });
    for (let u = 0; u < 20; u++) {
      expect(await store.credentials.get("T1", `U${u}`)).toMatchObject({
        publicKey: `pub-${u}`,
        privateKey: `secret-${u}`,
      });
    }
    const requests = (
      await Promise.all(
        Array.from({ length: 20 }, (_, u) => store.operations.listForRequester("T1", `U${u}`, { limit: 500 })),
      )
    ).flat();
    expect(requests).toHaveLength(iterations);
    for (const r of requests) {
      expect(r).toMatchObject({ status: "succeeded", decidedBy: "BOSS" });
      expect(r.steps).toMatchObject([{ status: "done", result: { apiRequestId: expect.stringMatching(/^uuid-/) } }]);
    }
    expect(await store.audit.query({ teamId: "T1", limit: 1000 })).toHaveLength(iterations);
    await store.close();
  });
});

/** Resolves once the writer said it holds an open transaction and its whole process group is dead. */
function killWhenHolding(child: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    let stderr = "";
    let killed = false;
    child.stderr?.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.stdout?.on("data", (chunk: Buffer) => {
      if (!killed && chunk.toString().includes("holding") && child.pid !== undefined) {
        killed = true;
        // npm runs node as its child; kill the whole group so the writer itself dies mid-transaction.
        process.kill(-child.pid, "SIGKILL");
      }
    });
    child.on("error", reject);
    child.on("exit", () => {
      if (killed) resolve();
      else reject(new Error(`writer exited before it was killed:\n${stderr}`));
    });
  });
}
