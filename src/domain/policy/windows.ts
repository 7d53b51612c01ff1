import type { ChangeWindow } from "./types.ts";

/**
 * Change windows: `Sat-Sun 01:00-06:00 Asia/Shanghai`. The clock arithmetic goes through Intl, so
 * DST and every IANA zone behave as the zone's own wall clock says; no date library needed.
 */

const DAY_NAMES = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"] as const;
const WINDOW_SHAPE = /^(\S+)\s+(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s+(\S+)$/;
export const WINDOW_EXAMPLE = "Sat-Sun 01:00-06:00 Asia/Shanghai";

export type ParsedWindow = { ok: true; window: ChangeWindow } | { ok: false; problem: string };

export function parseWindow(text: string): ParsedWindow {
  const trimmed = text.trim().replace(/\s+/g, " ");
  const shape = WINDOW_SHAPE.exec(trimmed);
  if (!shape) return fail(`"${clip(trimmed)}" is not a window like "${WINDOW_EXAMPLE}" (days, start-end, time zone)`);
  const [, days = "", startH, startM, endH, endM, zone = ""] = shape;
  const weekdays = parseWeekdays(days);
  if (weekdays === undefined) {
    return fail(`"${clip(days)}" is not a weekday or range of weekdays (Mon, Mon-Fri, Sat,Sun or Daily)`);
  }
  const startMinute = minuteOfDay(Number(startH), Number(startM), false);
  const endMinute = minuteOfDay(Number(endH), Number(endM), true);
  if (startMinute === undefined) return fail(`${startH}:${startM} is not a time of day (00:00 to 23:59)`);
  if (endMinute === undefined) return fail(`${endH}:${endM} is not a time of day (00:00 to 24:00)`);
  const timeZone = canonicalTimeZone(zone);
  if (timeZone === undefined) {
    return fail(`"${clip(zone)}" is not an IANA time zone (such as Asia/Shanghai, Europe/Berlin or UTC)`);
  }
  if (endMinute <= startMinute) {
    const at = `${startH}:${startM}-${endH}:${endM}`;
    return fail(
      endMinute === startMinute
        ? `${at} is empty: the window must end after it starts`
        : `${at} ends before it starts: a window lies within one day, so split an overnight one in two (e.g. "Fri 22:00-24:00 …" and "Sat 00:00-06:00 …")`,
    );
  }
  return { ok: true, window: Object.freeze({ weekdays, startMinute, endMinute, timeZone, text: trimmed }) };
}

function fail(problem: string): ParsedWindow {
  return { ok: false, problem };
}

function clip(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

function parseWeekdays(text: string): readonly number[] | undefined {
  if (text.toLowerCase() === "daily") return Object.freeze([0, 1, 2, 3, 4, 5, 6]);
  const days = new Set<number>();
  for (const item of text.toLowerCase().split(",")) {
    const [from, to, extra] = item.split("-");
    if (extra !== undefined) return undefined;
    const first = dayIndex(from);
    const last = to === undefined ? first : dayIndex(to);
    if (first === undefined || last === undefined) return undefined;
    // Fri-Mon wraps over the weekend.
    for (let day = first; ; day = (day + 1) % 7) {
      days.add(day);
      if (day === last) break;
    }
  }
  return Object.freeze([...days].sort((a, b) => a - b));
}

function dayIndex(name: string | undefined): number | undefined {
  const index = DAY_NAMES.indexOf((name ?? "") as (typeof DAY_NAMES)[number]);
  return index < 0 ? undefined : index;
}

function minuteOfDay(hour: number, minute: number, isEnd: boolean): number | undefined {
  if (minute > 59) return undefined;
  if (hour === 24 && minute === 0 && isEnd) return 1440;
  return hour <= 23 ? hour * 60 + minute : undefined;
}

/** The zone as Intl spells it, or undefined when Intl does not know it. */
export function canonicalTimeZone(zone: string): string | undefined {
  if (!/^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(zone)) return undefined;
  try {
    return new Intl.DateTimeFormat("en-US", { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

interface WallClock {
  /** The local date and time written as if it were UTC, in ms: comparable and steppable by day. */
  wallMs: number;
  weekday: number;
  minuteOfDay: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

function wallClock(instantMs: number, timeZone: string): WallClock {
  const parts: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(instantMs)) {
    if (part.type !== "literal") parts[part.type] = Number(part.value);
  }
  const { year = 0, month = 1, day = 1, hour = 0, minute = 0, second = 0 } = parts;
  const wallMs =
    Date.UTC(year, month - 1, day, hour, minute, second) + (instantMs - Math.floor(instantMs / 1000) * 1000);
  return { wallMs, weekday: new Date(wallMs).getUTCDay(), minuteOfDay: hour * 60 + minute };
}

/** Whether the instant lies inside the window, by the window zone's wall clock. */
export function isInsideWindow(window: ChangeWindow, at: Date): boolean {
  const local = wallClock(at.getTime(), window.timeZone);
  return (
    window.weekdays.includes(local.weekday) &&
    local.minuteOfDay >= window.startMinute &&
    local.minuteOfDay < window.endMinute
  );
}

/** No windows means any time. */
export function isInsideWindows(windows: readonly ChangeWindow[], at: Date): boolean {
  return windows.length === 0 || windows.some((window) => isInsideWindow(window, at));
}

/**
 * The earliest instant at or after `after` inside one of the windows: `after` itself when a window
 * is open then (or there are none), else when the next one opens. Undefined only when no window
 * can ever open (each lies wholly inside a DST gap every week, which real zones never do).
 */
export function nextWindowOpening(windows: readonly ChangeWindow[], after: Date): Date | undefined {
  if (isInsideWindows(windows, after)) return after;
  let earliest: number | undefined;
  for (const window of windows) {
    const opening = nextOpeningOf(window, after.getTime());
    if (opening !== undefined && (earliest === undefined || opening < earliest)) earliest = opening;
  }
  return earliest === undefined ? undefined : new Date(earliest);
}

const DAY_MS = 86_400_000;

function nextOpeningOf(window: ChangeWindow, afterMs: number): number | undefined {
  const localDay = Math.floor(wallClock(afterMs, window.timeZone).wallMs / DAY_MS) * DAY_MS;
  for (let offset = 0; offset <= 8; offset += 1) {
    const day = localDay + offset * DAY_MS;
    if (!window.weekdays.includes(new Date(day).getUTCDay())) continue;
    const opening = firstInstantAtOrAfterWall(day + window.startMinute * 60_000, window.timeZone);
    if (opening < afterMs) continue;
    // A start inside a spring-forward gap opens at the gap's end, if the window is still open then.
    if (isInsideWindow(window, new Date(opening))) return opening;
  }
  return undefined;
}

function offsetAt(instantMs: number, timeZone: string): number {
  return wallClock(instantMs, timeZone).wallMs - instantMs;
}

/**
 * The first instant whose wall-clock time in the zone is `wallMs`: of two (a fall-back hour) the
 * earlier; of none (a spring-forward gap) the first instant after the gap.
 */
export function firstInstantAtOrAfterWall(wallMs: number, timeZone: string): number {
  const before = offsetAt(wallMs - DAY_MS, timeZone);
  const after = offsetAt(wallMs + DAY_MS, timeZone);
  const exact = [wallMs - before, wallMs - after].filter((u) => wallClock(u, timeZone).wallMs === wallMs);
  if (exact.length > 0) return Math.min(...exact);
  // In a gap the wall clock only moves forward between the two candidates: bisect to the jump.
  let low = Math.min(wallMs - before, wallMs - after);
  let high = Math.max(wallMs - before, wallMs - after);
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    if (wallClock(middle, timeZone).wallMs >= wallMs) high = middle;
    else low = middle;
  }
  return high;
}
