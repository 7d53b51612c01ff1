import type { Logger } from "../../log.ts";
import type { AuditDetail, AuditLog, OperationStore } from "../../store/types.ts";
import type { LinkedAccount } from "../accounts.ts";
import type { Operation, OperationEvent, StepKind } from "./api.ts";

/** What the engine's parts (decisions, plan driver, sweep) share inside one engine. */
export interface EngineEnv {
  operations: OperationStore;
  accountFor(teamId: string, userId: string): Promise<LinkedAccount>;
  clock: () => number;
  /** Rejects with StepPausedError once the engine is stopping. */
  sleep(ms: number): Promise<void>;
  logger: Logger;
  /** This engine's name on the steps it claims. */
  owner: string;
  claimMs: number;
  deadlines: Readonly<Record<StepKind, number>>;
  isStopping(): boolean;
  /** Tells subscribers; awaited events are waited for (errors logged), the others are not. */
  emit(event: OperationEvent): Promise<void>;
  /** One audit row, action `<kind>.<verb>`; a failure to write it is logged, never thrown into a plan. */
  audit(operation: Operation, actorId: string, verb: string, result: string, detail?: AuditDetail): Promise<void>;
  /** Runs work in the background as tracked work; its failure is logged. */
  background(what: string, work: () => Promise<void>): void;
}

export const MINUTE = 60_000;

/** Long enough for the 10-minute operation lock to pass, and for the slowest transition seen. */
export const DEFAULT_DEADLINES: Readonly<Record<StepKind, number>> = {
  stop: 11 * MINUTE,
  start: 11 * MINUTE,
  reboot: 11 * MINUTE,
  reinstall: 11 * MINUTE,
  snapshot: 60 * MINUTE,
  "wait-for-state": 20 * MINUTE,
};

export function auditWriter(audit: AuditLog, logger: Logger): EngineEnv["audit"] {
  return async (operation, actorId, verb, result, detail = {}) => {
    try {
      await audit.append({
        teamId: operation.teamId,
        actorId,
        action: `${operation.kind}.${verb}`,
        target: operation.targets
          .map((t) => t.instanceId)
          .join(",")
          .slice(0, 256),
        result,
        detail: { approval: operation.id, requester: operation.requesterId, ...detail },
      });
    } catch (error) {
      logger.error({ err: error, approval: operation.id, verb }, "could not write an audit row");
    }
  };
}
