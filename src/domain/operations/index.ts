/** The operations engine: import from here. */
export type * from "./api.ts";
export { MAX_TARGETS, OPERATION_KINDS, OPERATION_NOTES, REQUEST_STATUSES, STEP_KINDS, STEP_STATUSES } from "./api.ts";
export { createOperationsEngine, type EngineOptions } from "./engine.ts";
export { currentStep, type InstanceOutcome, instanceOutcomes } from "./outcome.ts";
export { type PlannedStep, planSteps, snapshotName } from "./plan.ts";
