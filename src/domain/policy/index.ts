/** The approval policy: import from here. */

export { policyApprovers } from "./approver-scope.ts";
export { actionConfigured } from "./configured.ts";
export { policyFromEnvironment } from "./environment-policy.ts";
export { loadPolicy, type ReadText } from "./load-policy.ts";
export { type CommandPlace, checkPlacement, commandPlace, type PlacementCheck } from "./placement.ts";
export { type ParsedPolicyFile, POLICY_SETTING_KEYS, parsePolicyFile } from "./policy-file.ts";
export {
  instanceCountProblem,
  type RequestProblem,
  RUN_TIME_GRACE_MS,
  reasonProblem,
  runTimeProblem,
  whenToRun,
} from "./request-rules.ts";
export type * from "./types.ts";
export { formatPolicyProblems, MAX_INSTANCES_PER_REQUEST, POLICY_ACTIONS, PolicyFileError } from "./types.ts";
export { isInsideWindow, isInsideWindows, nextWindowOpening, parseWindow, WINDOW_EXAMPLE } from "./windows.ts";
