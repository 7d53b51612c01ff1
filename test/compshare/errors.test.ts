import { describe, expect, it } from "vitest";
import {
  CompShareAbortedError,
  CompShareApiError,
  CompShareError,
  CompShareHttpError,
  CompShareInvalidResponseError,
  CompShareNetworkError,
  CompShareOutcomeUnknownError,
  CompShareRequestError,
  CompShareTimeoutError,
  mayHaveTakenEffect,
} from "../../src/compshare/errors.ts";

const action = "ReinstallCompShareInstance";

describe("the error family", () => {
  it("gives every class a fixed code, its own name, the action and the request id", () => {
    const cause = new Error("socket hang up");
    const cases: [CompShareError, string, string][] = [
      [
        new CompShareRequestError([{ path: "UHostId", message: "required" }], { action }),
        "invalid_request",
        "CompShareRequestError",
      ],
      [
        new CompShareNetworkError("ECONNRESET", { action, requestSent: true, cause }),
        "network",
        "CompShareNetworkError",
      ],
      [new CompShareTimeoutError("connect", { action, requestSent: false }), "timeout", "CompShareTimeoutError"],
      [new CompShareAbortedError({ action, requestSent: false }), "aborted", "CompShareAbortedError"],
      [new CompShareHttpError(502, { action, requestId: "r" }), "http", "CompShareHttpError"],
      [new CompShareApiError(171, "bad", { action, requestId: "r" }), "retcode", "CompShareApiError"],
      [
        new CompShareInvalidResponseError("body is not JSON", { action }),
        "invalid_response",
        "CompShareInvalidResponseError",
      ],
    ];
    for (const [error, code, name] of cases) {
      expect(error).toBeInstanceOf(CompShareError);
      expect(error).toBeInstanceOf(Error);
      expect(error.code).toBe(code);
      expect(error.name).toBe(name);
      expect(error.action).toBe(action);
      expect(error.message.startsWith(`${action}: `)).toBe(true);
    }
    expect(cases[1]?.[0].cause).toBe(cause);
    expect(cases[4]?.[0].message).toBe(`${action}: HTTP 502 (request id r)`);
    expect(cases[5]?.[0].message).toBe(`${action}: RetCode 171 (signature error): bad (request id r)`);
  });

  it("keeps the observed failure inside an outcome-unknown error", () => {
    const timeout = new CompShareTimeoutError("headers", { action, requestSent: true, requestId: "r-1" });
    const unknown = new CompShareOutcomeUnknownError(timeout);
    expect(unknown).toMatchObject({ code: "outcome_unknown", reason: "timeout", requestId: "r-1", action });
    expect(unknown.cause).toBe(timeout);
    expect(unknown.message).toContain("outcome unknown");
  });
});

describe("mayHaveTakenEffect", () => {
  it.each([
    [
      "a network failure after sending",
      new CompShareNetworkError("UND_ERR_SOCKET", { action, requestSent: true }),
      true,
    ],
    [
      "a network failure before sending",
      new CompShareNetworkError("ECONNREFUSED", { action, requestSent: false }),
      false,
    ],
    ["a headers timeout", new CompShareTimeoutError("headers", { action, requestSent: true }), true],
    ["a connect timeout", new CompShareTimeoutError("connect", { action, requestSent: false }), false],
    ["the deadline after sending", new CompShareTimeoutError("deadline", { action, requestSent: true }), true],
    ["an abort before sending", new CompShareAbortedError({ action, requestSent: false }), false],
    ["an abort after sending", new CompShareAbortedError({ action, requestSent: true }), true],
    ["a 500", new CompShareHttpError(500, { action }), true],
    ["a 502", new CompShareHttpError(502, { action }), true],
    ["a 503", new CompShareHttpError(503, { action }), true],
    ["a 504", new CompShareHttpError(504, { action }), true],
    ["a 429", new CompShareHttpError(429, { action }), true],
    ["a 400", new CompShareHttpError(400, { action }), true],
    ["an unreadable 200", new CompShareInvalidResponseError("body is not JSON", { action }), true],
    ["a RetCode", new CompShareApiError(226604, "no resources", { action }), false],
    ["a refused request", new CompShareRequestError([], { action }), false],
  ])("%s: %s", (_, error, expected) => {
    expect(mayHaveTakenEffect(error)).toBe(expected);
  });
});
