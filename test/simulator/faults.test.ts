import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Simulator, startSimulator } from "../../src/simulator/simulator.ts";
import { call, signed } from "./sim-client.ts";

describe("simulator fault injection", () => {
  let sim: Simulator;
  beforeEach(async () => {
    sim = await startSimulator();
  });
  afterEach(() => sim.close());

  const rawPost = (action = "DescribeCompShareImages", signal?: AbortSignal) =>
    fetch(sim.url, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(signed(sim.demoAccount, { Action: action, Region: "cn-wlcb" })).toString(),
      ...(signal ? { signal } : {}),
    });

  it.each([429, 503] as const)("answers HTTP %i with Retry-After: 1 and a small JSON body", async (status) => {
    sim.faults.inject({ kind: "http", status });
    const response = await rawPost();
    expect(response.status).toBe(status);
    expect(response.headers.get("retry-after")).toBe("1");
    expect(await response.json()).toHaveProperty("message");
    expect(sim.requests.at(-1)).toMatchObject({ httpStatus: status, retCode: undefined, fault: "http" });
  });

  it("answers HTTP 500 with a text body, after running the action when asked to", async () => {
    sim.faults.inject({ kind: "http", status: 500, afterAction: true }, { times: 1 });
    const response = await rawPost();
    expect(response.status).toBe(500);
    expect(await response.text()).toContain("Internal Server Error");
    expect(sim.requests.at(-1)).toMatchObject({ httpStatus: 500, fault: "http", actedRetCode: 0 });
    sim.faults.inject({ kind: "http", status: 500 }, { times: 1 });
    await rawPost();
    expect(sim.requests.at(-1)).not.toHaveProperty("actedRetCode");
  });

  it("answers HTTP 502 with a text body", async () => {
    sim.faults.inject({ kind: "http", status: 502 });
    const response = await rawPost();
    expect(response.status).toBe(502);
    expect(await response.text()).toContain("Bad Gateway");
  });

  it("answers a RetCode with its message, HTTP 200", async () => {
    sim.faults.inject({ kind: "retcode", retCode: 153 });
    sim.faults.inject({ kind: "retcode", retCode: 150, message: "maintenance" });
    const limited = await call(sim, sim.demoAccount, "DescribeCompShareImages");
    expect(limited.status).toBe(200);
    expect(limited.requestId).not.toBeNull();
    expect(limited.body).toMatchObject({ Action: "DescribeCompShareImagesResponse", RetCode: 153 });
    expect(typeof limited.body.Message).toBe("string");
    expect(sim.requests.at(-1)).toMatchObject({ retCode: 153, httpStatus: 200, fault: "retcode" });
    sim.faults.clear();
    sim.faults.inject({ kind: "retcode", retCode: 150, message: "maintenance" });
    expect((await call(sim, sim.demoAccount, "DescribeCompShareImages")).body).toMatchObject({
      RetCode: 150,
      Message: "maintenance",
    });
  });

  it("drops the connection without an answer", async () => {
    sim.faults.inject({ kind: "drop" }, { times: 1 });
    await expect(rawPost()).rejects.toThrow(TypeError);
    expect(sim.requests.at(-1)).toMatchObject({ action: "DescribeCompShareImages", httpStatus: 0, fault: "drop" });
    expect((await rawPost()).status).toBe(200);
  });

  it("answers 200 with a body that is not JSON", async () => {
    sim.faults.inject({ kind: "malformed" }, { times: 1 });
    const response = await rawPost();
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(() => JSON.parse(text)).toThrow(SyntaxError);
    expect(sim.requests.at(-1)).toMatchObject({ httpStatus: 200, retCode: undefined, fault: "malformed" });
  });

  it("delays the answer on a latency fault, then answers normally", async () => {
    sim.faults.inject({ kind: "latency", ms: 5 }, { times: 1 });
    const reply = await call(sim, sim.demoAccount, "DescribeCompShareImages");
    expect(reply.body.RetCode).toBe(0);
    expect(sim.requests.at(-1)).toMatchObject({ retCode: 0, httpStatus: 200, fault: "latency" });
  });

  it("withholds the answer while a latency fault lasts, and close() ends held requests", async () => {
    sim.faults.inject({ kind: "latency", ms: 60_000 });
    await expect(rawPost("DescribeCompShareImages", AbortSignal.timeout(50))).rejects.toThrow();
    const held = rawPost().catch((error: unknown) => error);
    await sim.close();
    expect(await held).toBeInstanceOf(TypeError);
    for (const request of sim.requests) expect(request).toMatchObject({ fault: "latency", httpStatus: 0 });
  });

  it("still runs an action whose client gave up during the latency, as the real API would", async () => {
    const instance = sim.state.listInstances(sim.demoAccount.accountId).find((i) => i.State === "Running");
    const uhostId = instance?.UHostId ?? "";
    sim.faults.inject({ kind: "latency", ms: 50 }, { actions: ["StopCompShareInstance"] });
    const params = signed(sim.demoAccount, { Action: "StopCompShareInstance", Region: "cn-wlcb", UHostId: uhostId });
    const gaveUp = fetch(sim.url, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(params).toString(),
      signal: AbortSignal.timeout(10),
    });
    await expect(gaveUp).rejects.toThrow();
    for (let i = 0; i < 200 && sim.requests.length === 0; i++) await new Promise((r) => setTimeout(r, 5));
    expect(sim.requests).toHaveLength(1);
    expect(sim.requests[0]).toMatchObject({ action: "StopCompShareInstance", retCode: 0, fault: "latency" });
    expect(sim.state.getInstance(uhostId)?.State).toBe("Stopping");
  });

  it("applies a fault only `times` times", async () => {
    sim.faults.inject({ kind: "http", status: 503 }, { times: 2 });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await rawPost()).status);
    expect(statuses).toEqual([503, 503, 200, 200]);
    expect(sim.requests.map((r) => r.httpStatus)).toEqual([503, 503, 200, 200]);
  });

  it("applies a fault only to the listed actions", async () => {
    sim.faults.inject({ kind: "retcode", retCode: 153 }, { actions: ["DescribeCompShareCustomImages"] });
    expect((await call(sim, sim.demoAccount, "DescribeCompShareImages")).body.RetCode).toBe(0);
    expect(
      (await call(sim, sim.demoAccount, "DescribeCompShareCustomImages", { Zone: "cn-wlcb-01" })).body.RetCode,
    ).toBe(153);
    expect(
      (await call(sim, sim.demoAccount, "DescribeCompShareCustomImages", { Zone: "cn-wlcb-01" })).body.RetCode,
    ).toBe(153);
    sim.faults.clear();
    expect(
      (await call(sim, sim.demoAccount, "DescribeCompShareCustomImages", { Zone: "cn-wlcb-01" })).body.RetCode,
    ).toBe(0);
  });

  it("does not run the action when a fault answers instead", async () => {
    const instance = sim.state.listInstances(sim.demoAccount.accountId).find((i) => i.State === "Running");
    sim.faults.inject({ kind: "http", status: 502 }, { times: 1, actions: ["StopCompShareInstance"] });
    const stop = () => call(sim, sim.demoAccount, "StopCompShareInstance", { UHostId: instance?.UHostId ?? "" });
    await expect(stop()).rejects.toThrow(SyntaxError);
    expect(sim.state.getInstance(instance?.UHostId ?? "")?.State).toBe("Running");
    expect((await stop()).body.RetCode).toBe(0);
  });

  it("refuses a nonsensical `times`", () => {
    expect(() => sim.faults.inject({ kind: "drop" }, { times: 0 })).toThrow(/times/);
    expect(() => sim.faults.inject({ kind: "drop" }, { times: 1.5 })).toThrow(/times/);
  });
});
