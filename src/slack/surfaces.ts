import type {
  AllMiddlewareArgs,
  BlockAction,
  SlackActionMiddlewareArgs,
  SlackCommandMiddlewareArgs,
  SlackEventMiddlewareArgs,
  SlackOptionsMiddlewareArgs,
  SlackViewMiddlewareArgs,
  ViewSubmitAction,
} from "@slack/bolt";
import type { ErrorReply } from "./error-reply.ts";
import type { Messages } from "./i18n/messages.ts";
import { type Call, frame, type Handler } from "./listener-frame.ts";
import { messageReply } from "./message-reply.ts";
import type { BotServices } from "./services.ts";
import type { OptionObject } from "./views/blocks.ts";
import { noticeMessage } from "./views/help.ts";
import { noticeModal } from "./views/modals.ts";

/**
 * The listener frame, shaped once per Slack surface: where its errors are told and when it acks.
 * Registration in app.ts reads `app.action(ID, onClick(services, { what }, handler))`.
 */

export type CommandArgs = SlackCommandMiddlewareArgs & AllMiddlewareArgs;
export type ClickArgs<A extends BlockAction = BlockAction> = SlackActionMiddlewareArgs<A> & AllMiddlewareArgs;
export type SubmitArgs = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;
export type OptionsArgs = SlackOptionsMiddlewareArgs<"block_suggestion"> & AllMiddlewareArgs;
export type HomeOpenedArgs = SlackEventMiddlewareArgs<"app_home_opened"> & AllMiddlewareArgs;

interface PayloadWithUser {
  team?: { id: string } | null;
  user: { id: string; team_id?: string };
}

function whoClicked(body: PayloadWithUser): { teamId: string; userId: string } {
  return { teamId: body.team?.id ?? body.user.team_id ?? "", userId: body.user.id };
}

/** A slash command: acked at once, answered (errors too) through its response_url. */
export function onCommand(
  services: BotServices,
  spec: { what: (args: CommandArgs) => string; localeWaitMs?: (args: CommandArgs) => number | undefined },
  handler: Handler<CommandArgs>,
) {
  return (args: CommandArgs) => {
    const wait = spec.localeWaitMs?.(args);
    return frame(
      services,
      {
        what: spec.what,
        identify: ({ command }) => ({ teamId: command.team_id, userId: command.user_id }),
        ackFirst: true,
        ...(wait !== undefined ? { localeWaitMs: wait } : {}),
        tell: ({ args: { command }, turn }, reply) =>
          messageReply(services.responseUrls, command.response_url, turn).error(reply),
      },
      handler,
    )(args);
  };
}

/**
 * Where a click's error is told. `message`: an ephemeral reply through the response_url (clicks
 * in messages); `modal`: the modal clicked in becomes a notice; `new-modal`: a notice opens with
 * the click's trigger (Home tab, which has nowhere else to speak); `log`: nowhere but the log.
 */
export type ClickErrors =
  | { kind: "message" }
  | { kind: "modal"; title: (m: Messages) => string }
  | { kind: "new-modal"; title: (m: Messages) => string }
  | { kind: "log" };

export function onClick<A extends BlockAction = BlockAction>(
  services: BotServices,
  spec: { what: string | ((args: ClickArgs<A>) => string); localeWaitMs?: number; errors: ClickErrors },
  handler: Handler<ClickArgs<A>>,
) {
  return frame<ClickArgs<A>>(
    services,
    {
      what: spec.what,
      identify: ({ body }) => whoClicked(body),
      ackFirst: true,
      ...(spec.localeWaitMs !== undefined ? { localeWaitMs: spec.localeWaitMs } : {}),
      tell: (call, reply) => tellClick(call, spec.errors, reply),
    },
    handler,
  );
}

async function tellClick<A extends BlockAction>(call: Call<ClickArgs<A>>, errors: ClickErrors, reply: ErrorReply) {
  const { args, turn, services } = call;
  const { body, client } = args;
  switch (errors.kind) {
    case "message":
      return messageReply(services.responseUrls, body.response_url, turn).send(
        noticeMessage(turn.view, reply.text, reply.footnote),
      );
    case "modal":
      if (!body.view) return undefined;
      return client.views.update({
        view_id: body.view.id,
        view: noticeModal(turn.view, errors.title(turn.m), reply.text, reply.footnote),
      });
    case "new-modal":
      return client.views.open({
        trigger_id: body.trigger_id,
        view: noticeModal(turn.view, errors.title(turn.m), reply.text, reply.footnote),
      });
    case "log":
      return undefined;
  }
}

/**
 * A modal's submission. The handler acks with its answer (errors, update, push); an error thrown
 * before that becomes the ack's notice, one thrown after it updates the modal. A handler that
 * answered nothing is acked empty (the modal closes).
 */
export function onSubmit(
  services: BotServices,
  spec: { what: string; title: (m: Messages) => string; localeWaitMs?: number },
  handler: Handler<SubmitArgs>,
) {
  return frame<SubmitArgs>(
    services,
    {
      what: spec.what,
      identify: ({ body }) => whoClicked(body),
      ackFirst: false,
      localeWaitMs: spec.localeWaitMs ?? 300,
      async tell({ args, turn, acked }, reply) {
        const view = noticeModal(turn.view, spec.title(turn.m), reply.text, reply.footnote);
        if (!acked) return args.ack({ response_action: "update", view });
        return args.client.views
          .update({ view_id: args.view.id, view })
          .catch((error: unknown) => turn.log.info({ err: error }, "modal closed before its outcome"));
      },
      finalAck: (args) => args.ack(),
    },
    handler,
  );
}

/**
 * A select menu asking for options: Slack waits 3 s and shows nothing but options, so an error
 * becomes the one option `fallback` names (or none).
 */
export function onOptions(
  services: BotServices,
  spec: { what: string; localeWaitMs?: number; fallback?: (m: Messages, error: unknown) => OptionObject | undefined },
  handler: Handler<OptionsArgs>,
) {
  return frame<OptionsArgs>(
    services,
    {
      what: spec.what,
      identify: ({ body }) => whoClicked(body),
      ackFirst: false,
      localeWaitMs: spec.localeWaitMs ?? 0,
      tell({ args, turn, acked }, _reply, error) {
        if (acked) return Promise.resolve();
        const fallback = spec.fallback?.(turn.m, error);
        return args.ack({ options: fallback ? [fallback] : [] });
      },
      finalAck: (args) => args.ack({ options: [] }),
    },
    handler,
  );
}

/** An event: acked by the receiver; nobody to tell, so errors only reach the log. */
export function onHomeOpened(services: BotServices, handler: Handler<HomeOpenedArgs>) {
  return frame<HomeOpenedArgs>(
    services,
    {
      what: "home",
      identify: ({ event, body }) => ({ teamId: body.team_id ?? "", userId: event.user }),
      ackFirst: false,
      tell: async () => undefined,
    },
    handler,
  );
}
