import type {
  Operation,
  OperationKind,
  RequestStatus,
  Step,
  StepAction,
  StepResult,
  Target,
} from "../domain/operations/api.ts";

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

/** A new request with its plan, written in one transaction. */
export interface NewOperationRecord {
  teamId: string;
  requesterId: string;
  kind: OperationKind;
  region: string;
  zone: string;
  projectId?: string;
  reason: string;
  keyFingerprint: string;
  targets: Target[];
  steps: { instanceId: string; action: StepAction }[];
  ttlMs: number;
  /** Distinct approvals the request needs (1 when omitted). */
  approvalsRequired?: number;
  /** The time asked for; absent: run at approval. */
  runAt?: Date;
}

export interface OperationPatch {
  /** Required when a decision leaves pending (approved, rejected, cancelled); refused elsewhere. */
  decidedBy?: string;
  note?: string;
  /** pending → approved only: when the plan may start (null: at once). */
  runAt?: Date | null;
}

export type OperationTransition = { ok: true; operation: Operation } | { ok: false; current: Operation | undefined };

/** Who holds a running step, and until when the claim holds without renewal. */
export interface StepClaim {
  owner: string;
  until: Date;
}

export interface OperationStore {
  create(input: NewOperationRecord): Promise<Operation>;
  get(id: string): Promise<Operation | undefined>;
  listForRequester(
    teamId: string,
    requesterId: string,
    opts?: { statuses?: RequestStatus[]; limit?: number },
  ): Promise<Operation[]>;
  listPending(teamId: string, opts?: { excludeRequester?: string; limit?: number }): Promise<Operation[]>;
  listRecent(teamId: string, opts?: { limit?: number; involving?: string }): Promise<Operation[]>;
  /**
   * One compare-and-set on the request: succeeds only if it is still in `from` (and, leaving
   * pending, not yet expired). Throws InvalidTransitionError for a move outside the graph.
   */
  transition(id: string, from: RequestStatus, to: RequestStatus, patch?: OperationPatch): Promise<OperationTransition>;
  setMessage(id: string, channelId: string, messageTs: string): Promise<void>;
  /**
   * Records one approval, one row per (request, approver): true when it is new, false when this
   * approver approved already or the request is no longer pending.
   */
  recordApproval(id: string, approverId: string): Promise<boolean>;
  /**
   * A compare-and-set on an approved request's time: null starts it as soon as it is driven
   * (Run now), a date moves it (its window was missed). Not ok once it has left approved.
   */
  reschedule(id: string, runAt: Date | null): Promise<OperationTransition>;
  /**
   * The step's own compare-and-set: pending → running, or a running step whose claim has lapsed
   * taken over; only when every earlier step of the same instance is done. Undefined when lost.
   * A claim lapses when its `until` is before `lapsedBefore` (now by default).
   */
  claimStep(requestId: string, position: number, claim: StepClaim, lapsedBefore?: Date): Promise<Step | undefined>;
  /** Extends the owner's claim; false when the step is no longer this owner's. */
  renewClaim(requestId: string, position: number, claim: StepClaim): Promise<boolean>;
  /**
   * Before a mutation is sent (`sent` true) and after it was definitely refused (`sent` false,
   * attempts + 1). A running step found with `sent` after a restart is reconciled, never resent.
   */
  markSent(requestId: string, position: number, owner: string, sent: boolean): Promise<boolean>;
  /** What a running step has seen so far (state while polling), by the claim's owner. */
  recordObservation(requestId: string, position: number, owner: string, result: StepResult): Promise<Step | undefined>;
  /** running → done | failed | unknown, by the claim's owner. */
  finishStep(
    requestId: string,
    position: number,
    owner: string,
    status: "done" | "failed" | "unknown",
    result: StepResult,
  ): Promise<Step | undefined>;
  /** unknown → done | failed, or a new observation on an unknown step ("check again"). */
  settleUnknownStep(
    requestId: string,
    position: number,
    status: "done" | "failed" | "unknown",
    result: StepResult,
  ): Promise<Step | undefined>;
  /** pending → skipped for the instance's steps after `position`; returns them. */
  skipRest(requestId: string, instanceId: string, position: number): Promise<Step[]>;
  /** Pending requests whose time is up become expired, oldest first, at most `limit`. */
  expireDue(limit: number): Promise<Operation[]>;
  /** Ids of approved (and due: run_at passed) or executing requests with a step that may be claimed now. */
  listResumable(limit: number, lapsedBefore?: Date): Promise<string[]>;
  /** Deletes requests (and their plans) that finished before `before`; returns how many. */
  purgeFinished(before: Date, limit: number): Promise<number>;
}

export interface AuditLog {
  /** Throws InvalidStoreInputError when a detail key looks like a secret or a value is not a scalar. */
  append(entry: Omit<AuditEntry, "id" | "at"> & { at?: Date }): Promise<void>;
  /** Newest first. */
  query(filter: AuditFilter): Promise<AuditEntry[]>;
  /** Oldest first, every matching row, read page by page so a long period never sits in memory at once. */
  export(filter: AuditExportFilter): AsyncIterable<AuditEntry>;
}

/** Slack deliveries already taken (DESIGN §6: each delivery handled once, on any replica). */
export interface DeliveryLedger {
  /** True for the first claim of `key` (or the first after its claim expired); false for a repeat. */
  claim(key: string, ttlMs: number): Promise<boolean>;
  /** Gives a key back, so the same delivery may run again (a form answered with field errors did nothing). */
  release(key: string): Promise<void>;
  /** Deletes expired claims; returns how many. */
  prune(): Promise<number>;
}

export interface Store {
  readonly driver: "sqlite" | "postgres";
  readonly credentials: CredentialStore;
  readonly operations: OperationStore;
  readonly audit: AuditLog;
  readonly deliveries: DeliveryLedger;
  /** Reachable and every known migration applied; for /readyz. */
  ready(): Promise<Readiness>;
  close(): Promise<void>;
}
