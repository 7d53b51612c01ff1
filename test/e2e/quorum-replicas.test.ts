import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { storeTargets } from "../store/harness.ts";
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
 * Issue 11's "done when": with APPROVALS_REQUIRED=2, 200 simultaneous Approve clicks spread over
 * two approvers start exactly one ReinstallCompShareInstance across two bot replicas sharing
 * PostgreSQL (the same workspace and cloud; the clicks alternate between the replicas).
 */

const postgres = (await storeTargets("test/e2e/quorum-replicas.test.ts")).filter((t) => t.name === "postgres");

for (const target of postgres) {
  describe("quorum of two across two replicas on PostgreSQL", () => {
    const store = target.make();
    const replicas: Harness[] = [];
    const env = { ...REINSTALL_ENV, APPROVALS_REQUIRED: "2" };

    beforeAll(async () => {
      const url = await store.newUrl();
      const first = await startHarness({ env: { ...env, DATABASE_URL: url }, users: REINSTALL_USERS });
      replicas.push(first);
      replicas.push(
        await startHarness({
          slack: first.slack,
          sim: first.sim,
          env: { ...env, DATABASE_URL: url, CREDENTIALS_KEY: first.env.CREDENTIALS_KEY ?? "" },
          users: REINSTALL_USERS,
        }),
      );
      first.slack.usergroups.set(LEADS_GROUP, [CAROL.userId]);
      await first.login(ALICE);
    });
    afterAll(async () => {
      for (const replica of [...replicas].reverse()) await replica.stop();
      await store.cleanup();
    });

    it("turns 200 simultaneous clicks by two approvers on two replicas into one reinstall", async () => {
      const [first, second] = replicas as [Harness, Harness];
      const imageId = platformImageNamed(first, "Ubuntu 22.04 CUDA 12.4").CompShareImageId;
      const instance = first.sim.state.addInstance(first.sim.demoAccount.accountId, {
        GpuType: "4090",
        GPU: 1,
        State: "Stopped",
      });
      const card = await requestReinstall(first, ALICE, { instanceId: instance.UHostId, imageId, reason: "stampede" });
      // Clicks 0, 1 go to replica 0 (Bob, Carol), 2, 3 to replica 1, …: each approver on both replicas.
      const clicks = await Promise.all(
        Array.from({ length: 200 }, (_, i) =>
          clickCard(Math.floor(i / 2) % 2 === 0 ? first : second, i % 2 === 0 ? BOB : CAROL, card, "approve"),
        ),
      );
      expect(clicks.every((c) => c.response.status === 200)).toBe(true);
      const done = await settled(first, card.requestId, ["succeeded", "failed", "unknown"], 60_000);
      expect(done.status).toBe("succeeded");
      expect(reinstallCalls(first).filter((c) => c.params.UHostId === instance.UHostId)).toHaveLength(1);
      expect(done.approvals.map((a) => a.userId).sort()).toEqual([BOB.userId, CAROL.userId].sort());
      await Promise.all(replicas.map((replica) => replica.bot.services.operations.idle()));
      expect(reinstallCalls(first).filter((c) => c.params.UHostId === instance.UHostId)).toHaveLength(1);
    }, 120_000);
  });
}
