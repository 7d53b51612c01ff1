import { afterAll, beforeAll, expect, it } from "vitest";
import { ALICE, type Harness, startHarness } from "./harness.ts";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

it("answers help through the response_url", async () => {
  const { response, responseId } = await h.send.command("help", ALICE);
  expect(response.status).toBe(200);
  const [reply] = await h.slack.waitFor(
    () => h.slack.responsesTo(responseId).length > 0 && h.slack.responsesTo(responseId),
  );
  expect(JSON.stringify(reply?.body)).toContain("/compshare login");
});

it("lists images after login", async () => {
  await h.login(ALICE);
  const { responseId } = await h.send.command("images", ALICE);
  const [reply] = await h.slack.waitFor(
    () => h.slack.responsesTo(responseId).length > 0 && h.slack.responsesTo(responseId),
  );
  console.log(JSON.stringify(reply?.body).slice(0, 1500));
  console.log(h.logs.text().slice(-3000));
});
