import type { CompShareClient } from "../../compshare/client.ts";
import type { CompShareImage } from "../../compshare/schemas.ts";
import { MAX_PAGE_LIMIT } from "../../compshare/schemas.ts";

/**
 * The image picker's memory of each user's own images. Slack asks for options on every key
 * stroke and gives 3 s to answer; one CompShare listing per user per minute serves a whole
 * search, and concurrent key strokes share the listing in flight.
 */
export class ImageChoiceCache {
  readonly #clock: () => number;
  readonly #ttlMs: number;
  readonly #maxUsers: number;
  readonly #entries = new Map<string, { publicKey: string; at: number; images: Promise<CompShareImage[]> }>();

  constructor(options: { clock: () => number; ttlMs: number; maxUsers: number }) {
    this.#clock = options.clock;
    this.#ttlMs = options.ttlMs;
    this.#maxUsers = options.maxUsers;
  }

  /** The user's images, from memory when fresh and listed under the same keys, else from `load`. */
  get(user: { teamId: string; userId: string; publicKey: string }, load: () => Promise<CompShareImage[]>) {
    const key = `${user.teamId}/${user.userId}`;
    const now = this.#clock();
    const entry = this.#entries.get(key);
    if (entry && entry.publicKey === user.publicKey && now - entry.at < this.#ttlMs) return entry.images;
    const images = load();
    this.#entries.delete(key);
    this.#entries.set(key, { publicKey: user.publicKey, at: now, images });
    // A failed listing is not remembered: the next key stroke tries again.
    images.catch(() => {
      if (this.#entries.get(key)?.images === images) this.#entries.delete(key);
    });
    for (const oldest of this.#entries.keys()) {
      if (this.#entries.size <= this.#maxUsers) break;
      this.#entries.delete(oldest);
    }
    return images;
  }

  /** After the user changed an image, so the picker shows the new name. */
  forget(teamId: string, userId: string): void {
    this.#entries.delete(`${teamId}/${userId}`);
  }
}

/**
 * Every image of the account, page after page in parallel, up to `maxImages`, all within one
 * deadline (the picker must answer inside Slack's window).
 */
export async function listOwnImages(
  client: CompShareClient,
  options: { deadlineMs: number; maxImages: number },
): Promise<CompShareImage[]> {
  const signal = AbortSignal.timeout(options.deadlineMs);
  const call = { signal, deadlineMs: options.deadlineMs };
  const first = await client.describeCustomImages({ Offset: 0, Limit: MAX_PAGE_LIMIT }, call);
  const total = Math.min(first.TotalCount, options.maxImages);
  const offsets: number[] = [];
  for (let offset = MAX_PAGE_LIMIT; offset < total; offset += MAX_PAGE_LIMIT) offsets.push(offset);
  const rest = await Promise.all(
    offsets.map((offset) => client.describeCustomImages({ Offset: offset, Limit: MAX_PAGE_LIMIT }, call)),
  );
  return [first, ...rest].flatMap((page) => page.ImageSet).slice(0, options.maxImages);
}
