import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { describe, it } from "vitest";
import { openPostgresDriver } from "../../src/store/postgres-driver.ts";
import type { SqlDriver, SqlRow, SqlValue } from "../../src/store/sql-driver.ts";
import { openSqliteDriver } from "../../src/store/sqlite-driver.ts";
import { parseStoreUrl } from "../../src/store/store-url.ts";
import { memoryLogger } from "../helpers/memory-log.ts";

export const PG_TEST_URL = process.env.PG_TEST_URL ?? "postgres://postgres@127.0.0.1:5432/test";

/** Where a test gets a fresh, empty database, and how everything it made is removed. */
export interface StoreTarget {
  readonly name: "sqlite" | "postgres";
  newUrl(): Promise<string>;
  cleanup(): Promise<void>;
}

export function sqliteTarget(): StoreTarget {
  let dir: string | undefined;
  let n = 0;
  return {
    name: "sqlite",
    async newUrl() {
      dir ??= await mkdtemp(join(tmpdir(), "compshare-store-"));
      n += 1;
      return `sqlite:${join(dir, `store-${n}.sqlite`)}`;
    },
    async cleanup() {
      if (dir !== undefined) await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Each URL names a schema of its own (created by the store on open); cleanup drops them all. */
export function postgresTarget(): StoreTarget {
  const schemas: string[] = [];
  const run = `t${process.pid}_${randomBytes(3).toString("hex")}`;
  return {
    name: "postgres",
    async newUrl() {
      const schema = `cbt_${run}_${schemas.length + 1}`;
      schemas.push(schema);
      const url = new URL(PG_TEST_URL);
      url.searchParams.set("schema", schema);
      return url.toString();
    },
    async cleanup() {
      if (schemas.length === 0) return;
      const client = new pg.Client({ connectionString: PG_TEST_URL });
      await client.connect();
      try {
        for (const schema of schemas) await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      } finally {
        await client.end();
      }
    },
  };
}

export type PostgresAvailability = { ok: true } | { ok: false; reason: string };

export async function postgresAvailability(): Promise<PostgresAvailability> {
  const client = new pg.Client({ connectionString: PG_TEST_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query("SELECT 1");
    return { ok: true };
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.message : String(error) };
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * The store targets a file runs over. Without PostgreSQL, CI fails (it never skips) and a
 * local run skips the PostgreSQL half loudly.
 */
export async function storeTargets(file: string): Promise<{ name: string; make: () => StoreTarget }[]> {
  const sqlite = { name: "sqlite", make: sqliteTarget };
  const availability = await postgresAvailability();
  if (availability.ok) return [sqlite, { name: "postgres", make: postgresTarget }];
  if (process.env.CI === "true") {
    describe("PostgreSQL", () => {
      it(`is reachable at ${redacted(PG_TEST_URL)} (CI never skips)`, () => {
        throw new Error(`PostgreSQL is not reachable: ${availability.reason}`);
      });
    });
  } else {
    console.warn(
      `\n!!! ${file}: PostgreSQL store tests SKIPPED: ${redacted(PG_TEST_URL)} is not reachable (${availability.reason}).\n!!! Start PostgreSQL or set PG_TEST_URL; CI=true turns this into a failure.\n`,
    );
    describe.skip("PostgreSQL (not reachable)", () => {
      it("store suite", () => {});
    });
  }
  return [sqlite];
}

function redacted(url: string): string {
  const u = new URL(url);
  if (u.password !== "") u.password = "***";
  return u.toString();
}

/** Direct SQL on a store's database, for inspecting or tampering with what the store wrote. */
export async function rawQuery(url: string, sql: string, params: readonly SqlValue[] = []): Promise<SqlRow[]> {
  const driver = openRawDriver(url);
  try {
    return await driver.query(sql, params);
  } finally {
    await driver.close();
  }
}

export function openRawDriver(url: string): SqlDriver {
  const location = parseStoreUrl(url);
  if (location.driver === "sqlite") return openSqliteDriver({ path: location.path });
  return openPostgresDriver({
    connectionString: location.connectionString,
    target: location.target,
    logger: memoryLogger("silent").logger,
    max: 2,
    ...(location.schema === undefined ? {} : { schema: location.schema }),
  });
}

/** A clock tests move by hand. */
export function manualClock(start = new Date("2025-03-01T09:00:00.000Z")) {
  let current = start.getTime();
  return {
    now: () => new Date(current),
    advance(ms: number) {
      current += ms;
    },
  };
}

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;

/** The spellings a careless implementation might leave a secret in. */
export function secretForms(secret: string | Buffer): string[] {
  const bytes = typeof secret === "string" ? Buffer.from(secret, "utf8") : secret;
  const forms = [bytes.toString("base64"), bytes.toString("base64url"), bytes.toString("hex")];
  if (typeof secret === "string") forms.push(secret);
  return forms;
}
