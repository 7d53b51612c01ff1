import { expect } from "vitest";
import type { Operation, RequestStatus } from "../../src/domain/operations/index.ts";
import { checkBlockKit } from "../../src/slack/views/limits.ts";
import { OPERATION_ACTIONS, OPERATION_ACTIONS_BLOCK } from "../../src/slack/views/operation-card.ts";
import {
  PLAN_OPTIONS,
  planBlockId,
  REINSTALL_ACTIONS,
  REINSTALL_BLOCKS,
  REINSTALL_CALLBACK,
  REJECT_ACTION,
  REJECT_BLOCK,
  REJECT_CALLBACK,
} from "../../src/slack/views/reinstall-modal.ts";
import { FAKE_TEAM_ID } from "./fake-slack.ts";
import type { Harness } from "./harness.ts";
import type { Actor, SlackHttpResponse } from "./slack-requests.ts";

/** Steps of the reinstall journeys (DESIGN §1, 4–5) as a person in Slack takes them. */

export const APPROVAL_CHANNEL = "C0APPROVE1";
export const LEADS_GROUP = "S0LEADS01";
/** Approver by user id. */
export const BOB_ID = "U0BOB0001";
/** Approver through the LEADS user group. */
export const CAROL: Actor = { userId: "U0CAROL01", teamId: FAKE_TEAM_ID, channelId: APPROVAL_CHANNEL };
/** In the workspace, in no approver list. */
export const DAVE: Actor = { userId: "U0DAVE001", teamId: FAKE_TEAM_ID, channelId: APPROVAL_CHANNEL };

export const REINSTALL_ENV = {
  APPROVAL_CHANNEL,
  APPROVERS: `${BOB_ID},${LEADS_GROUP}`,
};

export const REINSTALL_USERS = { [CAROL.userId]: "en-US", [DAVE.userId]: "en-US" };

export interface PostedCard {
  requestId: string;
  channel: string;
  ts: string;
}

/** The simulator's demo instances by name, and images by name. */
export function instanceNamed(h: Harness, name: string) {
  const found = h.sim.state.listInstances(h.sim.demoAccount.accountId).find((i) => i.Name === name);
  if (!found) throw new Error(`no demo instance ${name}`);
  return found;
}

export function platformImageNamed(h: Harness, name: string) {
  const found = h.sim.state.listPlatformImages().find((i) => i.Name === name);
  if (!found) throw new Error(`no platform image ${name}`);
  return found;
}

/** The plan options ticked in the form; none unless a test says so (the old one-step reinstall). */
export interface PlanChoice {
  stopFirst?: boolean;
  startAfter?: boolean;
  snapshotName?: string;
}

export interface RequestInput extends PlanChoice {
  instanceId?: string;
  instanceIds?: string[];
  imageId: string;
  reason: string;
  viewId?: string;
}

function idsOf(input: Pick<RequestInput, "instanceId" | "instanceIds">): string[] {
  return input.instanceIds ?? (input.instanceId ? [input.instanceId] : []);
}

export function requestValues(input: RequestInput, imageText = input.imageId) {
  const chosen = [
    ...(input.stopFirst ? [PLAN_OPTIONS.stopFirst] : []),
    ...(input.startAfter ? [PLAN_OPTIONS.startAfter] : []),
    ...(input.snapshotName !== undefined ? [PLAN_OPTIONS.snapshot] : []),
  ];
  return {
    [REINSTALL_BLOCKS.instance]: {
      [REINSTALL_ACTIONS.instance]: { type: "plain_text_input", value: idsOf(input).join(" ") },
    },
    [REINSTALL_BLOCKS.image]: {
      [REINSTALL_ACTIONS.image]: {
        type: "external_select",
        selected_option: { text: { type: "plain_text", text: imageText }, value: input.imageId },
      },
    },
    [planBlockId({ stopFirst: true, startAfter: true })]: {
      [REINSTALL_ACTIONS.plan]: {
        type: "checkboxes",
        selected_options: chosen.map((value) => ({ text: { type: "plain_text", text: value }, value })),
      },
    },
    [REINSTALL_BLOCKS.snapshotName]: {
      [REINSTALL_ACTIONS.snapshotName]: { type: "plain_text_input", value: input.snapshotName ?? "backup" },
    },
    [REINSTALL_BLOCKS.reason]: { [REINSTALL_ACTIONS.reason]: { type: "plain_text_input", value: input.reason } },
  };
}

export function submitRequest(h: Harness, actor: Actor, input: RequestInput): Promise<SlackHttpResponse> {
  return h.send.submitView(actor, {
    id: input.viewId ?? `VREQ${Math.random().toString(36).slice(2, 8)}`,
    callback_id: REINSTALL_CALLBACK,
    private_metadata: "{}",
    values: requestValues(input),
  });
}

/** Submits the form and waits for the card; returns where it is and the request's id. */
export async function requestReinstall(h: Harness, actor: Actor, input: RequestInput): Promise<PostedCard> {
  const before = h.slack.callsTo("chat.postMessage").length;
  const response = await submitRequest(h, actor, input);
  expect(response.status).toBe(200);
  expect((response.json() as { response_action?: string }).response_action).toBe("update");
  return cardFor(h, idsOf(input)[0] ?? "", before);
}

/** The card posted for an instance (after the first `skip` postMessage calls): its id from the buttons, its ts from the channel. */
export async function cardFor(h: Harness, instanceId: string, skip = 0): Promise<PostedCard> {
  const posted = await h.slack.waitFor(() =>
    h.slack
      .callsTo("chat.postMessage")
      .slice(skip)
      .find((c) => c.args.channel === APPROVAL_CHANNEL && JSON.stringify(c.args).includes(instanceId)),
  );
  const requestId = /"value":"(req_[a-z2-7]{16})"/.exec(JSON.stringify(posted.args))?.[1] ?? "";
  const key = await h.slack.waitFor(() =>
    [...h.slack.messages.keys()].find(
      (k) => k.startsWith(`${APPROVAL_CHANNEL}/`) && JSON.stringify(h.slack.messages.get(k)).includes(requestId),
    ),
  );
  const ts = key.split("/")[1] ?? "";
  // The bot stores where the card is right after posting it; tests act on the card only after that.
  await until(async () => (await h.bot.services.operations.get(FAKE_TEAM_ID, requestId))?.messageTs === ts);
  return { requestId, channel: APPROVAL_CHANNEL, ts };
}

/** Polls an async condition (a store read) until it holds. */
export async function until(condition: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error("condition not reached in time");
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

export function clickCard(h: Harness, actor: Actor, card: PostedCard, verdict: keyof typeof OPERATION_ACTIONS) {
  return h.send.clickInMessage(
    actor,
    { action_id: OPERATION_ACTIONS[verdict], value: card.requestId, block_id: OPERATION_ACTIONS_BLOCK },
    { channelId: card.channel, ts: card.ts },
  );
}

/** The ephemeral answer to one click (through its response_url). */
export async function ephemeralTo(h: Harness, responseId: string): Promise<string> {
  const [reply] = await h.slack.waitFor(
    () => h.slack.responsesTo(responseId).length > 0 && h.slack.responsesTo(responseId),
  );
  expect(reply?.body.response_type).toBe("ephemeral");
  expect(reply?.body.replace_original).toBe(false);
  expect(checkBlockKit(reply?.body, "message")).toEqual([]);
  return JSON.stringify(reply?.body);
}

export function rejectSubmission(
  h: Harness,
  actor: Actor,
  requestId: string,
  reason: string | null,
  viewId = "VREJECT01",
) {
  return h.send.submitView(actor, {
    id: viewId,
    callback_id: REJECT_CALLBACK,
    private_metadata: requestId,
    values: { [REJECT_BLOCK]: { [REJECT_ACTION]: { type: "plain_text_input", value: reason } } },
  });
}

/** The card as it is now in the fake Slack. */
export function cardNow(h: Harness, card: PostedCard): Record<string, unknown> {
  const message = h.slack.messages.get(`${card.channel}/${card.ts}`);
  if (!message) throw new Error("card not found");
  return message;
}

export async function storedRequest(h: Harness, requestId: string): Promise<Operation> {
  const request = await h.bot.services.operations.get(FAKE_TEAM_ID, requestId);
  if (!request) throw new Error(`no request ${requestId}`);
  return request;
}

/** Waits until the request reaches one of the given statuses. */
export async function settled(
  h: Harness,
  requestId: string,
  statuses: RequestStatus[],
  timeoutMs = 10_000,
): Promise<Operation> {
  await until(async () => statuses.includes((await storedRequest(h, requestId)).status), timeoutMs);
  return storedRequest(h, requestId);
}

/** The DMs the bot sent a user (chat.postMessage with the user id as channel). */
export function dmsTo(h: Harness, userId: string): string[] {
  return h.slack
    .callsTo("chat.postMessage")
    .filter((c) => c.args.channel === userId)
    .map((c) => JSON.stringify(c.args));
}

export function reinstallCalls(h: Harness) {
  return h.sim.requests.filter((r) => r.action === "ReinstallCompShareInstance");
}

export function simCalls(h: Harness, action: string) {
  return h.sim.requests.filter((r) => r.action === action);
}

/** Every chat.update of one card, oldest first. */
export function cardEdits(h: Harness, card: PostedCard) {
  return h.slack.callsTo("chat.update").filter((c) => c.args.channel === card.channel && c.args.ts === card.ts);
}
