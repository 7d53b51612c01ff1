import type { ErrorReply } from "./error-reply.ts";
import type { CommandOutcome } from "./metrics.ts";
import type { BotServices } from "./services.ts";
import { beginTurn, reportError, type Turn } from "./turn.ts";

/**
 * The one frame every Slack listener runs in. It tracks the work as in flight (shutdown waits
 * for it), builds the turn (who, in which language, a logger), turns a thrown error into words
 * in the user's language through the surface's own channel, and records the outcome metric.
 * Handlers only do their work and return an outcome (nothing means "ok") or throw.
 */

/** What a handler gets: its Bolt arguments, the turn, the services, and a way to rename its metric. */
export interface Call<A> {
  readonly args: A;
  readonly turn: Turn;
  readonly services: BotServices;
  /** Whether the handler has answered Slack's request yet (view submissions ack with their answer). */
  readonly acked: boolean;
  /** From now on, tell a thrown error here (a flow that opened its own modal answers in it). */
  tellErrorsIn(tell: (reply: ErrorReply) => Promise<unknown>): void;
}

/** What a shared flow needs of the call that runs it. */
export type FlowContext = Pick<Call<unknown>, "turn" | "services" | "tellErrorsIn">;

export type Handler<A> = (call: Call<A>) => Promise<CommandOutcome | undefined> | Promise<void>;

export interface FrameSpec<A> {
  /** The metric label (and log `what`) of this listener. */
  what: string | ((args: A) => string);
  /** Who acts, read from the payload. */
  identify(args: A): { teamId: string; userId: string };
  /**
   * Ack before the turn is built: commands and clicks, whose ack carries nothing. View
   * submissions and option requests answer in their ack, so their handler calls it.
   */
  ackFirst: boolean;
  /** How long the users.info lookup may hold the turn (a modal must open within 3 s); 0 = only what is known. */
  localeWaitMs?: number;
  /** Where a thrown error is told; the frame knows whether the request was acked yet. */
  tell(call: Call<A>, reply: ErrorReply, error: unknown): Promise<unknown>;
  /** An answer Slack still waits for when the handler returned without acking (view submissions). */
  finalAck?(args: A): Promise<void>;
}

/** Events carry no ack (the receiver answers them); every other surface does. */
interface Ackable {
  ack?: ((...answer: never[]) => Promise<void>) | undefined;
}

export function frame<A extends Ackable>(services: BotServices, spec: FrameSpec<A>, handler: Handler<A>) {
  return (original: A): Promise<void> =>
    services.inFlight.track(async () => {
      let acked = false;
      const ack = async (...answer: never[]) => {
        acked = true;
        await original.ack?.(...answer);
      };
      const args = { ...original, ack } as A;
      if (spec.ackFirst) await ack();
      const what = typeof spec.what === "string" ? spec.what : spec.what(original);
      const turn = await beginTurn(
        services,
        { ...spec.identify(original), what },
        spec.localeWaitMs !== undefined ? { maxWaitMs: spec.localeWaitMs } : {},
      );
      let redirected: ((reply: ErrorReply) => Promise<unknown>) | undefined;
      const call: Call<A> = {
        args,
        turn,
        services,
        get acked() {
          return acked;
        },
        tellErrorsIn(tell) {
          redirected = tell;
        },
      };
      let outcome: CommandOutcome;
      try {
        outcome = (await handler(call)) ?? "ok";
      } catch (error) {
        outcome = await reportError(turn, error, (reply) =>
          redirected ? redirected(reply) : spec.tell(call, reply, error),
        );
      }
      if (!acked && spec.finalAck) {
        await spec.finalAck(args).catch((error: unknown) => turn.log.warn({ err: error }, "late ack failed"));
      }
      services.metrics.commandFinished(what, outcome);
    });
}
