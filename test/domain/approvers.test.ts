import { describe, expect, it } from "vitest";
import { createApproverDirectory, decisionRefusal } from "../../src/domain/approvers.ts";
import { memoryLogger } from "../helpers/memory-log.ts";

function directory(approvers: string[], now = { t: 0 }) {
  return createApproverDirectory({ approvers, clock: () => now.t, logger: memoryLogger("silent").logger, ttlMs: 1000 });
}

describe("approver directory", () => {
  it("knows approvers by user id without asking Slack", async () => {
    let asked = 0;
    const lookup = async () => {
      asked += 1;
      return [];
    };
    const dir = directory(["U1", "W2"]);
    expect(await dir.check("U1", lookup)).toBe("approver");
    expect(await dir.check("W2", lookup)).toBe("approver");
    expect(await dir.check("U3", lookup)).toBe("not_approver");
    expect(asked).toBe(0);
  });

  it("asks for a group's members once per TTL, sharing one question between concurrent checks", async () => {
    const now = { t: 0 };
    const asked: string[] = [];
    const lookup = async (group: string) => {
      asked.push(group);
      return ["U7"];
    };
    const dir = directory(["S1"], now);
    const answers = await Promise.all([dir.check("U7", lookup), dir.check("U8", lookup), dir.check("U7", lookup)]);
    expect(answers).toEqual(["approver", "not_approver", "approver"]);
    expect(asked).toEqual(["S1"]);
    now.t = 999;
    await dir.check("U7", lookup);
    expect(asked).toHaveLength(1);
    now.t = 1000;
    await dir.check("U7", lookup);
    expect(asked).toHaveLength(2);
  });

  it("says unverified when a group cannot be listed, and asks again next time", async () => {
    let fail = true;
    const lookup = async () => {
      if (fail) throw new Error("missing_scope");
      return ["U7"];
    };
    const dir = directory(["S1"]);
    expect(await dir.check("U7", lookup)).toBe("unverified");
    fail = false;
    expect(await dir.check("U7", lookup)).toBe("approver");
  });

  it("a member of any one group is an approver even when another group fails", async () => {
    const lookup = async (group: string) => {
      if (group === "S1") throw new Error("no_such_subteam");
      return ["U7"];
    };
    expect(await directory(["S1", "S2"]).check("U7", lookup)).toBe("approver");
  });
});

describe("decision refusal", () => {
  const base = { deciderId: "U1", requesterId: "U2", allowSelfApproval: false } as const;

  it("lets an approver approve or reject someone else's request", () => {
    expect(decisionRefusal({ ...base, check: "approver", verdict: "approve" })).toBeUndefined();
    expect(decisionRefusal({ ...base, check: "approver", verdict: "reject" })).toBeUndefined();
  });

  it("refuses non-approvers and unverifiable clicks whatever the verdict", () => {
    expect(decisionRefusal({ ...base, check: "not_approver", verdict: "reject" })).toBe("not_approver");
    expect(decisionRefusal({ ...base, check: "unverified", verdict: "approve" })).toBe("unverified");
  });

  it("refuses self-approval unless allowed; rejecting one's own request is fine", () => {
    const own = { ...base, requesterId: "U1", check: "approver" as const };
    expect(decisionRefusal({ ...own, verdict: "approve" })).toBe("own_request");
    expect(decisionRefusal({ ...own, verdict: "approve", allowSelfApproval: true })).toBeUndefined();
    expect(decisionRefusal({ ...own, verdict: "reject" })).toBeUndefined();
  });
});
