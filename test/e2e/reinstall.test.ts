import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OPERATION_NOTES } from "../../src/domain/operations/index.ts";
import { checkBlockKit } from "../../src/slack/views/limits.ts";
import {
  PLAN_OPTIONS,
  REINSTALL_ACTIONS,
  REINSTALL_BLOCKS,
  REINSTALL_CALLBACK,
} from "../../src/slack/views/reinstall-modal.ts";
import { ALICE, BOB, everythingSentToSlack, type Harness, startHarness, WEI } from "./harness.ts";
import {
  APPROVAL_CHANNEL,
  CAROL,
  cardFor as cardForInstance,
  cardNow,
  clickCard,
  DAVE,
  dmsTo,
  ephemeralTo,
  LEADS_GROUP,
  type PostedCard,
  platformImageNamed,
  REINSTALL_ENV,
  REINSTALL_USERS,
  reinstallCalls,
  rejectSubmission,
  requestReinstall,
  requestValues,
  settled,
  storedRequest,
  submitRequest,
} from "./reinstall-steps.ts";

/** Journeys 4 and 5 of DESIGN §1 through the real HTTP receiver, store, client and simulator. */

const HOUR = 3_600_000;
let offsetMs = 0;
/** The bot's clock: real time plus whatever a test moved it by (expiry). */
const clock = () => Date.now() + offsetMs;

let h: Harness;
let image: { id: string; name: string };

beforeAll(async () => {
  h = await startHarness({
    env: REINSTALL_ENV,
    users: REINSTALL_USERS,
    clock,
    // A locked instance is waited for within the step's deadline; short here so the test sees the end of it.
    engine: {
      deadlines: { reinstall: 1_500 },
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.min(ms, 100))),
    },
    cardEditIntervalMs: 50,
  });
  h.slack.usergroups.set(LEADS_GROUP, [CAROL.userId]);
  await h.login(ALICE);
  await h.login(WEI);
  // The approver links a different account: the reinstall must still run with the requester's keys.
  await h.login(BOB, h.sim.otherAccount);
  const platform = platformImageNamed(h, "Ubuntu 22.04 CUDA 12.4");
  image = { id: platform.CompShareImageId, name: platform.Name };
});
afterAll(async () => {
  await h?.stop();
});

/** A Stopped instance of the demo account nobody has touched, so its 10-minute lock is free. */
let instanceCount = 0;
function freshInstance(fields: { State?: "Stopped" | "Running" } = {}) {
  instanceCount += 1;
  return h.sim.state.addInstance(h.sim.demoAccount.accountId, {
    Name: `e2e-box-${instanceCount}`,
    GpuType: "4090",
    GPU: 1,
    ...fields,
  });
}

function text(value: unknown): string {
  return JSON.stringify(value);
}

async function waitForCard(card: PostedCard, fragment: string): Promise<Record<string, unknown>> {
  return h.slack.waitFor(() => text(cardNow(h, card)).includes(fragment) && cardNow(h, card), 10_000, fragment);
}

async function waitForDm(userId: string, ...fragments: string[]): Promise<string> {
  return h.slack.waitFor(
    () => dmsTo(h, userId).find((dm) => fragments.every((fragment) => dm.includes(fragment))),
    10_000,
    fragments.join(" + "),
  );
}

describe("asking for a reinstall", () => {
  it("opens the form from the command, pre-filled, then shows what the requester's keys see", async () => {
    const box = freshInstance();
    const { response, triggerId } = await h.send.command(`reinstall ${box.UHostId} ${image.id}`, ALICE);
    expect(response.status).toBe(200);
    const opened = await h.slack.waitFor(() =>
      h.slack.callsTo("views.open").find((c) => c.args.trigger_id === triggerId),
    );
    expect(text(opened.args.view)).toContain(box.UHostId);
    expect(checkBlockKit(opened.args.view, "modal")).toEqual([]);
    const filled = await h.slack.waitFor(() =>
      h.slack.callsTo("views.update").find((c) => text(c.args.view).includes(`*${box.Name}*`)),
    );
    const view = text(filled.args.view);
    expect(view).toContain("1× 4090");
    expect(view).toContain("Stopped");
    expect(view).toContain(`*${image.name}*`);
    expect(filled.args.hash).toEqual(expect.any(String));
    expect(checkBlockKit(filled.args.view, "modal")).toEqual([]);
  });

  it("offers images from all three lists as you type, at most 100, never an unusable one", async () => {
    const ask = async (value: string) => {
      const response = await h.send.suggest(ALICE, {
        action_id: REINSTALL_ACTIONS.image,
        block_id: REINSTALL_BLOCKS.image,
        value,
      });
      expect(response.status).toBe(200);
      const body = response.json() as {
        option_groups?: { label: { text: string }; options: { value: string; text: { text: string } }[] }[];
      };
      return body.option_groups ?? [];
    };
    const all = await ask("");
    const options = all.flatMap((g) => g.options);
    expect(options.length).toBeLessThanOrEqual(100);
    expect(all.map((g) => g.label.text)).toEqual(["My images", "Images shared with me", "Platform images"]);
    for (const option of options) {
      expect(option.text.text.length).toBeLessThanOrEqual(75);
      expect(option.value.length).toBeLessThanOrEqual(75);
    }
    expect(text(all)).not.toContain("sd-finetune-work"); // still being made
    expect(text(all)).not.toContain("shared-in-progress");
    const llama = await ask("LLAMA3");
    expect(text(llama)).toContain("llama3-8b-serving");
    const shared = await ask("shared-pytorch");
    expect(shared.map((g) => g.label.text)).toEqual(["Images shared with me"]);
    // The platform has more than 100 images: the ones past the first page are found too.
    const platform = h.sim.state.listPlatformImages();
    const last = platform[platform.length - 1];
    expect(platform.length).toBeGreaterThan(100);
    expect(text(await ask(last?.CompShareImageId ?? ""))).toContain(last?.CompShareImageId);
  });

  it("checks the instance on Enter and plans a stop first and a start after when it is Running", async () => {
    const running = freshInstance({ State: "Running" });
    const before = h.slack.callsTo("views.update").length;
    await h.send.clickInView(
      ALICE,
      { action_id: REINSTALL_ACTIONS.instance, block_id: REINSTALL_BLOCKS.instance, type: "plain_text_input" },
      {
        id: "VFORM0001",
        hash: "h1",
        callback_id: REINSTALL_CALLBACK,
        private_metadata: "{}",
        values: requestValues({ instanceId: running.UHostId, imageId: image.id, reason: "" }),
      },
    );
    const update = await h.slack.waitFor(() =>
      h.slack
        .callsTo("views.update")
        .slice(before)
        .find((c) => c.args.view_id === "VFORM0001"),
    );
    expect(update.args.hash).toBe("h1");
    expect(text(update.args.view)).toContain("Running");
    const plan = (
      update.args.view as { blocks: { block_id?: string; element?: { initial_options?: { value: string }[] } }[] }
    ).blocks.find((b) => b.block_id?.startsWith("reinstall_plan"));
    expect(plan?.element?.initial_options?.map((o) => o.value)).toEqual([
      PLAN_OPTIONS.stopFirst,
      PLAN_OPTIONS.startAfter,
    ]);
  });

  it("puts format errors inline, next to the field to fix", async () => {
    const response = await submitRequest(h, ALICE, { instanceId: "host-1", imageId: "nope", reason: "  " });
    const body = response.json() as { response_action: string; errors: Record<string, string> };
    expect(body.response_action).toBe("errors");
    expect(Object.keys(body.errors).sort()).toEqual(
      [REINSTALL_BLOCKS.image, REINSTALL_BLOCKS.instance, REINSTALL_BLOCKS.reason].sort(),
    );
  });

  it("refuses inline an instance the requester's keys cannot see and an image nobody has", async () => {
    const other = h.sim.state.listInstances(h.sim.otherAccount.accountId)[0];
    const response = await submitRequest(h, ALICE, {
      instanceId: other?.UHostId ?? "uhost-missing",
      imageId: "compshareImage-doesnotexist",
      reason: "try",
    });
    const body = response.json() as { response_action: string; errors: Record<string, string> };
    expect(body.response_action).toBe("errors");
    expect(body.errors[REINSTALL_BLOCKS.instance]).toContain("Your keys see no instance");
    expect(body.errors[REINSTALL_BLOCKS.instance]).toMatch(/in region \S+\./);
    expect(body.errors[REINSTALL_BLOCKS.image]).toContain("not among");
  });

  it("tells someone without keys to link them first", async () => {
    const { responseId } = await h.send.command("reinstall", DAVE);
    const [reply] = await h.slack.waitFor(
      () => h.slack.responsesTo(responseId).length > 0 && h.slack.responsesTo(responseId),
    );
    expect(text(reply?.body)).toContain("/compshare login");
  });
});

describe("approve, in English", () => {
  let card: PostedCard;
  let box: ReturnType<typeof freshInstance>;

  it("posts a card with everything an approver needs and links the requester to it", async () => {
    box = freshInstance();
    const submitted = await submitRequest(h, ALICE, {
      instanceId: box.UHostId,
      imageId: image.id,
      reason: "CUDA upgrade",
      viewId: "VREQALICE",
    });
    expect(text(submitted.json())).toContain("Posting your request");
    card = await cardFor(box.UHostId);
    const shown = cardNow(h, card);
    const body = text(shown);
    expect(checkBlockKit(shown, "message")).toEqual([]);
    for (const part of [
      `<@${ALICE.userId}>`,
      box.Name,
      "1× 4090",
      "Stopped",
      image.name,
      image.id,
      "cn-wlcb-01",
      "CUDA upgrade",
    ]) {
      expect(body).toContain(part);
    }
    expect(body).toContain("system disk");
    expect(body).toContain("Data disks are kept");
    const buttons = (shown.blocks as { type: string; elements?: Record<string, unknown>[] }[])
      .filter((b) => b.type === "actions")
      .flatMap((b) => b.elements ?? []);
    expect(buttons.map((b) => b.action_id)).toEqual(["approval_approve", "approval_reject", "approval_cancel"]);
    expect(buttons.every((b) => b.value === card.requestId)).toBe(true);
    expect(buttons[0]?.style).toBe("danger");
    expect(text(buttons[0]?.confirm)).toContain("system disk");
    // The requester gets the link in the modal and in a DM.
    const modal = await h.slack.waitFor(() =>
      h.slack
        .callsTo("views.update")
        .find((c) => c.args.view_id === "VREQALICE" && text(c.args.view).includes("archives")),
    );
    expect(text(modal.args.view)).toContain(`archives/${APPROVAL_CHANNEL}/p${card.ts.replace(".", "")}`);
    expect(await waitForDm(ALICE.userId, "waiting for approval")).toContain("archives");
    expect((await storedRequest(h, card.requestId)).status).toBe("pending");
  });

  it("runs the reinstall once with the requester's keys, edits the card in place and tells the requester", async () => {
    const { response } = await clickCard(h, BOB, card, "approve");
    expect(response.status).toBe(200);
    const done = await settled(h, card.requestId, ["succeeded", "failed", "unknown"]);
    expect(done.status).toBe("succeeded");
    expect(done.decidedBy).toBe(BOB.userId);
    const calls = reinstallCalls(h).filter((r) => r.params.UHostId === box.UHostId);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.params.PublicKey).toBe(h.sim.demoAccount.publicKey);
    expect(calls[0]?.params.CompShareImageId).toBe(image.id);
    expect(h.sim.state.getInstance(box.UHostId)?.CompShareImageId).toBe(image.id);

    const shown = await waitForCard(card, "Every step is done");
    expect(text(shown)).toContain(`Approved by <@${BOB.userId}>`);
    expect(text(shown)).toContain("now *Stopped*");
    expect(text(shown)).not.toContain("approval_approve");
    expect(checkBlockKit(shown, "message")).toEqual([]);
    const dm = await waitForDm(ALICE.userId, "Every step is done");
    expect(dm).toContain(box.Name);
    const audit = await h.bot.services.store.audit.query({ teamId: ALICE.teamId ?? "" });
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(["reinstall.request", "reinstall.approve"]));
  });

  it("answers a late click on a decided card with who decided and when, and changes nothing", async () => {
    const { responseId } = await clickCard(h, CAROL, card, "approve");
    const reply = await ephemeralTo(h, responseId);
    expect(reply).toContain(`already approved by <@${BOB.userId}>`);
    expect(reply).toContain("<!date^");
    expect(reinstallCalls(h).filter((r) => r.params.UHostId === box.UHostId)).toHaveLength(1);
  });
});

describe("approve, in Chinese", () => {
  it("speaks Chinese to a Chinese-speaking requester from form to DM; the card follows the workspace default", async () => {
    const box = freshInstance();
    const { triggerId } = await h.send.command(`重装 ${box.UHostId}`, WEI);
    const opened = await h.slack.waitFor(() =>
      h.slack.callsTo("views.open").find((c) => c.args.trigger_id === triggerId),
    );
    expect(text(opened.args.view)).toContain("申请重装实例");
    expect(checkBlockKit(opened.args.view, "modal")).toEqual([]);
    const submitted = await submitRequest(h, WEI, {
      instanceId: box.UHostId,
      imageId: image.id,
      reason: "升级 CUDA 环境",
    });
    expect(text(submitted.json())).toContain("正在把你的申请发布到");
    const card = await cardFor(box.UHostId);
    expect(text(cardNow(h, card))).toContain("asks to reinstall");
    expect(await waitForDm(WEI.userId, "正在")).toContain("等待审批");
    // CAROL is an approver through the user group.
    await clickCard(h, CAROL, card, "approve");
    expect((await settled(h, card.requestId, ["succeeded", "failed", "unknown"])).status).toBe("succeeded");
    const dm = await waitForDm(WEI.userId, "所有步骤已完成");
    expect(dm).toContain(`<@${CAROL.userId}>`);
  });
});

function cardFor(instanceId: string): Promise<PostedCard> {
  return cardForInstance(h, instanceId);
}

async function newRequest(requester = ALICE, instance = freshInstance(), reason = "needs a clean system disk") {
  const card = await requestReinstall(h, requester, { instanceId: instance.UHostId, imageId: image.id, reason });
  return { card, instance };
}

describe("reject and cancel", () => {
  it("rejects with a reason through a modal; the card and the requester show it, escaped", async () => {
    const { card } = await newRequest();
    const { triggerId } = await clickCard(h, BOB, card, "reject");
    const opened = await h.slack.waitFor(() =>
      h.slack.callsTo("views.open").find((c) => c.args.trigger_id === triggerId),
    );
    expect(opened.args.view).toMatchObject({ private_metadata: card.requestId });
    expect(checkBlockKit(opened.args.view, "modal")).toEqual([]);
    const response = await rejectSubmission(h, BOB, card.requestId, "not now <!channel> *urgent*");
    expect(text(response.json())).toContain("Rejected. The requester has been told.");
    const shown = await waitForCard(card, "Rejected by");
    expect(text(shown)).toContain("&lt;!channel&gt;");
    expect(text(shown)).not.toContain("<!channel>");
    expect(await waitForDm(ALICE.userId, "Rejected by")).toContain("not now");
    const stored = await storedRequest(h, card.requestId);
    expect(stored).toMatchObject({ status: "rejected", decidedBy: BOB.userId, note: "not now <!channel> *urgent*" });
    expect(reinstallCalls(h).filter((r) => r.params.UHostId === stored.targets[0]?.instanceId)).toHaveLength(0);
  });

  it("lets only the requester cancel, and a cancelled request cannot be approved", async () => {
    const { card, instance } = await newRequest();
    const refused = await clickCard(h, BOB, card, "cancel");
    expect(await ephemeralTo(h, refused.responseId)).toContain(`Only <@${ALICE.userId}>`);
    expect((await storedRequest(h, card.requestId)).status).toBe("pending");

    await clickCard(h, ALICE, card, "cancel");
    await waitForCard(card, "Cancelled by");
    expect((await storedRequest(h, card.requestId)).status).toBe("cancelled");
    const late = await clickCard(h, BOB, card, "approve");
    expect(await ephemeralTo(h, late.responseId)).toContain(`already cancelled by <@${ALICE.userId}>`);
    expect(reinstallCalls(h).filter((r) => r.params.UHostId === instance.UHostId)).toHaveLength(0);
  });
});

describe("who may decide", () => {
  it("refuses a non-approver with an explanation and changes nothing", async () => {
    const { card, instance } = await newRequest();
    const before = text(cardNow(h, card));
    const { responseId } = await clickCard(h, DAVE, card, "approve");
    expect(await ephemeralTo(h, responseId)).toContain("Only approvers");
    const reject = await clickCard(h, DAVE, card, "reject");
    expect(await ephemeralTo(h, reject.responseId)).toContain("Only approvers");
    expect((await storedRequest(h, card.requestId)).status).toBe("pending");
    expect(text(cardNow(h, card))).toBe(before);
    expect(reinstallCalls(h).filter((r) => r.params.UHostId === instance.UHostId)).toHaveLength(0);
    const audit = await h.bot.services.store.audit.query({ teamId: ALICE.teamId ?? "", userId: DAVE.userId });
    expect(audit.map((a) => a.result)).toContain("refused:not_approver");
  });

  it("refuses an approver approving their own request", async () => {
    await h.login(BOB);
    try {
      const { card } = await newRequest(BOB);
      const { responseId } = await clickCard(h, BOB, card, "approve");
      expect(await ephemeralTo(h, responseId)).toContain("another approver has to approve it");
      expect((await storedRequest(h, card.requestId)).status).toBe("pending");
    } finally {
      await h.login(BOB, h.sim.otherAccount);
    }
  });
});

describe("failures end in clear words and a consistent state", () => {
  it("an instance that is not Stopped: failed, 'stop it first', with RetCode and request id", async () => {
    const { card, instance } = await newRequest();
    h.sim.state.setInstanceState(instance.UHostId, "Running");
    await clickCard(h, BOB, card, "approve");
    const done = await settled(h, card.requestId, ["succeeded", "failed", "unknown"]);
    expect(done.status).toBe("failed");
    const call = reinstallCalls(h).find((r) => r.params.UHostId === instance.UHostId);
    const shown = text(await waitForCard(card, "the plan stopped at a failed step"));
    expect(shown).toContain("Stop it first");
    expect(shown).toContain(`RetCode ${call?.retCode}`);
    expect(shown).toContain(call?.requestId);
    expect(await waitForDm(ALICE.userId, "failed step")).toContain(instance.Name);
  });

  it("an instance under the 10-minute operation lock: waited for within the deadline, then failed, try after it ends", async () => {
    const instance = freshInstance();
    const { card } = await newRequest(ALICE, instance, "once more");
    h.sim.faults.inject(
      { kind: "retcode", retCode: 226695, message: "InstanceOperationInProgress: another operation holds the lock" },
      { actions: ["ReinstallCompShareInstance"] },
    );
    try {
      await clickCard(h, BOB, card, "approve");
      expect((await settled(h, card.requestId, ["succeeded", "failed", "unknown"])).status).toBe("failed");
    } finally {
      h.sim.faults.clear();
    }
    const shown = text(await waitForCard(card, "the plan stopped at a failed step"));
    expect(shown).toContain("Another operation is in progress on this instance");
    // A definite refusal: tried again within the deadline, never once it had passed.
    expect(reinstallCalls(h).filter((r) => r.params.UHostId === instance.UHostId).length).toBeGreaterThanOrEqual(1);
  });

  it("the requester removed their keys before approval: closed, nothing sent, the approver told why", async () => {
    const { card, instance } = await newRequest();
    const { responseId } = await h.send.command("logout", ALICE);
    await h.slack.waitFor(() => h.slack.responsesTo(responseId).length > 0);
    try {
      const click = await clickCard(h, BOB, card, "approve");
      expect(await ephemeralTo(h, click.responseId)).toContain("keys were removed before approval");
      expect((await settled(h, card.requestId, ["succeeded", "failed", "unknown", "cancelled"])).status).toBe(
        "cancelled",
      );
      expect(text(await waitForCard(card, "keys were removed before approval"))).not.toContain("approval_approve");
      expect(reinstallCalls(h).filter((r) => r.params.UHostId === instance.UHostId)).toHaveLength(0);
    } finally {
      await h.login(ALICE);
    }
  });

  it("the card was deleted: the request still runs once, the decider is told, the requester gets the DM", async () => {
    const { card, instance } = await newRequest();
    h.slack.messages.delete(`${card.channel}/${card.ts}`);
    const { responseId } = await clickCard(h, BOB, card, "approve");
    expect(await ephemeralTo(h, responseId)).toContain("could not be updated");
    expect((await settled(h, card.requestId, ["succeeded", "failed", "unknown"])).status).toBe("succeeded");
    expect(reinstallCalls(h).filter((r) => r.params.UHostId === instance.UHostId)).toHaveLength(1);
    await waitForDm(ALICE.userId, instance.Name, "Every step is done");
  });

  it("a card that cannot be posted withdraws the request instead of leaving it pending unseen", async () => {
    const instance = freshInstance();
    h.slack.fail(
      "chat.postMessage",
      { kind: "error", error: "not_in_channel" },
      1,
      (args) => args.channel === APPROVAL_CHANNEL,
    );
    const response = await submitRequest(h, ALICE, {
      instanceId: instance.UHostId,
      imageId: image.id,
      reason: "will not be seen",
      viewId: "VREQFAIL1",
    });
    expect(response.status).toBe(200);
    const update = await h.slack.waitFor(() =>
      h.slack
        .callsTo("views.update")
        .find((c) => c.args.view_id === "VREQFAIL1" && text(c.args.view).includes("withdrawn")),
    );
    expect(text(update.args.view)).toContain("invite the bot");
    const mine = await h.bot.services.operations.listForRequester(ALICE.teamId ?? "", ALICE.userId);
    const withdrawn = mine.find((r) => r.targets[0]?.instanceId === instance.UHostId);
    expect(withdrawn).toMatchObject({ status: "cancelled", note: OPERATION_NOTES.cardNotPosted });
  });
});

describe("expiry", () => {
  it("a click on an expired card explains, and the card and requester show the expiry", async () => {
    const { card } = await newRequest();
    offsetMs += 25 * HOUR;
    try {
      const { responseId } = await clickCard(h, BOB, card, "approve");
      expect(await ephemeralTo(h, responseId)).toContain("expired");
      expect((await storedRequest(h, card.requestId)).status).toBe("expired");
      await waitForCard(card, "without a decision");
      await waitForDm(ALICE.userId, "without a decision");
    } finally {
      offsetMs -= 25 * HOUR;
    }
  });

  it("the sweep expires requests nobody decided and updates their cards", async () => {
    const { card } = await newRequest();
    offsetMs += 25 * HOUR;
    try {
      const report = await h.bot.services.operations.sweep();
      expect(report.expired).toBeGreaterThanOrEqual(1);
      expect((await storedRequest(h, card.requestId)).status).toBe("expired");
      const shown = await waitForCard(card, "without a decision");
      expect(text(shown)).not.toContain("approval_approve");
      expect(checkBlockKit(shown, "message")).toEqual([]);
    } finally {
      offsetMs -= 25 * HOUR;
    }
  });
});

describe("secrets", () => {
  it("no private key in logs, in anything sent to Slack, or in the database", async () => {
    const privateKeys = [h.sim.demoAccount.privateKey, h.sim.otherAccount.privateKey];
    const sent = everythingSentToSlack(h.slack);
    const logs = h.logs.text();
    const database = await h.databaseBytes();
    for (const secret of [...privateKeys, ...h.secrets]) {
      expect(sent).not.toContain(secret);
      expect(logs).not.toContain(secret);
    }
    for (const secret of privateKeys) expect(database.includes(Buffer.from(secret))).toBe(false);
  });

  it("every message and view the flow produced fits Slack's limits", () => {
    for (const call of h.slack.calls) {
      if (call.method === "chat.postMessage" || call.method === "chat.update") {
        expect(checkBlockKit(call.args, "message"), call.method).toEqual([]);
      }
      if (call.method === "views.open" || call.method === "views.update" || call.method === "views.push") {
        expect(checkBlockKit(call.args.view, "modal"), call.method).toEqual([]);
      }
    }
  });
});
