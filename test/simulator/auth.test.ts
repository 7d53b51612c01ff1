import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signParams } from "../../src/compshare/signature.ts";
import { MAX_BODY_BYTES } from "../../src/simulator/request-params.ts";
import { type Simulator, startSimulator } from "../../src/simulator/simulator.ts";
import { memoryLogger } from "../helpers/memory-log.ts";
import { call, postForm, signed } from "./sim-client.ts";

describe("simulator authentication and routing", () => {
  const log = memoryLogger("debug");
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSimulator({ logger: log.logger });
  });
  afterAll(() => sim.close());

  it("answers a correctly signed call with RetCode 0, the action's Response name and a fresh request id", async () => {
    const first = await call(sim, sim.demoAccount, "DescribeCompShareImages", { Limit: 1 });
    const second = await call(sim, sim.demoAccount, "DescribeCompShareImages", { Limit: 1 });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ Action: "DescribeCompShareImagesResponse", RetCode: 0 });
    expect(first.body).not.toHaveProperty("Message");
    expect(first.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(second.requestId).not.toBe(first.requestId);
  });

  it("accepts a JSON body, flattened and signed the same way as a form", async () => {
    const params = signed(sim.demoAccount, {
      Action: "DescribeCompShareImages",
      Region: "cn-wlcb",
      Limit: 3,
      Tag: "PyTorch",
    });
    const json = { ...params, Limit: 3 };
    const response = await fetch(sim.url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(json),
    });
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ RetCode: 0 });
    expect((body.ImageSet as unknown[]).length).toBe(3);
  });

  it("accepts arrays in a JSON body as Key.N", async () => {
    const flat = signed(sim.demoAccount, {
      Action: "DescribeCompShareInstance",
      Region: "cn-wlcb",
      UHostIds: [sim.state.listInstances(sim.demoAccount.accountId)[0]?.UHostId ?? ""],
    });
    const { "UHostIds.0": id, ...rest } = flat;
    const response = await fetch(`${sim.url}/any/path`, {
      method: "POST",
      headers: { "content-type": "application/json; charset=utf-8" },
      body: JSON.stringify({ ...rest, UHostIds: [id] }),
    });
    expect(await response.json()).toMatchObject({ RetCode: 0, TotalCount: 1 });
  });

  it("answers 170 when the Signature is missing", async () => {
    const { Signature: _dropped, ...unsigned } = signed(sim.demoAccount, {
      Action: "DescribeCompShareImages",
      Region: "cn-wlcb",
    });
    const reply = await postForm(sim.url, unsigned);
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ Action: "DescribeCompShareImagesResponse", RetCode: 170 });
  });

  it("answers 171 on a wrong signature without revealing the expected one", async () => {
    const params = signed(sim.demoAccount, { Action: "DescribeCompShareImages", Region: "cn-wlcb" });
    const expected = params.Signature ?? "";
    const reply = await postForm(sim.url, { ...params, Signature: "0".repeat(40) });
    expect(reply.body).toMatchObject({ RetCode: 171, Message: "Signature error" });
    expect(JSON.stringify(reply.body)).not.toContain(expected);

    const wrongKey = await call(
      sim,
      { ...sim.demoAccount, privateKey: "not-the-private-key" },
      "DescribeCompShareImages",
    );
    expect(wrongKey.body).toMatchObject({ RetCode: 171 });
  });

  it("answers 171 when a signed value was changed in transit", async () => {
    const params = signed(sim.demoAccount, { Action: "DescribeCompShareImages", Region: "cn-wlcb", Limit: 5 });
    const reply = await postForm(sim.url, { ...params, Limit: "6" });
    expect(reply.body).toMatchObject({ RetCode: 171 });
  });

  it("answers 172 for an unknown or missing PublicKey", async () => {
    const unknown = await call(sim, { publicKey: "nobody", privateKey: "whatever" }, "DescribeCompShareImages");
    expect(unknown.body).toMatchObject({ RetCode: 172, Message: "user does not exist" });
    const flat = { Action: "DescribeCompShareImages", Region: "cn-wlcb" };
    const noKey = await postForm(sim.url, { ...flat, Signature: signParams(flat, "", "x") });
    expect(noKey.body).toMatchObject({ RetCode: 172 });
  });

  it("answers 160 without an Action and 161 for an unknown one", async () => {
    const missing = await postForm(sim.url, signed(sim.demoAccount, { Region: "cn-wlcb" }));
    expect(missing.body).toMatchObject({ RetCode: 160 });
    const unknown = await call(sim, sim.demoAccount, "DescribeNothing");
    expect(unknown.body).toMatchObject({ Action: "DescribeNothingResponse", RetCode: 161 });
    expect(unknown.body.Message).toContain("DescribeNothing");
  });

  it("authenticates each account with its own key pair", async () => {
    const fresh = sim.addAccount({ accountName: "fresh" });
    expect(fresh.privateKey).not.toBe(sim.demoAccount.privateKey);
    expect((await call(sim, fresh, "DescribeCompShareImages")).body).toMatchObject({ RetCode: 0 });
    const last = sim.requests.at(-1);
    expect(last?.accountId).toBe(fresh.accountId);
    const mixed = await call(
      sim,
      { publicKey: fresh.publicKey, privateKey: sim.demoAccount.privateKey },
      "DescribeCompShareImages",
    );
    expect(mixed.body).toMatchObject({ RetCode: 171 });
  });

  it("records requests without Signature and logs one line per request without secrets", async () => {
    const params = signed(sim.demoAccount, { Action: "DescribeCompShareSharingImages", Region: "cn-wlcb" });
    const reply = await postForm(sim.url, params);
    const recorded = sim.requests.find((r) => r.requestId === reply.requestId);
    expect(recorded).toMatchObject({
      action: "DescribeCompShareSharingImages",
      accountId: sim.demoAccount.accountId,
      retCode: 0,
      httpStatus: 200,
    });
    expect(recorded?.params).toMatchObject({ PublicKey: sim.demoAccount.publicKey, Region: "cn-wlcb" });
    expect(recorded?.params).not.toHaveProperty("Signature");
    expect(JSON.stringify(sim.requests)).not.toContain(params.Signature);

    const line = log.records().find((record) => record.requestId === reply.requestId);
    expect(line).toMatchObject({ level: 20, action: "DescribeCompShareSharingImages", retCode: 0 });
    expect(log.lines.length).toBe(sim.requests.length);
    const text = log.text();
    expect(text).not.toContain(params.Signature);
    expect(text).not.toContain(sim.demoAccount.privateKey);
    expect(text).not.toContain(sim.otherAccount.privateKey);
  });

  it("refuses a body over the size cap with HTTP 413", async () => {
    const response = await fetch(sim.url, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: `Action=DescribeCompShareImages&Cover=${"A".repeat(MAX_BODY_BYTES)}`,
    });
    expect(response.status).toBe(413);
  });

  it("answers 230 for a body that is not JSON under a JSON content type", async () => {
    const response = await fetch(sim.url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{",
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ RetCode: 230 });
  });
});
