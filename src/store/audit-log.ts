import { z } from "zod";
import { InvalidStoreInputError, StoreQueryError } from "./errors.ts";
import { clampLimit, parseInput } from "./input-validation.ts";
import { optionalNumber, optionalText, toDate, toIso, toText, withoutUndefined } from "./row-values.ts";
import type { SqlDriver, SqlRow, SqlValue } from "./sql-driver.ts";
import type { AuditDetail, AuditEntry, AuditLog } from "./types.ts";

const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 1000;
const EXPORT_PAGE = 500;

/** Matched against the key lower-cased with separators removed, so private_key, privateKey and Private-Key all hit. */
const SECRET_KEY_PARTS = [
  "privatekey",
  "secret",
  "token",
  "signature",
  "password",
  "passwd",
  "apikey",
  "accesskey",
  "credentialskey",
  "authorization",
  "cookie",
];
const SECRET_KEY_NAMES = ["key", "pwd", "sig", "auth"];
/** Slack tokens have a recognisable shape; refuse them in values too. */
const SECRET_VALUE = /\bx(?:ox[abposer]|app)-[A-Za-z0-9-]{6,}/;

const text = (max: number) => z.string().trim().min(1).max(max);
const entryInput = z.object({
  at: z.date().optional(),
  teamId: text(64),
  actorId: text(64),
  action: text(64),
  target: text(256).optional(),
  result: text(256),
  detail: z
    .record(z.string().min(1).max(64), z.union([z.string().max(2000), z.number().finite(), z.boolean(), z.null()]))
    .optional(),
});

/**
 * The audit log must never hold a secret (DESIGN §6). A detail key named like one is refused
 * outright, so a caller's slip fails loudly in tests instead of writing a key to the table.
 */
export function assertSafeAuditDetail(detail: AuditDetail | undefined): void {
  if (detail === undefined) return;
  for (const [key, value] of Object.entries(detail)) {
    const normalized = key.toLowerCase().replace(/[^a-z0-9]/g, "");
    if (SECRET_KEY_NAMES.includes(normalized) || SECRET_KEY_PARTS.some((part) => normalized.includes(part))) {
      throw new InvalidStoreInputError(
        `audit detail key "${key}" looks like a secret; audit entries never hold secrets`,
      );
    }
    if (typeof value === "string" && SECRET_VALUE.test(value)) {
      throw new InvalidStoreInputError(`audit detail "${key}" holds what looks like a Slack token`);
    }
  }
}

export function createAuditLog(db: SqlDriver, deps: { now: () => Date }): AuditLog {
  return {
    async append(entry) {
      assertSafeAuditDetail(entry.detail);
      const e = parseInput(entryInput, entry, "audit entry");
      await db.query(
        "INSERT INTO audit_log (at, team_id, actor_id, action, target, result, detail) VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
          toIso(e.at ?? deps.now()),
          e.teamId,
          e.actorId,
          e.action,
          e.target ?? null,
          e.result,
          e.detail === undefined ? null : JSON.stringify(e.detail),
        ],
      );
    },

    async query(filter) {
      const params: SqlValue[] = [filter.teamId];
      const conditions = ["team_id = ?"];
      if (filter.userId !== undefined) {
        conditions.push("actor_id = ?");
        params.push(filter.userId);
      }
      if (filter.from !== undefined) {
        conditions.push("at >= ?");
        params.push(toIso(filter.from));
      }
      if (filter.to !== undefined) {
        conditions.push("at < ?");
        params.push(toIso(filter.to));
      }
      params.push(clampLimit(filter.limit, DEFAULT_LIMIT, MAX_LIMIT));
      const rows = await db.query(
        `SELECT id, at, team_id, actor_id, action, target, result, detail FROM audit_log
         WHERE ${conditions.join(" AND ")} ORDER BY at DESC, id DESC LIMIT ?`,
        params,
      );
      return rows.map(toAuditEntry);
    },

    async *export(filter) {
      const conditions: string[] = [];
      const params: SqlValue[] = [];
      if (filter.teamId !== undefined) {
        conditions.push("team_id = ?");
        params.push(filter.teamId);
      }
      if (filter.from !== undefined) {
        conditions.push("at >= ?");
        params.push(toIso(filter.from));
      }
      if (filter.to !== undefined) {
        conditions.push("at < ?");
        params.push(toIso(filter.to));
      }
      // Keyset paging on (at, id), the order of the export itself, so no row is repeated or skipped between pages.
      let after: { at: string; id: number } | undefined;
      for (;;) {
        const page = after ? ["(at > ? OR (at = ? AND id > ?))"] : [];
        const rows = await db.query(
          `SELECT id, at, team_id, actor_id, action, target, result, detail FROM audit_log
           WHERE ${[...conditions, ...page].join(" AND ") || "1 = 1"} ORDER BY at ASC, id ASC LIMIT ?`,
          [...params, ...(after ? [after.at, after.at, after.id] : []), EXPORT_PAGE],
        );
        const entries = rows.map(toAuditEntry);
        yield* entries;
        const last = entries.at(-1);
        if (entries.length < EXPORT_PAGE || last?.id === undefined) return;
        after = { at: toIso(last.at), id: last.id };
      }
    },
  };
}

function toAuditEntry(row: SqlRow): AuditEntry {
  return withoutUndefined<AuditEntry>({
    id: optionalNumber(row.id, "audit_log.id"),
    at: toDate(row.at, "audit_log.at"),
    teamId: toText(row.team_id, "audit_log.team_id"),
    actorId: toText(row.actor_id, "audit_log.actor_id"),
    action: toText(row.action, "audit_log.action"),
    target: optionalText(row.target, "audit_log.target"),
    result: toText(row.result, "audit_log.result"),
    detail: detailOf(row.detail),
  });
}

/** SQLite keeps the detail as JSON text, PostgreSQL as jsonb (already parsed by pg). */
function detailOf(value: unknown): AuditDetail | undefined {
  if (value === null || value === undefined) return undefined;
  const parsed: unknown = typeof value === "string" ? JSON.parse(value) : value;
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new StoreQueryError("audit_log.detail does not hold an object");
  }
  return parsed as AuditDetail;
}
