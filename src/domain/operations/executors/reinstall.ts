import type { StepAction } from "../api.ts";
import { judgeMutation, TRANSITIONAL_STATES } from "../evidence.ts";
import { describeOne, noEvidence, pollUntil, type StepContext, sendOnce, type Verdict } from "../step-context.ts";
import type { StepExecutor } from "./executor.ts";

type ReinstallAction = Extract<StepAction, { kind: "reinstall" }>;

/**
 * ReinstallCompShareInstance, sent once; done when accepted. A lost answer is settled by the
 * instance showing the requested image and a settled state.
 */
export const reinstallExecutor: StepExecutor = {
  async run(ctx) {
    const action = ctx.step.action as ReinstallAction;
    const outcome = await sendOnce(
      ctx,
      () =>
        ctx.client.reinstallInstance({
          ...ctx.location,
          UHostId: ctx.step.instanceId,
          CompShareImageId: action.imageId,
        }),
      () => reconcile(ctx),
    );
    if (outcome.kind === "settled") return outcome.verdict;
    return { status: "done", result: outcome.answer.requestId ? { apiRequestId: outcome.answer.requestId } : {} };
  },
  reconcile: (ctx) => reconcile(ctx),
};

function reconcile(ctx: StepContext): Promise<Verdict> {
  const imageBefore = ctx.operation.targets.find((t) => t.instanceId === ctx.step.instanceId)?.imageBeforeId;
  // A transitional state recorded by an earlier look (before a restart, or a first Check again) counts too.
  let sawTransition = TRANSITIONAL_STATES.has(ctx.step.result?.observedState ?? "Stopped");
  return pollUntil(
    ctx,
    async () => {
      const instance = await describeOne(ctx);
      if (instance && TRANSITIONAL_STATES.has(instance.State ?? "")) sawTransition = true;
      return judgeMutation(ctx.step.action, instance, { imageBefore, sawTransition });
    },
    noEvidence,
  );
}
