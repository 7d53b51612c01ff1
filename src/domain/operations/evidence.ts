import type { CompShareInstance } from "../../compshare/schemas.ts";
import type { StepAction, StepProblem, StepResult } from "./api.ts";

/**
 * What DescribeCompShareInstance proves about a step, decided from the instance alone: pure, so
 * "reconcile, never guess" is one table anyone can read and test.
 */

/** States an instance passes through; nothing is settled while it shows one. */
export const TRANSITIONAL_STATES: ReadonlySet<string> = new Set([
  "Starting",
  "Stopping",
  "Rebooting",
  "Initializing",
  "Resizing",
  "",
]);

/** States an operation can end in that mean it went wrong. */
export const FAILURE_STATES: ReadonlySet<string> = new Set(["Install Fail"]);

export type Judgement =
  | { settled: "done"; result: StepResult }
  | { settled: "failed"; result: StepResult }
  /** Not (yet) conclusive: keep looking until the deadline; `seen` is recorded on the step when `lastState` changes. */
  | { settled: false; lastState?: string; seen?: StepResult };

export function observation(instance: CompShareInstance): StepResult {
  return {
    ...(instance.State !== undefined ? { observedState: instance.State } : {}),
    ...(instance.CompShareImageId ? { observedImageId: instance.CompShareImageId } : {}),
    ...(instance.CompShareImageName ? { observedImageName: instance.CompShareImageName } : {}),
  };
}

const failed = (problem: StepProblem, result: StepResult = {}): Judgement => ({
  settled: "failed",
  result: { ...result, problem },
});

/** What the reinstall's evidence needs beyond the instance itself. */
export interface ReinstallContext {
  /** The image the instance had when the request was checked, when known. */
  imageBefore?: string | undefined;
  /** The instance was seen in a transitional state since the write was sent. */
  sawTransition?: boolean;
}

/**
 * Did the mutation of this step take effect? For a write whose answer was lost, or sent before a
 * restart. An instance that already had the requested image proves nothing by having it: then
 * only a reinstall seen passing through a transitional state does.
 */
export function judgeMutation(
  action: StepAction,
  instance: CompShareInstance | undefined,
  context: ReinstallContext = {},
): Judgement {
  if (!instance) return failed({ code: "instance_gone" });
  const seen = observation(instance);
  const state = instance.State ?? "";
  if (FAILURE_STATES.has(state)) return failed({ code: "instance_failed", state }, seen);
  const done: Judgement = { settled: "done", result: { ...seen, reconciled: true } };
  const open: Judgement = { settled: false, lastState: state, seen };
  switch (action.kind) {
    case "stop":
      return state === "Stopping" || state === "Stopped" ? done : open;
    case "start":
      return state === "Starting" || state === "Running" ? done : open;
    case "reboot":
      // Running before and after: only the transitional state proves a reboot happened.
      return state === "Rebooting" ? done : open;
    case "reinstall": {
      const imageProves = context.imageBefore !== action.imageId || context.sawTransition === true;
      return instance.CompShareImageId === action.imageId && imageProves && !TRANSITIONAL_STATES.has(state)
        ? done
        : open;
    }
    default:
      return open;
  }
}

/** Has the instance reached what a wait-for-state step waits for? */
export function judgeWait(
  action: Extract<StepAction, { kind: "wait-for-state" }>,
  instance: CompShareInstance | undefined,
): Judgement {
  if (!instance) return failed({ code: "instance_gone" });
  const seen = observation(instance);
  const state = instance.State ?? "";
  if (FAILURE_STATES.has(state)) return failed({ code: "instance_failed", state }, seen);
  const imageOk = action.imageId === undefined || instance.CompShareImageId === action.imageId;
  return state === action.state && imageOk
    ? { settled: "done", result: seen }
    : { settled: false, lastState: state, seen };
}
