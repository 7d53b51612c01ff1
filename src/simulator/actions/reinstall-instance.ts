import { ApiError, RetCode } from "../retcodes.ts";
import { isPlatformImage } from "../state.ts";
import type { ActionDefinition } from "./action.ts";
import { ownedInstance, refuseWhileLocked } from "./owned-instance.ts";

/**
 * Reinstalls a Stopped instance of the caller with a platform, own or shared image: Initializing
 * while it runs, holding the operation lock, then Stopped. Refused attempts take no lock.
 */
export const reinstallCompShareInstance: ActionDefinition = {
  required: ["Region", "Zone", "UHostId", "CompShareImageId"],
  handle({ params, account, state, endsInInstallFail }) {
    const uhostId = params.UHostId ?? "";
    const imageId = params.CompShareImageId ?? "";
    const instance = ownedInstance(state, account, uhostId, params.Zone);
    refuseWhileLocked(state, uhostId);
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
    state.reinstall(uhostId, imageId, account.accountId, { fails: endsInInstallFail });
    return { UHostId: uhostId };
  },
};
