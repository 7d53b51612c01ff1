import { z } from "zod";

/**
 * Where a list page is: which list, which offset, which filters. It travels in the Previous/Next
 * button values (and a list modal's private_metadata), so it is validated as untrusted input when
 * it comes back. It holds no ids that grant anything: the user's own keys decide what they see.
 */

export type ImageListKind = "platform" | "custom" | "shared";

export const PAGE_SIZE = 10;

const filtersSchema = z
  .object({
    name: z.string().max(64).optional(),
    type: z.enum(["System", "App"]).optional(),
    author: z.string().max(64).optional(),
    tag: z.string().max(64).optional(),
  })
  .strict();

const listStateSchema = z
  .object({
    kind: z.enum(["platform", "custom", "shared"]),
    offset: z.number().int().min(0).max(1_000_000),
    filters: filtersSchema,
  })
  .strict();

export type ListState = z.infer<typeof listStateSchema>;

export function encodeListState(state: ListState): string {
  return JSON.stringify(state);
}

export function decodeListState(value: string | undefined): ListState | undefined {
  if (!value) return undefined;
  try {
    const parsed = listStateSchema.safeParse(JSON.parse(value));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
