/**
 * The store's error family. Every message is safe to show an operator: no key material,
 * no plaintext, no database password. The original error, when there is one, stays in `cause`.
 */
export abstract class StoreError extends Error {
  abstract readonly code: string;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** DATABASE_URL, a schema name or the key list is unusable; fix the configuration. */
export class StoreConfigError extends StoreError {
  readonly code = "store_config";
}

/** The database cannot be reached or is locked by another process right now. */
export class StoreUnavailableError extends StoreError {
  readonly code = "store_unavailable";
}

/** A statement failed for a reason other than reachability (constraint, syntax, type). */
export class StoreQueryError extends StoreError {
  readonly code = "store_query";
}

export class StoreClosedError extends StoreError {
  readonly code = "store_closed";
  constructor() {
    super("the store is closed");
  }
}

/** An applied migration differs from the code's copy, so the schema cannot be trusted. */
export class MigrationError extends StoreError {
  readonly code = "store_migration";
}

/** A stored private key cannot be decrypted with any configured CREDENTIALS_KEY. */
export class CredentialDecryptError extends StoreError {
  readonly code = "credential_decrypt";
  readonly teamId: string;
  readonly userId: string;
  constructor(teamId: string, userId: string, reason: string, options?: { cause?: unknown }) {
    super(`cannot decrypt the stored private key of user ${userId} in team ${teamId}: ${reason}`, options);
    this.teamId = teamId;
    this.userId = userId;
  }
}

/** A caller asked for a status move outside the approval graph, or with fields that move cannot carry. */
export class InvalidTransitionError extends StoreError {
  readonly code = "invalid_transition";
  readonly from: string;
  readonly to: string;
  constructor(from: string, to: string, reason: string) {
    super(`approval request cannot move ${from} → ${to}: ${reason}`);
    this.from = from;
    this.to = to;
  }
}

export class ApprovalNotFoundError extends StoreError {
  readonly code = "approval_not_found";
  readonly id: string;
  constructor(id: string) {
    super(`no approval request with id ${id}`);
    this.id = id;
  }
}

/** The caller handed the store a value it refuses to keep (bad shape, or a secret in the audit log). */
export class InvalidStoreInputError extends StoreError {
  readonly code = "store_invalid_input";
}
