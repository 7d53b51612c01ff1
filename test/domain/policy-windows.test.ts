import { describe, expect, it } from "vitest";
import type { ChangeWindow } from "../../src/domain/policy/index.ts";
import { isInsideWindows, nextWindowOpening, parseWindow } from "../../src/domain/policy/index.ts";

function window(text: string): ChangeWindow {
  const parsed = parseWindow(text);
  if (!parsed.ok) throw new Error(parsed.problem);
  return parsed.window;
}

const at = (iso: string) => new Date(iso);

describe("parseWindow", () => {
  it("reads weekday ranges, lists, wrap-arounds, Daily and 24:00", () => {
    expect(window("Sat-Sun 01:00-06:00 Asia/Shanghai")).toEqual({
      weekdays: [0, 6],
      startMinute: 60,
      endMinute: 360,
      timeZone: "Asia/Shanghai",
      text: "Sat-Sun 01:00-06:00 Asia/Shanghai",
    });
    expect(window("Fri-Mon 22:00-24:00 UTC").weekdays).toEqual([0, 1, 5, 6]);
    expect(window("mon,WED  9:30 - 17:00  Europe/Berlin")).toMatchObject({
      weekdays: [1, 3],
      startMinute: 570,
      endMinute: 1020,
      text: "mon,WED 9:30 - 17:00 Europe/Berlin",
    });
    expect(window("Daily 00:00-24:00 UTC").weekdays).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  it("refuses what is not a window, with the reason", () => {
    const problem = (text: string) => {
      const parsed = parseWindow(text);
      return parsed.ok ? undefined : parsed.problem;
    };
    expect(problem("weekends")).toMatch(/is not a window like "Sat-Sun 01:00-06:00 Asia\/Shanghai"/);
    expect(problem("Funday 01:00-02:00 UTC")).toMatch(/^"Funday" is not a weekday/);
    expect(problem("Mon-Tue-Wed 01:00-02:00 UTC")).toMatch(/is not a weekday/);
    expect(problem("Mon 24:00-24:00 UTC")).toBe("24:00 is not a time of day (00:00 to 23:59)");
    expect(problem("Mon 01:00-25:00 UTC")).toBe("25:00 is not a time of day (00:00 to 24:00)");
    expect(problem("Mon 01:61-02:00 UTC")).toBe("01:61 is not a time of day (00:00 to 23:59)");
    expect(problem("Mon 01:00-02:00 Mars/Olympus")).toMatch(/^"Mars\/Olympus" is not an IANA time zone/);
    expect(problem("Mon 06:00-01:00 UTC")).toMatch(/^06:00-01:00 ends before it starts/);
  });
});

describe("isInsideWindows", () => {
  const weekendNights = [window("Sat-Sun 01:00-06:00 Asia/Shanghai")];

  it("reads the instant on the zone's wall clock, start inclusive, end exclusive", () => {
    // 2026-12-05 is a Saturday; Shanghai is UTC+8 all year.
    expect(isInsideWindows(weekendNights, at("2026-12-04T16:59:59Z"))).toBe(false);
    expect(isInsideWindows(weekendNights, at("2026-12-04T17:00:00Z"))).toBe(true);
    expect(isInsideWindows(weekendNights, at("2026-12-05T21:59:59Z"))).toBe(true);
    expect(isInsideWindows(weekendNights, at("2026-12-05T22:00:00Z"))).toBe(false);
    // Monday 01:00 in Shanghai is not the weekend.
    expect(isInsideWindows(weekendNights, at("2026-12-06T17:30:00Z"))).toBe(false);
  });

  it("is always open without windows, and open when any window is", () => {
    expect(isInsideWindows([], at("2026-12-01T12:00:00Z"))).toBe(true);
    const both = [...weekendNights, window("Tue 20:00-21:00 UTC")];
    expect(isInsideWindows(both, at("2026-12-01T20:30:00Z"))).toBe(true);
  });

  it("counts the repeated hour of a fall-back night both times", () => {
    const sunday = [window("Sun 02:00-02:30 Europe/Berlin")];
    // 2026-10-25: 02:00-03:00 happens in CEST (00:00Z-01:00Z) and again in CET (01:00Z-02:00Z).
    expect(isInsideWindows(sunday, at("2026-10-25T00:15:00Z"))).toBe(true);
    expect(isInsideWindows(sunday, at("2026-10-25T01:15:00Z"))).toBe(true);
    expect(isInsideWindows(sunday, at("2026-10-25T00:45:00Z"))).toBe(false);
  });
});

describe("nextWindowOpening", () => {
  it("is the instant itself inside a window or without windows", () => {
    const now = at("2026-12-05T02:00:00+08:00");
    expect(nextWindowOpening([window("Sat-Sun 01:00-06:00 Asia/Shanghai")], now)).toEqual(now);
    expect(nextWindowOpening([], now)).toEqual(now);
  });

  it("finds the next opening later this week in Asia/Shanghai", () => {
    const windows = [window("Sat-Sun 01:00-06:00 Asia/Shanghai")];
    expect(nextWindowOpening(windows, at("2026-12-01T12:00:00Z"))).toEqual(at("2026-12-04T17:00:00Z"));
    // Sunday after the window closed: next Saturday.
    expect(nextWindowOpening(windows, at("2026-12-06T06:00:00+08:00"))).toEqual(at("2026-12-11T17:00:00Z"));
  });

  it("takes the earliest of several windows", () => {
    const windows = [window("Sat-Sun 01:00-06:00 Asia/Shanghai"), window("Wed 10:00-11:00 UTC")];
    expect(nextWindowOpening(windows, at("2026-12-01T12:00:00Z"))).toEqual(at("2026-12-02T10:00:00Z"));
  });

  it("keeps the wall-clock time across a DST change in Europe/Berlin", () => {
    const office = [window("Mon-Fri 09:00-17:00 Europe/Berlin")];
    // Friday 27 March 2026 after hours (CET, UTC+1); Monday 30 March is already CEST (UTC+2).
    expect(nextWindowOpening(office, at("2026-03-27T17:00:00Z"))).toEqual(at("2026-03-30T07:00:00Z"));
    // Friday 23 October (CEST) to Monday 26 October (CET).
    expect(nextWindowOpening(office, at("2026-10-23T16:00:00Z"))).toEqual(at("2026-10-26T08:00:00Z"));
  });

  it("opens a window that starts in the spring-forward gap when the gap ends", () => {
    // 2026-03-29 02:00 CET jumps to 03:00 CEST (01:00Z): 02:30 never happens that night.
    const early = [window("Sun 02:30-04:00 Europe/Berlin")];
    expect(nextWindowOpening(early, at("2026-03-28T12:00:00Z"))).toEqual(at("2026-03-29T01:00:00Z"));
    // A window wholly inside the gap does not happen that Sunday: the next one.
    const lost = [window("Sun 02:00-02:30 Europe/Berlin")];
    expect(nextWindowOpening(lost, at("2026-03-28T12:00:00Z"))).toEqual(at("2026-04-05T00:00:00Z"));
  });

  it("opens at the first of the two 02:30s of a fall-back night", () => {
    const early = [window("Sun 02:30-04:00 Europe/Berlin")];
    expect(nextWindowOpening(early, at("2026-10-24T12:00:00Z"))).toEqual(at("2026-10-25T00:30:00Z"));
  });
});
