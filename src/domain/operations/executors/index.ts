import type { StepKind } from "../api.ts";
import type { StepExecutor } from "./executor.ts";
import { powerExecutor } from "./power.ts";
import { reinstallExecutor } from "./reinstall.ts";
import { snapshotExecutor } from "./snapshot.ts";
import { waitForStateExecutor } from "./wait-for-state.ts";

export type { StepExecutor } from "./executor.ts";

export const EXECUTORS: Readonly<Record<StepKind, StepExecutor>> = {
  stop: powerExecutor("stop"),
  start: powerExecutor("start"),
  reboot: powerExecutor("reboot"),
  reinstall: reinstallExecutor,
  snapshot: snapshotExecutor,
  "wait-for-state": waitForStateExecutor,
};
