/**
 * The little both databases must offer the repositories. Statements use `?` placeholders in
 * both dialects; timestamps go in as ISO strings and come back as whatever the driver yields
 * (see row-values.ts), so the repositories' SQL is written once.
 */
export type Dialect = "sqlite" | "postgres";

export type SqlValue = string | number | null | Buffer;

export type SqlRow = Readonly<Record<string, unknown>>;

export interface SqlExecutor {
  query(sql: string, params?: readonly SqlValue[]): Promise<SqlRow[]>;
  /** Several statements without parameters (migrations). */
  script(sql: string): Promise<void>;
}

export interface SqlSession extends SqlExecutor {
  /** Commits what `work` wrote if it resolves; rolls every statement back if it throws. */
  transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T>;
}

export interface SqlDriver extends SqlSession {
  readonly dialect: Dialect;
  /** Runs `work` while no other process migrates the same database. */
  withMigrationLock<T>(work: (session: SqlSession) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** PostgreSQL numbers its placeholders; our SQL never holds a literal `?`. */
export function numberPlaceholders(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}
