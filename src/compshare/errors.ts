import {
  isInstanceOperationInProgress,
  type RetCodeInfo,
  type RetCodeKey,
  retCodeInfo,
  retCodeKey,
} from "./retcodes.ts";

/**
 * One error family for the CompShare client. Messages name the action, the failure and the
 * request id; they never carry param values, private keys or signatures.
 */
export type CompShareErrorCode =
  | "invalid_request"
  | "network"
  | "timeout"
  | "aborted"
  | "http"
  | "retcode"
  | "invalid_response"
  | "outcome_unknown";

export interface CompShareErrorContext {
  action: string;
  requestId?: string | undefined;
  cause?: unknown;
}

export abstract class CompShareError extends Error {
  abstract readonly code: CompShareErrorCode;
  readonly action: string;
  readonly requestId: string | undefined;

  constructor(message: string, context: CompShareErrorContext) {
    super(withRequestId(`${context.action}: ${message}`, context.requestId), { cause: context.cause });
    this.name = new.target.name;
    this.action = context.action;
    this.requestId = context.requestId;
  }
}

function withRequestId(message: string, requestId: string | undefined): string {
  return requestId === undefined ? message : `${message} (request id ${requestId})`;
}

export interface RequestIssue {
  path: string;
  message: string;
}

/** The params failed validation; nothing was sent. */
export class CompShareRequestError extends CompShareError {
  readonly code = "invalid_request";
  readonly issues: readonly RequestIssue[];

  constructor(issues: readonly RequestIssue[], context: CompShareErrorContext) {
    super(
      `invalid request: ${issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join("; ")}`,
      context,
    );
    this.issues = issues;
  }
}

/**
 * For the transport failures below, `requestSent` says whether the request reached a socket:
 * when false the server cannot have seen it, which is what makes a write safe to report as
 * simply failed rather than of unknown outcome.
 */
interface TransportFailureContext extends CompShareErrorContext {
  requestSent: boolean;
}

export class CompShareNetworkError extends CompShareError {
  readonly code = "network";
  readonly requestSent: boolean;

  constructor(detail: string, context: TransportFailureContext) {
    super(`network error: ${detail}`, context);
    this.requestSent = context.requestSent;
  }
}

/** `deadline` is the whole call's budget (retries included); the others are one attempt's phase. */
export type TimeoutPhase = "connect" | "headers" | "body" | "deadline";

export class CompShareTimeoutError extends CompShareError {
  readonly code = "timeout";
  readonly phase: TimeoutPhase;
  readonly requestSent: boolean;

  constructor(phase: TimeoutPhase, context: TransportFailureContext) {
    super(phase === "deadline" ? "deadline exceeded" : `${phase} timeout`, context);
    this.phase = phase;
    this.requestSent = context.requestSent;
  }
}

/** The caller's AbortSignal fired. */
export class CompShareAbortedError extends CompShareError {
  readonly code = "aborted";
  readonly requestSent: boolean;

  constructor(context: TransportFailureContext) {
    super("aborted by caller", context);
    this.requestSent = context.requestSent;
  }
}

export class CompShareHttpError extends CompShareError {
  readonly code = "http";
  readonly status: number;
  /** From a Retry-After header, already converted to a delay. */
  readonly retryAfterMs: number | undefined;

  constructor(status: number, context: CompShareErrorContext & { retryAfterMs?: number | undefined }) {
    super(`HTTP ${status}`, context);
    this.status = status;
    this.retryAfterMs = context.retryAfterMs;
  }
}

export class CompShareApiError extends CompShareError {
  readonly code = "retcode";
  readonly retCode: number;
  readonly apiMessage: string;

  constructor(retCode: number, apiMessage: string, context: CompShareErrorContext) {
    const summary = retCodeInfo(retCode)?.summary;
    super(`RetCode ${retCode}${summary ? ` (${summary})` : ""}${apiMessage ? `: ${apiMessage}` : ""}`, context);
    this.retCode = retCode;
    this.apiMessage = apiMessage;
  }

  get info(): RetCodeInfo | undefined {
    return retCodeInfo(this.retCode);
  }

  /** What the Slack layer translates. */
  get key(): RetCodeKey {
    return retCodeKey(this.retCode, this.apiMessage);
  }

  /** The per-instance 10-minute operation lock; it has no published number, only this Message text. */
  get isInstanceOperationInProgress(): boolean {
    return isInstanceOperationInProgress(this.apiMessage);
  }

  /** The key pair was rejected: wrong private key, or a public key of no user. */
  get isCredentialError(): boolean {
    return this.retCode === 171 || this.retCode === 172;
  }

  get isRetryableForReads(): boolean {
    return this.info?.retryableForReads ?? false;
  }
}

export class CompShareInvalidResponseError extends CompShareError {
  readonly code = "invalid_response";

  constructor(detail: string, context: CompShareErrorContext) {
    super(`invalid response: ${detail}`, context);
  }
}

/**
 * A write failed after the request may have reached the server: it may or may not have taken
 * effect, and the caller must not assume either. `cause` is the failure that was observed.
 */
export class CompShareOutcomeUnknownError extends CompShareError {
  readonly code = "outcome_unknown";
  override readonly cause: CompShareError;

  constructor(cause: CompShareError) {
    super(`outcome unknown after ${cause.code} failure`, { action: cause.action, requestId: cause.requestId, cause });
    this.cause = cause;
  }

  get reason(): CompShareErrorCode {
    return this.cause.code;
  }
}

/** RetCode 110: the gateway stopped waiting for the service after 60 s; the service may still act. */
const GATEWAY_TIMEOUT_RETCODE = 110;

/**
 * Whether a failed write may nonetheless have taken effect on the server. Only a well-formed
 * answer with a RetCode other than 0 (and not 110, the gateway's own timeout) says the API refused
 * it, and only a request that never reached a socket cannot have been seen: anything else after
 * sending (any HTTP status but 2xx, even from a gateway in front of the API; a body that cannot be
 * read; a reset; a timeout) leaves the outcome unknown.
 */
export function mayHaveTakenEffect(error: CompShareError): boolean {
  if (
    error instanceof CompShareNetworkError ||
    error instanceof CompShareTimeoutError ||
    error instanceof CompShareAbortedError
  ) {
    return error.requestSent;
  }
  // A status line came back, so the request was sent; only the API's own RetCode refuses.
  if (error instanceof CompShareHttpError) return true;
  if (error instanceof CompShareApiError) return error.retCode === GATEWAY_TIMEOUT_RETCODE;
  return error instanceof CompShareInvalidResponseError;
}
