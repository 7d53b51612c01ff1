import type { Operation, Step, StepProblem, StepStatus } from "./api.ts";

/** Where one instance of a request ended up, for the card's summary. */
export interface InstanceOutcome {
  instanceId: string;
  /** done: every step done; otherwise the first step that is not. */
  status: StepStatus;
  /** The first step that failed or is unknown. */
  problemStep?: Step;
  problem?: StepProblem;
  /** As DescribeCompShareInstance last showed it during the plan. */
  finalState?: string;
  imageId?: string;
  imageName?: string;
  /** The custom image a snapshot step made. */
  snapshotImageId?: string;
}

export function instanceOutcomes(operation: Operation): InstanceOutcome[] {
  return operation.targets.map((target) => {
    const steps = operation.steps.filter((step) => step.instanceId === target.instanceId);
    const open = steps.find((step) => step.status !== "done");
    const seen = [...steps].reverse().find((step) => step.result?.observedState !== undefined)?.result;
    const snapshot = steps.find((step) => step.result?.createdImageId !== undefined)?.result?.createdImageId;
    const problem = open?.result?.problem;
    return {
      instanceId: target.instanceId,
      status: open?.status ?? "done",
      ...(open && (open.status === "failed" || open.status === "unknown") ? { problemStep: open } : {}),
      ...(problem ? { problem } : {}),
      ...(seen?.observedState !== undefined ? { finalState: seen.observedState } : {}),
      ...(seen?.observedImageId !== undefined ? { imageId: seen.observedImageId } : {}),
      ...(seen?.observedImageName !== undefined ? { imageName: seen.observedImageName } : {}),
      ...(snapshot ? { snapshotImageId: snapshot } : {}),
    };
  });
}

/** The step a card should show as current for an instance: running, else the first not done. */
export function currentStep(operation: Operation, instanceId: string): Step | undefined {
  const steps = operation.steps.filter((step) => step.instanceId === instanceId);
  return steps.find((step) => step.status === "running") ?? steps.find((step) => step.status !== "done");
}
