import type { Step, StepAction, StepProblem, StepStatus } from "../../domain/operations/index.ts";
import { type Messages, wordFor } from "../i18n/messages.ts";
import { knownRetCodeWords, retCodeWords } from "../i18n/retcode-words.ts";
import { bold, code, escapeMrkdwn, truncate } from "./text.ts";

/** Words for the engine's language-neutral codes, in the reader's language; shared by cards, replies and Home. */

/**
 * The vendor documents "only Stopped instances can be reinstalled" but publishes no RetCode for
 * it, so the refusal is recognised by its words (English or Chinese) in the Message.
 */
const NOT_STOPPED_TEXT = /\bstopped\b|\bstop it\b|关机|停机/i;

export function problemText(m: Messages, problem: StepProblem): string {
  // The same words as a reply for the same refusal (retcode-words.ts), and the one refusal that has no RetCode.
  const refusalWords = (retCode: number, apiMessage: string) =>
    knownRetCodeWords(m, retCode, apiMessage) ??
    (NOT_STOPPED_TEXT.test(apiMessage) ? m.reinstall.outcome.notStopped : retCodeWords(m, retCode, apiMessage));
  const words = m.operations.problems[problem.code] as (p: StepProblem, r: typeof refusalWords) => string;
  // States and names in a problem come from CompShare: data, escaped like any other.
  const escaped = Object.fromEntries(
    Object.entries(problem).map(([key, value]) =>
      typeof value === "string" && key !== "code" && key !== "message"
        ? [key, escapeMrkdwn(truncate(value, 100))]
        : [key, value],
    ),
  ) as StepProblem;
  return words(escaped, refusalWords);
}

/** RetCode and CompShare's request id of a step that failed or is unknown: what support asks for. */
export function supportText(m: Messages, step: Step): string | undefined {
  const retCode = step.result?.problem?.code === "refused" ? String(step.result.problem.retCode) : undefined;
  const requestId = step.result?.apiRequestId ? escapeMrkdwn(step.result.apiRequestId.replaceAll("`", "'")) : undefined;
  if (retCode !== undefined && requestId) return m.errors.support(retCode, requestId);
  if (retCode !== undefined) return m.errors.supportNoRequestId(retCode);
  if (requestId) return m.errors.requestIdOnly(requestId);
  return undefined;
}

export function stepText(m: Messages, action: StepAction, imageLabel?: string): string {
  const s = m.operations.steps;
  switch (action.kind) {
    case "stop":
    case "start":
    case "reboot":
      return s[action.kind];
    case "reinstall":
      return s.reinstall(bold(imageLabel ?? action.imageName ?? action.imageId) || code(action.imageId));
    case "snapshot":
      return s.snapshot(bold(action.imageName) || code(action.imageName));
    case "wait-for-state": {
      const state = `*${escapeMrkdwn(wordFor(m.instances.states, action.state) ?? action.state)}*`;
      return action.imageId ? m.operations.waitForImage(state) : s["wait-for-state"](state);
    }
  }
}

export const STEP_ICONS: Record<StepStatus, string> = {
  pending: ":white_circle:",
  running: ":hourglass_flowing_sand:",
  done: ":white_check_mark:",
  failed: ":x:",
  unknown: ":grey_question:",
  skipped: ":heavy_minus_sign:",
};
