import type { FlatParams } from "../../compshare/params.ts";
import { coverUrl, readCover } from "../cover.ts";
import { readBoolean, readIndexedList, readOptionalString, readPrice, readVisibility } from "../param-readers.ts";
import { ApiError, invalidParam, RetCode } from "../retcodes.ts";
import { type ImagePatch, isPlatformImage } from "../state.ts";
import type { ActionDefinition } from "./action.ts";

export const MAX_TAGS = 3;

/** Changes the given fields of one of the caller's own custom images; the rest stay as they are. */
export const updateCompShareImage: ActionDefinition = {
  required: ["Region", "Zone", "CompShareImageId"],
  handle({ params, account, state }) {
    const imageId = params.CompShareImageId ?? "";
    const { patch, coverFormat } = readImagePatch(params);
    const image = state.getImage(imageId);
    if (image === undefined) throw new ApiError(RetCode.imageNotFound, `image ${imageId} does not exist`);
    if (isPlatformImage(image)) {
      throw new ApiError(
        RetCode.imageNotOwned,
        `image ${imageId} is a platform image; only your own custom images can be updated`,
      );
    }
    if (image.Owner.AccountId !== account.accountId) {
      throw new ApiError(
        RetCode.imageNotOwned,
        `image ${imageId} belongs to another account; only your own custom images can be updated`,
      );
    }
    if (image.Status === "Making") {
      throw new ApiError(
        RetCode.imageTaskExists,
        `image is being made: ${imageId} can be updated once it is Available`,
      );
    }
    if (patch.Visibility === 1 && patch.Price === undefined && image.Price === undefined) {
      throw new ApiError(
        RetCode.invalidParam,
        "Missing params [Price]: a public image (Visibility=1) needs a Price, 0 for free",
      );
    }
    if (coverFormat !== undefined) patch.Cover = coverUrl(imageId, coverFormat);
    state.updateImage(imageId, patch);
    return {};
  },
};

/** Every value is checked before anything is looked up, as the gateway does. */
function readImagePatch(params: FlatParams): {
  patch: ImagePatch;
  coverFormat: ReturnType<typeof readCover> | undefined;
} {
  const name = params.Name;
  if (name !== undefined && name.trim() === "") throw invalidParam("Name", "must not be empty");
  const tags = readIndexedList(params, "Tags");
  if (tags !== undefined && tags.length > MAX_TAGS) throw invalidParam("Tags", `at most ${MAX_TAGS} tags`);
  const cover = readOptionalString(params, "Cover");
  const patch: ImagePatch = {
    Name: name,
    Description: params.Description,
    Visibility: readVisibility(params),
    Price: readPrice(params),
    Readme: params.Readme,
    Tags: tags,
    GroupId: readOptionalString(params, "GroupId"),
    VersionName: readOptionalString(params, "VersionName"),
    VersionDesc: params.VersionDesc,
    SupportedGpuTypes: readIndexedList(params, "SupportedGpuTypes"),
    AutoStart: readBoolean(params, "AutoStart"),
  };
  return { patch, coverFormat: cover === undefined ? undefined : readCover(cover) };
}
