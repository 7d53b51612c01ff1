import type { Operation, OperationEvent } from "../domain/operations/index.ts";
import type { Logger } from "../log.ts";

/**
 * Requests run without a card (stop, start, reboot need no approval) are followed by whoever
 * started them: the reply they opened hears where the plan ended. In memory only: after a restart
 * the plan still finishes (the engine resumes it) and Home shows the result; only the ephemeral
 * closing line is lost.
 */
export interface OperationFollowers {
  /** Calls `onEnd` once, when the operation's plan has finished (at once if it already has). */
  follow(
    operation: Operation,
    onEnd: (finished: Operation) => Promise<void>,
    current: () => Promise<Operation | undefined>,
  ): Promise<void>;
  /** The engine's events go here. */
  hear(event: OperationEvent): Promise<void>;
}

const FINAL = new Set(["succeeded", "failed", "unknown", "rejected", "expired", "cancelled"]);
/** A response_url lives 30 minutes; after that nobody can be told, so nobody waits (another replica may finish it). */
const FOLLOW_FOR_MS = 30 * 60_000;

export function createOperationFollowers(logger: Logger): OperationFollowers {
  const waiting = new Map<string, (finished: Operation) => Promise<void>>();
  const settle = async (operation: Operation) => {
    const onEnd = waiting.get(operation.id);
    if (!onEnd) return;
    waiting.delete(operation.id);
    await onEnd(operation).catch((error: unknown) =>
      logger.warn({ err: error, operation: operation.id }, "could not tell the requester where an operation ended"),
    );
  };
  return {
    async follow(operation, onEnd, current) {
      waiting.set(operation.id, onEnd);
      setTimeout(() => waiting.delete(operation.id), FOLLOW_FOR_MS).unref();
      // The plan may have finished between the request and this call.
      const now = await current();
      if (now && FINAL.has(now.status)) await settle(now);
    },
    async hear(event) {
      if (event.type === "plan-finished") await settle(event.operation);
    },
  };
}
