import { readEnum, readOptionalString } from "../param-readers.ts";
import type { ImageRecord } from "../state.ts";
import type { ActionDefinition } from "./action.ts";
import { imageListAnswer } from "./image-list.ts";

/** Platform images (System and App), filtered by type, name, author and tag. */
export const describeCompShareImages: ActionDefinition = {
  required: ["Region"],
  handle({ params, state }) {
    const imageType = readEnum(params, "ImageType", ["System", "App"]);
    const name = readOptionalString(params, "Name")?.toLowerCase();
    const author = readOptionalString(params, "Author")?.toLowerCase();
    const tag = readOptionalString(params, "Tag");
    const filtered = imageType !== undefined || name !== undefined || author !== undefined || tag !== undefined;
    const keep = (image: Readonly<ImageRecord>) =>
      (imageType === undefined || image.ImageType === imageType) &&
      (name === undefined || image.Name.toLowerCase().includes(name)) &&
      (author === undefined || image.Author.toLowerCase().includes(author)) &&
      (tag === undefined || image.Tags.includes(tag));
    return imageListAnswer(state, { kind: "platform" }, params, filtered ? keep : undefined);
  },
};
