import { describe, expect, it } from "vitest";
import { auditPeriod, parsePointInTime } from "../../src/domain/audit/audit-period.ts";
import { auditLines, auditRecord, csvCell } from "../../src/domain/audit/audit-records.ts";
import type { AuditEntry } from "../../src/store/types.ts";

const entry: AuditEntry = {
  id: 7,
  at: new Date("2026-12-01T08:00:00.000Z"),
  teamId: "T0FAKE001",
  actorId: "U0BOB0001",
  action: "reinstall.execute",
  target: "uhost-abc123",
  result: "succeeded",
  detail: { approval: "req_ABCDEFGHIJKLMNOP", apiRequestId: "cs-42", message: "free text, never exported", retCode: 0 },
};

async function collect(lines: AsyncIterable<string>): Promise<string> {
  let text = "";
  for await (const line of lines) text += line;
  return text;
}

async function* of(...entries: AuditEntry[]): AsyncIterable<AuditEntry> {
  yield* entries;
}

describe("csvCell", () => {
  it("quotes per RFC 4180 only when needed, doubling quotes", () => {
    expect(csvCell("plain")).toBe("plain");
    expect(csvCell("a,b")).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell("two\nlines")).toBe('"two\nlines"');
    expect(csvCell("")).toBe("");
  });

  it("defuses cells a spreadsheet would run as formulas", () => {
    expect(csvCell('=HYPERLINK("http://x")')).toBe('"\'=HYPERLINK(""http://x"")"');
    expect(csvCell("+1")).toBe("'+1");
    expect(csvCell("-2+3")).toBe("'-2+3");
    expect(csvCell("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(csvCell("\t=1")).toBe("'\t=1");
    expect(csvCell("refused:own_request")).toBe("refused:own_request");
  });
});

describe("audit records", () => {
  it("keep who, what, when, target, outcome and the request ids, and nothing else of the detail", () => {
    expect(auditRecord(entry)).toEqual({
      at: "2026-12-01T08:00:00.000Z",
      team_id: "T0FAKE001",
      actor_id: "U0BOB0001",
      action: "reinstall.execute",
      target: "uhost-abc123",
      outcome: "succeeded",
      request_id: "req_ABCDEFGHIJKLMNOP",
      cloud_request_id: "cs-42",
    });
    expect(auditRecord({ ...entry, target: undefined, detail: undefined })).toMatchObject({
      target: "",
      request_id: "",
      cloud_request_id: "",
    });
  });

  it("print as CSV with a header (also with no rows) or as JSON lines", async () => {
    expect(await collect(auditLines(of(), "csv"))).toBe(
      "at,team_id,actor_id,action,target,outcome,request_id,cloud_request_id\r\n",
    );
    const csv = await collect(auditLines(of(entry, { ...entry, target: "=cmd|' /C calc'!A0" }), "csv"));
    expect(csv.split("\r\n")).toEqual([
      "at,team_id,actor_id,action,target,outcome,request_id,cloud_request_id",
      "2026-12-01T08:00:00.000Z,T0FAKE001,U0BOB0001,reinstall.execute,uhost-abc123,succeeded,req_ABCDEFGHIJKLMNOP,cs-42",
      "2026-12-01T08:00:00.000Z,T0FAKE001,U0BOB0001,reinstall.execute,'=cmd|' /C calc'!A0,succeeded,req_ABCDEFGHIJKLMNOP,cs-42",
      "",
    ]);
    expect(csv).not.toContain("free text");
    const jsonl = await collect(auditLines(of(entry), "jsonl"));
    expect(jsonl.endsWith("\n")).toBe(true);
    expect(JSON.parse(jsonl)).toEqual(auditRecord(entry));
  });
});

describe("the export period", () => {
  const now = new Date("2026-12-01T12:00:00.000Z");

  it("reads durations before now and ISO dates and times", () => {
    expect(parsePointInTime("7d", now)).toEqual(new Date("2026-11-24T12:00:00.000Z"));
    expect(parsePointInTime("90m", now)).toEqual(new Date("2026-12-01T10:30:00.000Z"));
    expect(parsePointInTime("2026-11-01", now)).toEqual(new Date("2026-11-01T00:00:00.000Z"));
    expect(parsePointInTime("2026-11-01T08:00+08:00", now)).toEqual(new Date("2026-11-01T00:00:00.000Z"));
    expect(parsePointInTime("2026-11-01 08:00", now)).toEqual(new Date("2026-11-01T08:00:00.000Z"));
    for (const bad of ["yesterday", "2026-02-31", "2026-13-01", "7 days", "", "1700000000"]) {
      expect(parsePointInTime(bad, now), bad).toBeUndefined();
    }
  });

  it("defaults to the last 7 days and refuses an empty or backward period", () => {
    expect(auditPeriod({}, now)).toEqual({ ok: true, from: new Date("2026-11-24T12:00:00.000Z"), to: undefined });
    expect(auditPeriod({ since: "2d", until: "1d" }, now)).toEqual({
      ok: true,
      from: new Date("2026-11-29T12:00:00.000Z"),
      to: new Date("2026-11-30T12:00:00.000Z"),
    });
    expect(auditPeriod({ since: "1d", until: "2d" }, now)).toEqual({
      ok: false,
      problem: "--until must be after --since",
    });
    expect(auditPeriod({ since: "last week" }, now)).toEqual({
      ok: false,
      problem: `--since "last week" is not a duration (7d, 24h) or a date (2026-11-01)`,
    });
    expect(auditPeriod({ until: "soon" }, now)).toMatchObject({
      ok: false,
      problem: expect.stringMatching(/^--until "soon"/),
    });
  });
});
