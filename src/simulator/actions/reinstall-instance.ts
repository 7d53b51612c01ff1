import { ApiError, RetCode } from "../retcodes.ts";
import { isPlatformImage } from "../state.ts";
import type { ActionDefinition } from "./action.ts";
import { ownedInstance } from "./owned-instance.ts";

/**
 * Reinstalls a Stopped instance of the caller with a platform, own or shared image, then holds
 * the per-instance operation lock for 10 minutes (vendor page: repeated operations answer
 * InstanceOperationInProgress). Failed attempts do not take the lock.
 */
export const reinstallCompShareInstance: ActionDefinition = {
  required: ["Region", "Zone", "UHostId", "CompShareImageId"],
  handle({ params, account, state }) {
    const uhostId = params.UHostId ?? "";
    const imageId = params.CompShareImageId ?? "";
    const instance = ownedInstance(state, account, uhostId, params.Zone);
    const lockedUntil = state.operationLockedUntil(uhostId);
    if (lockedUntil !== undefined) {
      const minutes = Math.ceil((lockedUntil - state.now()) / 60_000);
      throw new ApiError(
        RetCode.instanceOperationInProgress,
        `InstanceOperationInProgress: another operation on ${uhostId} is in progress; try again in ${minutes} minute${minutes === 1 ? "" : "s"}`,
      );
    }
    if (instance.State !== "Stopped") {
      throw new ApiError(
        RetCode.instanceStateInvalid,
        `instance ${uhostId} is ${instance.State === "" ? "in an unknown state" : instance.State}; it must be Stopped before it can be reinstalled`,
      );
    }
    const image = state.getImage(imageId);
    const visible =
      image !== undefined &&
      (isPlatformImage(image) ||
        image.Owner.AccountId === account.accountId ||
        state.isSharedWith(imageId, account.accountId));
    if (image === undefined || !visible) throw new ApiError(RetCode.imageNotFound, `image ${imageId} does not exist`);
    if (image.Status !== "Available") {
      throw new ApiError(RetCode.imageNotAvailable, `image ${imageId} is ${image.Status}, not Available`);
    }
    if (image.SupportedGpuTypes.length > 0 && !image.SupportedGpuTypes.includes(instance.GpuType)) {
      throw new ApiError(
        RetCode.imageNotSupportedOnGpu,
        `image ${imageId} does not support GPU type ${instance.GpuType} (supported: ${image.SupportedGpuTypes.join(", ")})`,
      );
    }
    state.reinstall(uhostId, imageId, account.accountId);
    return { UHostId: uhostId };
  },
};
