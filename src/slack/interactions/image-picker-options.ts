import type { AllMiddlewareArgs, SlackOptionsMiddlewareArgs } from "@slack/bolt";
import type { CompShareClient } from "../../compshare/client.ts";
import { accountFor } from "../../domain/accounts.ts";
import { type ImageSource, listAllImages } from "../../domain/image-search.ts";
import { LoadingCache } from "../../loading-cache.ts";
import type { Messages } from "../i18n/messages.ts";
import type { BotServices } from "../services.ts";
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
  /** Users and images held, for tests and the benchmark. */
  readonly stats: { entries: number; weight: number };
}

const SOURCES: readonly ImageSource[] = ["custom", "shared", "platform"];
/** Beyond this many per list, a person narrows by typing; the API has no name filter for own and shared images. */
const MAX_IMAGES_PER_LIST = 1000;
/**
 * Images held for all users together. `npm run bench` (picker cache) measures about 25 MB of heap
 * at this bound, however many users type at once (500 users × 3,000 images unbounded: 375 MB,
 * beyond the image's 160 MB heap); a user pushed out lists again on their next keystroke.
 */
const MAX_CACHED_IMAGES = 100_000;
/** Leaves Slack's 3-second window room for the answer to travel. */
const OPTIONS_BUDGET_MS = 2200;

export function createImageCatalogue(options: {
  clock: () => number;
  ttlMs?: number;
  maxUsers?: number;
  /** Images held across all users; the least recently used user's list goes first. */
  maxImages?: number;
}): ImageCatalogue {
  const cache = new LoadingCache<readonly PickerImage[]>({
    clock: options.clock,
    ttlMs: options.ttlMs ?? 120_000,
    maxEntries: options.maxUsers ?? 500,
    maxWeight: options.maxImages ?? MAX_CACHED_IMAGES,
    weigh: (images) => images.length,
  });
  const keyOf = (teamId: string, userId: string) => `${teamId}/${userId}`;
  return {
    peek: (teamId, userId) => cache.peek(keyOf(teamId, userId)),
    load: (teamId, userId, client) => cache.get(keyOf(teamId, userId), () => listPickerImages(client)),
    get stats() {
      return cache.stats;
    },
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
    images
      .map((image) => ({
        id: image.CompShareImageId,
        name: image.Name ?? image.CompShareImageId,
        type: interned(image.ImageType),
        status: interned(image.Status),
        source: SOURCES[i] as ImageSource,
        tags: image.Tags && image.Tags.length > 0 ? image.Tags : NO_TAGS,
      }))
      .filter(offerable),
  );
}

const NO_TAGS: readonly string[] = Object.freeze([]);
const SHARED_WORDS = new Map(
  ["System", "App", "Custom", "Community", "Making", "Available", "UnAvailable", "Reviewing", "Offline"].map((w) => [
    w,
    w,
  ]),
);

/** Every parsed image brings its own copy of "Available"; thousands per user add up. */
function interned(word: string | undefined): string | undefined {
  return word === undefined ? undefined : (SHARED_WORDS.get(word) ?? word);
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
  const type = image.type ? (m.imageTypes[image.type] ?? image.type) : "";
  const suffix = type ? ` · ${type}` : "";
  return `${truncate(image.name, LIMITS.optionText - suffix.length)}${suffix}`;
}

export type OptionsArgs = SlackOptionsMiddlewareArgs<"block_suggestion"> & AllMiddlewareArgs;

/**
 * Answers within the budget whatever happens: no keys or a slow CompShare yields no options
 * (Slack shows "no results"), and the listing carries on to warm the cache.
 */
export async function answerImageOptions(
  services: BotServices,
  catalogue: ImageCatalogue,
  args: OptionsArgs,
  m: Messages,
): Promise<void> {
  const { body, ack } = args;
  const teamId = body.team?.id ?? body.user.team_id ?? "";
  const userId = body.user.id;
  const log = services.logger.child({ team: teamId, user: userId, what: "image_options" });
  let images: readonly PickerImage[] = catalogue.peek(teamId, userId) ?? [];
  if (images.length === 0) {
    try {
      const { client } = await accountFor(services.store, services.compshare, teamId, userId);
      const loading = catalogue.load(teamId, userId, client);
      loading.catch((error: unknown) => log.info({ err: error }, "image list for the picker failed"));
      images = (await withinBudget(loading, OPTIONS_BUDGET_MS)) ?? [];
    } catch (error) {
      log.info({ err: error }, "no images for the picker");
    }
  }
  const groups = pickerOptions(m, images, body.value ?? "");
  await ack(groups.length > 0 ? { option_groups: groups } : { options: [] });
}

async function withinBudget<T>(work: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}
