import { chmodSync, existsSync, mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { DatabaseSync, type StatementSync } from "node:sqlite";
import { StoreClosedError, StoreError, StoreQueryError, StoreUnavailableError } from "./errors.ts";
import { QueueRegistry, SerialQueue } from "./serial-queue.ts";
import type { SqlDriver, SqlExecutor, SqlRow, SqlSession, SqlValue } from "./sql-driver.ts";

export const SQLITE_MEMORY = ":memory:";

export interface SqliteDriverOptions {
  /** An absolute file path, or ":memory:" for a private in-memory database. */
  path: string;
  busyTimeoutMs?: number;
}

const queues = new QueueRegistry();

const SQLITE_BUSY = 5;
const SQLITE_LOCKED = 6;
const SQLITE_CANTOPEN = 14;

/**
 * Opens a SQLite file in WAL mode. Creates its directory (owner-only) and, when new, the file
 * (owner-only too: it holds the encrypted keys). Every statement of every connection to the
 * same file in this process goes through one queue (see serial-queue.ts).
 */
export function openSqliteDriver(options: SqliteDriverOptions): SqlDriver {
  const memory = options.path === SQLITE_MEMORY;
  const created = !memory && !existsSync(options.path);
  let db: DatabaseSync;
  try {
    if (!memory) mkdirSync(dirname(options.path), { recursive: true, mode: 0o700 });
    db = new DatabaseSync(options.path, { timeout: options.busyTimeoutMs ?? 5000, enableForeignKeyConstraints: true });
    if (created) chmodSync(options.path, 0o600);
    if (!memory) {
      const mode = db.prepare("PRAGMA journal_mode = WAL").get();
      if (mode?.journal_mode !== "wal") throw new Error("the file system does not support WAL mode");
    }
    db.exec("PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;");
  } catch (error) {
    throw toStoreError(error, `cannot open the SQLite database at ${options.path}`, "unavailable");
  }
  if (memory) return new SqliteDriver(db, new SerialQueue(), () => {});
  const { queue, release } = queues.acquire(options.path);
  return new SqliteDriver(db, queue, release);
}

class SqliteDriver implements SqlDriver {
  readonly dialect = "sqlite" as const;
  readonly #db: DatabaseSync;
  readonly #queue: SerialQueue;
  readonly #release: () => void;
  readonly #statements = new Map<string, StatementSync>();
  readonly #direct: SqlExecutor;
  #closed = false;

  constructor(db: DatabaseSync, queue: SerialQueue, release: () => void) {
    this.#db = db;
    this.#queue = queue;
    this.#release = release;
    this.#direct = {
      query: async (sql, params) => this.#run(sql, params ?? []),
      script: async (sql) => this.#script(sql),
    };
  }

  query(sql: string, params: readonly SqlValue[] = []): Promise<SqlRow[]> {
    return this.#queued(() => this.#run(sql, params));
  }

  script(sql: string): Promise<void> {
    return this.#queued(() => this.#script(sql));
  }

  transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    return this.#queued(async () => {
      this.#exec("BEGIN IMMEDIATE");
      try {
        const result = await work(this.#direct);
        this.#exec("COMMIT");
        return result;
      } catch (error) {
        if (this.#db.isTransaction) this.#exec("ROLLBACK");
        throw error;
      }
    });
  }

  /** Each migration's BEGIN IMMEDIATE takes SQLite's write lock, which is all the locking a file needs. */
  withMigrationLock<T>(work: (session: SqlSession) => Promise<T>): Promise<T> {
    return work(this);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#queue.run(() => {
      this.#statements.clear();
      this.#db.close();
    });
    this.#release();
  }

  #queued<T>(task: () => T | Promise<T>): Promise<T> {
    if (this.#closed) return Promise.reject(new StoreClosedError());
    return this.#queue.run(task);
  }

  #run(sql: string, params: readonly SqlValue[]): SqlRow[] {
    try {
      let statement = this.#statements.get(sql);
      if (statement === undefined) {
        statement = this.#db.prepare(sql);
        this.#statements.set(sql, statement);
      }
      return statement.all(...params);
    } catch (error) {
      throw toStoreError(error, "SQLite statement failed");
    }
  }

  #script(sql: string): void {
    this.#exec(sql);
  }

  #exec(sql: string): void {
    try {
      this.#db.exec(sql);
    } catch (error) {
      throw toStoreError(error, "SQLite statement failed");
    }
  }
}

/** Busy, locked and unopenable mean "try later"; anything else is a fault in the statement. */
function toStoreError(error: unknown, context: string, fallback: "unavailable" | "query" = "query"): StoreError {
  if (error instanceof StoreError) return error;
  const message = error instanceof Error ? error.message : String(error);
  const code =
    typeof error === "object" && error !== null && "errcode" in error ? Number(error.errcode) & 0xff : undefined;
  const unavailable =
    code === undefined ? fallback === "unavailable" : [SQLITE_BUSY, SQLITE_LOCKED, SQLITE_CANTOPEN].includes(code);
  return unavailable
    ? new StoreUnavailableError(`${context}: ${message}`, { cause: error })
    : new StoreQueryError(`${context}: ${message}`, { cause: error });
}
