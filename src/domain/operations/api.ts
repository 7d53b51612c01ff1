import type { ApproverCheck, DecisionRefusal } from "../approvers.ts";

/**
 * The operations engine's public face (issue 10): a request for an operation on one or more
 * instances, approved once, carried out as a plan of steps with durable states. Slack renders
 * what these types hold and announces the events; it never calls CompShare for a mutation.
 */

export const OPERATION_KINDS = ["reinstall", "stop", "start", "reboot"] as const;
export type OperationKind = (typeof OPERATION_KINDS)[number];

/**
 * pending → approved → executing → succeeded | failed | unknown, or pending → rejected | expired |
 * cancelled. unknown → executing is "check again" finding the evidence and carrying on.
 */
export const REQUEST_STATUSES = [
  "pending",
  "approved",
  "executing",
  "succeeded",
  "failed",
  "unknown",
  "rejected",
  "expired",
  "cancelled",
] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];

export const STEP_KINDS = ["stop", "start", "reboot", "reinstall", "snapshot", "wait-for-state"] as const;
export type StepKind = (typeof STEP_KINDS)[number];

export const STEP_STATUSES = ["pending", "running", "done", "failed", "unknown", "skipped"] as const;
export type StepStatus = (typeof STEP_STATUSES)[number];

/** The states a wait-for-state step can wait for. */
export type WantedState = "Stopped" | "Running";

/** What a step does; the fields beside `kind` are the step's own parameters. */
export type StepAction =
  | { kind: "stop" }
  | { kind: "start" }
  | { kind: "reboot" }
  | { kind: "reinstall"; imageId: string; imageName?: string }
  /** CreateCompShareCustomImage from the instance's system disk, then GetCompShareImageCreateProgress to 100. */
  | { kind: "snapshot"; imageName: string }
  /** Polls DescribeCompShareInstance until the state is reached (and, after a reinstall, the image is on it). */
  | { kind: "wait-for-state"; state: WantedState; imageId?: string };

/**
 * Why a step failed or is unknown, language-neutral: Slack turns it into words in the reader's
 * language. API refusals keep the vendor's RetCode and Message.
 */
export type StepProblem =
  /** CompShare answered RetCode ≠ 0: nothing was done. */
  | { code: "refused"; retCode: number; message: string }
  /** The call never reached CompShare. */
  | { code: "not_sent" }
  | { code: "http"; status: number }
  /** DescribeCompShareInstance no longer lists the instance. */
  | { code: "instance_gone" }
  /** The instance did not reach the wanted state within the step's deadline. */
  | { code: "timed_out"; wanted: string; lastState?: string }
  /** The instance landed in a failure state, e.g. "Install Fail". */
  | { code: "instance_failed"; state: string }
  /** The custom image did not become available (its creation failed or it disappeared). */
  | { code: "image_failed" }
  /** A write whose answer was lost, and the instance's state does not (yet) prove either way. */
  | { code: "no_evidence"; lastState?: string }
  | { code: "keys_removed" }
  | { code: "keys_unreadable" }
  /** The requester's public key is not the one the request was checked with. */
  | { code: "keys_changed" }
  | { code: "internal" };

/** What a finished step found out. */
export interface StepResult {
  problem?: StepProblem;
  /** CompShare's request id of the call the step made (or of the read that settled it). */
  apiRequestId?: string;
  /** The instance as last seen by the step. */
  observedState?: string;
  observedImageId?: string;
  observedImageName?: string;
  /** A snapshot step's custom image, and how far its creation has got (0 to 100). */
  createdImageId?: string;
  progress?: number;
  /** True when the outcome was settled from DescribeCompShareInstance rather than from the call's answer. */
  reconciled?: boolean;
}

export interface Step {
  requestId: string;
  /** Order within the request; steps of one instance run in this order. */
  position: number;
  instanceId: string;
  action: StepAction;
  status: StepStatus;
  /** Times the mutation was sent and definitely refused with InstanceOperationInProgress. */
  attempts: number;
  /** The step's mutation went out and its answer is not yet recorded: after a restart it is reconciled, never resent. */
  sent: boolean;
  startedAt?: Date;
  finishedAt?: Date;
  updatedAt: Date;
  result?: StepResult;
}

/** An instance in the request, as the requester's keys saw it when the request was checked. */
export interface Target {
  instanceId: string;
  name?: string;
  /** e.g. "2× RTX 4090". */
  gpu?: string;
  stateBefore?: string;
  imageBeforeId?: string;
  imageBeforeName?: string;
}

export interface Operation {
  /** "req_" + 16 base32 characters: unguessable, safe in button values. */
  id: string;
  teamId: string;
  kind: OperationKind;
  requesterId: string;
  region: string;
  zone: string;
  projectId?: string;
  reason: string;
  /** keyFingerprint() of the public key the request was checked with; absent on requests made before it was recorded. */
  keyFingerprint?: string;
  status: RequestStatus;
  decidedBy?: string;
  decidedAt?: Date;
  /** A reason given (rejection) or the bot's note (`bot:` code, see OPERATION_NOTES). */
  note?: string;
  channelId?: string;
  messageTs?: string;
  createdAt: Date;
  updatedAt: Date;
  expiresAt: Date;
  /** When it reached a final status; retention counts from here. */
  finishedAt?: Date;
  /** Distinct approvals it needs (the requester never counts; see tallyApprovals). */
  approvalsRequired: number;
  /** Who approved so far, first first (one each); the N-th distinct approval starts the plan. */
  approvals: Approval[];
  /**
   * The plan does not start before this. Until approval: the time the requester asked for (absent:
   * run now); from approval: the time it is scheduled for (absent: it started at approval).
   */
  runAt?: Date;
  targets: Target[];
  /** Ordered by position. */
  steps: Step[];
}

export interface Approval {
  userId: string;
  at: Date;
}

/** The bot's own notes on a request, stored as codes and put into words by Slack. */
export const OPERATION_NOTES = {
  /** Withdrawn because its card could not be posted, so nobody could decide it. */
  cardNotPosted: "bot:card_not_posted",
  /** Closed at approval because the requester's keys changed since the request was checked. */
  keysChanged: "bot:keys_changed",
  /** Closed at approval because the requester's keys are gone or unreadable. */
  keysRemoved: "bot:keys_removed",
  /** Approved and scheduled, then cancelled before its time (decidedBy is who cancelled). */
  scheduledCancelled: "bot:scheduled_cancelled",
  /** The policy asks no approval for its kind: its requester started it (decidedBy), nobody approved it. */
  noApproval: "bot:no_approval",
} as const;

/** Options of a plan; which apply depends on the kind. */
export interface PlanOptions {
  /** reinstall: the image to put on every instance. */
  image?: { id: string; name?: string; type?: string };
  /** reinstall: stop each instance first (Slack pre-selects it when an instance is not Stopped). */
  stopFirst?: boolean;
  /** reinstall: start each instance again when done (pre-selected when it was Running). */
  startAfter?: boolean;
  /** reinstall: keep a copy of the system disk first, as a custom image of this name (one per instance, suffixed). */
  snapshotName?: string;
}

export const MAX_TARGETS = 20;

export interface NewOperation {
  teamId: string;
  requesterId: string;
  kind: OperationKind;
  region: string;
  zone: string;
  projectId?: string;
  reason: string;
  /** The account's keyFingerprint() the targets were checked with (LinkedAccount.fingerprint). */
  keyFingerprint: string;
  /** 1 to MAX_TARGETS, all in `zone`. */
  targets: Target[];
  options: PlanOptions;
  /** "none": no approver needed; the request is approved by its requester at once and runs. */
  approval: "required" | "none";
  /** How long a pending request waits for a decision. */
  ttlMs: number;
  /** Distinct approvals needed (the policy's `approvals`); 1 when omitted. */
  approvalsRequired?: number;
  /** The time asked for (the modal's datetimepicker); absent: as soon as it is approved. */
  runAt?: Date;
}

/** Who decides, and what the approver directory said about them (Slack looks up the groups). */
export interface Decider {
  teamId: string;
  userId: string;
  check: ApproverCheck;
}

export type RefusalReason =
  | DecisionRefusal
  /** Only the requester may cancel. */
  | "not_requester"
  | "keys_changed"
  | "keys_removed"
  /** With two or more approvals required, the requester's own approval never counts. */
  | "requester_in_quorum"
  /** Run now while every change window of the kind is shut. */
  | "outside_windows";

export type DecisionResult =
  /** The move happened; for approve, the plan is now running in the background. */
  | { kind: "done"; operation: Operation }
  /** The approval was recorded and more are needed: `operation.approvals` holds who approved so far. */
  | { kind: "counted"; operation: Operation }
  /** This approver had approved already: nothing changed. */
  | { kind: "duplicate"; operation: Operation }
  /** Not allowed: nothing moved, except keys_changed / keys_removed, which close the request (cancelled, with a note). */
  | { kind: "refused"; reason: RefusalReason; operation: Operation }
  /** Time was up: the engine expired it now. */
  | { kind: "expired"; operation: Operation }
  /** Someone else moved it first; `operation` is what they left (undefined: no such request in this team). */
  | { kind: "late"; operation: Operation | undefined };

export type CheckAgainResult =
  /** Evidence re-read: unknown steps settled (done or still unknown) and, if all settled, the plan carries on. */
  | { kind: "checked"; operation: Operation }
  /** Nothing is unknown (any more): nothing to check. */
  | { kind: "nothing_unknown"; operation: Operation | undefined }
  /** Only approvers and the requester may check again. */
  | { kind: "refused"; reason: "not_approver" | "unverified"; operation: Operation };

/** Why a request moved; keys_changed covers keys removed too (the request's note says which). */
export type MoveCause =
  | "requested"
  /** A quorum approval was recorded and more are needed: the card shows k of N. */
  | "approval-counted"
  | "decision"
  | "expired"
  | "withdrawn"
  | "keys_changed"
  | "executing"
  /** A scheduled request whose window was missed (the bot was down) waits for the next one. */
  | "rescheduled";

export type OperationEvent =
  /** The request's status changed (created, decided, expired by the sweep, closed, started executing). */
  | { type: "request-moved"; operation: Operation; cause: MoveCause }
  /** A step changed status (or recorded a new observation); card edits should be coalesced. */
  | { type: "step-changed"; operation: Operation; step: Step }
  /** Every instance is finished or stopped at a failed or unknown step: the request is succeeded, failed or unknown. */
  | { type: "plan-finished"; operation: Operation };

/**
 * request-moved and plan-finished are awaited (the sweep runs them with bounded concurrency);
 * step-changed is not: the listener should schedule its work and return.
 */
export type OperationListener = (event: OperationEvent) => void | Promise<void>;

export interface ListOptions {
  limit?: number;
}

export interface SweepReport {
  expired: number;
  /** Plans this engine picked up: after a restart, or from a replica that stopped renewing its claim. */
  resumed: number;
  /** Finished requests removed after the retention period (the audit log keeps their history). */
  purged: number;
}

export interface OperationsEngine {
  /** Records the request and its plan (pending, or approved and running when `approval` is "none"). */
  request(input: NewOperation): Promise<Operation>;
  approve(id: string, decider: Decider): Promise<DecisionResult>;
  reject(id: string, decider: Decider, reason?: string): Promise<DecisionResult>;
  /** Only the requester may cancel. */
  cancel(teamId: string, id: string, userId: string): Promise<DecisionResult>;
  /** A scheduled request starts now: approvers only, and only while one of its kind's windows is open. */
  runNow(id: string, decider: Decider): Promise<DecisionResult>;
  /** A scheduled request is closed before its time: its requester or an approver. */
  cancelScheduled(id: string, decider: Decider): Promise<DecisionResult>;
  /** The card could not be posted: close the pending request so it is not left unseen. */
  withdraw(teamId: string, id: string, byUserId: string): Promise<DecisionResult>;
  /** Re-reads the evidence for unknown steps and continues the plan if it is now conclusive. */
  checkAgain(id: string, decider: Decider): Promise<CheckAgainResult>;
  get(teamId: string, id: string): Promise<Operation | undefined>;
  /** Newest first. */
  listForRequester(
    teamId: string,
    userId: string,
    opts?: ListOptions & { statuses?: RequestStatus[] },
  ): Promise<Operation[]>;
  /** Pending and not expired, oldest first: what an approver may decide. */
  listPending(teamId: string, opts?: ListOptions & { excludeRequester?: string }): Promise<Operation[]>;
  /** Finished, newest first; `involving` matches the requester or the decider. */
  listRecent(teamId: string, opts?: ListOptions & { involving?: string }): Promise<Operation[]>;
  setMessage(id: string, channelId: string, messageTs: string): Promise<void>;
  /** Returns the unsubscribe function. */
  subscribe(listener: OperationListener): () => void;
  /** Sweeps once (resuming what a restart left), then every interval. */
  start(): void;
  /** Stops sweeping and taking up steps; resolves when the steps this engine is running have paused or finished. */
  stop(): Promise<void>;
  /** One sweep: expire due requests, resume orphaned plans, purge past retention. */
  sweep(): Promise<SweepReport>;
  /** Resolves when no plan is being driven by this engine (tests, shutdown). */
  idle(): Promise<void>;
}
