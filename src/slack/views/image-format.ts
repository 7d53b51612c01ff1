import type { CompShareImage } from "../../compshare/schemas.ts";
import { type Messages, wordFor } from "../i18n/messages.ts";
import { escapeMrkdwn } from "./text.ts";

/** Small pure formatters shared by the list and detail views. */

export function statusLabel(m: Messages, status: string | undefined): string {
  if (!status) return "—";
  return wordFor(m.statuses, status) ?? escapeMrkdwn(status);
}

export function typeLabel(m: Messages, type: string | undefined): string {
  if (!type) return "—";
  return wordFor(m.imageTypes, type) ?? escapeMrkdwn(type);
}

export function isPublic(image: CompShareImage): boolean {
  return image.Visibility === 1;
}

/** Price in yuan per hour, with at most two decimals and no float noise. */
export function priceLabel(m: Messages, price: number | undefined): string {
  if (price === undefined || price === 0) return m.lists.free;
  return m.lists.pricePerHour(String(Math.round(price * 100) / 100));
}

export function sizeLabel(sizeMb: number | undefined): string {
  if (sizeMb === undefined) return "—";
  if (sizeMb >= 1024) return `${(Math.round((sizeMb / 1024) * 10) / 10).toString()} GB`;
  return `${Math.round(sizeMb)} MB`;
}

/** Slack renders <!date^…> in the reader's own time zone and language; the fallback is UTC. */
export function dateLabel(epochSeconds: number | undefined): string {
  if (epochSeconds === undefined || !Number.isFinite(epochSeconds) || epochSeconds <= 0) return "—";
  const seconds = Math.floor(epochSeconds);
  const fallback = new Date(seconds * 1000).toISOString().slice(0, 10);
  return `<!date^${seconds}^{date_short}|${fallback}>`;
}

export function tagsLabel(m: Messages, tags: readonly string[] | undefined): string {
  if (!tags || tags.length === 0) return m.lists.noTags;
  return tags.map((tag) => escapeMrkdwn(tag)).join(", ");
}
