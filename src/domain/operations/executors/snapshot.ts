import { CompShareApiError } from "../../../compshare/errors.ts";
import type { StepAction } from "../api.ts";
import { noEvidence, pollUntil, type StepContext, sendOnce, type Verdict } from "../step-context.ts";
import type { StepExecutor } from "./executor.ts";

type SnapshotAction = Extract<StepAction, { kind: "snapshot" }>;

const MAX_IMAGE_PAGES = 20;
const PAGE = 100;

/**
 * CreateCompShareCustomImage from the instance, sent once, then GetCompShareImageCreateProgress
 * until 100 %. The new image's id is recorded as soon as it is known, so a restart goes back to
 * watching the progress; a lost answer is settled by finding the image by its (unique) name.
 */
export const snapshotExecutor: StepExecutor = {
  async run(ctx) {
    const known = ctx.step.result?.createdImageId;
    if (known) return progress(ctx, known);
    const action = ctx.step.action as SnapshotAction;
    const outcome = await sendOnce(
      ctx,
      () => ctx.client.createCustomImage({ ...ctx.location, UHostId: ctx.step.instanceId, Name: action.imageName }),
      () => reconcile(ctx),
    );
    if (outcome.kind === "settled") return outcome.verdict;
    const imageId = outcome.answer.CompShareImageId;
    await ctx.observe({
      createdImageId: imageId,
      ...(outcome.answer.requestId ? { apiRequestId: outcome.answer.requestId } : {}),
    });
    return progress(ctx, imageId);
  },
  async reconcile(ctx) {
    const known = ctx.step.result?.createdImageId;
    return known ? progress(ctx, known) : reconcile(ctx);
  },
};

async function reconcile(ctx: StepContext): Promise<Verdict> {
  let found: string | undefined;
  const verdict = await pollUntil(
    ctx,
    async () => {
      found = await findByName(ctx, (ctx.step.action as SnapshotAction).imageName);
      return found ? { settled: "done", result: { createdImageId: found, reconciled: true } } : { settled: false };
    },
    noEvidence,
  );
  if (!found) return verdict;
  await ctx.observe({ createdImageId: found, reconciled: true });
  return progress(ctx, found);
}

async function findByName(ctx: StepContext, name: string): Promise<string | undefined> {
  for (let page = 0; page < MAX_IMAGE_PAGES; page += 1) {
    const answer = await ctx.client.describeCustomImages({ ...ctx.location, Offset: page * PAGE, Limit: PAGE });
    const image = answer.ImageSet.find((candidate) => candidate.Name === name);
    if (image) return image.CompShareImageId;
    if ((page + 1) * PAGE >= answer.TotalCount) return undefined;
  }
  return undefined;
}

function progress(ctx: StepContext, imageId: string): Promise<Verdict> {
  return pollUntil(
    ctx,
    async () => {
      try {
        const answer = await ctx.client.getImageCreateProgress({ ...ctx.location, CompShareImageId: imageId });
        return answer.Process >= 100
          ? { settled: "done", result: { createdImageId: imageId } }
          : {
              settled: false,
              lastState: `${Math.floor(answer.Process)}%`,
              seen: { createdImageId: imageId, progress: answer.Process },
            };
      } catch (error) {
        // CompShare answered about the image itself: it is gone or its creation failed.
        if (error instanceof CompShareApiError) {
          return { settled: "failed", result: { createdImageId: imageId, problem: { code: "image_failed" } } };
        }
        throw error;
      }
    },
    (lastState) => ({
      status: "failed",
      result: {
        createdImageId: imageId,
        problem: { code: "timed_out", wanted: "100%", ...(lastState ? { lastState } : {}) },
      },
    }),
  );
}
