import type { StepAction } from "../api.ts";
import { judgeMutation } from "../evidence.ts";
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
  return pollUntil(ctx, async () => judgeMutation(ctx.step.action, await describeOne(ctx)), noEvidence);
}
