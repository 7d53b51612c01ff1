import { invalidParam } from "./retcodes.ts";

export type CoverFormat = "png" | "jpg" | "webp";

/** Decoded covers above this are refused; the real console caps uploads in the same range. */
export const MAX_COVER_BYTES = 5 * 1024 * 1024;

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * Checks that a Cover param is Base64 of a png, jpeg or webp file (by its magic bytes) and says
 * which. A data: URL prefix is refused: the vendor page asks for plain Base64.
 */
export function readCover(value: string): CoverFormat {
  const reason = "must be Base64 of a png, jpeg or webp image";
  if (value.length % 4 !== 0 || !BASE64.test(value)) throw invalidParam("Cover", reason);
  const bytes = Buffer.from(value, "base64");
  if (bytes.length > MAX_COVER_BYTES) throw invalidParam("Cover", `image is larger than ${MAX_COVER_BYTES} bytes`);
  const format = sniffImageFormat(bytes);
  if (format === undefined) throw invalidParam("Cover", reason);
  return format;
}

export function sniffImageFormat(bytes: Buffer): CoverFormat | undefined {
  if (bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return "png";
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return "jpg";
  if (bytes.subarray(0, 4).toString("latin1") === "RIFF" && bytes.subarray(8, 12).toString("latin1") === "WEBP") {
    return "webp";
  }
  return undefined;
}

/** Where the simulator pretends to have stored a cover. */
export function coverUrl(imageId: string, format: CoverFormat): string {
  return `https://sim.compshare.local/covers/${imageId}.${format}`;
}
