import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HOME_ACTIONS } from "../../src/slack/views/home.ts";
import { ACTION_IMAGE_REINSTALL } from "../../src/slack/views/image-detail.ts";
import { encodeImageMenuValue } from "../../src/slack/views/image-list.ts";
import { INSTANCE_ACTIONS } from "../../src/slack/views/instances.ts";
import { checkBlockKit } from "../../src/slack/views/limits.ts";
import { REINSTALL_BLOCKS, REINSTALL_CALLBACK } from "../../src/slack/views/reinstall-modal.ts";
import { FAKE_TEAM_ID } from "./fake-slack.ts";
import { ALICE, BOB, type Harness, startHarness, WEI } from "./harness.ts";
import { cardFor, clickCard, dmsTo, ephemeralTo, requestReinstall, settled, submitRequest } from "./reinstall-steps.ts";
import type { Actor } from "./slack-requests.ts";

/**
 * A POLICY_FILE through the real bot: channel guardrails on the command and on buttons of older
 * messages, the reinstall approvals taken from the file, and /compshare audit for approvers.
 */

const OPS = "C0OPS0001";
const ML = "C0MLTEAM1";
const APPROVALS = "C0APPROVE1";
const LEADS = "S0LEADS01";
const CAROL: Actor = { userId: "U0CAROL01", teamId: FAKE_TEAM_ID, channelId: OPS };
const DAVE: Actor = { userId: "U0DAVE001", teamId: FAKE_TEAM_ID, channelId: OPS };

const POLICY = `default:
  approvers: [${BOB.userId}, ${LEADS}]
  approval_channel: ${APPROVALS}
reinstall:
  channels: [${OPS}]
  direct_messages: false
  reason_required: false
  max_instances: 2
update:
  channels: [${OPS}, ${ML}]
stop:
  approval: false
  channels: [${OPS}]
reboot:
  approval: true
`;

let h: Harness;
let dir: string;

const at = (actor: Actor, channelId: string): Actor => ({ ...actor, channelId });

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "policy-e2e-"));
  const policyFile = join(dir, "policy.yml");
  await writeFile(policyFile, POLICY);
  // The approval variables point elsewhere: with POLICY_FILE they must not be read.
  h = await startHarness({
    env: { POLICY_FILE: policyFile, APPROVAL_CHANNEL: "C0IGNORED1", APPROVERS: "U0IGNORED1" },
    users: { [CAROL.userId]: "en-US", [DAVE.userId]: "en-US" },
  });
  h.slack.usergroups.set(LEADS, [CAROL.userId]);
  await h.login(ALICE);
  await h.login(WEI);
});
afterAll(async () => {
  await h?.stop();
  await rm(dir, { recursive: true, force: true });
});

async function replyTo(responseId: string): Promise<string> {
  const [reply] = await h.slack.waitFor(() => {
    const posts = h.slack.responsesTo(responseId);
    return posts.length > 0 ? posts : undefined;
  });
  expect(reply?.body.response_type).toBe("ephemeral");
  return JSON.stringify(reply?.body);
}

function modalsOpenedBy(triggerId: string) {
  return h.slack.callsTo("views.open").filter((c) => c.args.trigger_id === triggerId);
}

describe("channel guardrails from the policy file", () => {
  it("refuses /compshare reinstall outside its channel, naming where to go, and opens no modal", async () => {
    const { response, responseId, triggerId } = await h.send.command("reinstall", at(ALICE, "C0WORK001"));
    expect(response.status).toBe(200);
    const text = await replyTo(responseId);
    expect(text).toContain("`/compshare reinstall` is not allowed here. Use it in <#C0OPS0001>.");
    expect(modalsOpenedBy(triggerId)).toEqual([]);
  });

  it("refuses it in a direct message when the policy allows no DMs", async () => {
    const { responseId, triggerId } = await h.send.command("reinstall", at(ALICE, "D0ALICE01"));
    expect(await replyTo(responseId)).toContain("Use it in <#C0OPS0001>.");
    expect(modalsOpenedBy(triggerId)).toEqual([]);
  });

  it("opens the request form in the allowed channel, with the file's approvers and channel in force", async () => {
    const { triggerId } = await h.send.command("reinstall", at(ALICE, OPS));
    const opened = await h.slack.waitFor(() => modalsOpenedBy(triggerId)[0], 10_000, "the request modal");
    expect(JSON.stringify(opened.args.view)).toContain(REINSTALL_CALLBACK);
    expect(h.bot.services.policy.actions.reinstall).toMatchObject({
      approvalChannel: APPROVALS,
      approvers: [BOB.userId, LEADS],
    });
  });

  it("names every allowed place for /compshare update, in the user's language", async () => {
    const en = await h.send.command("update", at(ALICE, "C0WORK001"));
    expect(await replyTo(en.responseId)).toContain(
      "`/compshare update` is not allowed here. Use it in <#C0OPS0001>, <#C0MLTEAM1> or a direct message with me.",
    );
    const zh = await h.send.command("update", at(WEI, "C0WORK001"));
    expect(await replyTo(zh.responseId)).toContain(
      "此处不允许使用 `/compshare update`。请在<#C0OPS0001>、<#C0MLTEAM1>或与我的私信中使用。",
    );
    expect(modalsOpenedBy(en.triggerId)).toEqual([]);
    expect(modalsOpenedBy(zh.triggerId)).toEqual([]);
  });

  it("checks a Reinstall button on an older message at click time", async () => {
    const image = h.sim.state.listPlatformImages()[0];
    const { responseId, triggerId } = await h.send.clickInMessage(
      ALICE,
      { action_id: ACTION_IMAGE_REINSTALL, value: encodeImageMenuValue("reinstall", image?.CompShareImageId ?? "") },
      { channelId: "C0WORK001" },
    );
    expect(await replyTo(responseId)).toContain("Use it in <#C0OPS0001>.");
    expect(modalsOpenedBy(triggerId)).toEqual([]);
  });

  it("refuses /compshare stop outside its channel, and its button and Reinstall on an older instance list, sending nothing", async () => {
    const instance = h.sim.state.addInstance(h.sim.demoAccount.accountId, { Name: "guarded", State: "Running" });
    const command = await h.send.command(`stop ${instance.UHostId}`, at(ALICE, "C0WORK001"));
    expect(await replyTo(command.responseId)).toContain(
      "`/compshare stop` is not allowed here. Use it in <#C0OPS0001> or a direct message with me.",
    );
    const button = await h.send.clickInMessage(
      ALICE,
      { action_id: `${INSTANCE_ACTIONS.opPrefix}stop`, value: instance.UHostId },
      { channelId: "C0WORK001" },
    );
    expect(await replyTo(button.responseId)).toContain("`/compshare stop` is not allowed here.");
    const reinstall = await h.send.clickInMessage(
      ALICE,
      { action_id: INSTANCE_ACTIONS.reinstall, value: instance.UHostId },
      { channelId: "C0WORK001" },
    );
    expect(await replyTo(reinstall.responseId)).toContain("`/compshare reinstall` is not allowed here.");
    expect(modalsOpenedBy(reinstall.triggerId)).toEqual([]);
    expect(h.sim.requests.filter((r) => r.params.UHostId === instance.UHostId && r.action.startsWith("Stop"))).toEqual(
      [],
    );
  });

  it("counts the Home tab as a direct message: its Request a reinstall button says where to go", async () => {
    const { triggerId } = await h.send.clickInView(
      ALICE,
      { action_id: HOME_ACTIONS.reinstall },
      { id: "VHOME", type: "home" },
    );
    const opened = await h.slack.waitFor(() => modalsOpenedBy(triggerId)[0], 10_000, "the notice");
    const view = JSON.stringify(opened.args.view);
    expect(view).not.toContain(REINSTALL_CALLBACK);
    expect(view).toContain("`/compshare reinstall` is not allowed here. Use it in <#C0OPS0001>.");
    expect(checkBlockKit(opened.args.view, "modal")).toEqual([]);
  });
});

describe("the reinstall request under the policy file", () => {
  const stopped = (name: string) =>
    h.sim.state.addInstance(h.sim.demoAccount.accountId, { Name: name, GpuType: "4090", GPU: 1, State: "Stopped" })
      .UHostId;

  it("offers the reason as optional where reason_required is false, and takes a request without one", async () => {
    const { triggerId } = await h.send.command("reinstall", at(ALICE, OPS));
    const opened = await h.slack.waitFor(() => modalsOpenedBy(triggerId)[0], 10_000, "the request modal");
    const blocks = (opened.args.view as { blocks: { block_id?: string; optional?: boolean }[] }).blocks;
    expect(blocks.find((b) => b.block_id === REINSTALL_BLOCKS.reason)?.optional).toBe(true);
    const image = h.sim.state.listPlatformImages()[0]?.CompShareImageId ?? "";
    const card = await requestReinstall(h, ALICE, { instanceId: stopped("no-reason"), imageId: image, reason: "" });
    expect((await h.bot.services.operations.get(FAKE_TEAM_ID, card.requestId))?.reason).toBe("");
  });

  it("refuses inline more instances than the policy's max_instances", async () => {
    const image = h.sim.state.listPlatformImages()[0]?.CompShareImageId ?? "";
    const ids = [stopped("max-1"), stopped("max-2"), stopped("max-3")];
    const response = await submitRequest(h, ALICE, { instanceIds: ids, imageId: image, reason: "three" });
    expect(response.json()).toMatchObject({
      response_action: "errors",
      errors: { [REINSTALL_BLOCKS.instance]: "One request takes at most 2 instances." },
    });
  });
});

describe("a power command that needs approval", () => {
  it("posts /compshare reboot as a card in the approvals channel, sends nothing until an approver approves, then reboots once", async () => {
    const instance = h.sim.state.addInstance(h.sim.demoAccount.accountId, { Name: "needs-ok", State: "Running" });
    const reboots = () =>
      h.sim.requests.filter((r) => r.params.UHostId === instance.UHostId && r.action === "RebootCompShareInstance");
    const { responseId } = await h.send.command(`reboot ${instance.UHostId}`, at(ALICE, "C0WORK001"));
    expect(await replyTo(responseId)).toContain(`waits for approval in <#${APPROVALS}>`);
    const card = await cardFor(h, instance.UHostId);
    const posted = h.slack.callsTo("chat.postMessage").find((c) => JSON.stringify(c.args).includes(card.requestId));
    expect(checkBlockKit(posted?.args, "message")).toEqual([]);
    expect(JSON.stringify(posted?.args)).toContain("Reboot request");
    expect(JSON.stringify(posted?.args)).not.toContain("system disk");
    expect(reboots()).toEqual([]);

    const own = await clickCard(h, ALICE, card, "approve");
    expect(await ephemeralTo(h, own.responseId)).toContain("approver");
    expect(reboots()).toEqual([]);

    await clickCard(h, BOB, card, "approve");
    const done = await settled(h, card.requestId, ["succeeded", "failed", "unknown"], 20_000);
    expect(done).toMatchObject({ status: "succeeded", decidedBy: BOB.userId, kind: "reboot" });
    expect(reboots().filter((r) => r.retCode === 0)).toHaveLength(1);
    // The requester hears the end by DM, under the request's own title.
    await h.slack.waitFor(() => dmsTo(h, ALICE.userId).find((dm) => dm.includes('"text":"Reboot request: ')));
  });
});

describe("/compshare audit", () => {
  const uploadsTo = (userId: string) =>
    [...h.slack.uploads.values()].filter((u) => u.completed && u.channelId === `D${userId.slice(1)}`);

  it("sends an approver this workspace's audit log as a CSV file in their DM", async () => {
    const { responseId } = await h.send.command("audit --since 1d", at(BOB, "C0WORK001"));
    expect(await replyTo(responseId)).toMatch(/I sent you the audit log since \S+ \(\d+ rows?\) as a CSV file/);
    const [upload] = uploadsTo(BOB.userId);
    expect(upload?.filename).toMatch(/^compshare-audit-\d{4}-\d{2}-\d{2}-to-\d{4}-\d{2}-\d{2}\.csv$/);
    const lines = (upload?.content ?? "").split("\r\n");
    expect(lines[0]).toBe("at,team_id,actor_id,action,target,outcome,request_id,cloud_request_id");
    expect(lines.filter((l) => l.includes(`,${ALICE.userId},keys.link,`))).toHaveLength(1);
    expect(upload?.content).not.toContain(h.sim.demoAccount.privateKey);
    const open = h.slack.callsTo("conversations.open").at(-1);
    expect(open?.args.users).toBe(BOB.userId);
    const rows = await h.bot.services.store.audit.query({ teamId: FAKE_TEAM_ID, userId: BOB.userId });
    expect(rows[0]).toMatchObject({ action: "audit.export", result: "ok" });
  });

  it("lets a member of an approver group export too", async () => {
    const { responseId } = await h.send.command("audit", CAROL);
    expect(await replyTo(responseId)).toContain("I sent you the audit log");
    expect(uploadsTo(CAROL.userId)).toHaveLength(1);
  });

  it("refuses everyone else, and bad or too long periods, sending no file", async () => {
    const before = h.slack.uploads.size;
    const dave = await h.send.command("audit --since 1d", DAVE);
    expect(await replyTo(dave.responseId)).toContain("Only approvers can export the audit log.");
    const bad = await h.send.command("audit --since yesterday", at(BOB, OPS));
    expect(await replyTo(bad.responseId)).toContain("Use `/compshare audit` or `/compshare audit --since 7d`");
    const long = await h.send.command("audit --since 120d", at(BOB, OPS));
    expect(await replyTo(long.responseId)).toContain("at most 90 days");
    const extra = await h.send.command("audit --since 1d --format xml", at(BOB, OPS));
    expect(await replyTo(extra.responseId)).toContain("Use `/compshare audit`");
    expect(h.slack.uploads.size).toBe(before);
    const refused = await h.bot.services.store.audit.query({ teamId: FAKE_TEAM_ID, userId: DAVE.userId });
    expect(refused[0]).toMatchObject({ action: "audit.export", result: "refused:not_approver" });
  });
});
