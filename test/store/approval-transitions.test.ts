import { describe, expect, it } from "vitest";
import {
  APPROVAL_STATUSES,
  assertTransition,
  canTransition,
  FINISHED_STATUSES,
  isApprovalStatus,
} from "../../src/store/approval-transitions.ts";
import { InvalidTransitionError } from "../../src/store/errors.ts";
import type { ApprovalStatus } from "../../src/store/types.ts";

/** DESIGN §5, written out independently of the implementation's table, plus the restart move approved→unknown. */
const GRAPH = new Set([
  "pending→approved",
  "pending→rejected",
  "pending→expired",
  "pending→cancelled",
  "approved→executing",
  "approved→unknown",
  "executing→succeeded",
  "executing→failed",
  "executing→unknown",
]);

describe("approval transitions", () => {
  it("allow exactly the moves of the design's graph", () => {
    const allowed = APPROVAL_STATUSES.flatMap((from) =>
      APPROVAL_STATUSES.filter((to) => canTransition(from, to)).map((to) => `${from}→${to}`),
    );
    expect(new Set(allowed)).toEqual(GRAPH);
  });

  it("name the finished states", () => {
    expect([...FINISHED_STATUSES].sort()).toEqual([
      "cancelled",
      "expired",
      "failed",
      "rejected",
      "succeeded",
      "unknown",
    ]);
  });

  it("explain a refused move", () => {
    expect(() => assertTransition("succeeded", "pending")).toThrow(/succeeded is final/);
    expect(() => assertTransition("approved", "succeeded")).toThrow(/only executing, unknown may follow/);
    expect(() => assertTransition("pending", "bogus" as ApprovalStatus, { decidedBy: "U1" })).toThrow(/unknown status/);
    const error = (() => {
      try {
        assertTransition("pending", "executing");
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(InvalidTransitionError);
    expect(error).toMatchObject({ code: "invalid_transition", from: "pending", to: "executing" });
  });

  it("require a decider for a person's decision, and only there", () => {
    for (const to of ["approved", "rejected", "cancelled"] as const) {
      expect(() => assertTransition("pending", to)).toThrow(/decidedBy is required/);
      expect(() => assertTransition("pending", to, { decidedBy: " " })).toThrow(/decidedBy is required/);
      expect(() => assertTransition("pending", to, { decidedBy: "U1" })).not.toThrow();
    }
    expect(() => assertTransition("pending", "expired")).not.toThrow();
    expect(() => assertTransition("executing", "failed", { decidedBy: "U1" })).toThrow(/only when leaving pending/);
  });

  it("accept an outcome only where an execution ends", () => {
    for (const to of ["succeeded", "failed", "unknown"] as const) {
      expect(() => assertTransition("executing", to, { outcome: { retCode: 0 } })).not.toThrow();
    }
    expect(() => assertTransition("pending", "approved", { decidedBy: "U1", outcome: {} })).toThrow(/outcome/);
    expect(() => assertTransition("approved", "executing", { outcome: {} })).toThrow(/outcome/);
  });

  it("recognise statuses", () => {
    for (const s of APPROVAL_STATUSES) expect(isApprovalStatus(s)).toBe(true);
    expect(isApprovalStatus("done")).toBe(false);
    expect(isApprovalStatus(undefined)).toBe(false);
  });
});
