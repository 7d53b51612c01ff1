import { createHmac, hkdfSync, timingSafeEqual } from "node:crypto";

/**
 * Binds a modal's private_metadata to the person it was opened for. The metadata comes back in
 * the submission, so the submit trusts it only if it carries the opener's user id and an HMAC
 * over team, user and the metadata itself, made with a key only this bot holds. A form submitted
 * by someone else, or with any byte of its metadata changed, does not open.
 *
 * The key is derived with HKDF from CREDENTIALS_KEY (every deployment has it, Socket Mode too),
 * one subkey per purpose, so neither the raw key nor a subkey used elsewhere is ever the HMAC key.
 * The first configured key seals; every configured key opens, so a rotation does not void open forms.
 */
export interface FormOwner {
  teamId: string;
  userId: string;
}

export type OpenedForm = { ok: true; metadata: string } | { ok: false; why: "opened by another user" | "not sealed" };

export interface FormSeal {
  seal(owner: FormOwner, metadata: string): string;
  /** The metadata as sealed, unless the form was sealed for someone else or altered on the way. */
  open(owner: FormOwner, sealed: string | undefined): OpenedForm;
}

/** base64url of a 128-bit tag: short enough for private_metadata, far beyond guessing. */
const TAG_BYTES = 16;
const USER_ID = /^[A-Z0-9]{1,32}$/;

export function createFormSeal(keys: readonly Buffer[], purpose: string): FormSeal {
  if (keys.length === 0) throw new Error("a form seal needs at least one key");
  const subkeys = keys.map((key) =>
    Buffer.from(hkdfSync("sha256", key, "compshare-bot form seal", `${purpose} v1`, 32)),
  );
  const tagWith = (subkey: Buffer, owner: FormOwner, metadata: string) =>
    createHmac("sha256", subkey)
      .update(`${owner.teamId}\n${owner.userId}\n${metadata}`)
      .digest()
      .subarray(0, TAG_BYTES);

  return {
    seal(owner, metadata) {
      const [first] = subkeys as [Buffer];
      return `${owner.userId}.${tagWith(first, owner, metadata).toString("base64url")}.${metadata}`;
    },
    open(owner, sealed) {
      const [userId, tag, ...rest] = (sealed ?? "").split(".");
      if (userId === undefined || tag === undefined || rest.length === 0 || !USER_ID.test(userId)) {
        return { ok: false, why: "not sealed" };
      }
      if (userId !== owner.userId) return { ok: false, why: "opened by another user" };
      const metadata = rest.join(".");
      const given = Buffer.from(tag, "base64url");
      const genuine =
        given.length === TAG_BYTES &&
        subkeys.some((subkey) => timingSafeEqual(given, tagWith(subkey, owner, metadata)));
      return genuine ? { ok: true, metadata } : { ok: false, why: "not sealed" };
    },
  };
}
