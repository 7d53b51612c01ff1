import { judgeMutation } from "../evidence.ts";
import { describeOne, noEvidence, pollUntil, type StepContext, sendOnce, type Verdict } from "../step-context.ts";
import type { StepExecutor } from "./executor.ts";

type PowerKind = "stop" | "start" | "reboot";

/** StopCompShareInstance, StartCompShareInstance, RebootCompShareInstance: sent once, done when accepted. */
export function powerExecutor(kind: PowerKind): StepExecutor {
  const reconcile = (ctx: StepContext): Promise<Verdict> =>
    pollUntil(ctx, async () => judgeMutation({ kind }, await describeOne(ctx)), noEvidence);
  return {
    async run(ctx) {
      const request = { ...ctx.location, UHostId: ctx.step.instanceId };
      const send = () =>
        kind === "stop"
          ? ctx.client.stopInstance(request)
          : kind === "start"
            ? ctx.client.startInstance(request)
            : ctx.client.rebootInstance(request);
      const outcome = await sendOnce(ctx, send, () => reconcile(ctx));
      if (outcome.kind === "settled") return outcome.verdict;
      return { status: "done", result: outcome.answer.requestId ? { apiRequestId: outcome.answer.requestId } : {} };
    },
    reconcile,
  };
}
