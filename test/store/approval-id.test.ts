import { describe, expect, it } from "vitest";
import { APPROVAL_ID_PATTERN, newApprovalId } from "../../src/store/approval-id.ts";

describe("newApprovalId", () => {
  it("encodes 80 random bits as 16 base32 characters", () => {
    expect(newApprovalId(() => Buffer.alloc(10))).toBe("req_aaaaaaaaaaaaaaaa");
    expect(newApprovalId(() => Buffer.alloc(10, 0xff))).toBe("req_7777777777777777");
    // RFC 4648 test vector "foobar" → MZXW6YTBOI (first 10 chars of its 6 bytes), padded with zero bytes.
    expect(newApprovalId(() => Buffer.from("foobar\0\0\0\0", "latin1"))).toBe("req_mzxw6ytboiaaaaaa");
  });

  it("draws a new id each time, always matching the pattern", () => {
    const ids = new Set(Array.from({ length: 1000 }, () => newApprovalId()));
    expect(ids.size).toBe(1000);
    for (const id of ids) expect(id).toMatch(APPROVAL_ID_PATTERN);
  });
});
