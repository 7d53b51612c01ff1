import { describe, expect, it } from "vitest";
import { CompShareApiError } from "../../src/compshare/errors.ts";
import { RETCODES, retCodeInfo, retCodeKey } from "../../src/compshare/retcodes.ts";
import { describeError } from "../../src/slack/error-reply.ts";
import { messagesFor } from "../../src/slack/i18n/messages.ts";

describe("retcodes", () => {
  it("knows every RetCode DESIGN §3 lists, once each key", () => {
    const listed = [
      110, 130, 150, 153, 160, 161, 170, 171, 172, 174, 230, 292, 293, 294, 295, 299, 226601, 226602, 226603, 226604,
      226605, 226606, 8433,
    ];
    for (const code of listed) expect(retCodeInfo(code), String(code)).toBeDefined();
    const keys = Object.values(RETCODES).map((i) => i.key);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it("knows UCloud's public table's 110, 130 and 174, with words in both languages", () => {
    expect(retCodeKey(110, "")).toBe("GATEWAY_TIMEOUT");
    expect(retCodeKey(130, "")).toBe("GATEWAY_ERROR");
    expect(retCodeKey(174, "")).toBe("TOKEN_NOT_FOUND");
    for (const locale of ["en", "zh-CN"] as const) {
      const m = messagesFor(locale);
      for (const [code, key] of [
        [110, "GATEWAY_TIMEOUT"],
        [130, "GATEWAY_ERROR"],
        [174, "TOKEN_NOT_FOUND"],
      ] as const) {
        const reply = describeError(m, new CompShareApiError(code, "raw vendor text", { action: "X", requestId: "r" }));
        expect(reply.text, `${locale} ${code}`).toBe(m.errors.retCodes[key]);
        expect(reply.footnote).toContain(String(code));
      }
      // The gateway's own trouble is CompShare's, not the user's.
      for (const code of [110, 130]) {
        expect(describeError(m, new CompShareApiError(code, "", { action: "X" })).kind).toBe("upstream");
      }
    }
    expect(messagesFor("zh-CN").errors.retCodes.GATEWAY_ERROR).not.toBe(
      messagesFor("en").errors.retCodes.GATEWAY_ERROR,
    );
  });

  it("marks only 130, 150 and 153 retryable for reads", () => {
    const retryable = Object.entries(RETCODES)
      .filter(([, info]) => info.retryableForReads)
      .map(([code]) => Number(code));
    expect(retryable).toEqual([130, 150, 153]);
  });

  it("says nothing about unknown codes, including inherited names", () => {
    expect(retCodeInfo(99999)).toBeUndefined();
    expect(retCodeKey(99999, "whatever")).toBe("UNKNOWN");
    expect(retCodeInfo(Number.NaN)).toBeUndefined();
  });

  it("recognises the operation lock by its Message, whatever the number", () => {
    expect(retCodeKey(8433, "InstanceOperationInProgress")).toBe("INSTANCE_OPERATION_IN_PROGRESS");
    expect(retCodeKey(171, "Signature VerifyAC Error")).toBe("SIGNATURE_ERROR");
    const error = new CompShareApiError(230, "[InstanceOperationInProgress] uhost-a is busy", {
      action: "ReinstallCompShareInstance",
    });
    expect(error.isInstanceOperationInProgress).toBe(true);
    expect(error.key).toBe("INSTANCE_OPERATION_IN_PROGRESS");
  });
});
