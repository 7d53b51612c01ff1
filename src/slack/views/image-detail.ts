import type { CompShareImage } from "../../compshare/schemas.ts";
import type { ImageSource } from "../../domain/image-search.ts";
import { actions, type Block, button, context, divider, fields, header, section } from "./blocks.ts";
import { dateLabel, isPublic, priceLabel, sizeLabel, statusLabel, tagsLabel, typeLabel } from "./image-format.ts";
import { encodeImageMenuValue } from "./image-list.ts";
import { code, escapeMrkdwn, truncate } from "./text.ts";
import { type MessagePayload, message, type ViewContext } from "./view-context.ts";

export const ACTION_IMAGE_EDIT = "image_edit";
export const ACTION_IMAGE_REINSTALL = "image_reinstall";

/** Room left for the readme in one section after its heading. */
const README_ROOM = 2800;

export function imageDetailBlocks(ctx: ViewContext, image: CompShareImage, source: ImageSource): Block[] {
  const { m } = ctx;
  const id = image.CompShareImageId;
  const software = image.Softwares
    ? [
        image.Softwares.CUDAVersion ? `CUDA ${image.Softwares.CUDAVersion}` : undefined,
        image.Softwares.Framework
          ? `${image.Softwares.Framework} ${image.Softwares.FrameworkVersion ?? ""}`.trim()
          : undefined,
        ...(image.Softwares.Applications ?? []),
      ].filter((s): s is string => !!s)
    : [];
  const facts = [
    `*${m.image.id}*\n${code(id)}`,
    `*${m.image.type}*\n${typeLabel(m, image.ImageType)} · ${m.image.source[source]}`,
    `*${m.image.author}*\n${escapeMrkdwn(image.Author ?? image.Owner?.AccountName ?? "—")}`,
    `*${m.image.status}*\n${statusLabel(m, image.Status)}`,
    `*${m.image.visibility}*\n${isPublic(image) ? `${m.image.public} · ${priceLabel(m, image.Price)}` : m.image.private}`,
    `*${m.image.size}*\n${sizeLabel(image.Size)}`,
    `*${m.image.created}*\n${dateLabel(image.CreateTime)}`,
    `*${m.image.version}*\n${escapeMrkdwn(truncate(image.VersionName ?? "—", 200))}`,
    // The API's image model has no SupportedGpuTypes; the GPU it was made on is what it reports.
    image.SupportedGpuTypes?.length
      ? `*${m.image.gpuTypes}*\n${escapeMrkdwn(truncate(image.SupportedGpuTypes.join(", "), 500))}`
      : `*${m.image.sourceGpu}*\n${escapeMrkdwn(image.SourceGpuType || "—")}`,
    `*${m.image.software}*\n${escapeMrkdwn(truncate(software.join(", ") || "—", 500))}`,
  ];
  const blocks: Block[] = [header(image.Name ?? id), fields(facts), context(`:label: ${tagsLabel(m, image.Tags)}`)];
  if (image.Description)
    blocks.push(section(`*${m.image.description}*\n${escapeMrkdwn(truncate(image.Description, 2900))}`));
  if (image.VersionDesc) blocks.push(context(escapeMrkdwn(truncate(image.VersionDesc, 1900))));
  if (image.Readme) {
    blocks.push(divider(), section(`*${m.image.readme}*\n${escapeMrkdwn(truncate(image.Readme, README_ROOM))}`));
    if (image.Readme.length > README_ROOM)
      blocks.push(context(m.image.readmeTruncated(README_ROOM - 1, image.Readme.length)));
  }
  if (image.Cover && /^https?:\/\//.test(image.Cover)) {
    blocks.push(context(`${m.image.cover}: <${encodeURI(image.Cover)}|${escapeMrkdwn(truncate(image.Cover, 200))}>`));
  }
  const buttons = [
    ...(source === "custom"
      ? [button({ text: m.lists.edit, actionId: ACTION_IMAGE_EDIT, value: encodeImageMenuValue("edit", id) })]
      : []),
    button({ text: m.lists.reinstall, actionId: ACTION_IMAGE_REINSTALL, value: encodeImageMenuValue("reinstall", id) }),
  ];
  blocks.push(actions(buttons));
  return blocks;
}

export function imageDetailMessage(ctx: ViewContext, image: CompShareImage, source: ImageSource): MessagePayload {
  const fallback = escapeMrkdwn(truncate(`${image.Name ?? image.CompShareImageId} (${image.CompShareImageId})`, 300));
  return message(ctx, fallback, imageDetailBlocks(ctx, image, source));
}
