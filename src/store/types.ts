import type { APPROVAL_STATUSES } from "./approval-transitions.ts";

export type ApprovalStatus = (typeof APPROVAL_STATUSES)[number];

export interface StoredCredentials {
  teamId: string;
  userId: string;
  publicKey: string;
  privateKey: string;
  region: string;
  zone: string;
  projectId?: string;
  createdAt: Date;
  updatedAt: Date;
}

export interface ApprovalOutcome {
  retCode?: number;
  message?: string;
  requestId?: string;
}

export interface ApprovalRequest {
  /** "req_" + 16 base32 characters: unguessable, safe in button values. */
  id: string;
  teamId: string;
  requesterId: string;
  instanceId: string;
  instanceName?: string;
  instanceGpu?: string;
  instanceState?: string;
  imageId: string;
  imageName?: string;
  imageType?: string;
  region: string;
  zone: string;
  projectId?: string;
  reason: string;
  status: ApprovalStatus;
  decidedBy?: string;
  decidedAt?: Date;
  note?: string;
  outcome?: ApprovalOutcome;
  channelId?: string;
  messageTs?: string;
  createdAt: Date;
  updatedAt: Date;
  expiresAt: Date;
}

export type NewApprovalRequest = Omit<
  ApprovalRequest,
  | "id"
  | "status"
  | "createdAt"
  | "updatedAt"
  | "expiresAt"
  | "decidedBy"
  | "decidedAt"
  | "note"
  | "outcome"
  | "channelId"
  | "messageTs"
> & { ttlMs: number };

/** On failure, `current` is the state that won the race (or undefined when the id is unknown). */
export type TransitionResult =
  | { ok: true; request: ApprovalRequest }
  | { ok: false; current: ApprovalRequest | undefined };

export interface TransitionPatch {
  /** Required when a decision leaves pending (approved, rejected, cancelled); refused elsewhere. */
  decidedBy?: string;
  note?: string;
  /** Only on the moves that end an execution (succeeded, failed, unknown). */
  outcome?: ApprovalOutcome;
}

export type AuditDetail = Record<string, string | number | boolean | null>;

export interface AuditEntry {
  id?: number;
  at: Date;
  teamId: string;
  actorId: string;
  action: string;
  target?: string;
  result: string;
  detail?: AuditDetail;
}

export interface AuditFilter {
  teamId: string;
  /** Matches the actor. */
  userId?: string;
  /** Inclusive. */
  from?: Date;
  /** Exclusive. */
  to?: Date;
  limit?: number;
}

/** What an export reads: every team unless one is named; `from` inclusive, `to` exclusive. */
export interface AuditExportFilter {
  teamId?: string;
  from?: Date;
  to?: Date;
}

export type Readiness = { ok: true } | { ok: false; reason: string };

export interface CredentialStore {
  upsert(input: Omit<StoredCredentials, "createdAt" | "updatedAt">): Promise<StoredCredentials>;
  /** Decrypts; throws CredentialDecryptError when no configured key fits or the record fails authentication. */
  get(teamId: string, userId: string): Promise<StoredCredentials | undefined>;
  delete(teamId: string, userId: string): Promise<boolean>;
  /** Re-encrypts, in one transaction, every record not under the first key; all or nothing. */
  rotate(): Promise<{ reencrypted: number }>;
}

export interface ApprovalStore {
  create(input: NewApprovalRequest): Promise<ApprovalRequest>;
  get(id: string): Promise<ApprovalRequest | undefined>;
  /** Newest first. */
  listForRequester(
    teamId: string,
    requesterId: string,
    opts?: { statuses?: ApprovalStatus[]; limit?: number },
  ): Promise<ApprovalRequest[]>;
  /** Pending and not yet expired by the store's clock, oldest first: what an approver may decide. */
  listPending(teamId: string, opts?: { excludeRequester?: string; limit?: number }): Promise<ApprovalRequest[]>;
  /** Finished requests, newest decision first; `involving` matches the requester or the decider. */
  listRecent(teamId: string, opts?: { limit?: number; involving?: string }): Promise<ApprovalRequest[]>;
  /**
   * One compare-and-set: succeeds only if the request is still in `from` (and, leaving pending,
   * not yet expired). Throws InvalidTransitionError for a move outside the graph.
   */
  transition(id: string, from: ApprovalStatus, to: ApprovalStatus, patch?: TransitionPatch): Promise<TransitionResult>;
  /** Throws ApprovalNotFoundError for an unknown id. */
  setMessage(id: string, channelId: string, messageTs: string): Promise<void>;
  /** Pending requests whose time is up become expired; returns the ones this call moved. */
  expireDue(): Promise<ApprovalRequest[]>;
  /**
   * At start-up: executing → unknown, since a call in flight when the process died has an
   * unknowable outcome. With several replicas pass `startedBefore` (now − the call deadline)
   * so a live replica's call in flight is left alone.
   */
  markInterrupted(opts?: { startedBefore?: Date }): Promise<ApprovalRequest[]>;
}

export interface AuditLog {
  /** Throws InvalidStoreInputError when a detail key looks like a secret or a value is not a scalar. */
  append(entry: Omit<AuditEntry, "id" | "at"> & { at?: Date }): Promise<void>;
  /** Newest first. */
  query(filter: AuditFilter): Promise<AuditEntry[]>;
  /** Oldest first, every matching row, read page by page so a long period never sits in memory at once. */
  export(filter: AuditExportFilter): AsyncIterable<AuditEntry>;
}

export interface Store {
  readonly driver: "sqlite" | "postgres";
  readonly credentials: CredentialStore;
  readonly approvals: ApprovalStore;
  readonly audit: AuditLog;
  /** Reachable and every known migration applied; for /readyz. */
  ready(): Promise<Readiness>;
  close(): Promise<void>;
}
