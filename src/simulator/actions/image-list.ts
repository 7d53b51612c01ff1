import type { FlatParams } from "../../compshare/params.ts";
import { readOptionalString, readPaging } from "../param-readers.ts";
import type { ImageRecord, ImageScope, SimulatorState } from "../state.ts";
import { imageView } from "../views.ts";

/**
 * The part every Describe*Images action shares: the CompShareImageId filter, Offset/Limit paging
 * with TotalCount counting every match, and Readme only for a query by id. Only the returned
 * page is turned into its answer, so a call costs the same on a catalogue of 100 images or 10,000.
 */
export function imageListAnswer(
  state: SimulatorState,
  scope: ImageScope,
  params: FlatParams,
  keep?: (image: Readonly<ImageRecord>) => boolean,
): Record<string, unknown> {
  const paging = readPaging(params);
  const imageId = readOptionalString(params, "CompShareImageId");
  const withReadme = imageId !== undefined;
  const { total, images } = state.pageOfImageViews(
    scope,
    { ...paging, ...(imageId === undefined ? {} : { imageId }), ...(keep === undefined ? {} : { keep }) },
    (image) => imageView(image, { withReadme }),
  );
  return { TotalCount: total, ImageSet: images };
}
