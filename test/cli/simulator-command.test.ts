import { describe, expect, it } from "vitest";
import { parseSimulatorArgs, runSimulatorCommand, SIMULATOR_USAGE } from "../../src/cli/simulator-command.ts";
import { DEMO_ACCOUNT } from "../../src/simulator/demo-data.ts";
import { DEFAULT_OP_SECONDS, startSimulator } from "../../src/simulator/simulator.ts";
import { memoryLogger } from "../helpers/memory-log.ts";
import { call, ZONE } from "../simulator/sim-client.ts";

/** A CliIo writing into strings, with a way to wait for a line instead of sleeping. */
function bufferIo() {
  let out = "";
  let err = "";
  const waiters: { pattern: RegExp; resolve: (match: RegExpMatchArray) => void }[] = [];
  return {
    io: {
      out(text: string) {
        out += `${text}\n`;
        for (const waiter of waiters) {
          const match = out.match(waiter.pattern);
          if (match) waiter.resolve(match);
        }
      },
      err(text: string) {
        err += `${text}\n`;
      },
    },
    out: () => out,
    err: () => err,
    waitFor(pattern: RegExp): Promise<RegExpMatchArray> {
      const match = out.match(pattern);
      return match ? Promise.resolve(match) : new Promise((resolve) => waiters.push({ pattern, resolve }));
    },
  };
}

describe("compshare-bot simulator", () => {
  it("prints the URL and the labelled demo keys, serves them, and stops on its signal", async () => {
    const buffer = bufferIo();
    const stop = new AbortController();
    const log = memoryLogger("debug");
    const exit = runSimulatorCommand(["--port", "0"], buffer.io, {}, { stop: stop.signal, logger: log.logger });

    const [, url] = (await buffer.waitFor(/listening on (http:\/\/127\.0\.0\.1:\d+)/)) ?? [];
    const text = buffer.out();
    const publicKey = /public key:\s+(\S+)/.exec(text)?.[1] ?? "";
    const privateKey = /private key:\s+(\S+)/.exec(text)?.[1] ?? "";
    expect(publicKey).toBe("compshare-demo-public-key");
    expect(privateKey).toHaveLength(40);
    expect(text).toContain(
      `export COMPSHARE_API_URL=${url} COMPSHARE_PUBLIC_KEY=${publicKey} COMPSHARE_PRIVATE_KEY=${privateKey}`,
    );
    expect(text).toContain("compshare-bot call DescribeCompShareImages Region=cn-wlcb Limit=100");

    const reply = await call({ url: url ?? "" }, { publicKey, privateKey }, "DescribeCompShareImages", { Limit: 100 });
    expect(reply.body).toMatchObject({ RetCode: 0 });
    expect(log.records().some((line) => line.action === "DescribeCompShareImages")).toBe(true);
    expect(log.text()).not.toContain(privateKey);

    stop.abort();
    expect(await exit).toBe(0);
    expect(buffer.err()).toBe("");
    await expect(fetch(url ?? "", { method: "POST" })).rejects.toThrow(TypeError);
  });

  it("serves a large synthetic catalogue with --extra-images N", async () => {
    const buffer = bufferIo();
    const stop = new AbortController();
    const exit = runSimulatorCommand(
      ["--port=0", "--extra-images", "5000"],
      buffer.io,
      {},
      {
        stop: stop.signal,
        logger: memoryLogger("info").logger,
      },
    );
    const [, url] = (await buffer.waitFor(/listening on (http:\/\/127\.0\.0\.1:\d+)/)) ?? [];
    const demo = await startSimulator();
    try {
      const keys = demo.demoAccount;
      const plain = await call(demo, keys, "DescribeCompShareImages", { Limit: 1 });
      const large = await call({ url: url ?? "" }, keys, "DescribeCompShareImages", { Limit: 20, Offset: 4990 });
      expect(large.body.TotalCount).toBe(Number(plain.body.TotalCount) + 5000);
      expect(large.body.ImageSet).toHaveLength(20);
    } finally {
      await demo.close();
      stop.abort();
    }
    expect(await exit).toBe(0);
  });

  it.each([
    [["--port", "abc"]],
    [["--port"]],
    [["--port", "70000"]],
    [["--port=-1"]],
    [["--bogus"]],
    [["--op-seconds"]],
    [["--op-seconds", "-1"]],
    [["--op-seconds", "fast"]],
    [["--op-seconds=3601"]],
    [["--op-seconds", "1e3"]],
    [["--extra-images", "100001"]],
    [["--extra-images=-5"]],
    [["--extra-images"]],
  ])("refuses %j with usage and exit code 2", async (args) => {
    const buffer = bufferIo();
    expect(await runSimulatorCommand(args, buffer.io, {}, { stop: AbortSignal.abort() })).toBe(2);
    expect(buffer.err()).toContain(SIMULATOR_USAGE);
    expect(buffer.out()).toBe("");
  });

  it("prints usage for --help", async () => {
    const buffer = bufferIo();
    expect(await runSimulatorCommand(["--help"], buffer.io, {})).toBe(0);
    expect(buffer.out()).toContain(SIMULATOR_USAGE);
  });

  it("says so when the port is taken, with exit code 1", async () => {
    const taken = await startSimulator({ demoData: false });
    try {
      const port = new URL(taken.url).port;
      const buffer = bufferIo();
      const code = await runSimulatorCommand(["--port", port], buffer.io, {}, { stop: AbortSignal.abort() });
      expect(code).toBe(1);
      expect(buffer.err()).toContain(`Port ${port}`);
      expect(buffer.err()).toContain("--port");
    } finally {
      await taken.close();
    }
  });

  it("parses --port N and --port=N, defaulting to 8787", () => {
    expect(parseSimulatorArgs([])).toMatchObject({ kind: "run", port: 8787 });
    expect(parseSimulatorArgs(["--port", "9000"])).toMatchObject({ kind: "run", port: 9000 });
    expect(parseSimulatorArgs(["--port=0"])).toMatchObject({ kind: "run", port: 0 });
  });

  it("parses --op-seconds N and --op-seconds=N, decimals too, defaulting to a few seconds", () => {
    expect(parseSimulatorArgs([])).toEqual({ kind: "run", port: 8787, opSeconds: DEFAULT_OP_SECONDS, extraImages: 0 });
    expect(DEFAULT_OP_SECONDS).toBeGreaterThan(0);
    expect(parseSimulatorArgs(["--op-seconds", "2"])).toMatchObject({ kind: "run", port: 8787, opSeconds: 2 });
    expect(parseSimulatorArgs(["--op-seconds=0.5", "--port", "0"])).toMatchObject({
      kind: "run",
      port: 0,
      opSeconds: 0.5,
    });
    expect(parseSimulatorArgs(["--op-seconds", "0"])).toMatchObject({ opSeconds: 0 });
  });

  it("hands --op-seconds to the simulator: 0 makes a stop land at once, and the banner says so", async () => {
    const buffer = bufferIo();
    const stop = new AbortController();
    const exit = runSimulatorCommand(["--port", "0", "--op-seconds", "0"], buffer.io, {}, { stop: stop.signal });
    try {
      const [, url] = (await buffer.waitFor(/listening on (http:\/\/127\.0\.0\.1:\d+)/)) ?? [];
      expect(buffer.out()).toContain("Instance operations are instant (--op-seconds 0).");
      const keys = { publicKey: DEMO_ACCOUNT.publicKey, privateKey: DEMO_ACCOUNT.privateKey };
      const sim = { url: url ?? "" };
      const listed = await call(sim, keys, "DescribeCompShareInstance", { Limit: 100 });
      const running = (listed.body.UHostSet as { UHostId: string; State: string }[]).find((i) => i.State === "Running");
      const uhostId = running?.UHostId ?? "";
      expect((await call(sim, keys, "StopCompShareInstance", { Zone: ZONE, UHostId: uhostId })).body.RetCode).toBe(0);
      // With the default of a few seconds it would still be Stopping, and locked.
      const after = await call(sim, keys, "DescribeCompShareInstance", { UHostIds: [uhostId] });
      expect((after.body.UHostSet as { State: string }[])[0]?.State).toBe("Stopped");
      expect((await call(sim, keys, "StartCompShareInstance", { Zone: ZONE, UHostId: uhostId })).body.RetCode).toBe(0);
    } finally {
      stop.abort();
      expect(await exit).toBe(0);
    }
  });

  it("names the operation time in the banner", async () => {
    const buffer = bufferIo();
    const stop = new AbortController();
    const exit = runSimulatorCommand(["--port", "0", "--op-seconds", "30"], buffer.io, {}, { stop: stop.signal });
    await buffer.waitFor(/listening on/);
    expect(buffer.out()).toContain("takes 30 s (--op-seconds N)");
    stop.abort();
    expect(await exit).toBe(0);
  });

  it("parses --extra-images N and --extra-images=N, defaulting to 0", () => {
    expect(parseSimulatorArgs([])).toMatchObject({ kind: "run", extraImages: 0 });
    expect(parseSimulatorArgs(["--port=0", "--extra-images=100000"])).toMatchObject({
      kind: "run",
      port: 0,
      extraImages: 100_000,
    });
    expect(parseSimulatorArgs(["--extra-images", "x"])).toEqual({
      kind: "error",
      problems: ['--extra-images needs a number of images from 0 to 100000, got "x"'],
    });
  });
});
