import type { Logger } from "../log.ts";
import type { ApprovalRequest, ApprovalStore } from "../store/types.ts";

/**
 * Moves requests nobody will move any more, then lets people know: pending ones past their
 * APPROVAL_TTL become expired, and executing ones whose process died mid-call become unknown
 * (DESIGN §5, restart safety). Runs once at start and then on a timer; what is due is decided
 * by the store's (injected) clock, so tests move time instead of waiting for it.
 */

export type SweepReason = "expired" | "interrupted";

export interface HousekeepingOptions {
  approvals: ApprovalStore;
  /**
   * True when no other process can be executing against this store (SQLite: one process owns
   * the file). Then everything executing at start is orphaned; with a shared PostgreSQL only
   * executions older than `staleExecutionMs` are, as a live replica may own the rest.
   */
  exclusiveStore: boolean;
  clock: () => number;
  logger: Logger;
  /** Tells people about a request the sweep moved (card, DM); a failure is logged, not retried. */
  announce(request: ApprovalRequest, reason: SweepReason): Promise<void>;
  /** Runs a sweep as tracked work, so shutdown waits for it. */
  track<T>(work: () => Promise<T>): Promise<T>;
  intervalMs?: number;
  /** Longer than any reinstall call can take (the client's deadline is 15 s by default). */
  staleExecutionMs?: number;
}

export interface SweepReport {
  expired: number;
  interrupted: number;
}

export interface ApprovalHousekeeping {
  /** Sweeps once now, as a restart, then every interval. */
  start(): void;
  stop(): void;
  /** One sweep; concurrent calls share the one in progress. */
  sweep(): Promise<SweepReport>;
}

const DEFAULT_INTERVAL_MS = 60_000;
const DEFAULT_STALE_EXECUTION_MS = 5 * 60_000;

export function createApprovalHousekeeping(options: HousekeepingOptions): ApprovalHousekeeping {
  const intervalMs = options.intervalMs ?? DEFAULT_INTERVAL_MS;
  const staleMs = options.staleExecutionMs ?? DEFAULT_STALE_EXECUTION_MS;
  const log = options.logger.child({ component: "approval-housekeeping" });
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<SweepReport> | undefined;

  const sweepOnce = async (atStart: boolean): Promise<SweepReport> => {
    const everything = atStart && options.exclusiveStore;
    const interrupted = await options.approvals.markInterrupted(
      everything ? {} : { startedBefore: new Date(options.clock() - staleMs) },
    );
    const expired = await options.approvals.expireDue();
    for (const request of interrupted) await announce(request, "interrupted");
    for (const request of expired) await announce(request, "expired");
    if (interrupted.length + expired.length > 0) {
      log.info({ expired: expired.length, interrupted: interrupted.length }, "approval requests swept");
    }
    return { expired: expired.length, interrupted: interrupted.length };
  };

  const announce = async (request: ApprovalRequest, reason: SweepReason) => {
    try {
      await options.announce(request, reason);
    } catch (error) {
      log.warn({ err: error, approval: request.id, reason }, "could not announce a swept request");
    }
  };

  const sweep = (atStart = false): Promise<SweepReport> => {
    running ??= options
      .track(() => sweepOnce(atStart))
      .finally(() => {
        running = undefined;
      });
    return running;
  };

  const sweepInBackground = (atStart: boolean) => {
    sweep(atStart).catch((error: unknown) => log.error({ err: error }, "approval sweep failed"));
  };

  return {
    start() {
      if (timer) return;
      sweepInBackground(true);
      timer = setInterval(() => sweepInBackground(false), intervalMs);
      timer.unref();
    },
    stop() {
      clearInterval(timer);
      timer = undefined;
    },
    sweep: () => sweep(),
  };
}
