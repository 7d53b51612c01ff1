import { afterAll, beforeAll, expect, it } from "vitest";
import { ALICE, BOB, type Harness, startHarness } from "./harness.ts";
import {
  CAROL,
  clickCard,
  LEADS_GROUP,
  platformImageNamed,
  REINSTALL_ENV,
  REINSTALL_USERS,
  reinstallCalls,
  requestReinstall,
  settled,
} from "./reinstall-steps.ts";

/**
 * CompShare acts on a reinstall, then whatever is in front of it answers HTTP 500: the bot must
 * not say it did not run. Only a RetCode in a well-formed answer is a refusal.
 */

let h: Harness;

beforeAll(async () => {
  h = await startHarness({ env: REINSTALL_ENV, users: REINSTALL_USERS });
  h.slack.usergroups.set(LEADS_GROUP, [CAROL.userId]);
  await h.login(ALICE);
  await h.login(BOB, h.sim.otherAccount);
});
afterAll(async () => {
  await h?.stop();
});

it("a 500 after the reinstall was sent is an unknown outcome, sent once, though the cloud did reinstall", async () => {
  const box = h.sim.state.addInstance(h.sim.demoAccount.accountId, { Name: "ambiguous-box", GpuType: "4090", GPU: 1 });
  const image = platformImageNamed(h, "Ubuntu 22.04 CUDA 12.4");
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
  expect(done.status).toBe("unknown");
  const calls = reinstallCalls(h).filter((r) => r.params.UHostId === box.UHostId);
  expect(calls).toMatchObject([{ httpStatus: 500, actedRetCode: 0 }]);
  expect(h.sim.state.getInstance(box.UHostId)?.CompShareImageId).toBe(image.CompShareImageId);
});
