import { randomBytes } from "node:crypto";

const BASE32 = "abcdefghijklmnopqrstuvwxyz234567";

/** "req_" + 16 base32 characters: 80 random bits, short enough for a button value, too many to guess. */
export function newApprovalId(random: (size: number) => Buffer = randomBytes): string {
  const bytes = random(10);
  let bits = 0;
  let value = 0;
  let out = "";
  for (const byte of bytes) {
    value = ((value << 8) | byte) & 0xfff;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return `req_${out}`;
}

export const APPROVAL_ID_PATTERN = /^req_[a-z2-7]{16}$/;
