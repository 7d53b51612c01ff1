import { readIndexedList, readOptionalString } from "../param-readers.ts";
import { ApiError, invalidParam, RetCode } from "../retcodes.ts";
import type { Softwares } from "../state.ts";
import type { ActionDefinition } from "./action.ts";
import { ownedInstance, refuseWhileLocked } from "./owned-instance.ts";

/**
 * Makes a custom image of one of the caller's instances, Running or Stopped (a guess: the SDKs do
 * not say, and the console offers it for both). The image is Making, the instance's operation lock
 * is held, and GetCompShareImageCreateProgress moves from 0 to 100 until the image is Available.
 */
export const createCompShareCustomImage: ActionDefinition = {
  required: ["Region", "Zone", "UHostId", "Name"],
  handle({ params, account, state }) {
    const uhostId = params.UHostId ?? "";
    const name = (params.Name ?? "").trim();
    if (name === "") throw invalidParam("Name", "must not be empty");
    const instance = ownedInstance(state, account, uhostId, params.Zone);
    refuseWhileLocked(state, uhostId);
    if (instance.State !== "Running" && instance.State !== "Stopped") {
      throw new ApiError(
        RetCode.instanceStateInvalid,
        `instance ${uhostId} is ${instance.State === "" ? "in an unknown state" : instance.State}; it must be Running or Stopped to make an image of it`,
      );
    }
    // The SDKs: "不允许与账号下其他镜像名称重复", no two of the account's images share a name.
    if (state.listCustomImages(account.accountId).some((image) => image.Name === name)) {
      throw new ApiError(RetCode.imageNameTaken, `an image named ${name} already exists in this account`);
    }
    const image = state.createCustomImage(uhostId, account.accountId, {
      Name: name,
      Description: params.Description ?? "",
      Softwares: readSoftwares(params),
    });
    return { CompShareImageId: image.CompShareImageId };
  },
};

/** `Softwares.Application.N` (singular on the request, as the SDKs spell it), `Softwares.CUDAVersion`, … */
function readSoftwares(params: Record<string, string>): Softwares | undefined {
  const applications = readIndexedList(params, "Softwares.Application");
  const cuda = readOptionalString(params, "Softwares.CUDAVersion");
  const framework = readOptionalString(params, "Softwares.Framework");
  const frameworkVersion = readOptionalString(params, "Softwares.FrameworkVersion");
  if ([applications, cuda, framework, frameworkVersion].every((value) => value === undefined)) return undefined;
  return {
    CUDAVersion: cuda ?? "",
    Framework: framework ?? "",
    FrameworkVersion: frameworkVersion ?? "",
    Applications: applications ?? [],
  };
}
