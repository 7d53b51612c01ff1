import type { ImageRecord, InstanceRecord } from "./state.ts";

/** The wire shape of one image: the full record, with Readme only when the caller asked by id. */
export function imageView(image: ImageRecord, options: { withReadme: boolean }): Record<string, unknown> {
  const { Readme, ...rest } = image;
  return options.withReadme ? { ...rest, Readme } : rest;
}

export function instanceView(instance: InstanceRecord): Record<string, unknown> {
  return { ...instance };
}
