import type { OperationKind, PlanOptions, StepAction, Target } from "./api.ts";

/**
 * The steps a request will take, per instance, in order: pure, so the card can show the plan
 * before approval exactly as the engine will run it.
 */
export interface PlannedStep {
  instanceId: string;
  action: StepAction;
}

export function planSteps(kind: OperationKind, targets: readonly Target[], options: PlanOptions): PlannedStep[] {
  const plan: PlannedStep[] = [];
  for (const [index, target] of targets.entries()) {
    for (const action of stepsFor(kind, options, target, index, targets.length)) {
      plan.push({ instanceId: target.instanceId, action });
    }
  }
  return plan;
}

function stepsFor(
  kind: OperationKind,
  options: PlanOptions,
  target: Target,
  index: number,
  count: number,
): StepAction[] {
  switch (kind) {
    case "stop":
      return [{ kind: "stop" }, { kind: "wait-for-state", state: "Stopped" }];
    case "start":
      return [{ kind: "start" }, { kind: "wait-for-state", state: "Running" }];
    case "reboot":
      return [{ kind: "reboot" }, { kind: "wait-for-state", state: "Running" }];
    case "reinstall": {
      const image = options.image;
      if (!image) throw new Error("a reinstall plan needs an image");
      const steps: StepAction[] = [];
      // "Stop first" is one choice for the whole request; an instance already Stopped when it was
      // checked has nothing to stop (CompShare refuses a stop of a Stopped instance).
      if (options.stopFirst && target.stateBefore !== "Stopped") {
        steps.push({ kind: "stop" }, { kind: "wait-for-state", state: "Stopped" });
      }
      if (options.snapshotName)
        steps.push({ kind: "snapshot", imageName: snapshotName(options.snapshotName, index, count) });
      steps.push(
        { kind: "reinstall", imageId: image.id, ...(image.name ? { imageName: image.name } : {}) },
        // A reinstall lands Stopped with the new image on it.
        { kind: "wait-for-state", state: "Stopped", imageId: image.id },
      );
      if (options.startAfter) steps.push({ kind: "start" }, { kind: "wait-for-state", state: "Running" });
      return steps;
    }
  }
}

/** The API refuses a name already used in the account, so each instance's copy gets its own. */
export function snapshotName(base: string, index: number, count: number): string {
  return count === 1 ? base : `${base}-${index + 1}`;
}
