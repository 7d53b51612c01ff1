/**
 * What the bot accepts as an image cover (DESIGN §6): png, jpeg or webp, judged by the bytes'
 * own signature, since a file's name and reported type are whatever the uploader made them.
 */

export type CoverFormat = "png" | "jpeg" | "webp";

/** Decoded bytes; Base64 makes the request a third larger, still well within the API's body size. */
export const MAX_COVER_BYTES = 2 * 1024 * 1024;

/** Slack's file types and MIME types for the three formats, for refusing early before downloading. */
const ACCEPTED_FILETYPES = new Set(["png", "jpg", "jpeg", "webp"]);
const ACCEPTED_MIMETYPES = new Set(["image/png", "image/jpeg", "image/webp"]);

/** The file-type list a Slack file_input offers to the uploader. */
export const COVER_FILETYPES = ["png", "jpg", "jpeg", "webp"];

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

export function sniffCoverFormat(bytes: Uint8Array): CoverFormat | undefined {
  if (PNG_SIGNATURE.every((byte, i) => bytes[i] === byte)) return "png";
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return "jpeg";
  const ascii = (from: number, to: number) => String.fromCharCode(...bytes.subarray(from, to));
  if (bytes.length >= 12 && ascii(0, 4) === "RIFF" && ascii(8, 12) === "WEBP") return "webp";
  return undefined;
}

/**
 * Whether what Slack says about the file (its type and MIME type, each when known) claims one of
 * the accepted formats. Only a first filter before downloading; the bytes decide.
 */
export function claimsCoverFormat(file: { filetype?: string | undefined; mimetype?: string | undefined }): boolean {
  const filetype = file.filetype?.toLowerCase();
  const mimetype = file.mimetype?.toLowerCase();
  if (filetype === undefined && mimetype === undefined) return false;
  return (
    (filetype === undefined || ACCEPTED_FILETYPES.has(filetype)) &&
    (mimetype === undefined || ACCEPTED_MIMETYPES.has(mimetype))
  );
}
