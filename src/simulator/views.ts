import { copyOf, type ImageRecord, type InstanceRecord, isPlatformImage } from "./state.ts";

/**
 * The fields of the SDKs' CompShareImage model, in the Go struct's order, but ImageCharge,
 * which is derived from the price. Anything else the record holds (SupportedGpuTypes) is the
 * simulator's own and not answered.
 */
const IMAGE_MODEL_FIELDS = [
  "AuthInfo",
  "Author",
  "AutoStart",
  "CompShareImageId",
  "Container",
  "Cover",
  "CreateTime",
  "CreatedCount",
  "Description",
  "FailedReason",
  "FavoritesCount",
  "GroupId",
  "ImageOwnerAlias",
  "ImageType",
  "ImageUseTime",
  "IsOfficial",
  "Name",
  "Owner",
  "Price",
  "PubTime",
  "Readme",
  "Size",
  "Softwares",
  "SourceGpuType",
  "Status",
  "Tags",
  "VersionDesc",
  "VersionName",
  "Visibility",
] as const satisfies readonly (keyof ImageRecord)[];

/**
 * The wire shape of one image: the model's fields, Readme only when the caller asked by id,
 * IsOfficial only for custom images (the Go model: "仅自制镜像信息返回该字段").
 */
export function imageView(image: Readonly<ImageRecord>, options: { withReadme: boolean }): Record<string, unknown> {
  const platform = isPlatformImage(image);
  // Built field by field, never deleted from: an object that loses keys turns into a slow
  // dictionary, and JSON.stringify of the page was the larger part of a Describe*Images call.
  const view: Record<string, unknown> = {};
  for (const field of IMAGE_MODEL_FIELDS) {
    const value = image[field];
    if (value === undefined) continue;
    if (field === "Readme" && !options.withReadme) continue;
    if (field === "IsOfficial" && platform) continue;
    // The record's own arrays and objects stay in the model: the answer gets copies.
    view[field] = typeof value === "object" ? copyOf(value) : value;
  }
  // "是否镜像收费": a guess that it follows the price of a public image.
  view.ImageCharge = image.Visibility === 1 && (image.Price ?? 0) > 0;
  return view;
}

export function instanceView(instance: InstanceRecord): Record<string, unknown> {
  return { ...instance };
}
