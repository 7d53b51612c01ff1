import { type RetCodeKey, retCodeKey } from "../../compshare/retcodes.ts";
import { escapeMrkdwn, truncate } from "../views/text.ts";
import type { Messages } from "./messages.ts";

/**
 * The one place a RetCode becomes words, for every reply, card and form that shows one.
 *
 * Each catalogue words every key in this union (`errors.retCodes`, checked by the type of the
 * catalogue), so a RetCode added to compshare/retcodes.ts fails the type check until both
 * languages say something for it. The per-instance lock has its own `errors.operationInProgress`.
 * INVALID_PARAMS and UNKNOWN are left to CompShare's own Message, which names the param or says
 * what we could not.
 */
export type WordedRetCodeKey = Exclude<RetCodeKey, "INVALID_PARAMS" | "UNKNOWN" | "INSTANCE_OPERATION_IN_PROGRESS">;

/** Our words for an API refusal, or undefined when CompShare's Message is the best there is. */
export function knownRetCodeWords(m: Messages, retCode: number, apiMessage: string): string | undefined {
  const key = retCodeKey(retCode, apiMessage);
  if (key === "INSTANCE_OPERATION_IN_PROGRESS") return m.errors.operationInProgress;
  if (key === "INVALID_PARAMS" || key === "UNKNOWN") return undefined;
  return m.errors.retCodes[key];
}

/** mrkdwn: our words, else what CompShare said, escaped and shortened. */
export function retCodeWords(m: Messages, retCode: number, apiMessage: string): string {
  return (
    knownRetCodeWords(m, retCode, apiMessage) ??
    m.errors.api(escapeMrkdwn(truncate(apiMessage || `RetCode ${retCode}`, 500)))
  );
}
