import { afterAll, beforeAll, expect, it } from "vitest";
import { ALICE, BOB, type Harness, startHarness } from "./harness.ts";
import {
  CAROL,
  clickCard,
  LEADS_GROUP,
  REINSTALL_ENV,
  REINSTALL_USERS,
  reinstallCalls,
  requestReinstall,
  settled,
} from "./reinstall-steps.ts";

/**
 * CompShare acts on a reinstall, then whatever is in front of it answers HTTP 500: the bot must
 * not say it did not run, nor send it again. Only a RetCode in a well-formed answer is a refusal;
 * the outcome is settled from the instance itself (the operations engine's evidence).
 */

const fastPolls = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.min(ms, 50)));

let h: Harness;

beforeAll(async () => {
  h = await startHarness({
    env: REINSTALL_ENV,
    users: REINSTALL_USERS,
    engine: { sleep: fastPolls, deadlines: { reinstall: 3_000, "wait-for-state": 3_000 } },
  });
  h.slack.usergroups.set(LEADS_GROUP, [CAROL.userId]);
  await h.login(ALICE);
  await h.login(BOB, h.sim.otherAccount);
});
afterAll(async () => {
  await h?.stop();
});

it("a 500 after the reinstall was sent is not a refusal: sent once, settled from the instance as done", async () => {
  const box = h.sim.state.addInstance(h.sim.demoAccount.accountId, { Name: "ambiguous-box", GpuType: "4090", GPU: 1 });
  // Another image than the one on it: only then does the image on the instance prove the reinstall landed.
  const image = h.sim.state
    .listPlatformImages()
    .find((i) => i.Status === "Available" && i.CompShareImageId !== box.CompShareImageId);
  if (!image) throw new Error("the simulator has no other available platform image");
  const card = await requestReinstall(h, ALICE, {
    instanceId: box.UHostId,
    imageId: image.CompShareImageId,
    reason: "ambiguous answer",
  });
  h.sim.faults.inject(
    { kind: "http", status: 500, afterAction: true },
    { times: 1, actions: ["ReinstallCompShareInstance"] },
  );
  await clickCard(h, BOB, card, "approve");
  const done = await settled(h, card.requestId, ["succeeded", "failed", "unknown"]);
  expect(done.status).toBe("succeeded");
  expect(done.steps.find((s) => s.action.kind === "reinstall")?.result?.reconciled).toBe(true);
  const calls = reinstallCalls(h).filter((r) => r.params.UHostId === box.UHostId);
  expect(calls).toMatchObject([{ httpStatus: 500, actedRetCode: 0 }]);
  expect(h.sim.state.getInstance(box.UHostId)?.CompShareImageId).toBe(image.CompShareImageId);
});
