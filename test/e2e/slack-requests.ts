import { createHmac, randomUUID } from "node:crypto";
import { FAKE_TEAM_ID, type FakeSlack } from "./fake-slack.ts";

/**
 * Sends Slack's requests to the bot the way Slack does: a string body, the exact content type
 * Bolt expects, and a v0 signature over `v0:<timestamp>:<body>` with the signing secret.
 */

export interface SlackHttpResponse {
  status: number;
  text: string;
  json(): unknown;
}

export interface Actor {
  userId: string;
  teamId?: string;
  channelId?: string;
}

export function signSlackBody(signingSecret: string, timestamp: number, body: string): string {
  return `v0=${createHmac("sha256", signingSecret).update(`v0:${timestamp}:${body}`).digest("hex")}`;
}

/** A slash command's form fields, exactly as Slack posts them (the benchmark sends these too). */
export function slashCommandForm(input: {
  text: string;
  actor: Actor;
  responseUrl: string;
  triggerId: string;
  command?: string;
}): Record<string, string> {
  const { actor } = input;
  return {
    token: "legacy-verification-token-unused",
    team_id: actor.teamId ?? FAKE_TEAM_ID,
    team_domain: "fake",
    channel_id: actor.channelId ?? "C0WORK001",
    channel_name: "work",
    user_id: actor.userId,
    user_name: actor.userId.toLowerCase(),
    command: input.command ?? "/compshare",
    text: input.text,
    api_app_id: "A0APP0001",
    is_enterprise_install: "false",
    response_url: input.responseUrl,
    trigger_id: input.triggerId,
  };
}

/** The fields every interactivity payload carries about who acted and in which app. */
function fromActor(actor: Actor) {
  const teamId = actor.teamId ?? FAKE_TEAM_ID;
  return {
    team: { id: teamId, domain: "fake" },
    user: { id: actor.userId, username: actor.userId.toLowerCase(), name: actor.userId.toLowerCase(), team_id: teamId },
    api_app_id: "A0APP0001",
    token: "legacy-verification-token-unused",
  };
}

export class SlackSender {
  readonly #eventsUrl: string;
  readonly #secret: string;
  readonly #slack: FakeSlack;

  constructor(appUrl: string, signingSecret: string, slack: FakeSlack) {
    this.#eventsUrl = new URL("/slack/events", appUrl).href;
    this.#secret = signingSecret;
    this.#slack = slack;
  }

  /** POSTs a body with the given headers; signs it unless told otherwise. */
  async post(
    body: string,
    contentType: string,
    options: { sign?: boolean; timestamp?: number; secret?: string } = {},
  ): Promise<SlackHttpResponse> {
    const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
    const headers: Record<string, string> = { "content-type": contentType };
    if (options.sign !== false) {
      headers["x-slack-request-timestamp"] = String(timestamp);
      headers["x-slack-signature"] = signSlackBody(options.secret ?? this.#secret, timestamp, body);
    }
    const response = await fetch(this.#eventsUrl, { method: "POST", headers, body });
    const text = await response.text();
    return { status: response.status, text, json: () => JSON.parse(text) };
  }

  postForm(fields: Record<string, string>, options?: { sign?: boolean; timestamp?: number; secret?: string }) {
    return this.post(new URLSearchParams(fields).toString(), "application/x-www-form-urlencoded", options);
  }

  /** A slash command; returns the HTTP answer and the response_url id its replies will be recorded under. */
  async command(
    text: string,
    actor: Actor,
    command = "/compshare",
  ): Promise<{ response: SlackHttpResponse; responseId: string; triggerId: string }> {
    const responseId = randomUUID();
    const triggerId = `trigger-${randomUUID()}`;
    const response = await this.postForm(
      slashCommandForm({ text, actor, command, responseUrl: this.#slack.responseUrl(responseId), triggerId }),
    );
    return { response, responseId, triggerId };
  }

  /** An interactivity payload (block_actions, view_submission, view_closed, block_suggestion). */
  interaction(payload: Record<string, unknown>): Promise<SlackHttpResponse> {
    return this.postForm({ payload: JSON.stringify(payload) });
  }

  /** Clicks a button in a message the bot sent through a response_url (ephemeral) or chat.postMessage. */
  async clickInMessage(
    actor: Actor,
    action: { action_id: string; value?: string; block_id?: string; type?: string; selected_option?: unknown },
    message: { responseId?: string; channelId?: string; ts?: string; blocks?: unknown } = {},
  ): Promise<{ response: SlackHttpResponse; responseId: string; triggerId: string }> {
    const responseId = randomUUID();
    const triggerId = `trigger-${randomUUID()}`;
    const channelId = message.channelId ?? actor.channelId ?? "C0WORK001";
    const response = await this.interaction({
      type: "block_actions",
      ...fromActor(actor),
      container: message.ts
        ? { type: "message", message_ts: message.ts, channel_id: channelId, is_ephemeral: false }
        : { type: "message", message_ts: "1700000000.000001", channel_id: channelId, is_ephemeral: true },
      trigger_id: triggerId,
      channel: { id: channelId, name: "work" },
      message: message.ts ? { ts: message.ts, blocks: message.blocks ?? [] } : undefined,
      response_url: this.#slack.responseUrl(responseId),
      actions: [
        {
          type: action.type ?? "button",
          block_id: action.block_id ?? "block",
          action_id: action.action_id,
          value: action.value,
          selected_option: action.selected_option,
          action_ts: String(Date.now() / 1000),
        },
      ],
    });
    return { response, responseId, triggerId };
  }

  /** Clicks a button inside a modal or the Home tab (no response_url there). */
  async clickInView(
    actor: Actor,
    action: { action_id: string; value?: string; block_id?: string; type?: string; selected_option?: unknown },
    view: {
      id: string;
      hash?: string;
      type?: "modal" | "home";
      callback_id?: string;
      private_metadata?: string;
      /** What the modal's inputs hold at the moment of the click ({ block_id: { action_id: value-object } }). */
      values?: Record<string, Record<string, unknown>>;
    },
  ): Promise<{ response: SlackHttpResponse; triggerId: string }> {
    const triggerId = `trigger-${randomUUID()}`;
    const response = await this.interaction({
      type: "block_actions",
      ...fromActor(actor),
      container: { type: "view", view_id: view.id },
      trigger_id: triggerId,
      view: {
        id: view.id,
        hash: view.hash ?? "hash",
        type: view.type ?? "modal",
        callback_id: view.callback_id ?? "",
        private_metadata: view.private_metadata ?? "",
        state: { values: view.values ?? {} },
      },
      actions: [
        {
          type: action.type ?? "button",
          block_id: action.block_id ?? "block",
          action_id: action.action_id,
          value: action.value,
          selected_option: action.selected_option,
          action_ts: String(Date.now() / 1000),
        },
      ],
    });
    return { response, triggerId };
  }

  /** Submits a modal with the given state values ({ block_id: { action_id: value-object } }). */
  submitView(
    actor: Actor,
    view: {
      id?: string;
      callback_id: string;
      private_metadata?: string;
      values: Record<string, Record<string, unknown>>;
      hash?: string;
    },
  ): Promise<SlackHttpResponse> {
    return this.interaction({
      type: "view_submission",
      ...fromActor(actor),
      trigger_id: `trigger-${randomUUID()}`,
      view: {
        id: view.id ?? `V0${randomUUID().replaceAll("-", "").slice(0, 9).toUpperCase()}`,
        type: "modal",
        callback_id: view.callback_id,
        private_metadata: view.private_metadata ?? "",
        hash: view.hash ?? randomUUID(),
        state: { values: view.values },
      },
      response_urls: [],
    });
  }

  /** An external select asking for options (block_suggestion). */
  suggest(
    actor: Actor,
    suggestion: { action_id: string; block_id: string; value: string },
    view?: { id: string; callback_id: string; private_metadata?: string },
  ): Promise<SlackHttpResponse> {
    return this.interaction({
      type: "block_suggestion",
      ...fromActor(actor),
      container: view ? { type: "view", view_id: view.id } : { type: "message" },
      action_id: suggestion.action_id,
      block_id: suggestion.block_id,
      value: suggestion.value,
      view: view
        ? { id: view.id, type: "modal", callback_id: view.callback_id, private_metadata: view.private_metadata ?? "" }
        : undefined,
    });
  }

  /** An Events API callback, JSON-encoded as Slack sends it. */
  event(event: Record<string, unknown>, teamId = FAKE_TEAM_ID): Promise<SlackHttpResponse> {
    const body = JSON.stringify({
      token: "legacy-verification-token-unused",
      team_id: teamId,
      api_app_id: "A0APP0001",
      type: "event_callback",
      event_id: `Ev${randomUUID().replaceAll("-", "").slice(0, 10)}`,
      event_time: Math.floor(Date.now() / 1000),
      event,
    });
    return this.post(body, "application/json");
  }
}
