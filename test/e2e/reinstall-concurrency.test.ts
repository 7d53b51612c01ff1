import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { storeTargets } from "../store/harness.ts";
import { ALICE, BOB, type Harness, startHarness } from "./harness.ts";
import {
  CAROL,
  clickCard,
  LEADS_GROUP,
  type PostedCard,
  platformImageNamed,
  REINSTALL_ENV,
  REINSTALL_USERS,
  reinstallCalls,
  rejectSubmission,
  requestReinstall,
  settled,
} from "./reinstall-steps.ts";
import type { Actor } from "./slack-requests.ts";

/**
 * DESIGN §1 journey 5: "exactly one decision wins even if two approvers click at once, on any
 * replica". On SQLite one bot takes every click; on PostgreSQL two bots share the database,
 * the workspace and the cloud, and the clicks are spread over both.
 */

const targets = await storeTargets("test/e2e/reinstall-concurrency.test.ts");

for (const target of targets) {
  describe(`${target.name}: one decision wins`, () => {
    const store = target.make();
    const replicas: Harness[] = [];
    let imageId = "";

    beforeAll(async () => {
      const url = await store.newUrl();
      const first = await startHarness({ env: { ...REINSTALL_ENV, DATABASE_URL: url }, users: REINSTALL_USERS });
      replicas.push(first);
      if (target.name === "postgres") {
        replicas.push(
          await startHarness({
            slack: first.slack,
            sim: first.sim,
            // The same database needs the same key to read the keys the other replica stored.
            env: { ...REINSTALL_ENV, DATABASE_URL: url, CREDENTIALS_KEY: first.env.CREDENTIALS_KEY ?? "" },
            users: REINSTALL_USERS,
          }),
        );
      }
      first.slack.usergroups.set(LEADS_GROUP, [CAROL.userId]);
      await first.login(ALICE);
      imageId = platformImageNamed(first, "Ubuntu 22.04 CUDA 12.4").CompShareImageId;
    });
    afterAll(async () => {
      // The replica that owns the fake Slack and the simulator stops last.
      for (const replica of [...replicas].reverse()) await replica.stop();
      await store.cleanup();
    });

    /** Replica i takes the i-th click (round robin). */
    const on = (i: number): Harness => replicas[i % replicas.length] as Harness;

    async function pending(): Promise<{ card: PostedCard; instanceId: string }> {
      const h = on(0);
      const instance = h.sim.state.addInstance(h.sim.demoAccount.accountId, { GpuType: "4090", GPU: 1 });
      const card = await requestReinstall(h, ALICE, { instanceId: instance.UHostId, imageId, reason: "race" });
      return { card, instanceId: instance.UHostId };
    }

    function replies(responseIds: string[]): string[] {
      return responseIds.flatMap((id) =>
        on(0)
          .slack.responsesTo(id)
          .map((r) => JSON.stringify(r.body)),
      );
    }

    async function race(card: PostedCard, clickers: Actor[]) {
      const clicks = await Promise.all(clickers.map((actor, i) => clickCard(on(i), actor, card, "approve")));
      for (const { response } of clicks) expect(response.status).toBe(200);
      return clicks.map((c) => c.responseId);
    }

    it("a double click by one approver sends exactly one reinstall", async () => {
      const { card, instanceId } = await pending();
      const responseIds = await race(card, [BOB, BOB]);
      const done = await settled(on(0), card.requestId, ["succeeded", "failed", "unknown"]);
      expect(done).toMatchObject({ status: "succeeded", decidedBy: BOB.userId });
      expect(reinstallCalls(on(0)).filter((r) => r.params.UHostId === instanceId)).toHaveLength(1);
      const late = await on(0).slack.waitFor(() => replies(responseIds).find((r) => r.includes("Too late")));
      expect(late).toContain(`already approved by <@${BOB.userId}>`);
    });

    it("two approvers at once: one reinstall, and the other is told who decided", async () => {
      const { card, instanceId } = await pending();
      const responseIds = await race(card, [BOB, CAROL, CAROL, BOB]);
      const done = await settled(on(0), card.requestId, ["succeeded", "failed", "unknown"]);
      expect(done.status).toBe("succeeded");
      expect([BOB.userId, CAROL.userId]).toContain(done.decidedBy);
      expect(reinstallCalls(on(0)).filter((r) => r.params.UHostId === instanceId)).toHaveLength(1);
      const late = await on(0).slack.waitFor(() => {
        const found = replies(responseIds).filter((r) => r.includes("Too late"));
        return found.length === 3 && found;
      });
      for (const reply of late) expect(reply).toContain(`already approved by <@${done.decidedBy}>`);
    });

    it("approve and reject at once: whichever lands first stands, and a rejected request never runs", async () => {
      const { card, instanceId } = await pending();
      const [approve, reject] = await Promise.all([
        clickCard(on(0), BOB, card, "approve"),
        rejectSubmission(on(1), CAROL, card.requestId, "racing"),
      ]);
      expect(approve.response.status).toBe(200);
      expect(reject.status).toBe(200);
      const done = await settled(on(0), card.requestId, ["succeeded", "failed", "unknown", "rejected"]);
      const calls = reinstallCalls(on(0)).filter((r) => r.params.UHostId === instanceId);
      expect(calls).toHaveLength(done.status === "rejected" ? 0 : 1);
    });
  });
}
