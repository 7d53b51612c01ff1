import { randomBytes } from "node:crypto";
import { setTimeout as delay } from "node:timers/promises";
import type { Logger } from "../../log.ts";
import { CredentialDecryptError } from "../../store/errors.ts";
import type { AuditLog, OperationStore } from "../../store/types.ts";
import { type LinkedAccount, NotLinkedError } from "../accounts.ts";
import { decisionRefusal } from "../approvers.ts";
import {
  type CheckAgainResult,
  type Decider,
  type DecisionResult,
  OPERATION_NOTES,
  type Operation,
  type OperationEvent,
  type OperationListener,
  type OperationsEngine,
  type StepKind,
} from "./api.ts";
import { auditWriter, DEFAULT_DEADLINES, type EngineEnv } from "./engine-env.ts";
import { planSteps } from "./plan.ts";
import { createPlanDriver } from "./plan-driver.ts";
import { StepPausedError } from "./step-context.ts";
import { createSweeper } from "./sweep.ts";

export interface EngineOptions {
  operations: OperationStore;
  audit: AuditLog;
  /** The requester's own client: every step runs with the keys of the person who asked. */
  accountFor(teamId: string, userId: string): Promise<LinkedAccount>;
  clock: () => number;
  /** Waits between polls; injected so tests move a fake clock instead of waiting. */
  sleep?: (ms: number) => Promise<void>;
  logger: Logger;
  allowSelfApproval: boolean;
  /** True when no other process uses the store (SQLite): at start every running step is this process's orphan. */
  exclusiveStore: boolean;
  /** Runs background work as tracked work, so shutdown waits for it. */
  track?: <T>(work: () => Promise<T>) => Promise<T>;
  sweepIntervalMs?: number;
  /** How long a replica's claim on a running step lasts without renewal before another may take it over. */
  claimMs?: number;
  /** Finished requests are deleted this long after they finished (default 90 days); the audit log keeps every action. */
  retentionMs?: number;
  /** How many announcements of swept requests run at once. */
  announceConcurrency?: number;
  /** Per-step deadlines. */
  deadlines?: Partial<Record<StepKind, number>>;
  /** This engine's name on the steps it claims; random by default. */
  owner?: string;
}

const DAY = 86_400_000;
export const DEFAULT_RETENTION_MS = 90 * DAY;
/** Longer than a poll interval (20 s) plus a call's deadline (15 s), with room to spare. */
const DEFAULT_CLAIM_MS = 60_000;

/**
 * The one approval and operations engine (issue 10): request → approve | reject | cancel |
 * expire → execute → outcome, each move a compare-and-set with its audit row, for any kind.
 */
export function createOperationsEngine(options: EngineOptions): OperationsEngine {
  const logger = options.logger.child({ component: "operations" });
  const listeners = new Set<OperationListener>();
  const track = options.track ?? (<T>(work: () => Promise<T>) => work());
  const background = new Set<Promise<void>>();
  const stopping = new AbortController();
  const sleep = options.sleep ?? ((ms: number) => delay(ms));

  const emit = async (event: OperationEvent) => {
    const calls = [...listeners].map(async (listener) => {
      try {
        await listener(event);
      } catch (error) {
        logger.warn({ err: error, event: event.type, approval: event.operation.id }, "an operation listener failed");
      }
    });
    if (event.type !== "step-changed") await Promise.all(calls);
  };

  const env: EngineEnv = {
    operations: options.operations,
    accountFor: options.accountFor,
    clock: options.clock,
    async sleep(ms) {
      if (stopping.signal.aborted) throw new StepPausedError();
      await Promise.race([
        sleep(ms),
        new Promise((_, reject) =>
          stopping.signal.addEventListener("abort", () => reject(new StepPausedError()), { once: true }),
        ),
      ]);
    },
    logger,
    owner: options.owner ?? `engine-${randomBytes(6).toString("hex")}`,
    claimMs: options.claimMs ?? DEFAULT_CLAIM_MS,
    deadlines: { ...DEFAULT_DEADLINES, ...options.deadlines },
    isStopping: () => stopping.signal.aborted,
    emit,
    audit: auditWriter(options.audit, logger),
    background(what, work) {
      const running: Promise<void> = track(work)
        .catch((error: unknown) => logger.error({ err: error, what }, "background operation work failed"))
        .finally(() => background.delete(running));
      background.add(running);
    },
  };
  const driver = createPlanDriver(env);
  const sweeper = createSweeper(env, driver, {
    exclusiveStore: options.exclusiveStore,
    intervalMs: options.sweepIntervalMs,
    retentionMs: options.retentionMs ?? DEFAULT_RETENTION_MS,
    announceConcurrency: options.announceConcurrency,
  });
  const ops = options.operations;

  const inTeam = async (teamId: string, id: string) => {
    const operation = await ops.get(id);
    return operation?.teamId === teamId ? operation : undefined;
  };

  /** What stands in the way of a decision on `operation` now, or undefined when it may be made. */
  const blocked = async (operation: Operation): Promise<DecisionResult | undefined> => {
    if (operation.status !== "pending") return { kind: "late", operation };
    if (operation.expiresAt.getTime() > options.clock()) return undefined;
    const moved = await ops.transition(operation.id, "pending", "expired");
    if (!moved.ok) return { kind: "late", operation: moved.current };
    await env.audit(moved.operation, "system", "expire", "expired");
    await emit({ type: "request-moved", operation: moved.operation, cause: "expired" });
    return { kind: "expired", operation: moved.operation };
  };

  const refuse = async (operation: Operation, actorId: string, verb: string, reason: string): Promise<void> => {
    logger.info({ approval: operation.id, refusal: reason, verb }, "decision refused");
    await env.audit(operation, actorId, verb, `refused:${reason}`);
  };

  /** The requester's keys must still be the ones the request was checked with. */
  const keysProblem = async (operation: Operation): Promise<"keys_changed" | "keys_removed" | undefined> => {
    try {
      const account = await options.accountFor(operation.teamId, operation.requesterId);
      if (operation.keyFingerprint && account.fingerprint !== operation.keyFingerprint) return "keys_changed";
      return undefined;
    } catch (error) {
      if (error instanceof NotLinkedError || error instanceof CredentialDecryptError) return "keys_removed";
      throw error;
    }
  };

  const closeForKeys = async (
    operation: Operation,
    decider: Decider,
    reason: "keys_changed" | "keys_removed",
  ): Promise<DecisionResult> => {
    const note = reason === "keys_changed" ? OPERATION_NOTES.keysChanged : OPERATION_NOTES.keysRemoved;
    // Decided by the requester's own change, not by the approver who clicked.
    const moved = await ops.transition(operation.id, "pending", "cancelled", {
      decidedBy: operation.requesterId,
      note,
    });
    if (!moved.ok) return { kind: "late", operation: moved.current };
    await refuse(moved.operation, decider.userId, "approve", reason);
    await emit({ type: "request-moved", operation: moved.operation, cause: "keys_changed" });
    return { kind: "refused", reason, operation: moved.operation };
  };

  const approveNow = async (operation: Operation, deciderId: string): Promise<DecisionResult> => {
    const moved = await ops.transition(operation.id, "pending", "approved", { decidedBy: deciderId });
    if (!moved.ok) return { kind: "late", operation: moved.current };
    await env.audit(moved.operation, deciderId, "approve", "approved");
    await emit({ type: "request-moved", operation: moved.operation, cause: "decision" });
    env.background("drive", () => driver.drive(operation.id));
    return { kind: "done", operation: moved.operation };
  };

  const closeUnrun = async (
    operation: Operation,
    to: "rejected" | "cancelled",
    actorId: string,
    verb: string,
    note?: string,
  ): Promise<DecisionResult> => {
    const moved = await ops.transition(operation.id, "pending", to, { decidedBy: actorId, ...(note ? { note } : {}) });
    if (!moved.ok) return { kind: "late", operation: moved.current };
    await env.audit(moved.operation, actorId, verb, to);
    await emit({ type: "request-moved", operation: moved.operation, cause: "decision" });
    return { kind: "done", operation: moved.operation };
  };

  return {
    async request(input) {
      const steps = planSteps(input.kind, input.targets, input.options);
      const operation = await ops.create({
        teamId: input.teamId,
        requesterId: input.requesterId,
        kind: input.kind,
        region: input.region,
        zone: input.zone,
        ...(input.projectId ? { projectId: input.projectId } : {}),
        reason: input.reason,
        keyFingerprint: input.keyFingerprint,
        targets: input.targets,
        steps,
        ttlMs: input.ttlMs,
      });
      await env.audit(operation, input.requesterId, "request", "pending", {
        image: input.options.image?.id ?? null,
        instances: input.targets.length,
      });
      await emit({ type: "request-moved", operation, cause: "requested" });
      if (input.approval === "none") {
        const approved = await approveNow(operation, input.requesterId);
        if (approved.kind === "done") return approved.operation;
      }
      return operation;
    },

    async approve(id, decider) {
      const operation = await inTeam(decider.teamId, id);
      if (!operation) return { kind: "late", operation: undefined };
      const refusal = decisionRefusal({
        check: decider.check,
        deciderId: decider.userId,
        requesterId: operation.requesterId,
        verdict: "approve",
        allowSelfApproval: options.allowSelfApproval,
      });
      if (refusal) {
        await refuse(operation, decider.userId, "approve", refusal);
        return { kind: "refused", reason: refusal, operation };
      }
      const stop = await blocked(operation);
      if (stop) return stop;
      const keys = await keysProblem(operation);
      if (keys) return closeForKeys(operation, decider, keys);
      return approveNow(operation, decider.userId);
    },

    async reject(id, decider, reason) {
      const operation = await inTeam(decider.teamId, id);
      if (!operation) return { kind: "late", operation: undefined };
      const refusal = decisionRefusal({
        check: decider.check,
        deciderId: decider.userId,
        requesterId: operation.requesterId,
        verdict: "reject",
        allowSelfApproval: options.allowSelfApproval,
      });
      if (refusal) {
        await refuse(operation, decider.userId, "reject", refusal);
        return { kind: "refused", reason: refusal, operation };
      }
      const stop = await blocked(operation);
      if (stop) return stop;
      return closeUnrun(operation, "rejected", decider.userId, "reject", reason?.trim() || undefined);
    },

    async cancel(teamId, id, userId) {
      const operation = await inTeam(teamId, id);
      if (!operation) return { kind: "late", operation: undefined };
      if (operation.requesterId !== userId) {
        await refuse(operation, userId, "cancel", "not_requester");
        return { kind: "refused", reason: "not_requester", operation };
      }
      const stop = await blocked(operation);
      if (stop) return stop;
      return closeUnrun(operation, "cancelled", userId, "cancel");
    },

    async withdraw(teamId, id, byUserId) {
      const operation = await inTeam(teamId, id);
      if (operation?.status !== "pending") return { kind: "late", operation };
      const moved = await ops.transition(id, "pending", "cancelled", {
        decidedBy: byUserId,
        note: OPERATION_NOTES.cardNotPosted,
      });
      if (!moved.ok) return { kind: "late", operation: moved.current };
      await env.audit(moved.operation, operation.requesterId, "request", "withdrawn:card_not_posted");
      await emit({ type: "request-moved", operation: moved.operation, cause: "withdrawn" });
      return { kind: "done", operation: moved.operation };
    },

    async checkAgain(id, decider): Promise<CheckAgainResult> {
      const operation = await inTeam(decider.teamId, id);
      if (!operation) return { kind: "nothing_unknown", operation: undefined };
      const isRequester = decider.userId === operation.requesterId;
      if (!isRequester && decider.check !== "approver") {
        await refuse(operation, decider.userId, "check", decider.check);
        return { kind: "refused", reason: decider.check === "unverified" ? "unverified" : "not_approver", operation };
      }
      if (!operation.steps.some((step) => step.status === "unknown")) {
        return { kind: "nothing_unknown", operation };
      }
      await driver.recheck(operation, decider.userId);
      const after = await ops.get(id);
      if (after?.status === "unknown" && !after.steps.some((step) => step.status === "unknown")) {
        const moved = await ops.transition(id, "unknown", "executing");
        if (moved.ok) {
          await env.audit(moved.operation, decider.userId, "execute", "executing");
          await emit({ type: "request-moved", operation: moved.operation, cause: "executing" });
          env.background("drive", () => driver.drive(id));
        }
      }
      return { kind: "checked", operation: (await ops.get(id)) ?? operation };
    },

    get: inTeam,
    listForRequester: (teamId, userId, opts) => ops.listForRequester(teamId, userId, opts),
    listPending: (teamId, opts) => ops.listPending(teamId, opts),
    listRecent: (teamId, opts) => ops.listRecent(teamId, opts),
    setMessage: (id, channelId, messageTs) => ops.setMessage(id, channelId, messageTs),

    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },

    start() {
      sweeper.start();
    },

    async stop() {
      sweeper.stop();
      stopping.abort();
      while (background.size > 0) await Promise.allSettled([...background]);
    },

    sweep: () => sweeper.sweep(),

    async idle() {
      while (background.size > 0) await Promise.allSettled([...background]);
    },
  };
}
