import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HOME_ACTIONS } from "../../src/slack/views/home.ts";
import { checkBlockKit } from "../../src/slack/views/limits.ts";
import { ALICE, BOB, type Harness, startHarness } from "./harness.ts";
import {
  APPROVAL_CHANNEL,
  CAROL,
  DAVE,
  LEADS_GROUP,
  platformImageNamed,
  REINSTALL_ENV,
  REINSTALL_USERS,
  rejectSubmission,
  requestReinstall,
  settled,
} from "./reinstall-steps.ts";
import type { Actor } from "./slack-requests.ts";

/** Journey 6 of DESIGN §1: the Home tab for a requester, an approver and someone new. */

let h: Harness;
let imageId = "";
/** An instance name made to break things: long, mrkdwn, a broadcast. */
const HOSTILE = `<!channel> *box* _x_ ~y~ \`z\` ${"长".repeat(150)} 🚀`;

beforeAll(async () => {
  h = await startHarness({ env: REINSTALL_ENV, users: REINSTALL_USERS });
  h.slack.usergroups.set(LEADS_GROUP, [CAROL.userId]);
  await h.login(ALICE);
  imageId = platformImageNamed(h, "Ubuntu 22.04 CUDA 12.4").CompShareImageId;
});
afterAll(async () => {
  await h?.stop();
});

async function openHome(actor: Actor): Promise<string> {
  // Earlier steps refresh Home tabs in the background; let those land first so the publish
  // awaited below is the one this event causes, not a stale one arriving late under load.
  expect(await h.bot.services.inFlight.drain(10_000)).toBe(true);
  const before = h.slack.callsTo("views.publish").filter((c) => c.args.user_id === actor.userId).length;
  const response = await h.send.event({ type: "app_home_opened", user: actor.userId, tab: "home", channel: "D0HOME" });
  expect(response.status).toBe(200);
  await h.slack.waitFor(
    () => h.slack.callsTo("views.publish").filter((c) => c.args.user_id === actor.userId).length > before,
  );
  const home = h.slack.homes.get(actor.userId);
  expect(checkBlockKit(home, "home")).toEqual([]);
  return JSON.stringify(home);
}

async function request(name: string) {
  const instance = h.sim.state.addInstance(h.sim.demoAccount.accountId, { Name: name });
  return requestReinstall(h, ALICE, { instanceId: instance.UHostId, imageId, reason: "home" });
}

describe("Home tab", () => {
  let open: Awaited<ReturnType<typeof request>>;

  beforeAll(async () => {
    open = await request(HOSTILE);
    const rejected = await request("old-box");
    await rejectSubmission(h, BOB, rejected.requestId, "no");
    await settled(h, rejected.requestId, ["rejected"]);
  });

  it("shows the requester their keys, their open requests with a link to each card, and recent results", async () => {
    const home = await openHome(ALICE);
    expect(home).toContain("Keys linked");
    expect(home).toContain(HOME_ACTIONS.reinstall);
    expect(home).toContain(HOME_ACTIONS.platform);
    expect(home).toContain("Your open reinstall requests");
    expect(home).toContain(`archives/${APPROVAL_CHANNEL}/p${open.ts.replace(".", "")}`);
    expect(home).toContain("waiting for approval");
    expect(home).toContain("Recent reinstall results");
    expect(home).toContain("old-box");
    expect(home).toContain("_rejected_");
    expect(home).not.toContain("waiting for you");
    expect(home).not.toContain("<!channel>");
    expect(home).toContain("&lt;!channel&gt;");
  });

  it("shows an approver what waits for their decision, and what they decided", async () => {
    await h.login(BOB, h.sim.otherAccount);
    const home = await openHome(BOB);
    expect(home).toContain("Reinstall requests waiting for you");
    expect(home).toContain(`<@${ALICE.userId}>`);
    expect(home).toContain("&lt;!channel&gt;"); // the hostile open request, escaped
    expect(home).toContain("old-box");
  });

  it("finds approvers through their user group", async () => {
    const home = await openHome(CAROL);
    expect(home).toContain("Reinstall requests waiting for you");
    expect(home).toContain("No CompShare keys linked");
  });

  it("shows someone new how to start, with no one else's requests", async () => {
    const home = await openHome(DAVE);
    expect(home).toContain("No CompShare keys linked");
    expect(home).toContain("You have no open reinstall requests");
    expect(home).not.toContain("waiting for you");
    expect(home).not.toContain(ALICE.userId);
  });

  it("counts what it does not show", async () => {
    for (let i = 0; i < 6; i += 1) await request(`many-${i}`);
    const home = await openHome(ALICE);
    expect(home).toMatch(/and \d+ more in the approvals channel/);
  });

  it("opens the request form from the Request a reinstall button", async () => {
    const { triggerId } = await h.send.clickInView(
      ALICE,
      { action_id: HOME_ACTIONS.reinstall },
      { id: "VHOME", type: "home" },
    );
    const opened = await h.slack.waitFor(() =>
      h.slack.callsTo("views.open").find((c) => c.args.trigger_id === triggerId),
    );
    expect(JSON.stringify(opened.args.view)).toContain("reinstall_request");
    expect(checkBlockKit(opened.args.view, "modal")).toEqual([]);
  });
});

describe("Home tab without reinstall configured", () => {
  let bare: Harness;
  beforeAll(async () => {
    bare = await startHarness();
    await bare.login(ALICE);
  });
  afterAll(async () => {
    await bare?.stop();
  });

  it("keeps the tab to keys and lists, and the button explains how an admin sets reinstall up", async () => {
    await bare.send.event({ type: "app_home_opened", user: ALICE.userId, tab: "home", channel: "D0HOME" });
    const home = JSON.stringify(await bare.slack.waitFor(() => bare.slack.homes.get(ALICE.userId)));
    expect(home).not.toContain("reinstall requests");
    const { triggerId } = await bare.send.clickInView(
      ALICE,
      { action_id: HOME_ACTIONS.reinstall },
      { id: "VHOME", type: "home" },
    );
    const opened = await bare.slack.waitFor(() =>
      bare.slack.callsTo("views.open").find((c) => c.args.trigger_id === triggerId),
    );
    const text = JSON.stringify(opened.args.view);
    expect(text).toContain("APPROVAL_CHANNEL");
    expect(text).toContain("APPROVERS");
    expect(checkBlockKit(opened.args.view, "modal")).toEqual([]);
  });

  it("answers the command the same way, without a crash", async () => {
    const { responseId } = await bare.send.command("reinstall uhost-abc123", ALICE);
    const [reply] = await bare.slack.waitFor(
      () => bare.slack.responsesTo(responseId).length > 0 && bare.slack.responsesTo(responseId),
    );
    expect(JSON.stringify(reply?.body)).toContain("not configured in this workspace");
  });
});
