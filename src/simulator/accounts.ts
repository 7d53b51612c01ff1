import { createHash } from "node:crypto";

/** A CompShare account as the simulator knows it: the key pair that signs its calls, and who it is. */
export interface SimAccount {
  publicKey: string;
  privateKey: string;
  accountId: string;
  accountName: string;
}

export type AccountInput = Partial<Pick<SimAccount, "publicKey" | "privateKey" | "accountName">>;

const FIRST_ACCOUNT_ID = 200_000_001;

/**
 * Derives the n-th account (0-based). Keys come from a hash of the sequence number so that a
 * simulator started twice hands out the same accounts in the same order.
 */
export function makeAccount(sequence: number, input: AccountInput = {}): SimAccount {
  const digest = createHash("sha1").update(`compshare-simulator-account-${sequence}`).digest("hex");
  return {
    publicKey: input.publicKey ?? `sim-public-${digest.slice(0, 16)}`,
    privateKey: input.privateKey ?? digest,
    accountId: String(FIRST_ACCOUNT_ID + sequence),
    accountName: input.accountName ?? `sim-account-${sequence}`,
  };
}

export class DuplicateAccountError extends Error {
  readonly code = "SIMULATOR_DUPLICATE_ACCOUNT";
  constructor(publicKey: string) {
    super(`an account with public key ${publicKey} already exists`);
    this.name = "DuplicateAccountError";
  }
}

export class AccountRegistry {
  readonly #byPublicKey = new Map<string, SimAccount>();
  readonly #byId = new Map<string, SimAccount>();

  add(input: AccountInput = {}): SimAccount {
    const account = makeAccount(this.#byId.size, input);
    if (this.#byPublicKey.has(account.publicKey)) {
      throw new DuplicateAccountError(account.publicKey);
    }
    this.#byPublicKey.set(account.publicKey, account);
    this.#byId.set(account.accountId, account);
    return { ...account };
  }

  byPublicKey(publicKey: string): SimAccount | undefined {
    return this.#byPublicKey.get(publicKey);
  }

  byId(accountId: string): SimAccount | undefined {
    return this.#byId.get(accountId);
  }
}
