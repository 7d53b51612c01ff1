import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkBlockKit } from "../../src/slack/views/limits.ts";
import { SCHEDULE_ACTIONS } from "../../src/slack/views/run-time.ts";
import { ALICE, type Harness, startHarness } from "./harness.ts";
import { settled, submitRequest } from "./reinstall-steps.ts";

/**
 * `approval: false` for reinstall (issue 11): the submitted form starts the plan at once with the
 * requester's keys, no card waits in any approvals channel; its card goes to the requester's DM
 * and is edited to the end; outside its change window it is scheduled like stop/start/reboot.
 * The bot's clock is the test's: reinstalls may run on Tuesdays 10:00–11:00 UTC.
 */

const START = Date.parse("2026-12-01T09:00:00Z"); // a Tuesday, before the window
const OPENS = Date.parse("2026-12-01T10:00:00Z");
const POLICY = `reinstall:
  approval: false
  reason_required: false
  windows: ["Tue 10:00-11:00 UTC"]
`;

let now = START;
let h: Harness;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "no-approval-e2e-"));
  const policyFile = join(dir, "policy.yml");
  await writeFile(policyFile, POLICY);
  h = await startHarness({ env: { POLICY_FILE: policyFile }, clock: () => now, cardEditIntervalMs: 50 });
  await h.login(ALICE);
});
afterAll(async () => {
  await h?.stop();
  await rm(dir, { recursive: true, force: true });
});

function stoppedInstance(name: string) {
  return h.sim.state.addInstance(h.sim.demoAccount.accountId, {
    Name: name,
    State: "Stopped",
    GpuType: "4090",
    GPU: 1,
  });
}

function anImage(): string {
  const image = h.sim.state.listPlatformImages().find((i) => i.Status === "Available");
  if (!image) throw new Error("no available platform image");
  return image.CompShareImageId;
}

const reinstallsOf = (instanceId: string) =>
  h.sim.requests.filter((r) => r.action === "ReinstallCompShareInstance" && r.params.UHostId === instanceId);

/** The card the bot posted in the requester's DM for an instance: its key in the fake Slack and request id. */
async function dmCard(instanceId: string): Promise<{ key: string; requestId: string }> {
  const posted = await h.slack.waitFor(
    () =>
      h.slack
        .callsTo("chat.postMessage")
        .find((c) => c.args.channel === ALICE.userId && JSON.stringify(c.args).includes(instanceId)),
    5_000,
    "the card in the requester's DM",
  );
  const requestId = /(req_[a-z2-7]{16})/.exec(JSON.stringify(posted.args))?.[1] ?? "";
  const key = await h.slack.waitFor(() =>
    [...h.slack.messages.keys()].find(
      (k) => k.startsWith(`${ALICE.userId}/`) && JSON.stringify(h.slack.messages.get(k)).includes(instanceId),
    ),
  );
  return { key, requestId };
}

describe("a reinstall that needs no approval", () => {
  it("runs at once inside its window with the requester's keys, its DM card edited to the end", async () => {
    now = OPENS + 10 * 60_000;
    const instance = stoppedInstance("no-approval-now");
    const { triggerId } = await h.send.command("reinstall", ALICE);
    const opened = await h.slack.waitFor(
      () => h.slack.callsTo("views.open").find((c) => c.args.trigger_id === triggerId),
      10_000,
      "the request modal",
    );
    expect(JSON.stringify(opened.args.view)).toContain("Reinstalls need no approval here");
    expect(JSON.stringify(opened.args.view)).not.toContain("An approver decides");
    const cardsBefore = h.slack.callsTo("chat.postMessage").filter((c) => String(c.args.channel).startsWith("C"));
    const response = await submitRequest(h, ALICE, { instanceId: instance.UHostId, imageId: anImage(), reason: "" });
    expect(response.status).toBe(200);
    expect(JSON.stringify(response.json())).toContain("Reinstalls need no approval here");

    const card = await dmCard(instance.UHostId);
    const done = await settled(h, card.requestId, ["succeeded", "failed", "unknown"], 20_000);
    expect(done).toMatchObject({ status: "succeeded", decidedBy: ALICE.userId, kind: "reinstall" });
    const sent = reinstallsOf(instance.UHostId);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.accountId).toBe(h.sim.demoAccount.accountId);
    // No card in any channel: nobody is asked.
    expect(h.slack.callsTo("chat.postMessage").filter((c) => String(c.args.channel).startsWith("C"))).toEqual(
      cardsBefore,
    );
    await h.slack.waitFor(
      () => JSON.stringify(h.slack.messages.get(card.key)).includes("(no approval needed). Every step is done"),
      5_000,
      "the DM card at the plan's end",
    );
    expect(checkBlockKit(h.slack.messages.get(card.key), "message")).toEqual([]);
    await h.slack.waitFor(
      () =>
        h.slack.callsTo("views.update").some((c) => JSON.stringify(c.args.view).includes("Your reinstall is running")),
      5_000,
      "the modal saying where to follow it",
    );
    now = START;
  });

  it("outside its window is scheduled: the DM card says when and offers Cancel, and it starts once when the window opens", async () => {
    now = START;
    const instance = stoppedInstance("no-approval-later");
    await submitRequest(h, ALICE, { instanceId: instance.UHostId, imageId: anImage(), reason: "later" });
    const card = await dmCard(instance.UHostId);
    const scheduled = await settled(h, card.requestId, ["approved"]);
    expect(scheduled.runAt?.getTime()).toBe(OPENS);
    const shown = JSON.stringify(h.slack.messages.get(card.key));
    expect(shown).toContain(`<!date^${OPENS / 1000}^`);
    expect(shown).toContain(SCHEDULE_ACTIONS.cancel);
    expect(shown).toContain(`Asked for by <@${ALICE.userId}>`);
    expect(shown).not.toContain("Approved by");
    await h.bot.services.operations.sweep();
    await h.bot.services.operations.idle();
    expect(reinstallsOf(instance.UHostId)).toEqual([]);

    now = OPENS + 60_000;
    await h.bot.services.operations.sweep();
    await h.bot.services.operations.sweep();
    expect((await settled(h, card.requestId, ["succeeded", "failed", "unknown"], 20_000)).status).toBe("succeeded");
    expect(reinstallsOf(instance.UHostId)).toHaveLength(1);
    now = START;
  });
});
