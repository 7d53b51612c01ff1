import { afterAll, beforeAll, expect, it } from "vitest";
import { ALICE, type Harness, startHarness, WEI } from "./harness.ts";

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
