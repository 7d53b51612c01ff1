import type { InvalidReason } from "../commands/parse.ts";
import type { Messages } from "../i18n/messages.ts";
import { context, header, section } from "./blocks.ts";
import { escapeMrkdwn } from "./text.ts";
import { type MessagePayload, message, type ViewContext } from "./view-context.ts";

export function helpMessage(ctx: ViewContext): MessagePayload {
  const { help } = ctx.m;
  const lines = help.commands.map(([command, what]) => `\`${command}\` — ${what}`);
  return message(ctx, help.title, [
    header(help.title),
    section(help.intro),
    section(lines.join("\n")),
    context(help.aliases),
  ]);
}

export function usageText(m: Messages, reason: InvalidReason): string {
  const u = m.usage;
  switch (reason.kind) {
    case "unknownSubcommand":
      return u.unknownSubcommand(inCode(reason.name));
    case "missingImageId":
      return u.missingImageId;
    case "badImageId":
      return u.badImageId;
    case "badInstanceId":
      return u.badInstanceId;
    case "unknownFlag":
      return u.unknownFlag(inCode(reason.flag));
    case "missingFlagValue":
      return u.missingFlagValue(reason.flag);
    case "badType":
      return u.badType;
    case "tooLong":
      return u.tooLong(reason.what, reason.max);
    case "unexpectedArgs":
      return u.unexpectedArgs(reason.command);
    case "unbalancedQuote":
      return u.unbalancedQuote;
    case "missingInstanceId":
      return u.missingInstanceId(reason.command);
    case "tooManyInstances":
      return u.tooManyInstances(reason.max);
    case "controlCharacters":
      return m.update.problems.controlCharacters;
  }
}

/**
 * What the user typed, for a catalogue's backtick span: Slack still turns <!channel>, <@U…> and
 * <!subteam^…> into broadcasts and mentions inside code, so they are escaped like any mrkdwn.
 */
function inCode(typed: string): string {
  return escapeMrkdwn(typed.replaceAll("`", "'"));
}

export function usageMessage(ctx: ViewContext, reason: InvalidReason): MessagePayload {
  const text = usageText(ctx.m, reason);
  return message(ctx, text, [section(`:thinking_face: ${text}`), context(ctx.m.usage.hint)]);
}

/** A one-section notice: confirmations, refusals and explanations. */
export function noticeMessage(ctx: ViewContext, text: string, footnote?: string): MessagePayload {
  return message(ctx, text, footnote ? [section(text), context(footnote)] : [section(text)]);
}
