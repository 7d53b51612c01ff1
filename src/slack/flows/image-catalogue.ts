import type { CompShareClient } from "../../compshare/client.ts";
import { type CompShareImage, MAX_PAGE_LIMIT } from "../../compshare/schemas.ts";
import { hasControlCharacters } from "../../domain/free-text.ts";
import { type ImageSource, listAllImages } from "../../domain/image-search.ts";
import { LoadingCache } from "../../loading-cache.ts";
import { type Messages, wordFor } from "../i18n/messages.ts";
import { LIMITS, type OptionObject, option } from "../views/blocks.ts";
import { listTitle } from "../views/image-list.ts";
import { truncate } from "../views/text.ts";

/**
 * The image picker's type-ahead (block_suggestion): platform, own and shared images in one
 * external select. Slack waits 3 s for options, so answers come from a short-lived per-user
 * cache of all three lists; a cold cache gets what arrives in time and fills up for the next
 * keystroke.
 */

export interface PickerImage {
  id: string;
  name: string;
  type: string | undefined;
  status: string | undefined;
  source: ImageSource;
  tags: readonly string[];
}

export interface ImageCatalogue {
  /** The user's cached images, without asking CompShare. */
  peek(teamId: string, userId: string): readonly PickerImage[] | undefined;
  /** The user's images, from the cache or (shared by concurrent callers) freshly listed. */
  load(teamId: string, userId: string, client: CompShareClient): Promise<readonly PickerImage[]>;
  /**
   * Platform images whose name holds `typed`, asked of CompShare's Name filter: only when the
   * user's cached platform list was cut at its cap, so typing can reach images past it.
   */
  searchBeyondCap(
    teamId: string,
    userId: string,
    typed: string,
    client: () => Promise<CompShareClient>,
  ): Promise<PickerImage[]>;
  /** Users and images held, for tests and the benchmark. */
  readonly stats: { entries: number; weight: number };
}

interface PickerListing {
  images: readonly PickerImage[];
  /** The platform list has more images than were kept. */
  platformTruncated: boolean;
}

const SOURCES: readonly ImageSource[] = ["custom", "shared", "platform"];
/** Beyond this many per list, a person narrows by typing: by CompShare's Name filter for platform images. */
const MAX_IMAGES_PER_LIST = 1000;
/**
 * Images held for all users together. `npm run bench -- picker-cache` measures about 21 MB of
 * heap at this bound, however many users type at once (500 users × 3,000 images unbounded:
 * 375 MB, beyond the image's 160 MB heap); a user pushed out lists again on their next keystroke.
 */
const MAX_CACHED_IMAGES = 100_000;
/** Name-filter answers, per user and text: a burst of keystrokes often repeats a prefix. */
const SEARCH_TTL_MS = 30_000;
const MAX_SEARCHES = 1000;

export function createImageCatalogue(options: {
  clock: () => number;
  ttlMs?: number;
  maxUsers?: number;
  /** Images held across all users; the least recently used user's list goes first. */
  maxImages?: number;
}): ImageCatalogue {
  const cache = new LoadingCache<PickerListing>({
    clock: options.clock,
    ttlMs: options.ttlMs ?? 120_000,
    maxEntries: options.maxUsers ?? 500,
    maxWeight: options.maxImages ?? MAX_CACHED_IMAGES,
    weigh: (listing) => listing.images.length,
  });
  const searches = new LoadingCache<PickerImage[]>({
    clock: options.clock,
    ttlMs: SEARCH_TTL_MS,
    maxEntries: MAX_SEARCHES,
    maxWeight: MAX_SEARCHES * 10,
    weigh: (images) => Math.max(images.length, 1),
  });
  const keyOf = (teamId: string, userId: string) => `${teamId}/${userId}`;
  return {
    peek: (teamId, userId) => cache.peek(keyOf(teamId, userId))?.images,
    load: async (teamId, userId, client) =>
      (await cache.get(keyOf(teamId, userId), () => listPickerImages(client))).images,
    async searchBeyondCap(teamId, userId, typed, client) {
      const name = typed.trim();
      // Text with control characters matches no image name and is not worth a call (the shared free-text rule).
      if (name === "" || hasControlCharacters(name)) return [];
      if (cache.peek(keyOf(teamId, userId))?.platformTruncated !== true) return [];
      return searches.get(`${keyOf(teamId, userId)}\n${name.toLowerCase()}`, async () => {
        const page = await (await client()).describeImages({ Name: name, Limit: MAX_PAGE_LIMIT });
        return page.ImageSet.map((image) => pickerImage(image, "platform")).filter(offerable);
      });
    },
    get stats() {
      return cache.stats;
    },
  };
}

/** All three lists, every page (up to the cap); any list failing fails the whole, so a partial list is never cached. */
async function listPickerImages(client: CompShareClient): Promise<PickerListing> {
  const [custom, shared, platform] = await Promise.all([
    listAllImages((page) => client.describeCustomImages(page), MAX_IMAGES_PER_LIST),
    listAllImages((page) => client.describeSharingImages(page), MAX_IMAGES_PER_LIST),
    listAllImages((page) => client.describeImages(page), MAX_IMAGES_PER_LIST),
  ]);
  const images = [custom, shared, platform].flatMap((list, i) =>
    list.images.map((image) => pickerImage(image, SOURCES[i] as ImageSource)).filter(offerable),
  );
  return { images, platformTruncated: platform.truncated };
}

function pickerImage(image: CompShareImage, source: ImageSource): PickerImage {
  return {
    id: image.CompShareImageId,
    name: image.Name ?? image.CompShareImageId,
    type: image.ImageType,
    status: image.Status,
    source,
    tags: image.Tags ?? [],
  };
}

/** Only an available image can be installed; an image without a status is given the benefit of the doubt. */
function usable(image: PickerImage): boolean {
  return image.status === undefined || image.status === "Available";
}

/** What could ever be an option: usable, and with an id that fits an option value. */
function offerable(image: PickerImage): boolean {
  return usable(image) && image.id.length <= LIMITS.optionValue;
}

function matches(image: PickerImage, query: string): boolean {
  if (query === "") return true;
  return [image.name, image.id, ...image.tags].some((text) => text.toLowerCase().includes(query));
}

export interface OptionGroup {
  label: { type: "plain_text"; text: string };
  options: OptionObject[];
}

/** The answer to one keystroke: groups by source (own, shared, platform), at most `max` options in all. */
export function pickerOptions(
  m: Messages,
  images: readonly PickerImage[],
  typed: string,
  max: number = LIMITS.staticSelectOptions,
): OptionGroup[] {
  const query = typed.trim().toLowerCase();
  let room = max;
  const groups: OptionGroup[] = [];
  for (const source of SOURCES) {
    if (room <= 0) break;
    const found = images
      .filter((image) => image.source === source && offerable(image))
      .filter((image) => matches(image, query))
      .slice(0, room);
    if (found.length === 0) continue;
    room -= found.length;
    groups.push({
      label: { type: "plain_text", text: truncate(listTitle(m, source), LIMITS.optionText) },
      options: found.map((image) => option(optionText(m, image), image.id)),
    });
  }
  return groups;
}

function optionText(m: Messages, image: PickerImage): string {
  const type = image.type ? (wordFor(m.imageTypes, image.type) ?? image.type) : "";
  const suffix = type ? ` · ${type}` : "";
  return `${truncate(image.name, LIMITS.optionText - suffix.length)}${suffix}`;
}
