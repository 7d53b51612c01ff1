import { describe, expect, it } from "vitest";
import {
  CompShareAbortedError,
  CompShareApiError,
  CompShareHttpError,
  CompShareInvalidResponseError,
  CompShareNetworkError,
  CompShareRequestError,
  CompShareTimeoutError,
} from "../../src/compshare/errors.ts";
import {
  backoffDelay,
  DEFAULT_RETRY_POLICY,
  parseRetryAfter,
  type RetryLoopOptions,
  shouldRetry,
  withRetries,
} from "../../src/compshare/retry.ts";

const action = "DescribeCompShareImages";
const sent = { action, requestSent: true };

describe("shouldRetry", () => {
  const retryable = [
    new CompShareNetworkError("ECONNRESET", sent),
    new CompShareTimeoutError("headers", sent),
    new CompShareTimeoutError("connect", { action, requestSent: false }),
    new CompShareHttpError(429, { action }),
    new CompShareHttpError(502, { action }),
    new CompShareHttpError(503, { action }),
    new CompShareHttpError(504, { action }),
    new CompShareApiError(150, "service unavailable", { action }),
    new CompShareApiError(153, "rate limited", { action }),
  ];
  const final = [
    new CompShareTimeoutError("deadline", sent),
    new CompShareAbortedError(sent),
    new CompShareHttpError(500, { action }),
    new CompShareHttpError(400, { action }),
    new CompShareApiError(171, "signature error", { action }),
    new CompShareApiError(8433, "InstanceOperationInProgress", { action }),
    new CompShareInvalidResponseError("body is not JSON", { action }),
    new CompShareRequestError([{ path: "Limit", message: "too big" }], { action }),
  ];

  it.each(retryable.map((e) => [e.message, e]))("retries a read after %s", (_, error) => {
    expect(shouldRetry(error, true)).toBe(true);
  });

  it.each(retryable.map((e) => [e.message, e]))("never retries a write, even after %s", (_, error) => {
    expect(shouldRetry(error, false)).toBe(false);
  });

  it.each(final.map((e) => [e.message, e]))("does not retry a read after %s", (_, error) => {
    expect(shouldRetry(error, true)).toBe(false);
  });
});

describe("backoffDelay", () => {
  it("grows exponentially up to the cap, with full jitter below the ceiling", () => {
    const policy = { ...DEFAULT_RETRY_POLICY, baseDelayMs: 200, maxDelayMs: 2_000 };
    const ceilings = [1, 2, 3, 4, 5, 6].map((n) => backoffDelay(n, policy, () => 0.999999));
    expect(ceilings).toEqual([199, 399, 799, 1599, 1999, 1999]);
    expect(backoffDelay(3, policy, () => 0)).toBe(0);
    expect(backoffDelay(3, policy, () => 0.5)).toBe(400);
  });

  it("stays within [0, ceiling] for any random value", () => {
    const policy = { ...DEFAULT_RETRY_POLICY, baseDelayMs: 100, maxDelayMs: 1_000 };
    for (let n = 1; n <= 10; n++) {
      for (const r of [0, 0.1, 0.5, 0.9, 0.999]) {
        const d = backoffDelay(n, policy, () => r);
        expect(d).toBeGreaterThanOrEqual(0);
        expect(d).toBeLessThanOrEqual(Math.min(1_000, 100 * 2 ** (n - 1)));
      }
    }
  });
});

describe("parseRetryAfter", () => {
  const now = Date.parse("2026-01-01T00:00:00Z");
  it("reads delta-seconds and HTTP dates", () => {
    expect(parseRetryAfter("3", now)).toBe(3_000);
    expect(parseRetryAfter(" 0 ", now)).toBe(0);
    expect(parseRetryAfter("Thu, 01 Jan 2026 00:00:02 GMT", now)).toBe(2_000);
    expect(parseRetryAfter("Wed, 31 Dec 2025 23:00:00 GMT", now)).toBe(0);
  });
  it("ignores what it cannot read", () => {
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter("soon", now)).toBeUndefined();
    expect(parseRetryAfter("-1", now)).toBeUndefined();
  });
});

describe("withRetries", () => {
  function harness(overrides: Partial<RetryLoopOptions> = {}) {
    let now = 0;
    const sleeps: number[] = [];
    const options: RetryLoopOptions = {
      isRead: true,
      policy: { ...DEFAULT_RETRY_POLICY },
      deadlineAt: 15_000,
      clock: () => now,
      sleep: async (ms) => {
        sleeps.push(ms);
        now += ms;
      },
      random: () => 0.5,
      signal: new AbortController().signal,
      ...overrides,
    };
    return { options, sleeps, advance: (ms: number) => (now += ms) };
  }

  it("returns the first success and stops", async () => {
    const { options, sleeps } = harness();
    const seen: number[] = [];
    const result = await withRetries(async (n) => {
      seen.push(n);
      if (n < 3) throw new CompShareHttpError(503, { action });
      return "ok";
    }, options);
    expect(result).toBe("ok");
    expect(seen).toEqual([1, 2, 3]);
    expect(sleeps).toEqual([100, 200]);
  });

  it("gives up after the configured attempts with the last error", async () => {
    const { options } = harness({ policy: { ...DEFAULT_RETRY_POLICY, attempts: 2 } });
    let calls = 0;
    const failure = withRetries(async (n) => {
      calls++;
      throw new CompShareApiError(153, `busy ${n}`, { action });
    }, options);
    await expect(failure).rejects.toMatchObject({ retCode: 153, apiMessage: "busy 2" });
    expect(calls).toBe(2);
  });

  it("never retries writes", async () => {
    const { options, sleeps } = harness({ isRead: false });
    let calls = 0;
    await expect(
      withRetries(async () => {
        calls++;
        throw new CompShareNetworkError("ECONNRESET", sent);
      }, options),
    ).rejects.toBeInstanceOf(CompShareNetworkError);
    expect(calls).toBe(1);
    expect(sleeps).toEqual([]);
  });

  it("does not start a wait that would end past the deadline", async () => {
    const { options, sleeps, advance } = harness({ deadlineAt: 1_000 });
    let calls = 0;
    await expect(
      withRetries(async () => {
        calls++;
        advance(950);
        throw new CompShareHttpError(502, { action });
      }, options),
    ).rejects.toMatchObject({ status: 502 });
    expect(calls).toBe(1);
    expect(sleeps).toEqual([]);
  });

  it("honours Retry-After, capped", async () => {
    const { options, sleeps } = harness({ policy: { ...DEFAULT_RETRY_POLICY, maxRetryAfterMs: 1_500 } });
    const errors = [
      new CompShareHttpError(429, { action, retryAfterMs: 1_000 }),
      new CompShareHttpError(503, { action, retryAfterMs: 60_000 }),
    ];
    const result = await withRetries(async (n) => {
      const error = errors[n - 1];
      if (error) throw error;
      return n;
    }, options);
    expect(result).toBe(3);
    expect(sleeps).toEqual([1_000, 1_500]);
  });

  it("rethrows errors that are not CompShare errors untouched", async () => {
    const { options } = harness();
    const bug = new RangeError("bug");
    await expect(
      withRetries(async () => {
        throw bug;
      }, options),
    ).rejects.toBe(bug);
  });

  it("cuts a backoff short when the signal aborts", async () => {
    const controller = new AbortController();
    let release: () => void = () => {};
    const { options } = harness({
      signal: controller.signal,
      sleep: () =>
        new Promise<void>((resolve) => {
          release = resolve;
        }),
    });
    const seen: number[] = [];
    const failure = withRetries(async (n) => {
      seen.push(n);
      if (controller.signal.aborted) throw new CompShareAbortedError({ action, requestSent: false });
      throw new CompShareHttpError(503, { action });
    }, options);
    await Promise.resolve();
    controller.abort();
    await expect(failure).rejects.toBeInstanceOf(CompShareAbortedError);
    expect(seen).toEqual([1, 2]);
    release();
  });
});
