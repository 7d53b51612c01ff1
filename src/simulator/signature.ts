import { createHash } from "node:crypto";

/**
 * The simulator's own reading of the vendor's signing algorithm (UCloud API docs, "签名算法"),
 * written apart from the client's src/compshare/signature.ts on purpose: were the simulator to
 * verify with the client's code, a client signing bug would pass every test. Keys, PublicKey
 * included and Signature left out, are ordered by their UTF-8 bytes (what Go's sort.Strings
 * does); each key and its value, as sent, are joined with no separator; the private key goes
 * last; the digest is lowercase hex SHA-1.
 */
export function expectedSignature(received: Readonly<Record<string, string>>, privateKey: string): string {
  const pairs = Object.entries(received).filter(([key]) => key !== "Signature");
  pairs.sort(([a], [b]) => Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8")));
  const hash = createHash("sha1");
  for (const [key, value] of pairs) hash.update(key, "utf8").update(value, "utf8");
  return hash.update(privateKey, "utf8").digest("hex");
}
