import {
  CompShareAbortedError,
  CompShareApiError,
  CompShareError,
  CompShareHttpError,
  CompShareNetworkError,
  CompShareOutcomeUnknownError,
  CompShareRequestError,
  CompShareTimeoutError,
} from "../compshare/errors.ts";
import { isInstanceOperationInProgress } from "../compshare/retcodes.ts";
import { CredentialDecryptError } from "../store/errors.ts";
import type { ApprovalOutcome, ApprovalRequest } from "../store/types.ts";
import { NotLinkedError } from "./accounts.ts";

/**
 * What became of an approved reinstall, stored language-neutral in the request's outcome
 * columns and turned into words only when a card or a message is drawn, in the reader's
 * language. API answers keep the vendor's RetCode and Message; failures the bot observed
 * itself are stored as a short `bot:` code in the message column.
 */
export type ReinstallCause =
  | { kind: "accepted" }
  /** CompShare answered RetCode ≠ 0: nothing was done. `hint` names the two refusals people can act on. */
  | { kind: "api"; retCode: number; message: string; hint?: "operation_locked" | "not_stopped" }
  | { kind: "keys_removed" }
  | { kind: "keys_unreadable" }
  /** The request never reached CompShare (network down, refused as invalid before sending). */
  | { kind: "not_sent" }
  | { kind: "http"; status: number }
  /** The request went out and no readable answer came back: it may or may not have run. */
  | { kind: "no_answer" }
  /** The bot stopped while the call was in flight (restart safety, DESIGN §5). */
  | { kind: "interrupted" }
  | { kind: "internal" };

export type FinalStatus = "succeeded" | "failed" | "unknown";

export interface ExecutionResult {
  status: FinalStatus;
  outcome: ApprovalOutcome;
}

const BOT_PREFIX = "bot:";

/** The note on a request the bot withdrew because its card could not be posted, so nobody could decide it. */
export const WITHDRAWN_NOTE = `${BOT_PREFIX}card_not_posted`;

/**
 * The vendor documents "only Stopped instances can be reinstalled" but publishes no RetCode for
 * it, so the refusal is recognised by its words (English or Chinese) in the Message.
 */
const NOT_STOPPED_TEXT = /\bstopped\b|\bstop it\b|关机|停机/i;

export function succeeded(requestId: string | undefined): ExecutionResult {
  return { status: "succeeded", outcome: requestId ? { requestId } : {} };
}

/** A failure the flow expects and has words for; anything else is a bug in the bot. */
export function isExpectedFailure(error: unknown): boolean {
  return error instanceof NotLinkedError || error instanceof CredentialDecryptError || error instanceof CompShareError;
}

/** The requester's keys could not be had, so nothing was sent. */
export function resultBeforeSending(error: unknown): ExecutionResult {
  if (error instanceof NotLinkedError) return local("failed", "keys_removed");
  if (error instanceof CredentialDecryptError) return local("failed", "keys_unreadable");
  return local("failed", "internal");
}

/** Classifies a failure of the reinstall call: failed when CompShare surely did nothing, unknown otherwise. */
export function resultOfCallError(error: unknown): ExecutionResult {
  if (!(error instanceof CompShareError)) return local("unknown", "internal");
  const requestId = error.requestId;
  if (error instanceof CompShareApiError) {
    return {
      status: "failed",
      outcome: { retCode: error.retCode, message: error.apiMessage, ...(requestId ? { requestId } : {}) },
    };
  }
  if (error instanceof CompShareOutcomeUnknownError) return local("unknown", "no_answer", requestId);
  if (error instanceof CompShareHttpError) return local("failed", `http:${error.status}`, requestId);
  if (
    error instanceof CompShareRequestError ||
    error instanceof CompShareNetworkError ||
    error instanceof CompShareTimeoutError ||
    error instanceof CompShareAbortedError
  ) {
    // The client wraps any of these that may have reached the server in CompShareOutcomeUnknownError.
    return local("failed", "not_sent", requestId);
  }
  return local("unknown", "internal", requestId);
}

function local(status: FinalStatus, code: string, requestId?: string): ExecutionResult {
  return { status, outcome: { message: `${BOT_PREFIX}${code}`, ...(requestId ? { requestId } : {}) } };
}

/** Reads back what `succeeded`/`resultOfError` stored, or what a restart left (no outcome at all). */
export function causeOf(request: Pick<ApprovalRequest, "status" | "outcome">): ReinstallCause {
  if (request.status === "succeeded") return { kind: "accepted" };
  const outcome = request.outcome ?? {};
  const message = outcome.message ?? "";
  if (outcome.retCode !== undefined) {
    const hint = isInstanceOperationInProgress(message)
      ? "operation_locked"
      : NOT_STOPPED_TEXT.test(message)
        ? "not_stopped"
        : undefined;
    return { kind: "api", retCode: outcome.retCode, message, ...(hint ? { hint } : {}) };
  }
  if (!message.startsWith(BOT_PREFIX))
    return request.status === "unknown" ? { kind: "interrupted" } : { kind: "internal" };
  const code = message.slice(BOT_PREFIX.length);
  if (code === "keys_removed" || code === "keys_unreadable" || code === "not_sent" || code === "no_answer") {
    return { kind: code };
  }
  const http = /^http:(\d{3})$/.exec(code);
  if (http) return { kind: "http", status: Number(http[1]) };
  return { kind: "internal" };
}
