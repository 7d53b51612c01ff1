import { createHash } from "node:crypto";
import pg from "pg";
import type { Logger } from "../log.ts";
import { StoreClosedError, StoreError, StoreQueryError, StoreUnavailableError } from "./errors.ts";
import {
  numberPlaceholders,
  type SqlDriver,
  type SqlExecutor,
  type SqlRow,
  type SqlSession,
  type SqlValue,
} from "./sql-driver.ts";

export interface PostgresDriverOptions {
  connectionString: string;
  /** Every table lives in this schema (created if missing); unset means the server's search_path. */
  schema?: string;
  /** host:port/database, for messages: never the password. */
  target: string;
  max?: number;
  connectTimeoutMs?: number;
  logger: Logger;
}

/**
 * A pg.Pool behind the SqlDriver interface. The schema is selected per connection with
 * search_path, so tests (and tenants) can keep to a schema of their own.
 */
export function openPostgresDriver(options: PostgresDriverOptions): SqlDriver {
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.max ?? 10,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 5000,
    application_name: "compshare-bot",
    ...(options.schema === undefined ? {} : { options: `-c search_path=${options.schema}` }),
  });
  // Without a listener, a server restart killing an idle connection would crash the process.
  pool.on("error", (error) => options.logger.warn({ err: error }, "idle PostgreSQL connection failed"));
  return new PostgresDriver(pool, options);
}

class PostgresDriver implements SqlDriver {
  readonly dialect = "postgres" as const;
  readonly #pool: pg.Pool;
  readonly #options: PostgresDriverOptions;
  #closed = false;

  constructor(pool: pg.Pool, options: PostgresDriverOptions) {
    this.#pool = pool;
    this.#options = options;
  }

  async query(sql: string, params: readonly SqlValue[] = []): Promise<SqlRow[]> {
    this.#assertOpen();
    try {
      return (await this.#pool.query(numberPlaceholders(sql), [...params])).rows;
    } catch (error) {
      throw this.#toStoreError(error);
    }
  }

  async script(sql: string): Promise<void> {
    await this.query(sql);
  }

  transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    return this.#withClient((session) => session.transaction(work));
  }

  /**
   * A session-level advisory lock keyed by the schema: replicas starting together queue here,
   * and the first one in applies the migrations while the others wait and then find none left.
   */
  withMigrationLock<T>(work: (session: SqlSession) => Promise<T>): Promise<T> {
    return this.#withClient(async (session, markBroken) => {
      const key = advisoryLockKey(this.#options.schema ?? "");
      await session.query("SELECT pg_advisory_lock(?::bigint)", [key]);
      try {
        if (this.#options.schema !== undefined) await this.#ensureSchema(session, this.#options.schema);
        return await work(session);
      } finally {
        // A session lock outlives a pooled connection's checkout: if unlocking fails, drop the
        // connection so the server releases the lock, and keep the original error.
        await session.query("SELECT pg_advisory_unlock(?::bigint)", [key]).catch(markBroken);
      }
    });
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#pool.end();
  }

  async #ensureSchema(session: SqlSession, schema: string): Promise<void> {
    const found = await session.query("SELECT 1 FROM pg_namespace WHERE nspname = ?", [schema]);
    if (found.length === 0) await session.script(`CREATE SCHEMA "${schema}"`);
  }

  /** `markBroken` flags a connection in an unknown state (a failed ROLLBACK or unlock) so the pool drops it. */
  async #withClient<T>(work: (session: SqlSession, markBroken: (error: unknown) => void) => Promise<T>): Promise<T> {
    this.#assertOpen();
    let client: pg.PoolClient;
    try {
      client = await this.#pool.connect();
    } catch (error) {
      throw this.#toStoreError(error);
    }
    let broken: Error | undefined;
    const markBroken = (error: unknown) => {
      broken = error instanceof Error ? error : new Error(String(error));
    };
    try {
      return await work(this.#sessionOn(client, markBroken), markBroken);
    } finally {
      client.release(broken);
    }
  }

  #sessionOn(client: pg.PoolClient, markBroken: (error: unknown) => void): SqlSession {
    const query = async (sql: string, params: readonly SqlValue[] = []): Promise<SqlRow[]> => {
      try {
        return (await client.query(numberPlaceholders(sql), [...params])).rows;
      } catch (error) {
        throw this.#toStoreError(error);
      }
    };
    const executor: SqlExecutor = { query, script: async (sql) => void (await query(sql)) };
    return {
      ...executor,
      transaction: async <T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T> => {
        await query("BEGIN");
        try {
          const result = await work(executor);
          await query("COMMIT");
          return result;
        } catch (error) {
          await query("ROLLBACK").catch(markBroken);
          throw error;
        }
      },
    };
  }

  #assertOpen(): void {
    if (this.#closed) throw new StoreClosedError();
  }

  #toStoreError(error: unknown): StoreError {
    if (error instanceof StoreError) return error;
    const message = error instanceof Error ? error.message : String(error);
    if (error instanceof pg.DatabaseError && !isUnavailableState(error.code ?? "")) {
      return new StoreQueryError(`PostgreSQL statement failed (${error.code}): ${message}`, { cause: error });
    }
    return new StoreUnavailableError(`PostgreSQL at ${this.#options.target} is unavailable: ${message}`, {
      cause: error,
    });
  }
}

/** Connection failures, shutdowns, resource exhaustion, bad login, missing database: the server, not the statement. */
function isUnavailableState(code: string): boolean {
  return ["08", "28", "3D", "53", "57"].some((cls) => code.startsWith(cls));
}

/** pg_advisory_lock takes a signed 64-bit key; derive a stable one per schema. */
export function advisoryLockKey(schema: string): string {
  return createHash("sha256").update(`compshare-bot:migrations:${schema}`).digest().readBigInt64BE(0).toString();
}
