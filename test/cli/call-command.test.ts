import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseCallArgs, runCallCommand } from "../../src/cli/call-command.ts";
import type { CliIo } from "../../src/cli/io.ts";
import { type Simulator, startSimulator } from "../../src/simulator/simulator.ts";
import { memoryLogger } from "../helpers/memory-log.ts";

function bufferIo() {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { out: (t) => out.push(t), err: (t) => err.push(t) };
  return { io, out: () => out.join("\n"), err: () => err.join("\n") };
}

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ port: 0 });
});
afterAll(async () => {
  await sim?.close();
});

function envFor(privateKey = sim.demoAccount.privateKey) {
  return {
    COMPSHARE_API_URL: sim.url,
    COMPSHARE_PUBLIC_KEY: sim.demoAccount.publicKey,
    COMPSHARE_PRIVATE_KEY: privateKey,
  };
}

describe("compshare-bot call", () => {
  it("makes one signed call and prints the JSON response", async () => {
    const b = bufferIo();
    const mem = memoryLogger("debug");
    const code = await runCallCommand(["DescribeCompShareImages", "Region=cn-wlcb", "Limit=100"], b.io, envFor(), mem);
    expect(code).toBe(0);
    const body = JSON.parse(b.out()) as { RetCode: number; TotalCount: number; ImageSet: unknown[] };
    expect(body.RetCode).toBe(0);
    expect(body.TotalCount).toBeGreaterThanOrEqual(150);
    expect(body.ImageSet).toHaveLength(100);
    expect(b.err()).toMatch(/request id [0-9a-f-]{36}/);
    expect(sim.requests.at(-1)?.params).toMatchObject({ Region: "cn-wlcb", Limit: "100" });
  });

  it("passes values through as given, arrays included", async () => {
    const b = bufferIo();
    const code = await runCallCommand(
      ["DescribeCompShareImages", "Tag=PyTorch", "Limit=5", "Zone=cn-wlcb-01"],
      b.io,
      envFor(),
    );
    expect(code).toBe(0);
    expect(sim.requests.at(-1)?.params).toMatchObject({ Tag: "PyTorch", Limit: "5" });
  });

  it("exits non-zero with RetCode 171, the message and the request id for a wrong private key, never echoing it", async () => {
    const b = bufferIo();
    const wrong = "wrong-private-key-0123456789";
    const code = await runCallCommand(["DescribeCompShareImages", "Region=cn-wlcb", "Limit=100"], b.io, envFor(wrong));
    expect(code).toBe(1);
    expect(b.err()).toContain("RetCode 171");
    expect(b.err()).toMatch(/request id: [0-9a-f-]{36}/);
    expect(b.err()).toContain("does not match COMPSHARE_PUBLIC_KEY");
    expect(b.out() + b.err()).not.toContain(wrong);
  });

  it("explains missing keys and bad arguments with exit code 2", async () => {
    const missing = bufferIo();
    expect(await runCallCommand(["DescribeCompShareImages"], missing.io, {})).toBe(2);
    expect(missing.err()).toContain("COMPSHARE_PUBLIC_KEY is not set");
    expect(missing.err()).toContain("COMPSHARE_PRIVATE_KEY is not set");
    const bad = bufferIo();
    expect(await runCallCommand(["DescribeCompShareImages", "Limit"], bad.io, envFor())).toBe(2);
    expect(bad.err()).toContain('"Limit" is not Key=Value');
  });

  it("parses arguments strictly", () => {
    expect(parseCallArgs([])).toEqual({ problem: "Name an Action first." });
    expect(parseCallArgs(["Describe-X"])).toMatchObject({ problem: expect.stringContaining("not an API action") });
    expect(parseCallArgs(["X", "Signature=abc"])).toMatchObject({
      problem: expect.stringContaining("set by the command"),
    });
    expect(parseCallArgs(["X", "Tags.0=a=b", "Name="])).toEqual({ action: "X", params: { "Tags.0": "a=b", Name: "" } });
    expect(parseCallArgs(["X", "Tags.0=a", "Limit=5", "Tags.0=b"])).toEqual({
      problem: "Tags.0 is given more than once.",
    });
  });
});
