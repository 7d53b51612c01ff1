import type { ErrorReply } from "./error-reply.ts";
import type { ResponseUrlPoster } from "./response-url.ts";
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

export function messageReply(poster: ResponseUrlPoster, responseUrl: string | undefined, turn: Turn): MessageReply {
  const post = (payload: object) => {
    // Clicks inside modals and on the Home tab carry no response_url; their handlers answer with views.*.
    if (!responseUrl) throw new Error("this interaction has no response_url to reply to");
    return poster.post(responseUrl, payload);
  };
  const send = (payload: MessagePayload) => post({ response_type: "ephemeral", replace_original: false, ...payload });
  return {
    send,
    replace: (payload) => post({ response_type: "ephemeral", replace_original: true, ...payload }),
    error: (reply) => send(noticeMessage(turn.view, reply.text, reply.footnote)),
  };
}
