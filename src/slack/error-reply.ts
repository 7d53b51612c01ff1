import { randomBytes } from "node:crypto";
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
} from "../compshare/errors.ts";
import { NotLinkedError } from "../domain/accounts.ts";
import { CredentialDecryptError } from "../store/errors.ts";
import type { Messages } from "./i18n/messages.ts";
import { retCodeWords } from "./i18n/retcode-words.ts";
import { escapeMrkdwn, truncate } from "./views/text.ts";

/**
 * The one place that turns a failure into words for the person who asked. `kind` says whose
 * move it is: the user's (fix input or keys), upstream's (CompShare or Slack failed; try again),
 * or ours (a bug: logged with a reference the user can quote).
 */
export interface ErrorReply {
  text: string;
  footnote?: string;
  kind: "user" | "upstream" | "bug";
}

export function describeError(m: Messages, error: unknown, reference: string = newReference()): ErrorReply {
  if (error instanceof NotLinkedError) return { text: m.keys.notLinked, kind: "user" };
  if (error instanceof CredentialDecryptError) return { text: m.keys.undecryptable, kind: "user" };
  if (error instanceof CompShareError) return describeCompShareError(m, error);
  if (isSlackPlatformError(error)) return { text: m.errors.slack, kind: "upstream" };
  return { text: m.errors.generic(reference), kind: "bug" };
}

/** CompShare's own trouble (timeout, gateway, unavailable, throttled, internal), not the user's input. */
const UPSTREAM_RETCODES: ReadonlySet<number> = new Set([110, 130, 150, 153, 8433]);

export function describeCompShareError(m: Messages, error: CompShareError): ErrorReply {
  const footnote = supportLine(m, error);
  const withFootnote = (text: string, kind: ErrorReply["kind"]): ErrorReply =>
    footnote ? { text, footnote, kind } : { text, kind };
  if (error instanceof CompShareApiError) {
    const text = retCodeWords(m, error.retCode, error.apiMessage);
    const kind = UPSTREAM_RETCODES.has(error.retCode) ? "upstream" : "user";
    return withFootnote(text, kind);
  }
  if (error instanceof CompShareOutcomeUnknownError) return withFootnote(m.errors.outcomeUnknown, "upstream");
  if (error instanceof CompShareTimeoutError || error instanceof CompShareAbortedError) {
    return withFootnote(m.errors.timeout, "upstream");
  }
  if (error instanceof CompShareNetworkError) return withFootnote(m.errors.network, "upstream");
  if (error instanceof CompShareHttpError) return withFootnote(m.errors.http(error.status), "upstream");
  if (error instanceof CompShareInvalidResponseError) return withFootnote(m.errors.invalidResponse, "upstream");
  if (error instanceof CompShareRequestError) {
    const details = error.issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join("; ");
    return { text: m.errors.invalidRequest(escapeMrkdwn(truncate(details, 500))), kind: "user" };
  }
  return { text: m.errors.generic(newReference()), kind: "bug" };
}

function supportLine(m: Messages, error: CompShareError): string | undefined {
  const retCode = error instanceof CompShareApiError ? String(error.retCode) : undefined;
  if (retCode !== undefined && error.requestId) return m.errors.support(retCode, escapeMrkdwn(error.requestId));
  if (retCode !== undefined) return m.errors.supportNoRequestId(retCode);
  if (error.requestId) return m.errors.requestIdOnly(escapeMrkdwn(error.requestId));
  return undefined;
}

/** @slack/web-api marks its errors with a code such as slack_webapi_platform_error. */
function isSlackPlatformError(error: unknown): boolean {
  return (
    typeof error === "object" &&
    error !== null &&
    typeof (error as { code?: unknown }).code === "string" &&
    (error as { code: string }).code.startsWith("slack_")
  );
}

/** A short reference a user can quote and an operator can grep for in the logs. */
export function newReference(): string {
  return randomBytes(4).toString("hex");
}
