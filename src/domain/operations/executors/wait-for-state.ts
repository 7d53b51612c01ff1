import type { StepAction } from "../api.ts";
import { judgeWait } from "../evidence.ts";
import { describeOne, pollUntil, type StepContext, type Verdict } from "../step-context.ts";
import type { StepExecutor } from "./executor.ts";

type WaitAction = Extract<StepAction, { kind: "wait-for-state" }>;

/** Polls DescribeCompShareInstance until the instance is in the wanted state; past the deadline the plan fails. */
function waitForState(ctx: StepContext): Promise<Verdict> {
  const action = ctx.step.action as WaitAction;
  return pollUntil(
    ctx,
    async () => judgeWait(action, await describeOne(ctx)),
    (lastState) => ({
      status: "failed",
      result: {
        problem: { code: "timed_out", wanted: action.state, ...(lastState !== undefined ? { lastState } : {}) },
        ...(lastState !== undefined ? { observedState: lastState } : {}),
      },
    }),
  );
}

/** Reading is all it does, so picking it up again after a restart is the same as running it. */
export const waitForStateExecutor: StepExecutor = { run: waitForState, reconcile: waitForState };
