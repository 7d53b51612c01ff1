import { createHash } from "node:crypto";
import type { FlatParams } from "./params.ts";

/**
 * The UCloud signing string (DESIGN §3): every flattened param plus PublicKey, sorted by key in
 * plain string order (so `Tags.10` precedes `Tags.2`), `key + value` concatenated with no
 * separators or escaping, then the private key.
 */
export function stringToSign(params: FlatParams, publicKey: string, privateKey: string): string {
  const all: FlatParams = { ...params, PublicKey: publicKey };
  delete all.Signature;
  const keys = Object.keys(all).sort(compareCodeUnits);
  let text = "";
  for (const key of keys) text += key + all[key];
  return text + privateKey;
}

/** Lowercase hex SHA-1 of the signing string's UTF-8 bytes. */
export function signParams(params: FlatParams, publicKey: string, privateKey: string): string {
  return createHash("sha1")
    .update(stringToSign(params, publicKey, privateKey), "utf8")
    .digest("hex");
}

function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
