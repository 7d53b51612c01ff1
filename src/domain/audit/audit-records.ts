import type { AuditEntry } from "../../store/types.ts";

/**
 * Audit rows as an export shows them (issue 11, item 6): who, what, when, on which target, with
 * which outcome, and the request it belongs to. Only these columns leave the store: the free-form
 * detail never does, so nothing that slipped into it can leak through an export.
 */

export const AUDIT_COLUMNS = [
  "at",
  "team_id",
  "actor_id",
  "action",
  "target",
  "outcome",
  "request_id",
  "cloud_request_id",
] as const;
export type AuditColumn = (typeof AUDIT_COLUMNS)[number];
export type AuditRecord = Readonly<Record<AuditColumn, string>>;

export const AUDIT_FORMATS = ["csv", "jsonl"] as const;
export type AuditFormat = (typeof AUDIT_FORMATS)[number];

export function auditRecord(entry: AuditEntry): AuditRecord {
  const detail = entry.detail ?? {};
  const text = (value: unknown) => (typeof value === "string" ? value : "");
  return {
    at: entry.at.toISOString(),
    team_id: entry.teamId,
    actor_id: entry.actorId,
    action: entry.action,
    target: entry.target ?? "",
    outcome: entry.result,
    // The bot's request (req_…) is kept as `approval` by every writer; CompShare's as `apiRequestId`.
    request_id: text(detail.approval),
    cloud_request_id: text(detail.apiRequestId),
  };
}

/**
 * One CSV cell, RFC 4180: quoted when it holds a comma, quote, CR or LF, quotes doubled. A cell a
 * spreadsheet would run as a formula (= + - @, and tab or CR before them) gets a leading '.
 */
export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** CRLF line ends, as RFC 4180 has them. */
export function csvHeader(): string {
  return `${AUDIT_COLUMNS.join(",")}\r\n`;
}

export function csvLine(record: AuditRecord): string {
  return `${AUDIT_COLUMNS.map((column) => csvCell(record[column])).join(",")}\r\n`;
}

export function jsonLine(record: AuditRecord): string {
  return `${JSON.stringify(record)}\n`;
}

/** The whole export as text chunks: the CSV header first (even with no rows), then one line per row. */
export async function* auditLines(entries: AsyncIterable<AuditEntry>, format: AuditFormat): AsyncIterable<string> {
  if (format === "csv") yield csvHeader();
  for await (const entry of entries) {
    const record = auditRecord(entry);
    yield format === "csv" ? csvLine(record) : jsonLine(record);
  }
}
