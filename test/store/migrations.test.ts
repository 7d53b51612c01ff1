import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { MigrationError, openStore } from "../../src/store/index.ts";
import { migrate } from "../../src/store/migrate.ts";
import { latestVersion, MIGRATIONS, type Migration, migrationChecksum } from "../../src/store/migrations.ts";
import { openSqliteDriver } from "../../src/store/sqlite-driver.ts";
import { memoryLogger } from "../helpers/memory-log.ts";

/**
 * Released migrations are frozen. If this test fails because you edited one, undo the edit
 * and add a new migration instead; only append a line here for a new migration.
 */
const RELEASED = [
  {
    version: 1,
    name: "2026-11-initial-schema",
    checksum: "64fda4c8305ffd17ad0f12bff09d15c8efb29eff831db30f29707184904d27cf",
  },
  {
    version: 2,
    name: "2026-12-operation-plans",
    checksum: "3c26da3606bf5c8c90499728b10d02d6557ecd7dc9ed648723bc4c60baaf4f4e",
  },
  {
    version: 3,
    name: "2026-12-slack-deliveries",
    checksum: "5ad3a68d82885b30236345ec9fc1fd33502e9377b598feffbaac83a2c7b57c49",
  },
  {
    version: 4,
    name: "2026-12-approval-quorum",
    checksum: "1d59164a8dc16faf34aa1a5f2cc04d46f9035d80b54c0968b0dd26d43d06d3c8",
  },
  {
    version: 5,
    name: "2026-12-scheduled-runs",
    checksum: "b6edf321ab9f6520bde19a0e4cadeab993ddbd47d2c533065a1521b65519e2ff",
  },
  {
    version: 6,
    name: "2026-12-home-request-indexes",
    checksum: "f19ad5cfb2951a82bde0fda857c71cf74b3cc3481a1e156eb008aba17446f43c",
  },
];

const dirs: string[] = [];
async function tempPath() {
  const dir = await mkdtemp(join(tmpdir(), "compshare-migrations-"));
  dirs.push(dir);
  return join(dir, "store.sqlite");
}
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

const now = () => new Date("2025-03-01T09:00:00.000Z");

describe("migration list", () => {
  it("matches the released migrations exactly", () => {
    expect(MIGRATIONS.map((m) => ({ version: m.version, name: m.name, checksum: migrationChecksum(m) }))).toEqual(
      RELEASED,
    );
  });

  it("is frozen, numbered in increasing order from 1 and gives both dialects", () => {
    expect(Object.isFrozen(MIGRATIONS)).toBe(true);
    expect(MIGRATIONS[0]?.version).toBe(1);
    MIGRATIONS.forEach((m, i) => {
      expect(Object.isFrozen(m)).toBe(true);
      if (i > 0) expect(m.version).toBeGreaterThan((MIGRATIONS[i - 1] as Migration).version);
      expect(m.sqlite.trim()).not.toBe("");
      expect(m.postgres.trim()).not.toBe("");
    });
    expect(latestVersion()).toBe(MIGRATIONS.at(-1)?.version);
  });

  it("changes its checksum when any part of a migration changes", () => {
    const [first] = MIGRATIONS as [Migration];
    const base = migrationChecksum(first);
    expect(migrationChecksum({ ...first, name: `${first.name}x` })).not.toBe(base);
    expect(migrationChecksum({ ...first, sqlite: `${first.sqlite} ` })).not.toBe(base);
    expect(migrationChecksum({ ...first, postgres: `${first.postgres} ` })).not.toBe(base);
  });
});

describe("migrate", () => {
  it("refuses a database whose applied migration was edited", async () => {
    const path = await tempPath();
    const store = await openStore({ url: `sqlite:${path}`, keys: [randomBytes(32)] });
    await store.close();
    const driver = openSqliteDriver({ path });
    await driver.query("UPDATE schema_migrations SET checksum = 'edited' WHERE version = 1");
    await driver.close();
    const error = await openStore({ url: `sqlite:${path}`, keys: [randomBytes(32)] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MigrationError);
    expect((error as Error).message).toMatch(/must never be edited/);
  });

  it("applies a later migration on top, in its own transaction, and warns about versions it does not know", async () => {
    const path = await tempPath();
    const driver = openSqliteDriver({ path });
    const mem = memoryLogger("info");
    const next: Migration = {
      version: latestVersion() + 1,
      name: "test-next",
      sqlite: "CREATE TABLE extra (id INTEGER PRIMARY KEY) STRICT;",
      postgres: "CREATE TABLE extra (id integer PRIMARY KEY);",
    };
    expect(await migrate(driver, { now, logger: mem.logger })).toEqual(MIGRATIONS.map((m) => m.version));
    expect(await migrate(driver, { now, logger: mem.logger, migrations: [...MIGRATIONS, next] })).toEqual([
      next.version,
    ]);
    expect(await migrate(driver, { now, logger: mem.logger })).toEqual([]);
    expect(mem.records().some((r) => r.msg === "database has a migration this release does not know")).toBe(true);
    await driver.close();
  });

  it("leaves nothing behind when a migration fails halfway", async () => {
    const path = await tempPath();
    const driver = openSqliteDriver({ path });
    const broken: Migration = {
      version: latestVersion() + 1,
      name: "test-broken",
      sqlite: "CREATE TABLE half (id INTEGER) STRICT; CREATE TABLE half (id INTEGER) STRICT;",
      postgres: "",
    };
    await migrate(driver, { now, logger: memoryLogger("silent").logger });
    await expect(
      migrate(driver, { now, logger: memoryLogger("silent").logger, migrations: [...MIGRATIONS, broken] }),
    ).rejects.toThrow(/already exists/);
    expect(await driver.query("SELECT name FROM sqlite_master WHERE name = 'half'")).toEqual([]);
    expect(await driver.query("SELECT version FROM schema_migrations WHERE version = ?", [broken.version])).toEqual([]);
    await driver.close();
  });
});
