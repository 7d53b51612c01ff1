import { describe, expect, it } from "vitest";
import { REQUEST_STATUSES, type RequestStatus } from "../../src/domain/operations/api.ts";
import { InvalidTransitionError } from "../../src/store/errors.ts";
import {
  assertMove,
  CLOSED_UNRUN,
  canMove,
  FINISHED_REQUEST_STATUSES,
  isRequestStatus,
} from "../../src/store/request-transitions.ts";

/** The request graph, written out independently of the implementation's table. */
const GRAPH = new Set([
  "pending→approved",
  "pending→rejected",
  "pending→expired",
  "pending→cancelled",
  "approved→executing",
  "approved→cancelled",
  "executing→succeeded",
  "executing→failed",
  "executing→unknown",
  // "Check again" found the evidence: the plan carries on.
  "unknown→executing",
]);

describe("request transitions", () => {
  it("allow exactly the moves of the graph", () => {
    const allowed = REQUEST_STATUSES.flatMap((from) =>
      REQUEST_STATUSES.filter((to) => canMove(from, to)).map((to) => `${from}→${to}`),
    );
    expect(new Set(allowed)).toEqual(GRAPH);
  });

  it("name the statuses a request rests in, and those that close it unrun", () => {
    expect([...FINISHED_REQUEST_STATUSES].sort()).toEqual([
      "cancelled",
      "expired",
      "failed",
      "rejected",
      "succeeded",
      "unknown",
    ]);
    expect([...CLOSED_UNRUN].sort()).toEqual(["cancelled", "expired", "rejected"]);
  });

  it("explain a refused move", () => {
    expect(() => assertMove("succeeded", "pending")).toThrow(/succeeded is final/);
    expect(() => assertMove("approved", "succeeded")).toThrow(/only executing, cancelled may follow/);
    expect(() => assertMove("pending", "bogus" as RequestStatus, { decidedBy: "U1" })).toThrow(/unknown status/);
    const error = (() => {
      try {
        assertMove("pending", "executing");
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(InvalidTransitionError);
    expect(error).toMatchObject({ code: "invalid_transition", from: "pending", to: "executing" });
  });

  it("require a decider for a person's decision, and only there", () => {
    for (const to of ["approved", "rejected", "cancelled"] as const) {
      expect(() => assertMove("pending", to)).toThrow(/decidedBy is required/);
      expect(() => assertMove("pending", to, { decidedBy: " " })).toThrow(/decidedBy is required/);
      expect(() => assertMove("pending", to, { decidedBy: "U1" })).not.toThrow();
    }
    expect(() => assertMove("pending", "expired")).not.toThrow();
    expect(() => assertMove("executing", "failed", { decidedBy: "U1" })).toThrow(/only when leaving pending/);
    // Cancelling a scheduled run is a person's decision too.
    expect(() => assertMove("approved", "cancelled")).toThrow(/decidedBy is required/);
    expect(() => assertMove("approved", "cancelled", { decidedBy: "U1" })).not.toThrow();
    expect(() => assertMove("approved", "executing", { runAt: new Date() })).toThrow(/only at approval/);
  });

  it("recognise statuses", () => {
    for (const s of REQUEST_STATUSES) expect(isRequestStatus(s)).toBe(true);
    expect(isRequestStatus("done")).toBe(false);
    expect(isRequestStatus(undefined)).toBe(false);
  });
});
