import type { Operation, SweepReport } from "./api.ts";
import { createLimiter } from "./concurrency.ts";
import type { EngineEnv } from "./engine-env.ts";
import type { PlanDriver } from "./plan-driver.ts";
import { isScheduled, type Scheduling } from "./schedule.ts";

/**
 * The periodic sweep: pending requests past their time become expired (and are announced, a
 * few at a time), plans nobody drives any more are picked up (after a restart, or from a replica
 * that stopped renewing its claims), and finished requests past retention are deleted. Every
 * read goes through an index that does not start with the team.
 */
export interface Sweeper {
  start(): void;
  stop(): void;
  sweep(): Promise<SweepReport>;
}

export interface SweepOptions {
  exclusiveStore: boolean;
  intervalMs?: number | undefined;
  retentionMs: number;
  announceConcurrency?: number | undefined;
}

const DEFAULT_INTERVAL_MS = 60_000;
/** Slack's chat.update is Tier 3 (about 50 a minute); a handful at once stays inside it with the client's own queue. */
const DEFAULT_ANNOUNCE_CONCURRENCY = 8;
const BATCH = 500;
const RESUME_BATCH = 100;
const FAR_FUTURE = new Date("9999-12-31T00:00:00.000Z");

export function createSweeper(
  env: EngineEnv,
  driver: PlanDriver,
  scheduling: Pick<Scheduling, "postponedTo">,
  options: SweepOptions,
): Sweeper {
  const intervalMs = options.intervalMs ?? DEFAULT_INTERVAL_MS;
  const concurrency = options.announceConcurrency ?? DEFAULT_ANNOUNCE_CONCURRENCY;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<SweepReport> | undefined;
  // Announcing is Slack's pace, not the database's: it runs beside the sweep, a few at a time,
  // so a large expiry does not hold up resuming plans.
  const announcing = createLimiter(concurrency);

  const expire = async (): Promise<number> => {
    let total = 0;
    for (;;) {
      const batch = await env.operations.expireDue(BATCH);
      total += batch.length;
      for (const operation of batch) {
        await env.audit(operation, "system", "expire", "expired");
        env.background("announce", async () => {
          await announcing.run(() => env.emit({ type: "request-moved", operation, cause: "expired" }));
        });
      }
      if (batch.length < BATCH) return total;
    }
  };

  const resume = async (atStart: boolean): Promise<number> => {
    // One process owns a SQLite file: at start, every claim in it is a dead process's.
    const lapsedBefore = atStart && options.exclusiveStore ? FAR_FUTURE : new Date(env.clock());
    const ids = await env.operations.listResumable(RESUME_BATCH, lapsedBefore);
    let resumed = 0;
    for (const id of ids) {
      if (driver.driving.has(id)) continue;
      const operation = await env.operations.get(id);
      // A scheduled request comes up here once its time is due; started by the drive's compare-and-set.
      const postponed = operation && scheduling.postponedTo(operation);
      if (operation && postponed) {
        await postpone(operation, postponed);
        continue;
      }
      resumed += 1;
      const due = operation !== undefined && isScheduled(operation);
      env.logger.info({ approval: id }, due ? "starting a scheduled plan" : "resuming a plan nobody was driving");
      if (operation) await env.audit(operation, "system", due ? "start_scheduled" : "resume", operation.status);
      env.background("resume", () => driver.drive(id, { lapsedBefore }));
    }
    return resumed;
  };

  /** Its time came while no bot ran and the window has shut since: it waits for the next opening. */
  const postpone = async (operation: Operation, to: Date): Promise<void> => {
    const moved = await env.operations.reschedule(operation.id, to);
    if (!moved.ok) return;
    env.logger.info({ approval: operation.id, runAt: to.toISOString() }, "a scheduled run missed its window");
    await env.audit(moved.operation, "system", "reschedule", "scheduled", { runAt: to.toISOString() });
    await env.emit({ type: "request-moved", operation: moved.operation, cause: "rescheduled" });
  };

  const purge = async (): Promise<number> => {
    const before = new Date(env.clock() - options.retentionMs);
    let total = 0;
    for (;;) {
      const purged = await env.operations.purgeFinished(before, BATCH);
      total += purged;
      if (purged < BATCH) return total;
    }
  };

  const sweepOnce = async (atStart: boolean): Promise<SweepReport> => {
    const expired = await expire();
    const resumed = env.isStopping() ? 0 : await resume(atStart);
    const purged = await purge();
    if (expired + resumed + purged > 0) env.logger.info({ expired, resumed, purged }, "operations swept");
    return { expired, resumed, purged };
  };

  let startSweepDone = false;
  const sweep = (): Promise<SweepReport> => {
    const atStart = !startSweepDone;
    startSweepDone = true;
    running ??= sweepOnce(atStart).finally(() => {
      running = undefined;
    });
    return running;
  };

  return {
    start() {
      if (timer) return;
      const tick = () => {
        env.background("sweep", async () => {
          await sweep();
        });
      };
      tick();
      timer = setInterval(tick, intervalMs);
      timer.unref();
    },
    stop() {
      clearInterval(timer);
      timer = undefined;
      // Shutdown must not wait minutes for Slack: what is not yet announced stays expired, unannounced.
      const dropped = announcing.close();
      if (dropped > 0) env.logger.warn({ dropped }, "stopping: expired requests left unannounced");
    },
    sweep,
  };
}
