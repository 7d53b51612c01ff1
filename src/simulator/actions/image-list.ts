import type { FlatParams } from "../../compshare/params.ts";
import { page, readOptionalString, readPaging } from "../param-readers.ts";
import type { ImageRecord } from "../state.ts";
import { imageView } from "../views.ts";

/**
 * The part every Describe*Images action shares: the CompShareImageId filter, Offset/Limit paging
 * with TotalCount counting every match, and Readme only for a query by id.
 */
export function imageListAnswer(images: readonly ImageRecord[], params: FlatParams): Record<string, unknown> {
  const paging = readPaging(params);
  const imageId = readOptionalString(params, "CompShareImageId");
  const matching = imageId === undefined ? images : images.filter((image) => image.CompShareImageId === imageId);
  return {
    TotalCount: matching.length,
    ImageSet: page(matching, paging).map((image) => imageView(image, { withReadme: imageId !== undefined })),
  };
}
