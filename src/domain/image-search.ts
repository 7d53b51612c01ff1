import type { CallOptions, CompShareClient, ImagePage } from "../compshare/client.ts";
import { type CompShareImage, MAX_PAGE_LIMIT } from "../compshare/schemas.ts";

export type ImageSource = "platform" | "custom" | "shared";

export interface FoundImage {
  image: CompShareImage;
  source: ImageSource;
}

/**
 * Finds an image by id in whichever of the three lists holds it, asking all three at once.
 * Querying by id also returns the Readme. The user's own copy wins over a shared one, and a
 * shared one over the platform's, should an id ever appear twice. If no list has it and one
 * of the calls failed, that failure is what the user needs to hear about.
 */
export async function findImage(
  client: CompShareClient,
  imageId: string,
  options?: CallOptions,
): Promise<FoundImage | undefined> {
  const query = { CompShareImageId: imageId, Limit: 1 };
  const results = await Promise.allSettled([
    client.describeCustomImages(query, options),
    client.describeSharingImages(query, options),
    client.describeImages(query, options),
  ]);
  const sources: ImageSource[] = ["custom", "shared", "platform"];
  let firstError: unknown;
  for (const [i, result] of results.entries()) {
    if (result.status === "rejected") {
      firstError ??= result.reason;
      continue;
    }
    const image = result.value.ImageSet.find((candidate) => candidate.CompShareImageId === imageId);
    if (image) return { image, source: sources[i] as ImageSource };
  }
  if (firstError !== undefined) throw firstError;
  return undefined;
}

/**
 * Every image of one list, up to `maxImages`: the first page says how many there are, the rest
 * are asked for in parallel. `truncated` says the list holds more than was kept. The lists have
 * no name filter for own and shared images, so the pickers search what this returns.
 */
export async function listAllImages(
  fetchPage: (page: { Offset: number; Limit: number }) => Promise<ImagePage>,
  maxImages: number,
): Promise<{ images: CompShareImage[]; truncated: boolean }> {
  const first = await fetchPage({ Offset: 0, Limit: MAX_PAGE_LIMIT });
  const total = Math.min(first.TotalCount, maxImages);
  const offsets: number[] = [];
  for (let offset = first.ImageSet.length; offset < total && first.ImageSet.length > 0; offset += MAX_PAGE_LIMIT) {
    offsets.push(offset);
  }
  const rest = await Promise.all(offsets.map((Offset) => fetchPage({ Offset, Limit: MAX_PAGE_LIMIT })));
  const images = [first, ...rest].flatMap((page) => page.ImageSet);
  return { images: images.slice(0, maxImages), truncated: first.TotalCount > maxImages || images.length > maxImages };
}
