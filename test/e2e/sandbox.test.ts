import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ALICE, type Harness, startHarness, WEI } from "./harness.ts";
import {
  APPROVAL_CHANNEL,
  BOB_ID,
  cardEdits,
  cardNow,
  clickCard,
  REINSTALL_ENV,
  REINSTALL_USERS,
  requestReinstall,
} from "./reinstall-steps.ts";

/** COMPSHARE_SANDBOX=true: the bot brings its own simulated CompShare and says so everywhere. */

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ env: { COMPSHARE_SANDBOX: "true" } });
});
afterAll(async () => {
  await h?.stop();
});

async function reply(text: string, actor = ALICE): Promise<string> {
  const { responseId } = await h.send.command(text, actor);
  const [r] = await h.slack.waitFor(
    () => h.slack.responsesTo(responseId).length > 0 && h.slack.responsesTo(responseId),
  );
  return JSON.stringify(r?.body);
}

it("pre-fills the login modal with the sandbox's demo keys and marks it as the sandbox", async () => {
  const { triggerId } = await h.send.command("login", ALICE);
  const open = await h.slack.waitFor(() => h.slack.callsTo("views.open").find((c) => c.args.trigger_id === triggerId));
  const view = JSON.stringify(open.args.view);
  expect(view).toContain("Sandbox");
  expect(view).toContain("compshare-demo-public-key");
  expect(view).toContain("demo keys");
});

it("works end to end against the in-process simulator, never the configured CompShare URL", async () => {
  await h.login(ALICE);
  const list = await reply("images");
  expect(list).toMatch(/Platform images: Showing 1–10 of \d+/);
  expect(h.sim.requests).toEqual([]);
});

it("says it is the sandbox in every message, in both languages", async () => {
  for (const text of ["help", "whoami", "images", "custom", "deploy"]) expect(await reply(text)).toContain("*Sandbox*");
  expect(await reply("help", WEI)).toContain("沙箱模式");
  await h.send.event({ type: "app_home_opened", user: ALICE.userId, tab: "home" });
  await h.slack.waitFor(() => JSON.stringify(h.slack.homes.get(ALICE.userId) ?? "").includes("Sandbox"));
});

describe("a new user's first reinstall plan, in the sandbox", () => {
  let s: Harness;
  beforeAll(async () => {
    s = await startHarness({
      env: { COMPSHARE_SANDBOX: "true", ...REINSTALL_ENV },
      users: REINSTALL_USERS,
      // The sandbox's operations take their default few seconds; only the bot's polls are shortened.
      engine: { sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.min(ms, 200))) },
    });
    await s.login(ALICE);
  });
  afterAll(async () => {
    await s?.stop();
  });

  it("reinstalls a Running demo instance in one request and one approval, and it ends Running on the new image", async () => {
    const { responseId } = await s.send.command("instances", ALICE);
    const [list] = await s.slack.waitFor(
      () => s.slack.responsesTo(responseId).length > 0 && s.slack.responsesTo(responseId),
    );
    const shown = JSON.stringify(list?.body);
    const instanceId = /"action_id":"instance_op_stop","value":"(uhost-[A-Za-z0-9]+)"/.exec(shown)?.[1] ?? "";
    expect(instanceId).not.toBe("");
    // The demo data is the same in every simulator; pick an image the instance is not on now.
    const line = /"text":"([^"]*)"/g;
    const row = [...shown.matchAll(line)].map((m) => m[1] ?? "").find((text) => text.includes(instanceId)) ?? "";
    const image = s.sim.state.listPlatformImages().find((i) => i.Status === "Available" && !row.includes(i.Name));
    if (!image) throw new Error("no other available image");
    const card = await requestReinstall(s, ALICE, {
      instanceId,
      imageId: image.CompShareImageId,
      reason: "first try",
      stopFirst: true,
      startAfter: true,
    });
    await clickCard(s, { userId: BOB_ID, teamId: ALICE.teamId, channelId: APPROVAL_CHANNEL }, card, "approve");
    const final = await s.slack.waitFor(
      () => {
        const text = JSON.stringify(cardNow(s, card));
        return text.includes("Every step is done") && text;
      },
      60_000,
      "the plan to finish in the sandbox",
    );
    expect(final).toContain("now *Running*");
    expect(final).toContain(image.CompShareImageId);
    expect(final).toContain("*Sandbox*");
    expect(cardEdits(s, card).length).toBeGreaterThanOrEqual(3);
  }, 90_000);
});
