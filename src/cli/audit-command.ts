import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { DEFAULT_SQLITE_URL } from "../config.ts";
import { auditPeriod, DEFAULT_SINCE } from "../domain/audit/audit-period.ts";
import { AUDIT_FORMATS, type AuditFormat, auditLines } from "../domain/audit/audit-records.ts";
import { createLogger } from "../log.ts";
import { openStore } from "../store/open-store.ts";
import { SQLITE_MEMORY } from "../store/sqlite-driver.ts";
import { parseStoreUrl } from "../store/store-url.ts";
import { BOT_VERSION } from "../version.ts";
import {
  answerWithoutRunning,
  type CommandSpec,
  commandUsage,
  type OptionSpec,
  parseCommand,
  usageError,
} from "./args.ts";
import type { CliIo } from "./io.ts";

const AUDIT_OPTIONS = {
  since: {
    type: "string",
    valueName: "WHEN",
    description: `rows from this long ago (7d, 24h) or this date (2026-11-01, 2026-11-01T08:00+08:00) on (default ${DEFAULT_SINCE})`,
  },
  until: { type: "string", valueName: "WHEN", description: "rows before this long ago or this date (default: now)" },
  format: { type: "string", valueName: "csv|jsonl", description: "csv with a header (the default), or JSON lines" },
  team: { type: "string", valueName: "T…", description: "only this Slack workspace's rows (default: every one)" },
} as const satisfies Record<string, OptionSpec>;

export const AUDIT_COMMAND: CommandSpec<typeof AUDIT_OPTIONS> = {
  name: "audit",
  maxPositionals: 0,
  options: AUDIT_OPTIONS,
  summary: "print the audit log (who, what, when, target, outcome, request id) as CSV or JSON lines",
  details: `Prints the audit log to stdout, oldest first: at, team_id, actor_id, action, target, outcome,
request_id and cloud_request_id. CSV follows RFC 4180 (header, CRLF, quoted cells), and a cell a
spreadsheet would run as a formula (= + - @) starts with '. No secret is ever in a row.
Reads DATABASE_URL (default ${DEFAULT_SQLITE_URL}), applying pending migrations as start would.
Exit codes: 0 printed, 1 the store failed, 2 bad arguments.`,
};

const CHUNK_CHARS = 64 * 1024;

export interface AuditCommandDeps {
  now?: () => Date;
}

export async function runAuditCommand(
  args: readonly string[],
  io: CliIo,
  env: NodeJS.ProcessEnv,
  deps: AuditCommandDeps = {},
): Promise<number> {
  const command = parseCommand(AUDIT_COMMAND, args);
  if (command.kind !== "run") return answerWithoutRunning(command, AUDIT_COMMAND, io, BOT_VERSION);
  const { since, until, format = "csv", team } = command.values;
  const problems: string[] = [];
  if (!(AUDIT_FORMATS as readonly string[]).includes(format)) problems.push(`--format takes csv or jsonl`);
  if (team !== undefined && !/^[TE][A-Z0-9]{2,}$/.test(team)) problems.push("--team takes a workspace id (T…)");
  const period = auditPeriod({ since, until }, (deps.now ?? (() => new Date()))());
  if (!period.ok) problems.push(period.problem);
  if (problems.length > 0 || !period.ok) {
    io.err(usageError(problems, commandUsage(AUDIT_COMMAND)));
    return 2;
  }
  const url = env.DATABASE_URL?.trim() || DEFAULT_SQLITE_URL;
  try {
    const location = parseStoreUrl(url);
    // An export must not create an empty database where the operator mistyped the path.
    if (location.driver === "sqlite" && location.path !== SQLITE_MEMORY && !existsSync(location.path)) {
      io.err(`compshare-bot audit: no database at ${location.path}; set DATABASE_URL to the bot's store.`);
      return 1;
    }
    const { logger } = createLogger({ level: "silent" });
    // The audit log holds no encrypted field: a throwaway key opens the store without CREDENTIALS_KEY.
    const store = await openStore({ url, keys: [randomBytes(32)], logger });
    try {
      const entries = store.audit.export({
        from: period.from,
        ...(period.to ? { to: period.to } : {}),
        ...(team ? { teamId: team } : {}),
      });
      let chunk = "";
      for await (const line of auditLines(entries, format as AuditFormat)) {
        chunk += line;
        if (chunk.length >= CHUNK_CHARS) {
          io.out(chunk);
          chunk = "";
        }
      }
      if (chunk !== "") io.out(chunk);
      return 0;
    } finally {
      await store.close();
    }
  } catch (error) {
    io.err(`compshare-bot audit: ${error instanceof Error ? error.message : String(error)}. Check DATABASE_URL.`);
    return 1;
  }
}
