import type { Logger } from "../../log.ts";
import type { AuditLog, OperationStore } from "../../store/types.ts";
import type { LinkedAccount } from "../accounts.ts";
import type { OperationsEngine, StepKind } from "./api.ts";

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
}

export function createOperationsEngine(_options: EngineOptions): OperationsEngine {
  throw new Error("not implemented yet");
}
