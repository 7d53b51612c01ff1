import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { StoreClosedError, StoreQueryError } from "../../src/store/errors.ts";
import { numberPlaceholders, type SqlDriver } from "../../src/store/sql-driver.ts";
import { openSqliteDriver } from "../../src/store/sqlite-driver.ts";
import { parseStoreUrl } from "../../src/store/store-url.ts";
import { openRawDriver, type StoreTarget, storeTargets } from "./harness.ts";

const targets = await storeTargets("test/store/sql-driver.test.ts");

describe("numberPlaceholders", () => {
  it("numbers each ? in order for PostgreSQL", () => {
    expect(numberPlaceholders("SELECT * FROM t WHERE a = ? AND b IN (?, ?)")).toBe(
      "SELECT * FROM t WHERE a = $1 AND b IN ($2, $3)",
    );
    expect(numberPlaceholders("SELECT 1")).toBe("SELECT 1");
  });
});

describe.each(targets)("$name driver", ({ make }) => {
  let target: StoreTarget;
  let driver: SqlDriver;
  let url: string;

  beforeAll(async () => {
    target = make();
    url = await target.newUrl();
    const location = parseStoreUrl(url);
    // The schema of a postgres URL is created by the migration lock; take it once, migrating nothing.
    driver = openRawDriver(url);
    await driver.withMigrationLock(async () => undefined);
    expect(location.driver).toBe(target.name);
    await driver.script("CREATE TABLE ledger (n integer NOT NULL, label text NOT NULL)");
  });
  afterAll(async () => {
    await driver.close();
    await target.cleanup();
  });

  it("commits every statement of a transaction that resolves", async () => {
    const result = await driver.transaction(async (tx) => {
      await tx.query("INSERT INTO ledger (n, label) VALUES (?, ?)", [1, "commit-a"]);
      await tx.query("INSERT INTO ledger (n, label) VALUES (?, ?)", [2, "commit-b"]);
      return "done";
    });
    expect(result).toBe("done");
    const rows = await driver.query("SELECT n FROM ledger WHERE label LIKE 'commit-%' ORDER BY n");
    expect(rows.map((r) => Number(r.n))).toEqual([1, 2]);
  });

  it("rolls back every statement of a transaction that throws halfway", async () => {
    const failure = new Error("second half failed");
    await expect(
      driver.transaction(async (tx) => {
        await tx.query("INSERT INTO ledger (n, label) VALUES (?, ?)", [1, "rollback"]);
        await tx.query("UPDATE ledger SET n = n + 100 WHERE label = 'commit-a'");
        throw failure;
      }),
    ).rejects.toBe(failure);
    expect(await driver.query("SELECT n FROM ledger WHERE label = 'rollback'")).toEqual([]);
    expect((await driver.query("SELECT n FROM ledger WHERE label = 'commit-a'")).map((r) => Number(r.n))).toEqual([1]);
  });

  it("rolls back when a statement inside fails, and reports it as a query error", async () => {
    await expect(
      driver.transaction(async (tx) => {
        await tx.query("INSERT INTO ledger (n, label) VALUES (?, ?)", [7, "bad-statement"]);
        await tx.query("INSERT INTO ledger (n, label) VALUES (?, ?)", [8, null]);
      }),
    ).rejects.toBeInstanceOf(StoreQueryError);
    expect(await driver.query("SELECT n FROM ledger WHERE label = 'bad-statement'")).toEqual([]);
  });

  it("keeps a second connection out of an open transaction", async () => {
    const other = openRawDriver(url);
    try {
      let inside!: () => void;
      const entered = new Promise<void>((resolve) => {
        inside = resolve;
      });
      let release!: () => void;
      const held = new Promise<void>((resolve) => {
        release = resolve;
      });
      const writer = driver.transaction(async (tx) => {
        await tx.query("INSERT INTO ledger (n, label) VALUES (?, ?)", [1, "isolated"]);
        inside();
        await held;
        await tx.query("INSERT INTO ledger (n, label) VALUES (?, ?)", [2, "isolated"]);
      });
      await entered;
      const reading = other.query("SELECT n FROM ledger WHERE label = 'isolated'");
      if (target.name === "postgres") {
        // MVCC: the reader does not wait, and sees the state from before the transaction.
        expect(await reading).toEqual([]);
        release();
        await writer;
      } else {
        // SQLite: the reader waits its turn and sees the whole transaction.
        release();
        await writer;
        expect(await reading).toHaveLength(2);
      }
    } finally {
      await other.close();
    }
  });
});

describe("SQLite connection", () => {
  it("applies the documented pragmas", async () => {
    const driver = openSqliteDriver({ path: ":memory:" });
    expect(await driver.query("PRAGMA foreign_keys")).toEqual([{ foreign_keys: 1 }]);
    expect(await driver.query("PRAGMA synchronous")).toEqual([{ synchronous: 1 }]);
    expect(await driver.query("PRAGMA busy_timeout")).toEqual([{ timeout: 5000 }]);
    await driver.close();
    await expect(driver.query("SELECT 1")).rejects.toBeInstanceOf(StoreClosedError);
  });
});
