import type { CompShareClient } from "../../compshare/client.ts";
import type { CompShareImage } from "../../compshare/schemas.ts";
import { listAllImages } from "../../domain/image-search.ts";
import { LoadingCache } from "../../loading-cache.ts";

/**
 * The image picker's memory of each user's own images. Slack asks for options on every key
 * stroke and gives 3 s to answer; one CompShare listing per user per minute serves a whole
 * search, and concurrent key strokes share the listing in flight.
 */
/** The records' JSON length summed over all users: about twice that in heap, so some 24 MB at most. */
const MAX_JSON_CHARS = 12_000_000;

export class ImageChoiceCache {
  readonly #cache: LoadingCache<{ publicKey: string; images: CompShareImage[] }>;

  constructor(options: { clock: () => number; ttlMs: number; maxUsers: number; maxJsonChars?: number }) {
    this.#cache = new LoadingCache({
      clock: options.clock,
      ttlMs: options.ttlMs,
      maxEntries: options.maxUsers,
      maxWeight: options.maxJsonChars ?? MAX_JSON_CHARS,
      // Full records, descriptions included, so their size varies far more than their count.
      weigh: (entry) => JSON.stringify(entry.images).length,
    });
  }

  /** The user's images, from memory when fresh and listed under the same keys, else from `load`. */
  async get(
    user: { teamId: string; userId: string; publicKey: string },
    load: () => Promise<CompShareImage[]>,
  ): Promise<CompShareImage[]> {
    const key = `${user.teamId}/${user.userId}`;
    // Keys replaced since the listing: that listing was another account's.
    if (this.#cache.peek(key)?.publicKey !== user.publicKey) this.#cache.forget(key);
    const entry = await this.#cache.get(key, async () => ({ publicKey: user.publicKey, images: await load() }));
    return entry.images;
  }

  /** After the user changed an image, so the picker shows the new name. */
  forget(teamId: string, userId: string): void {
    this.#cache.forget(`${teamId}/${userId}`);
  }
}

/** Every image of the account, up to `maxImages`, all within one deadline (the picker must answer inside Slack's window). */
export async function listOwnImages(
  client: CompShareClient,
  options: { deadlineMs: number; maxImages: number },
): Promise<CompShareImage[]> {
  const call = { signal: AbortSignal.timeout(options.deadlineMs), deadlineMs: options.deadlineMs };
  const listed = await listAllImages((page) => client.describeCustomImages(page, call), options.maxImages);
  return listed.images;
}
