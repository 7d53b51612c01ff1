import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createSecretKey,
  type KeyObject,
  randomBytes,
} from "node:crypto";
import { CredentialDecryptError, StoreConfigError } from "./errors.ts";

const ALGORITHM = "aes-256-gcm";
const KEY_BYTES = 32;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
/** Versioned so a future format change can tell old records from new ones. */
const AAD_PREFIX = "compshare-bot/credentials/v1";

/** What the database holds for one private key; `sealed` is ciphertext followed by the GCM tag. */
export interface SealedSecret {
  keyId: string;
  nonce: Buffer;
  sealed: Buffer;
}

export interface CredentialOwner {
  teamId: string;
  userId: string;
}

/** Names a key without revealing it: the first 8 hex digits of its SHA-256. */
export function keyIdOf(key: Buffer): string {
  return createHash("sha256").update(key).digest("hex").slice(0, 8);
}

/**
 * Binds a ciphertext to its owner, so a row copied to another user fails authentication
 * instead of handing one user's key to another. NUL cannot occur in Slack ids.
 */
function associatedData(owner: CredentialOwner): Buffer {
  return Buffer.from(`${AAD_PREFIX}\u0000${owner.teamId}\u0000${owner.userId}`, "utf8");
}

/**
 * AES-256-GCM over a keyring: the first key encrypts, every key decrypts. Keys live in a
 * private field so inspecting or logging the object shows none of them.
 *
 * Each key is imported once, as a KeyObject: handing createDecipheriv a Buffer makes it build a
 * fresh secret key from the bytes on every call (prepareSecretKey), which was most of open()'s
 * cost and runs for every command that uses stored keys.
 *
 * Decrypted private keys are not cached, not even for a short TTL. With the key imported, open()
 * is a few microseconds beside the database read that fetches the record, and that read has to
 * happen anyway: it is what notices a logout, a new login or a rotation, on this process or on a
 * PostgreSQL peer. A plaintext cache would save almost nothing and would keep every recent
 * user's private key in the heap (heap snapshots, core dumps) and need invalidating across replicas.
 */
export class CredentialCipher {
  readonly #keys = new Map<string, KeyObject>();
  readonly #primaryKeyId: string;

  constructor(keys: readonly Buffer[]) {
    if (keys.length === 0) throw new StoreConfigError("at least one credentials key is required");
    for (const [index, key] of keys.entries()) {
      if (key.length !== KEY_BYTES) {
        throw new StoreConfigError(`credentials key ${index + 1} of ${keys.length} is not ${KEY_BYTES} bytes`);
      }
      const id = keyIdOf(key);
      const imported = createSecretKey(key);
      const known = this.#keys.get(id);
      if (known !== undefined && !known.equals(imported)) {
        throw new StoreConfigError(`credentials keys ${id} collide on their key id; generate a new key`);
      }
      if (known === undefined) this.#keys.set(id, imported);
    }
    this.#primaryKeyId = keyIdOf(keys[0] as Buffer);
  }

  get primaryKeyId(): string {
    return this.#primaryKeyId;
  }

  get keyIds(): readonly string[] {
    return [...this.#keys.keys()];
  }

  seal(plaintext: string, owner: CredentialOwner): SealedSecret {
    const key = this.#keys.get(this.#primaryKeyId) as KeyObject;
    const nonce = randomBytes(NONCE_BYTES);
    const cipher = createCipheriv(ALGORITHM, key, nonce, { authTagLength: TAG_BYTES });
    cipher.setAAD(associatedData(owner));
    const sealed = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final(), cipher.getAuthTag()]);
    return { keyId: this.#primaryKeyId, nonce, sealed };
  }

  /** Throws CredentialDecryptError naming the owner and key id, never key bytes or plaintext. */
  open(secret: SealedSecret, owner: CredentialOwner): string {
    const key = this.#keys.get(secret.keyId);
    if (key === undefined) {
      throw new CredentialDecryptError(
        owner.teamId,
        owner.userId,
        `it was encrypted under key id ${secret.keyId}, which is not among the configured CREDENTIALS_KEY ids (${this.keyIds.join(", ")}). Add that key back after the current one, or have the user log in again.`,
      );
    }
    if (secret.nonce.length !== NONCE_BYTES || secret.sealed.length < TAG_BYTES) {
      throw new CredentialDecryptError(owner.teamId, owner.userId, "the stored record is truncated");
    }
    try {
      const decipher = createDecipheriv(ALGORITHM, key, secret.nonce, { authTagLength: TAG_BYTES });
      decipher.setAAD(associatedData(owner));
      decipher.setAuthTag(secret.sealed.subarray(secret.sealed.length - TAG_BYTES));
      const body = secret.sealed.subarray(0, secret.sealed.length - TAG_BYTES);
      return Buffer.concat([decipher.update(body), decipher.final()]).toString("utf8");
    } catch (error) {
      throw new CredentialDecryptError(
        owner.teamId,
        owner.userId,
        `key id ${secret.keyId} did not authenticate it; the record was altered or belongs to another user`,
        { cause: error },
      );
    }
  }
}
