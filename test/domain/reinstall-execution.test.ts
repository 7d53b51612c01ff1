import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CompShareApi, createCompShareApi } from "../../src/compshare/client.ts";
import { NotLinkedError } from "../../src/domain/accounts.ts";
import { approveAndReinstall, type ExecutionDeps } from "../../src/domain/reinstall-execution.ts";
import { type Simulator, startSimulator } from "../../src/simulator/simulator.ts";
import { openStore } from "../../src/store/open-store.ts";
import type { ApprovalRequest, Store } from "../../src/store/types.ts";
import { memoryLogger } from "../helpers/memory-log.ts";

/** The approve path against a real store and the simulator: the compare-and-set chain and what it records. */

let sim: Simulator;
let api: CompShareApi;
let store: Store;
let now = Date.parse("2026-03-01T09:00:00Z");

beforeAll(async () => {
  sim = await startSimulator({ port: 0 });
  api = createCompShareApi({ baseUrl: sim.url });
  store = await openStore({ url: "sqlite::memory:", keys: [randomBytes(32)], clock: () => new Date(now) });
});
afterAll(async () => {
  await store?.close();
  await api?.close();
  await sim?.close();
});

function deps(overrides: Partial<ExecutionDeps> = {}): ExecutionDeps {
  return {
    approvals: store.approvals,
    audit: store.audit,
    logger: memoryLogger("silent").logger,
    requesterClient: async () => api.forAccount({ ...sim.demoAccount, region: "cn-wlcb", zone: "cn-wlcb-01" }),
    ...overrides,
  };
}

async function pending(ttlMs = 3_600_000): Promise<ApprovalRequest> {
  const instance = sim.state.addInstance(sim.demoAccount.accountId, {});
  const image = sim.state.listPlatformImages()[0];
  return store.approvals.create({
    teamId: "T1",
    requesterId: "U1",
    instanceId: instance.UHostId,
    imageId: image?.CompShareImageId ?? "",
    region: "cn-wlcb",
    zone: "cn-wlcb-01",
    reason: "test",
    ttlMs,
  });
}

const reinstallsOf = (instanceId: string) =>
  sim.requests.filter((r) => r.action === "ReinstallCompShareInstance" && r.params.UHostId === instanceId);

describe("approve and reinstall", () => {
  it("moves pending → approved → executing → succeeded, shows executing first, and audits", async () => {
    const request = await pending();
    const seen: string[] = [];
    const result = await approveAndReinstall(
      deps({ onExecuting: async (r) => void seen.push(r.status) }),
      request.id,
      "U2",
    );
    expect(seen).toEqual(["executing"]);
    expect(result).toMatchObject({ kind: "finished", request: { status: "succeeded", decidedBy: "U2" } });
    expect(reinstallsOf(request.instanceId)).toHaveLength(1);
    const [entry] = await store.audit.query({ teamId: "T1", userId: "U2" });
    expect(entry).toMatchObject({ action: "reinstall.execute", result: "succeeded", target: request.instanceId });
  });

  it("of many concurrent approvals exactly one runs; the rest learn who won", async () => {
    const request = await pending();
    const results = await Promise.all(
      ["U2", "U3", "U4", "U5", "U6"].map((decider) => approveAndReinstall(deps(), request.id, decider)),
    );
    const finished = results.filter((r) => r.kind === "finished");
    expect(finished).toHaveLength(1);
    for (const lost of results.filter((r) => r.kind === "lost")) {
      expect(lost.kind === "lost" && lost.current?.decidedBy).toBe(
        finished[0]?.kind === "finished" ? finished[0].request.decidedBy : "",
      );
    }
    expect(reinstallsOf(request.instanceId)).toHaveLength(1);
  });

  it("without the requester's keys nothing is sent and the request fails", async () => {
    const request = await pending();
    const result = await approveAndReinstall(
      deps({
        requesterClient: async () => {
          throw new NotLinkedError();
        },
      }),
      request.id,
      "U2",
    );
    expect(result).toMatchObject({
      kind: "finished",
      request: { status: "failed", outcome: { message: "bot:keys_removed" } },
    });
    expect(reinstallsOf(request.instanceId)).toHaveLength(0);
  });

  it("a failing 'executing' notice does not stop the reinstall", async () => {
    const request = await pending();
    const result = await approveAndReinstall(
      deps({
        onExecuting: async () => {
          throw new Error("message_not_found");
        },
      }),
      request.id,
      "U2",
    );
    expect(result).toMatchObject({ kind: "finished", request: { status: "succeeded" } });
  });

  it("an expired request cannot be approved", async () => {
    const request = await pending(60_000);
    now += 120_000;
    const result = await approveAndReinstall(deps(), request.id, "U2");
    expect(result).toMatchObject({ kind: "lost", current: { status: "pending" } });
    expect(reinstallsOf(request.instanceId)).toHaveLength(0);
  });
});
