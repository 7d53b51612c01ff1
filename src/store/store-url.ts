import { isAbsolute, resolve } from "node:path";
import { StoreConfigError } from "./errors.ts";
import { SQLITE_MEMORY } from "./sqlite-driver.ts";

export type StoreLocation =
  | { driver: "sqlite"; path: string }
  | { driver: "postgres"; connectionString: string; schema?: string; target: string };

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * DATABASE_URL → where the store lives.
 * - `sqlite:<path>` (also `sqlite://<path>`): relative to `cwd`; `sqlite::memory:` is a private in-memory database.
 * - `postgres://…` / `postgresql://…`: handed to pg. An extra `?schema=<name>` (lower-case letters, digits,
 *   underscores) puts every table in that schema, created on first open; the parameter is removed before pg
 *   sees the URL. Tests use it for throwaway schemas; a shared database can use it to keep the bot apart.
 */
export function parseStoreUrl(url: string, cwd: string = process.cwd()): StoreLocation {
  const trimmed = url.trim();
  if (trimmed.startsWith("sqlite:")) {
    const rest = trimmed.slice("sqlite:".length).replace(/^\/\//, "");
    if (rest === "")
      throw new StoreConfigError("DATABASE_URL sqlite: needs a file path, e.g. sqlite:./data/compshare-bot.sqlite");
    if (rest === SQLITE_MEMORY) return { driver: "sqlite", path: SQLITE_MEMORY };
    return { driver: "sqlite", path: isAbsolute(rest) ? rest : resolve(cwd, rest) };
  }
  if (/^postgres(ql)?:\/\//.test(trimmed)) return parsePostgresUrl(trimmed);
  throw new StoreConfigError("DATABASE_URL must start with sqlite: or postgres://");
}

function parsePostgresUrl(url: string): StoreLocation {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    // The URL may hold a password: describe the problem, never echo the value.
    throw new StoreConfigError("DATABASE_URL is not a valid postgres:// URL");
  }
  const schema = parsed.searchParams.get("schema") ?? undefined;
  if (schema !== undefined && !SCHEMA_NAME.test(schema)) {
    throw new StoreConfigError(
      "DATABASE_URL ?schema= must be lower-case letters, digits and underscores, starting with a letter or underscore",
    );
  }
  parsed.searchParams.delete("schema");
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, "")) || "(default database)";
  const target = `${parsed.hostname || "localhost"}:${parsed.port || "5432"}/${database}`;
  return {
    driver: "postgres",
    connectionString: parsed.toString(),
    target,
    ...(schema === undefined ? {} : { schema }),
  };
}
