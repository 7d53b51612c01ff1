import { createHash, randomBytes } from "node:crypto";
import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { CredentialCipher, keyIdOf } from "../../src/store/credential-cipher.ts";
import { CredentialDecryptError, StoreConfigError } from "../../src/store/errors.ts";
import { secretForms } from "./harness.ts";

const A = randomBytes(32);
const B = randomBytes(32);
const owner = { teamId: "T1", userId: "U1" };
const secret = "4f9ef5df2abab2c6fccd1e9515cb7e2d-private";

describe("CredentialCipher", () => {
  it("round-trips under the first key, with a fresh 12-byte nonce and a 16-byte tag each time", () => {
    const cipher = new CredentialCipher([A, B]);
    const one = cipher.seal(secret, owner);
    const two = cipher.seal(secret, owner);
    expect(one.keyId).toBe(keyIdOf(A));
    expect(one.nonce).toHaveLength(12);
    expect(one.sealed).toHaveLength(Buffer.byteLength(secret) + 16);
    expect(one.nonce.equals(two.nonce)).toBe(false);
    expect(one.sealed.equals(two.sealed)).toBe(false);
    expect(cipher.open(one, owner)).toBe(secret);
    for (const form of secretForms(secret)) expect(one.sealed.toString("latin1")).not.toContain(form);
  });

  it("names keys by the first 8 hex digits of their SHA-256", () => {
    expect(keyIdOf(A)).toBe(createHash("sha256").update(A).digest("hex").slice(0, 8));
    expect(new CredentialCipher([B, A]).keyIds).toEqual([keyIdOf(B), keyIdOf(A)]);
  });

  it("decrypts with any listed key", () => {
    const sealed = new CredentialCipher([A]).seal(secret, owner);
    expect(new CredentialCipher([B, A]).open(sealed, owner)).toBe(secret);
  });

  it("binds the ciphertext to its owner", () => {
    const cipher = new CredentialCipher([A]);
    const sealed = cipher.seal(secret, owner);
    expect(() => cipher.open(sealed, { teamId: "T1", userId: "U2" })).toThrow(CredentialDecryptError);
    expect(() => cipher.open(sealed, { teamId: "T2", userId: "U1" })).toThrow(CredentialDecryptError);
    // The separator keeps ("T1", "U1x") and ("T1U", "1x")-style splits apart.
    const joined = cipher.seal(secret, { teamId: "T1U", userId: "1" });
    expect(() => cipher.open(joined, { teamId: "T1", userId: "U1" })).toThrow(CredentialDecryptError);
  });

  it("detects tampering with the ciphertext, the tag or the nonce", () => {
    const cipher = new CredentialCipher([A]);
    const sealed = cipher.seal(secret, owner);
    for (const [field, index] of [
      ["sealed", 0],
      ["sealed", sealed.sealed.length - 1],
      ["nonce", 0],
    ] as const) {
      const bytes = Buffer.from(sealed[field]);
      bytes.writeUInt8(bytes.readUInt8(index) ^ 1, index);
      const copy = { ...sealed, [field]: bytes };
      expect(() => cipher.open(copy, owner), `${field}[${index}]`).toThrow(/did not authenticate/);
    }
    expect(() => cipher.open({ ...sealed, sealed: sealed.sealed.subarray(0, 8) }, owner)).toThrow(/truncated/);
  });

  it("says which key id is missing, without any key material", () => {
    const sealed = new CredentialCipher([A]).seal(secret, owner);
    const error = (() => {
      try {
        new CredentialCipher([B]).open(sealed, owner);
      } catch (e) {
        return e as CredentialDecryptError;
      }
    })();
    expect(error).toBeInstanceOf(CredentialDecryptError);
    expect(error?.message).toContain(`key id ${keyIdOf(A)}`);
    expect(error?.message).toContain(keyIdOf(B));
    expect(error).toMatchObject({ teamId: "T1", userId: "U1", code: "credential_decrypt" });
    for (const form of [...secretForms(A), ...secretForms(B), ...secretForms(secret)]) {
      expect(error?.message).not.toContain(form);
      expect(inspect(error)).not.toContain(form);
    }
  });

  it("shows no key when inspected or serialised", () => {
    const cipher = new CredentialCipher([A, B]);
    const shown = `${inspect(cipher, { showHidden: true, depth: 5 })} ${JSON.stringify(cipher)}`;
    for (const form of [...secretForms(A), ...secretForms(B)]) expect(shown).not.toContain(form);
    expect(shown).not.toContain(inspect(A));
  });

  it("refuses an empty keyring or a key of the wrong size", () => {
    expect(() => new CredentialCipher([])).toThrow(StoreConfigError);
    expect(() => new CredentialCipher([A, randomBytes(16)])).toThrow(/key 2 of 2 is not 32 bytes/);
  });

  it("keeps its own copy of the keys", () => {
    const key = Buffer.from(A);
    const cipher = new CredentialCipher([key]);
    const sealed = cipher.seal(secret, owner);
    key.fill(0);
    expect(cipher.open(sealed, owner)).toBe(secret);
  });
});
