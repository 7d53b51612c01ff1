import { randomBytes } from "node:crypto";
import { setTimeout as delay } from "node:timers/promises";
import type { Logger } from "../../log.ts";
import type { AuditLog, OperationStore } from "../../store/types.ts";
import type { LinkedAccount } from "../accounts.ts";
import type {
  CheckAgainResult,
  OperationEvent,
  OperationKind,
  OperationListener,
  OperationsEngine,
  StepKind,
} from "./api.ts";
import { OPERATION_NOTES } from "./api.ts";
import { createDecisions } from "./decisions.ts";
import { auditWriter, DEFAULT_DEADLINES, type EngineEnv } from "./engine-env.ts";
import { planSteps } from "./plan.ts";
import { createPlanDriver } from "./plan-driver.ts";
import { createScheduling, type WindowsFor } from "./schedule.ts";
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
  /** One for every kind, or per kind (the policy's actions). */
  allowSelfApproval: boolean | ((kind: OperationKind) => boolean);
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
  /** The change windows of a kind (the policy's); none (any time) by default. */
  windowsFor?: WindowsFor;
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
  const scheduling = createScheduling(env, driver, options.windowsFor ?? (() => []));
  const sweeper = createSweeper(env, driver, scheduling, {
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
  const decisions = createDecisions(env, driver, {
    allowSelfApproval: (kind) =>
      typeof options.allowSelfApproval === "boolean" ? options.allowSelfApproval : options.allowSelfApproval(kind),
    accountFor: options.accountFor,
    inTeam,
    runAtOnApproval: scheduling.runAtOnApproval,
  });

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
        ...(input.approvalsRequired ? { approvalsRequired: input.approvalsRequired } : {}),
        ...(input.runAt ? { runAt: input.runAt } : {}),
      });
      await env.audit(operation, input.requesterId, "request", "pending", {
        image: input.options.image?.id ?? null,
        instances: input.targets.length,
        runAt: input.runAt?.toISOString() ?? null,
      });
      await emit({ type: "request-moved", operation, cause: "requested" });
      if (input.approval === "none") {
        const approved = await decisions.approveNow(operation, input.requesterId, OPERATION_NOTES.noApproval);
        if (approved.kind === "done") return approved.operation;
      }
      return operation;
    },

    approve: decisions.approve,
    reject: decisions.reject,
    cancel: decisions.cancel,
    withdraw: decisions.withdraw,

    async runNow(id, decider) {
      const operation = await inTeam(decider.teamId, id);
      return operation ? scheduling.runNow(operation, decider) : { kind: "late", operation: undefined };
    },

    async cancelScheduled(id, decider) {
      const operation = await inTeam(decider.teamId, id);
      return operation ? scheduling.cancelScheduled(operation, decider) : { kind: "late", operation: undefined };
    },

    async checkAgain(id, decider): Promise<CheckAgainResult> {
      const operation = await inTeam(decider.teamId, id);
      if (!operation) return { kind: "nothing_unknown", operation: undefined };
      const isRequester = decider.userId === operation.requesterId;
      if (!isRequester && decider.check !== "approver") {
        await decisions.refuse(operation, decider.userId, "check", decider.check);
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
