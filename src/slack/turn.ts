import type { Locale } from "../config.ts";
import type { Logger } from "../log.ts";
import { describeError, type ErrorReply, newReference } from "./error-reply.ts";
import { type Messages, messagesFor } from "./i18n/messages.ts";
import type { CommandOutcome } from "./metrics.ts";
import type { BotServices } from "./services.ts";
import type { ViewContext } from "./views/view-context.ts";

/**
 * One user's request as handlers see it: who asked, in which language to answer, and a logger
 * bound to both. Built after the ack, so the users.info lookup never delays it.
 */
export interface Turn {
  readonly teamId: string;
  readonly userId: string;
  readonly locale: Locale;
  readonly m: Messages;
  readonly view: ViewContext;
  readonly log: Logger;
}

export async function beginTurn(
  services: BotServices,
  ids: { teamId: string; userId: string; what: string },
  options: { maxWaitMs?: number } = {},
): Promise<Turn> {
  const locale = await resolveLocale(services, ids.userId, options.maxWaitMs);
  const m = messagesFor(locale);
  // Most turns log nothing; a pino child (with its redaction set-up) is made only when one does.
  let log: Logger | undefined;
  return {
    teamId: ids.teamId,
    userId: ids.userId,
    locale,
    m,
    view: { m, locale, sandbox: services.config.compshare.sandbox },
    get log() {
      log ??= services.logger.child({ team: ids.teamId, user: ids.userId, what: ids.what });
      return log;
    },
  };
}

/** A modal must open within 3 s of the click: wait for users.info only so long, then use what is known. */
async function resolveLocale(services: BotServices, userId: string, maxWaitMs: number | undefined): Promise<Locale> {
  if (maxWaitMs === undefined) return services.locales.resolve(userId);
  let timer: NodeJS.Timeout | undefined;
  const fallback = new Promise<Locale>((resolve) => {
    timer = setTimeout(() => resolve(services.locales.peek(userId)), maxWaitMs);
  });
  try {
    return await Promise.race([services.locales.resolve(userId), fallback]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The error sink: logs the failure once, at a level that matches whose fault it is, and tells
 * the user in their language. A failure to deliver that message is logged, never thrown.
 */
export async function reportError(
  turn: Turn,
  error: unknown,
  deliver: (reply: ErrorReply) => Promise<unknown>,
): Promise<CommandOutcome> {
  const reference = newReference();
  const reply = describeError(turn.m, error, reference);
  if (reply.kind === "bug") turn.log.error({ err: error, reference }, "handler failed");
  else if (reply.kind === "upstream") turn.log.warn({ err: error }, "upstream failure reported to the user");
  else turn.log.info({ errCode: codeOf(error) }, "user-facing refusal");
  try {
    await deliver(reply);
  } catch (deliveryError) {
    turn.log.error({ err: deliveryError, reference }, "could not tell the user about a failure");
  }
  return reply.kind === "bug" ? "error" : reply.kind === "upstream" ? "upstream" : "user_error";
}

function codeOf(error: unknown): string | undefined {
  return typeof error === "object" && error !== null && "code" in error
    ? String((error as { code: unknown }).code)
    : undefined;
}
