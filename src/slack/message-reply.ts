import type { RespondFn } from "@slack/bolt";
import type { ErrorReply } from "./error-reply.ts";
import type { Turn } from "./turn.ts";
import { noticeMessage } from "./views/help.ts";
import type { MessagePayload } from "./views/view-context.ts";

/**
 * Replies through a response_url (slash commands and clicks in messages): always ephemeral,
 * either as a new message or in place of the one clicked (paging).
 */
export interface MessageReply {
  send(payload: MessagePayload): Promise<void>;
  replace(payload: MessagePayload): Promise<void>;
  error(reply: ErrorReply): Promise<void>;
}

export function messageReply(respond: RespondFn, turn: Turn): MessageReply {
  const send = async (payload: MessagePayload) => {
    await respond({ response_type: "ephemeral", replace_original: false, ...payload });
  };
  return {
    send,
    replace: async (payload) => {
      await respond({ response_type: "ephemeral", replace_original: true, ...payload });
    },
    error: (reply) => send(noticeMessage(turn.view, reply.text, reply.footnote)),
  };
}
