import { describe, expect, it } from "vitest";
import {
  CompShareAbortedError,
  CompShareApiError,
  CompShareHttpError,
  CompShareInvalidResponseError,
  CompShareNetworkError,
  CompShareOutcomeUnknownError,
  CompShareRequestError,
  CompShareTimeoutError,
} from "../../src/compshare/errors.ts";
import { NotLinkedError } from "../../src/domain/accounts.ts";
import {
  causeOf,
  type ExecutionResult,
  resultBeforeSending,
  resultOfCallError,
  succeeded,
} from "../../src/domain/reinstall-outcome.ts";
import { CredentialDecryptError } from "../../src/store/errors.ts";

const action = "ReinstallCompShareInstance";
const requestId = "rid-1";

/** What a result reads back as once stored. */
function roundTrip(result: ExecutionResult) {
  return causeOf({ status: result.status, outcome: result.outcome });
}

describe("reinstall outcome", () => {
  it("an accepted call keeps the request id", () => {
    expect(succeeded(requestId)).toEqual({ status: "succeeded", outcome: { requestId } });
    expect(roundTrip(succeeded(requestId))).toEqual({ kind: "accepted" });
  });

  it("an API refusal is a failure with RetCode, Message and request id; lock and not-Stopped are recognised", () => {
    const locked = resultOfCallError(
      new CompShareApiError(226695, "InstanceOperationInProgress: another operation", { action, requestId }),
    );
    expect(locked).toEqual({
      status: "failed",
      outcome: { retCode: 226695, message: "InstanceOperationInProgress: another operation", requestId },
    });
    expect(roundTrip(locked)).toMatchObject({ kind: "api", retCode: 226695, hint: "operation_locked" });
    for (const message of ["instance is Running; it must be Stopped before", "实例未关机，请先关机"]) {
      const notStopped = resultOfCallError(new CompShareApiError(8433, message, { action }));
      expect(roundTrip(notStopped)).toMatchObject({ kind: "api", hint: "not_stopped" });
    }
    const other = roundTrip(resultOfCallError(new CompShareApiError(226603, "GPU not supported", { action })));
    expect(other).toEqual({ kind: "api", retCode: 226603, message: "GPU not supported" });
  });

  it("anything that may have reached CompShare is unknown; what surely did not is failed", () => {
    const sent = new CompShareTimeoutError("headers", { action, requestSent: true });
    expect(resultOfCallError(new CompShareOutcomeUnknownError(sent)).status).toBe("unknown");
    expect(roundTrip(resultOfCallError(new CompShareOutcomeUnknownError(sent)))).toEqual({ kind: "no_answer" });
    const unsent = [
      new CompShareNetworkError("ECONNREFUSED", { action, requestSent: false }),
      new CompShareTimeoutError("connect", { action, requestSent: false }),
      new CompShareAbortedError({ action, requestSent: false }),
      new CompShareRequestError([{ path: "UHostId", message: "bad" }], { action }),
    ];
    for (const error of unsent) {
      expect(resultOfCallError(error).status).toBe("failed");
      expect(roundTrip(resultOfCallError(error))).toEqual({ kind: "not_sent" });
    }
    const http = resultOfCallError(new CompShareHttpError(503, { action, requestId }));
    expect(http).toEqual({ status: "failed", outcome: { message: "bot:http:503", requestId } });
    expect(roundTrip(http)).toEqual({ kind: "http", status: 503 });
    expect(resultOfCallError(new CompShareInvalidResponseError("x", { action })).status).toBe("unknown");
    expect(resultOfCallError(new TypeError("bug")).status).toBe("unknown");
    expect(roundTrip(resultOfCallError(new TypeError("bug")))).toEqual({ kind: "internal" });
  });

  it("keys gone before sending: failed, with the reason kept", () => {
    expect(roundTrip(resultBeforeSending(new NotLinkedError()))).toEqual({ kind: "keys_removed" });
    expect(roundTrip(resultBeforeSending(new CredentialDecryptError("T1", "U1", "no key fits")))).toEqual({
      kind: "keys_unreadable",
    });
    expect(resultBeforeSending(new Error("store down"))).toEqual({
      status: "failed",
      outcome: { message: "bot:internal" },
    });
  });

  it("an unknown with no outcome at all is what a restart left behind", () => {
    expect(causeOf({ status: "unknown" })).toEqual({ kind: "interrupted" });
  });
});
