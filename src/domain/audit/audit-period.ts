import { parseDuration } from "../../duration.ts";

/**
 * `--since 7d` / `--until 2026-12-01`: a duration before now, or an ISO 8601 date (midnight UTC)
 * or date and time (with Z or an offset; without one, UTC).
 */

export const DEFAULT_SINCE = "7d";

export function parsePointInTime(text: string, now: Date): Date | undefined {
  const trimmed = text.trim().replace(" ", "T");
  const ago = parseDuration(trimmed);
  if (ago !== undefined) return new Date(now.getTime() - ago);
  const iso = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})?)?$/i.exec(
    trimmed,
  );
  if (!iso) return undefined;
  const [, year, month, day, hour, , , zone] = iso;
  // Date would read 2026-02-31 as 3 March; a typo must not silently move the period.
  const daysInMonth = new Date(Date.UTC(Number(year), Number(month), 0)).getUTCDate();
  if (Number(month) < 1 || Number(month) > 12 || Number(day) < 1 || Number(day) > daysInMonth) return undefined;
  const date = new Date(hour === undefined ? `${trimmed}T00:00:00Z` : zone === undefined ? `${trimmed}Z` : trimmed);
  if (Number.isNaN(date.getTime())) return undefined;
  return date;
}

export type AuditPeriod = { ok: true; from: Date; to: Date | undefined } | { ok: false; problem: string };

/** The period of an export; `since` defaults to 7 days ago, `until` to open-ended. */
export function auditPeriod(input: { since?: string | undefined; until?: string | undefined }, now: Date): AuditPeriod {
  const from = parsePointInTime(input.since ?? DEFAULT_SINCE, now);
  if (!from)
    return {
      ok: false,
      problem: `--since "${clip(input.since ?? "")}" is not a duration (7d, 24h) or a date (2026-11-01)`,
    };
  const to = input.until === undefined ? undefined : parsePointInTime(input.until, now);
  if (input.until !== undefined && !to) {
    return {
      ok: false,
      problem: `--until "${clip(input.until)}" is not a duration (1d) or a date (2026-12-01T12:00Z)`,
    };
  }
  if (to && to.getTime() <= from.getTime()) return { ok: false, problem: "--until must be after --since" };
  return { ok: true, from, to };
}

function clip(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
