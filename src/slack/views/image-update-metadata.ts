import { z } from "zod";
import { IMAGE_ID_PATTERN } from "../../compshare/schemas.ts";
import {
  EDITABLE_FIELDS,
  type EditableField,
  type FieldSnapshot,
  type ImageSnapshot,
} from "../../domain/image-changes.ts";

/**
 * The edit form's private_metadata: the image id and a snapshot of what the form showed (one
 * short digest per field, and the value itself where it is short), so a submission can be
 * diffed without asking CompShare again. Never a key, never a long text: bounded well under
 * Slack's 3000 characters by construction.
 */

const field = z.enum(EDITABLE_FIELDS);
const metadataSchema = z.object({
  v: z.literal(1),
  i: z.string().regex(IMAGE_ID_PATTERN),
  d: z.array(z.string().max(16)).length(EDITABLE_FIELDS.length),
  s: z.partialRecord(field, z.string().max(200)),
  h: z.array(field),
});

export function encodeUpdateMetadata(snapshot: ImageSnapshot): string {
  const shown: Partial<Record<EditableField, string>> = {};
  for (const name of EDITABLE_FIELDS) {
    const value = snapshot.fields[name].shown;
    if (value !== undefined) shown[name] = value;
  }
  return JSON.stringify({
    v: 1,
    i: snapshot.imageId,
    d: EDITABLE_FIELDS.map((name) => snapshot.fields[name].digest),
    s: shown,
    h: snapshot.hidden,
  });
}

/** Undefined for anything this version did not write (an old or foreign form). */
export function decodeUpdateMetadata(text: string | undefined): ImageSnapshot | undefined {
  let json: unknown;
  try {
    json = JSON.parse(text ?? "");
  } catch {
    return undefined;
  }
  const parsed = metadataSchema.safeParse(json);
  if (!parsed.success) return undefined;
  const { i, d, s, h } = parsed.data;
  const fields = {} as Record<EditableField, FieldSnapshot>;
  EDITABLE_FIELDS.forEach((name, index) => {
    const shown = s[name];
    fields[name] = { digest: d[index] ?? "", ...(shown !== undefined ? { shown } : {}) };
  });
  return { imageId: i, fields, hidden: h };
}
