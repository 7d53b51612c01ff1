import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ALICE, BOB, type Harness, startHarness } from "./harness.ts";
import {
  CAROL,
  cardNow,
  clickCard,
  DAVE,
  ephemeralTo,
  LEADS_GROUP,
  platformImageNamed,
  REINSTALL_ENV,
  REINSTALL_USERS,
  reinstallCalls,
  rejectSubmission,
  requestReinstall,
  settled,
  storedRequest,
} from "./reinstall-steps.ts";

/**
 * Quorum (issue 11 item 2) through the real HTTP receiver: APPROVALS_REQUIRED=2, approvers Bob,
 * Dave and the leads group (Carol). The card says "k of N" and who; a second click by the same
 * approver adds nothing; the second approver starts exactly one ReinstallCompShareInstance.
 */

let h: Harness;
let image: string;
let count = 0;

beforeAll(async () => {
  h = await startHarness({
    env: {
      ...REINSTALL_ENV,
      APPROVERS: `${REINSTALL_ENV.APPROVERS},${DAVE.userId}`,
      APPROVALS_REQUIRED: "2",
      ALLOW_SELF_APPROVAL: "true",
    },
    users: REINSTALL_USERS,
    cardEditIntervalMs: 50,
    engine: { sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.min(ms, 50))) },
  });
  h.slack.usergroups.set(LEADS_GROUP, [CAROL.userId]);
  await h.login(ALICE);
  await h.login(BOB);
  image = platformImageNamed(h, "Ubuntu 22.04 CUDA 12.4").CompShareImageId;
});
afterAll(async () => {
  await h?.stop();
});

function newInstance() {
  count += 1;
  return h.sim.state.addInstance(h.sim.demoAccount.accountId, {
    Name: `quorum-${count}`,
    GpuType: "4090",
    GPU: 1,
    State: "Stopped",
  });
}

const cardText = (card: Parameters<typeof cardNow>[1]) => JSON.stringify(cardNow(h, card));

describe("two approvals required", () => {
  it("shows 1 of 2 after one approval, ignores the same approver again, and runs once at the second", async () => {
    const instance = newInstance();
    const card = await requestReinstall(h, ALICE, { instanceId: instance.UHostId, imageId: image, reason: "quorum" });
    expect(cardText(card)).toContain("Approvals: 0 of 2");

    const first = await clickCard(h, BOB, card, "approve");
    expect(await ephemeralTo(h, first.responseId)).toContain("Your approval is recorded: 1 of 2");
    await h.slack.waitFor(
      () => cardText(card).includes("Approvals: 1 of 2") && cardText(card).includes(`<@${BOB.userId}>`),
    );
    expect((await storedRequest(h, card.requestId)).status).toBe("pending");

    const again = await clickCard(h, BOB, card, "approve");
    expect(await ephemeralTo(h, again.responseId)).toContain("You approved this request already");
    expect((await storedRequest(h, card.requestId)).approvals).toHaveLength(1);
    expect(reinstallCalls(h).filter((c) => c.params.UHostId === instance.UHostId)).toHaveLength(0);

    await clickCard(h, CAROL, card, "approve");
    const done = await settled(h, card.requestId, ["succeeded", "failed", "unknown"], 20_000);
    expect(done.status).toBe("succeeded");
    expect(reinstallCalls(h).filter((c) => c.params.UHostId === instance.UHostId)).toHaveLength(1);
    expect(done.approvals.map((a) => a.userId)).toEqual([BOB.userId, CAROL.userId]);
    await h.slack.waitFor(() => cardText(card).includes("Approvals: 2 of 2"));
  });

  it("refuses the requester's own approval towards the quorum, saying why", async () => {
    const instance = newInstance();
    // Bob is an approver and the requester here: self-approval is allowed, yet with two needed his own never counts.
    const card = await requestReinstall(h, BOB, { instanceId: instance.UHostId, imageId: image, reason: "mine" });
    const own = await clickCard(h, BOB, card, "approve");
    expect(await ephemeralTo(h, own.responseId)).toContain("needs 2 approvals from people other than you");
    expect((await storedRequest(h, card.requestId)).approvals).toEqual([]);
  });

  it("ends the quorum at a Reject: a later approval is told it was decided", async () => {
    const instance = newInstance();
    const card = await requestReinstall(h, ALICE, {
      instanceId: instance.UHostId,
      imageId: image,
      reason: "reject me",
    });
    await clickCard(h, BOB, card, "approve");
    await h.slack.waitFor(() => cardText(card).includes("Approvals: 1 of 2"));
    // Dave has not approved; his Reject (through the reason modal) ends the quorum at 1 of 2.
    const response = await rejectSubmission(h, DAVE, card.requestId, "not this week");
    expect(JSON.stringify(response.json())).toContain("Rejected.");
    expect((await storedRequest(h, card.requestId)).status).toBe("rejected");
    const late = await clickCard(h, CAROL, card, "approve");
    expect(await ephemeralTo(h, late.responseId)).toContain("rejected");
    expect(reinstallCalls(h).filter((c) => c.params.UHostId === instance.UHostId)).toHaveLength(0);
  });

  it("turns 200 simultaneous clicks by two approvers into one reinstall", async () => {
    const instance = newInstance();
    const card = await requestReinstall(h, ALICE, { instanceId: instance.UHostId, imageId: image, reason: "stampede" });
    const clicks = await Promise.all(
      Array.from({ length: 200 }, (_, i) => clickCard(h, i % 2 === 0 ? BOB : CAROL, card, "approve")),
    );
    expect(clicks.every((c) => c.response.status === 200)).toBe(true);
    const done = await settled(h, card.requestId, ["succeeded", "failed", "unknown"], 30_000);
    expect(done.status).toBe("succeeded");
    expect(reinstallCalls(h).filter((c) => c.params.UHostId === instance.UHostId)).toHaveLength(1);
    expect(done.approvals.map((a) => a.userId).sort()).toEqual([BOB.userId, CAROL.userId].sort());
  });
});
