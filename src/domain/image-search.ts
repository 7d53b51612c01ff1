import type { CallOptions, CompShareClient } from "../compshare/client.ts";
import type { CompShareImage } from "../compshare/schemas.ts";

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
