import type { IncomingMessage } from "node:http";
import { z } from "zod";
import { type FlatParams, flattenParams, ParamEncodingError } from "../compshare/params.ts";
import { ApiError, invalidParam, RetCode } from "./retcodes.ts";

/** Enough for a Base64 cover of the largest size the simulator accepts, plus the other params. */
export const MAX_BODY_BYTES = 8 * 1024 * 1024;

export class BodyTooLargeError extends Error {
  readonly code = "SIMULATOR_BODY_TOO_LARGE";
  constructor() {
    super(`request body is larger than ${MAX_BODY_BYTES} bytes`);
    this.name = "BodyTooLargeError";
  }
}

export async function readBody(request: IncomingMessage, maxBytes = MAX_BODY_BYTES): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > maxBytes) throw new BodyTooLargeError();
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

const jsonBody = z.record(z.string(), z.json());

/**
 * The request's params as the signature covers them: a form body (what the SDKs send) or a JSON
 * body (the gateway takes that too, flattened the same way), over any query-string params.
 */
export function parseParams(body: Buffer, contentType: string | undefined, url: string | undefined): FlatParams {
  const params: FlatParams = {};
  const query = url?.includes("?") ? url.slice(url.indexOf("?") + 1) : "";
  for (const [key, value] of new URLSearchParams(query)) params[key] = value;
  const text = body.toString("utf8");
  if (isJson(contentType)) {
    if (text.trim() !== "") Object.assign(params, flattenJson(text));
  } else {
    for (const [key, value] of new URLSearchParams(text)) params[key] = value;
  }
  return params;
}

function isJson(contentType: string | undefined): boolean {
  return contentType?.split(";")[0]?.trim().toLowerCase() === "application/json";
}

function flattenJson(text: string): FlatParams {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new ApiError(RetCode.invalidParam, "request body is not valid JSON", { cause: error });
  }
  const parsed = jsonBody.safeParse(raw);
  if (!parsed.success) throw new ApiError(RetCode.invalidParam, "request body must be a JSON object of params");
  try {
    return flattenParams(parsed.data);
  } catch (error) {
    if (error instanceof ParamEncodingError) throw invalidParam(error.key, "cannot be encoded as a param value");
    throw error;
  }
}
