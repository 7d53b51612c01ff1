import {
  CompShareApiError,
  CompShareError,
  CompShareHttpError,
  CompShareNetworkError,
  CompShareTimeoutError,
} from "./errors.ts";

export interface RetryPolicy {
  /** Total attempts, the first included. */
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** A server's Retry-After is honoured up to this much. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicy> = Object.freeze({
  attempts: 3,
  baseDelayMs: 200,
  maxDelayMs: 2_000,
  maxRetryAfterMs: 5_000,
});

const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([429, 502, 503, 504]);

/** Reads only: a write sent twice may act twice (DESIGN §3). */
export function shouldRetry(error: CompShareError, isRead: boolean): boolean {
  if (!isRead) return false;
  if (error instanceof CompShareNetworkError) return true;
  // The whole call's budget is spent once the deadline fires; a slow attempt is worth another.
  if (error instanceof CompShareTimeoutError) return error.phase !== "deadline";
  if (error instanceof CompShareHttpError) return RETRYABLE_STATUSES.has(error.status);
  if (error instanceof CompShareApiError) return error.isRetryableForReads;
  return false;
}

/**
 * "Full jitter": uniform in [0, min(max, base·2^(n-1))] after the n-th failed attempt, so clients
 * that failed together do not come back together.
 */
export function backoffDelay(failedAttempts: number, policy: RetryPolicy, random: () => number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (failedAttempts - 1));
  return Math.floor(random() * ceiling);
}

/** Retry-After is either delta-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  // Date.parse is lenient enough to read "-1" as a year; an HTTP date always names its weekday.
  if (!/^[A-Za-z]{3}, /.test(text)) return undefined;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

function delayAfter(error: CompShareError, failedAttempts: number, policy: RetryPolicy, random: () => number): number {
  if (error instanceof CompShareHttpError && error.retryAfterMs !== undefined) {
    return Math.min(error.retryAfterMs, policy.maxRetryAfterMs);
  }
  return backoffDelay(failedAttempts, policy, random);
}

export interface RetryLoopOptions {
  isRead: boolean;
  policy: RetryPolicy;
  /** Absolute time, on `clock`, after which no attempt may start. */
  deadlineAt: number;
  clock: () => number;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
  /** Cuts a backoff short; the next attempt then sees the signal and fails on its own terms. */
  signal: AbortSignal;
  onRetry?: (error: CompShareError, failedAttempts: number, delayMs: number) => void;
}

/**
 * Runs `attempt(1)`, `attempt(2)`, … until one succeeds, the failure is not worth a retry, the
 * attempts are used up, or the next wait would end past the deadline; then rethrows the last error.
 */
export async function withRetries<T>(attempt: (n: number) => Promise<T>, options: RetryLoopOptions): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt(n);
    } catch (error) {
      if (!(error instanceof CompShareError) || n >= options.policy.attempts || !shouldRetry(error, options.isRead))
        throw error;
      const delay = delayAfter(error, n, options.policy, options.random);
      if (options.clock() + delay >= options.deadlineAt) throw error;
      options.onRetry?.(error, n, delay);
      await sleepUnlessAborted(options.sleep, delay, options.signal);
    }
  }
}

function sleepUnlessAborted(sleep: (ms: number) => Promise<void>, ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onAbort = () => resolve();
    signal.addEventListener("abort", onAbort, { once: true });
    sleep(ms).then(
      () => {
        signal.removeEventListener("abort", onAbort);
        resolve();
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}
