import { type Block, context, type ModalView, modal, section } from "./blocks.ts";
import { maskKey } from "./text.ts";
import type { MessagePayload, ViewContext } from "./view-context.ts";
import { message, withBanner } from "./view-context.ts";

export const LOGIN_CALLBACK = "login_submit";

/** Input block ids double as the keys of `response_action: errors`. */
export const LOGIN_BLOCKS = {
  publicKey: "login_public_key",
  privateKey: "login_private_key",
  region: "login_region",
  zone: "login_zone",
  projectId: "login_project_id",
} as const;
export const LOGIN_ACTION = "value";

export interface KeySummary {
  publicKey: string;
  region: string;
  zone: string;
  projectId?: string;
  since: Date;
}

export function whoamiMessage(ctx: ViewContext, keys: KeySummary | undefined): MessagePayload {
  if (!keys) return message(ctx, ctx.m.keys.notLinked, [section(ctx.m.keys.notLinked)]);
  const text = ctx.m.keys.linked({
    publicKey: maskKey(keys.publicKey),
    region: keys.region,
    zone: keys.zone,
    projectId: keys.projectId,
    since: `<!date^${Math.floor(keys.since.getTime() / 1000)}^{date_short_pretty}|${keys.since.toISOString().slice(0, 10)}>`,
  });
  return message(ctx, text.split("\n")[0] ?? text, [section(text)]);
}

function textInput(
  blockId: string,
  label: string,
  options: { initial?: string; optional?: boolean; hint?: string; maxLength?: number; placeholder?: string },
): Block {
  return {
    type: "input",
    block_id: blockId,
    optional: options.optional ?? false,
    label: { type: "plain_text", text: label },
    ...(options.hint ? { hint: { type: "plain_text", text: options.hint } } : {}),
    element: {
      type: "plain_text_input",
      action_id: LOGIN_ACTION,
      max_length: options.maxLength ?? 256,
      ...(options.initial ? { initial_value: options.initial } : {}),
      ...(options.placeholder ? { placeholder: { type: "plain_text", text: options.placeholder } } : {}),
    },
  };
}

/**
 * The key form. Only non-secret values are ever pre-filled; a private key never is, except the
 * sandbox's demo key, which is public knowledge and opens only the in-process simulator.
 */
export function loginModal(
  ctx: ViewContext,
  defaults: { region: string; zone: string; publicKey?: string; projectId?: string; sandboxPrivateKey?: string },
): ModalView {
  const { login } = ctx.m;
  return modal({
    title: login.title,
    submit: login.submit,
    close: login.close,
    callbackId: LOGIN_CALLBACK,
    blocks: withBanner(ctx, [
      section(login.intro),
      textInput(LOGIN_BLOCKS.publicKey, login.publicKey, {
        ...(defaults.publicKey ? { initial: defaults.publicKey } : {}),
      }),
      textInput(LOGIN_BLOCKS.privateKey, login.privateKey, {
        hint: defaults.sandboxPrivateKey ? login.sandboxKeys : login.privateKeyHint,
        ...(defaults.sandboxPrivateKey ? { initial: defaults.sandboxPrivateKey } : {}),
      }),
      textInput(LOGIN_BLOCKS.region, login.region, { initial: defaults.region, maxLength: 32 }),
      textInput(LOGIN_BLOCKS.zone, login.zone, { initial: defaults.zone, maxLength: 32 }),
      textInput(LOGIN_BLOCKS.projectId, login.projectId, {
        optional: true,
        hint: login.projectHint,
        maxLength: 64,
        ...(defaults.projectId ? { initial: defaults.projectId } : {}),
      }),
    ]),
  });
}

export function loginSavedModal(
  ctx: ViewContext,
  keys: { publicKey: string; region: string; zone: string },
): ModalView {
  return modal({
    title: ctx.m.login.savedTitle,
    close: ctx.m.login.done,
    blocks: withBanner(ctx, [
      section(ctx.m.login.saved(maskKey(keys.publicKey), keys.region, keys.zone)),
      context(
        ctx.m.help.commands
          .slice(3, 6)
          .map(([command]) => `\`${command}\``)
          .join("  ·  "),
      ),
    ]),
  });
}
