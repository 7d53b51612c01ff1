import { ApiError, RetCode } from "../retcodes.ts";
import type { ActionDefinition } from "./action.ts";

/**
 * How far the creation of one of the caller's images has got: `Process` 0 to 100, and the
 * estimated durations in seconds as strings (the SDKs' models type them so).
 */
export const getCompShareImageCreateProgress: ActionDefinition = {
  required: ["Region", "Zone", "CompShareImageId"],
  handle({ params, account, state }) {
    const imageId = params.CompShareImageId ?? "";
    const image = state.getImage(imageId);
    if (image === undefined || image.Owner.AccountId !== account.accountId) {
      throw new ApiError(RetCode.imageNotFound, `image ${imageId} does not exist`);
    }
    const progress = state.imageCreateProgress(imageId);
    return {
      Process: progress.process,
      RemainingDuration: String(Math.ceil(progress.remainingMs / 1000)),
      TotalDuration: String(Math.ceil(progress.totalMs / 1000)),
    };
  },
};
