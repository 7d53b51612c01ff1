import { type Dispatcher, request } from "undici";
import { z } from "zod";
import { type CoverFormat, claimsCoverFormat, MAX_COVER_BYTES, sniffCoverFormat } from "../../domain/cover-image.ts";

/**
 * Reads a file a user put in a modal's file_input: files.info for what Slack knows about it,
 * then its bytes from url_private_download with the bot token. Every check that can refuse
 * early does (type, reported size), and the ones that cannot be trusted are repeated on the
 * bytes themselves (size while streaming, format by signature).
 */

export type CoverUploadErrorCode = "cover_type" | "cover_content" | "cover_too_large" | "cover_unreadable";

export abstract class CoverUploadError extends Error {
  abstract readonly code: CoverUploadErrorCode;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Slack says the file is not png, jpeg or webp. */
export class CoverTypeError extends CoverUploadError {
  readonly code = "cover_type";
}

/** The bytes are not png, jpeg or webp, whatever the file claimed. */
export class CoverContentError extends CoverUploadError {
  readonly code = "cover_content";
}

export class CoverTooLargeError extends CoverUploadError {
  readonly code = "cover_too_large";
}

/** The file could not be fetched: files.info failed, the download failed or was refused, or time ran out. */
export class CoverUnreadableError extends CoverUploadError {
  readonly code = "cover_unreadable";
  readonly timedOut: boolean;
  constructor(message: string, options: { cause?: unknown; timedOut?: boolean } = {}) {
    super(message, options.cause === undefined ? {} : { cause: options.cause });
    this.timedOut = options.timedOut ?? false;
  }
}

export interface CoverSource {
  /** Slack's files.info, called with the bot token. */
  files: { info(args: { file: string }): Promise<unknown> };
  /** The bot token; it is sent only to Slack's own hosts or the configured Web API's origin. */
  botToken: string;
  slackApiUrl: string;
  dispatcher?: Dispatcher | undefined;
}

export interface CoverUpload {
  base64: string;
  format: CoverFormat;
  bytes: number;
}

const fileInfoSchema = z.looseObject({
  file: z.looseObject({
    id: z.string(),
    filetype: z.string().optional(),
    mimetype: z.string().optional(),
    size: z.number().optional(),
    url_private_download: z.string().optional(),
    url_private: z.string().optional(),
  }),
});

export async function readCoverUpload(
  source: CoverSource,
  fileId: string,
  options: { signal: AbortSignal; maxBytes?: number },
): Promise<CoverUpload> {
  const maxBytes = options.maxBytes ?? MAX_COVER_BYTES;
  const file = await fileInfo(source, fileId, options.signal);
  if (!claimsCoverFormat(file)) throw new CoverTypeError(`file type ${file.filetype ?? file.mimetype} is not accepted`);
  if (file.size !== undefined && file.size > maxBytes) throw new CoverTooLargeError(`file reports ${file.size} bytes`);
  const url = file.url_private_download ?? file.url_private;
  if (url === undefined) throw new CoverUnreadableError("files.info gave no download URL");
  const bytes = await download(source, url, maxBytes, options.signal);
  const format = sniffCoverFormat(bytes);
  if (format === undefined) throw new CoverContentError("the bytes are not a png, jpeg or webp image");
  return { base64: bytes.toString("base64"), format, bytes: bytes.length };
}

async function fileInfo(source: CoverSource, fileId: string, signal: AbortSignal) {
  let answer: unknown;
  try {
    // The Web API client takes no AbortSignal; the deadline abandons the call instead.
    answer = await untilAborted(source.files.info({ file: fileId }), signal);
  } catch (error) {
    throw new CoverUnreadableError("files.info failed", { cause: error, timedOut: signal.aborted });
  }
  const parsed = fileInfoSchema.safeParse(answer);
  if (!parsed.success) throw new CoverUnreadableError("files.info answered in an unexpected shape");
  return parsed.data.file;
}

async function download(source: CoverSource, url: string, maxBytes: number, signal: AbortSignal): Promise<Buffer> {
  if (!mayCarryToken(url, source.slackApiUrl)) throw new CoverUnreadableError("the download URL is not Slack's");
  let response: Dispatcher.ResponseData;
  try {
    response = await request(url, {
      method: "GET",
      headers: { authorization: `Bearer ${source.botToken}` },
      signal,
      ...(source.dispatcher ? { dispatcher: source.dispatcher } : {}),
    });
  } catch (error) {
    throw new CoverUnreadableError("download failed", { cause: error, timedOut: signal.aborted });
  }
  const { statusCode, body } = response;
  if (statusCode !== 200) {
    await body.dump();
    throw new CoverUnreadableError(`download answered HTTP ${statusCode}`);
  }
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for await (const chunk of body as AsyncIterable<Buffer>) {
      total += chunk.length;
      // Leaving the loop closes the stream: nothing past the cap is read.
      if (total > maxBytes) throw new CoverTooLargeError(`download passed ${maxBytes} bytes`);
      chunks.push(chunk);
    }
  } catch (error) {
    if (error instanceof CoverUploadError) throw error;
    throw new CoverUnreadableError("download broke off", { cause: error, timedOut: signal.aborted });
  }
  return Buffer.concat(chunks);
}

/** Slack serves files from its own hosts; a URL anywhere else must not receive the bot token. */
function mayCarryToken(url: string, slackApiUrl: string): boolean {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return false;
  }
  if (target.origin === new URL(slackApiUrl).origin) return true;
  return target.protocol === "https:" && (target.hostname === "slack.com" || target.hostname.endsWith(".slack.com"));
}

function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}
