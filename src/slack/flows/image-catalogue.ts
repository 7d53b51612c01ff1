import type { CompShareClient } from "../../compshare/client.ts";
import { type ImageSource, listAllImages } from "../../domain/image-search.ts";
import { LoadingCache } from "../../loading-cache.ts";
import type { Messages } from "../i18n/messages.ts";
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
}

const SOURCES: readonly ImageSource[] = ["custom", "shared", "platform"];
/** Beyond this many per list, a person narrows by typing; the API has no name filter for own and shared images. */
const MAX_IMAGES_PER_LIST = 1000;

export function createImageCatalogue(options: {
  clock: () => number;
  ttlMs?: number;
  maxUsers?: number;
}): ImageCatalogue {
  const cache = new LoadingCache<readonly PickerImage[]>({
    clock: options.clock,
    ttlMs: options.ttlMs ?? 120_000,
    maxEntries: options.maxUsers ?? 500,
  });
  const keyOf = (teamId: string, userId: string) => `${teamId}/${userId}`;
  return {
    peek: (teamId, userId) => cache.peek(keyOf(teamId, userId)),
    load: (teamId, userId, client) => cache.get(keyOf(teamId, userId), () => listPickerImages(client)),
  };
}

/** All three lists, every page (up to the cap); any list failing fails the whole, so a partial list is never cached. */
async function listPickerImages(client: CompShareClient): Promise<PickerImage[]> {
  const lists = await Promise.all([
    listAllImages((page) => client.describeCustomImages(page), MAX_IMAGES_PER_LIST),
    listAllImages((page) => client.describeSharingImages(page), MAX_IMAGES_PER_LIST),
    listAllImages((page) => client.describeImages(page), MAX_IMAGES_PER_LIST),
  ]);
  return lists.flatMap((images, i) =>
    images.map((image) => ({
      id: image.CompShareImageId,
      name: image.Name ?? image.CompShareImageId,
      type: image.ImageType,
      status: image.Status,
      source: SOURCES[i] as ImageSource,
      tags: image.Tags ?? [],
    })),
  );
}

/** Only an available image can be installed; an image without a status is given the benefit of the doubt. */
function usable(image: PickerImage): boolean {
  return image.status === undefined || image.status === "Available";
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
      .filter((image) => image.source === source && usable(image) && image.id.length <= LIMITS.optionValue)
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
  const type = image.type ? (m.imageTypes[image.type] ?? image.type) : "";
  const suffix = type ? ` · ${type}` : "";
  return `${truncate(image.name, LIMITS.optionText - suffix.length)}${suffix}`;
}
