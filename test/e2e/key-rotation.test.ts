import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { expect, it } from "vitest";
import { useLoopbackWorld } from "../helpers/loopback-world.ts";
import { ALICE, startHarness } from "./harness.ts";

/** The documented rotation: add the new key second, then first (restart re-encrypts), then alone. */

const world = useLoopbackWorld("rotation");

async function whoami(keys: string) {
  const h = await startHarness({
    slack: world.slack,
    sim: world.sim,
    env: { CREDENTIALS_KEY: keys, DATABASE_URL: `sqlite:${join(world.dir, "bot.sqlite")}` },
  });
  try {
    const { responseId } = await h.send.command("custom", ALICE);
    const [reply] = await world.slack.waitFor(
      () => world.slack.responsesTo(responseId).length > 0 && world.slack.responsesTo(responseId),
    );
    return { text: JSON.stringify(reply?.body), logs: h.logs.text() };
  } finally {
    await h.stop();
  }
}

it("re-encrypts at start and keeps every user's keys readable through each step", async () => {
  const a = randomBytes(32).toString("base64");
  const b = randomBytes(32).toString("base64");
  const first = await startHarness({
    slack: world.slack,
    sim: world.sim,
    env: { CREDENTIALS_KEY: a, DATABASE_URL: `sqlite:${join(world.dir, "bot.sqlite")}` },
  });
  await first.login(ALICE);
  await first.stop();

  const step1 = await whoami(`${a},${b}`);
  expect(step1.text).toContain("My images");
  expect(step1.logs).toMatch(/"reencrypted":0/);

  const step2 = await whoami(`${b},${a}`);
  expect(step2.text).toContain("My images");
  expect(step2.logs).toMatch(/"reencrypted":1/);

  const step3 = await whoami(b);
  expect(step3.text).toContain("My images");

  const wrong = await whoami(randomBytes(32).toString("base64"));
  expect(wrong.text).toContain("can no longer be read");
  expect(wrong.text).toContain("/compshare login");
});
