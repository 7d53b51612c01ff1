import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  type CallEvent,
  type CompShareAccount,
  type CompShareApi,
  type CompShareApiOptions,
  createCompShareApi,
} from "../../src/compshare/client.ts";
import {
  CompShareAbortedError,
  CompShareApiError,
  CompShareHttpError,
  CompShareInvalidResponseError,
  CompShareNetworkError,
  CompShareOutcomeUnknownError,
  CompShareRequestError,
  CompShareTimeoutError,
} from "../../src/compshare/errors.ts";
import { signParams } from "../../src/compshare/signature.ts";
import { memoryLogger } from "../helpers/memory-log.ts";
import { drop, type FakeCompShare, hang, ok, reply, retCode, sequence, startFakeCompShare } from "./fake-compshare.ts";

const account: CompShareAccount = {
  publicKey: "pubkey-UnitTest-0001",
  privateKey: "privkey-Very-Secret-Value-42",
  region: "cn-wlcb",
  zone: "cn-wlcb-01",
};

const IMAGE = "compshareImage-abc123";
const HOST = "uhost-xyz789";

let server: FakeCompShare;
let api: CompShareApi;
let sleeps: number[];
let events: CallEvent[];
let log: ReturnType<typeof memoryLogger>;

function start(overrides: Partial<CompShareApiOptions> = {}) {
  api = createCompShareApi({
    baseUrl: server.url,
    logger: log.logger,
    onCall: (e) => events.push(e),
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    random: () => 0.5,
    ...overrides,
  });
  return api.forAccount(account);
}

beforeEach(async () => {
  server = await startFakeCompShare();
  sleeps = [];
  events = [];
  log = memoryLogger("trace");
});

afterEach(async () => {
  await api?.close();
  await server.close();
});

/** Every signature the server saw, to prove none of them leaks. */
function signaturesSeen(): string[] {
  return server.requests.map((r) => r.params.Signature ?? "").filter(Boolean);
}

describe("the request on the wire", () => {
  it("is the exact signed form: every param, PublicKey, and a Signature the server can recompute", async () => {
    const client = start();
    server.handle(ok({ TotalCount: 0, ImageSet: [] }));
    await client.describeImages({ Name: "PyTorch 深度学习", ImageType: "System", Limit: 10, Offset: 20 });

    const [seen] = server.requests;
    expect(seen?.headers["content-type"]).toBe("application/x-www-form-urlencoded");
    const { Signature, ...signed } = seen?.params ?? {};
    expect(signed).toEqual({
      Action: "DescribeCompShareImages",
      PublicKey: account.publicKey,
      Region: "cn-wlcb",
      Name: "PyTorch 深度学习",
      ImageType: "System",
      Limit: "10",
      Offset: "20",
    });
    expect(Signature).toBe(signParams(signed, account.publicKey, account.privateKey));
    expect(Signature).toMatch(/^[0-9a-f]{40}$/);
  });

  it("flattens arrays, booleans and floats the way the SDKs do, and signs what it sends", async () => {
    const client = start();
    await client.updateImage({
      CompShareImageId: IMAGE,
      Tags: ["深度学习", "PyTorch"],
      Price: 35.0,
      AutoStart: false,
      Visibility: 1,
      SupportedGpuTypes: ["4090", "A100"],
      Readme: "a & b = c+d",
    });
    const { Signature, ...signed } = server.requests[0]?.params ?? {};
    expect(signed).toMatchObject({
      Action: "UpdateCompShareImage",
      CompShareImageId: IMAGE,
      "Tags.0": "深度学习",
      "Tags.1": "PyTorch",
      Price: "35",
      AutoStart: "false",
      Visibility: "1",
      "SupportedGpuTypes.0": "4090",
      "SupportedGpuTypes.1": "A100",
      Readme: "a & b = c+d",
    });
    expect(Signature).toBe(signParams(signed, account.publicKey, account.privateKey));
  });

  it("sends ProjectId only when the account has one, and lets the request override the location", async () => {
    api = createCompShareApi({ baseUrl: server.url });
    await api.forAccount(account).describeCustomImages({});
    await api
      .forAccount({ ...account, projectId: "org-123" })
      .describeCustomImages({ Region: "cn-sh2", Zone: "cn-sh2-02" });
    expect(server.requests[0]?.params).not.toHaveProperty("ProjectId");
    expect(server.requests[1]?.params).toMatchObject({ ProjectId: "org-123", Region: "cn-sh2", Zone: "cn-sh2-02" });
  });

  it("reuses one keep-alive connection across calls and accounts", async () => {
    const client = start();
    const other = api.forAccount({ ...account, publicKey: "pubkey-Other-0002" });
    for (let i = 0; i < 3; i++) {
      await client.describeImages({});
      await other.describeCustomImages({});
    }
    const ports = new Set(server.requests.map((r) => r.remotePort));
    expect(server.requests).toHaveLength(6);
    expect(ports.size).toBeLessThan(3);
  });
});

describe("responses", () => {
  it("parses a page tolerantly and keeps the request id", async () => {
    const client = start();
    server.handle(
      ok(
        {
          RetCode: "0",
          TotalCount: "42",
          ImageSet: [
            { CompShareImageId: IMAGE, Name: "env", Price: "0.50", Tags: ["a"], Novel: { x: 1 } },
            { CompShareImageId: "compshareImage-b" },
          ],
        },
        "req-123",
      ),
    );
    const page = await client.describeImages({});
    expect(page.TotalCount).toBe(42);
    expect(page.requestId).toBe("req-123");
    expect(page.ImageSet[0]).toMatchObject({ CompShareImageId: IMAGE, Price: 0.5, Novel: { x: 1 } });
    expect(page.ImageSet[1]?.CompShareImageId).toBe("compshareImage-b");
  });

  it("treats a missing ImageSet as empty and falls back to its length for TotalCount", async () => {
    const client = start();
    server.handle(ok({ ImageSet: null }));
    expect(await client.describeSharingImages({})).toEqual({ TotalCount: 0, ImageSet: [], requestId: "req-ok" });
  });

  it("returns instances", async () => {
    const client = start();
    server.handle(ok({ TotalCount: 1, UHostSet: [{ UHostId: HOST, State: "Stopped", GPU: 1, Zone: "cn-wlcb-01" }] }));
    const page = await client.describeInstances({ UHostIds: [HOST] });
    expect(server.requests[0]?.params["UHostIds.0"]).toBe(HOST);
    expect(page.UHostSet[0]).toMatchObject({ UHostId: HOST, State: "Stopped" });
  });

  it("returns the reinstalled instance id, or the requested one when the server leaves it out", async () => {
    const client = start();
    server.handle(sequence(ok({ UHostId: HOST }), ok({})));
    expect(await client.reinstallInstance({ UHostId: HOST, CompShareImageId: IMAGE })).toEqual({
      UHostId: HOST,
      requestId: "req-ok",
    });
    expect((await client.reinstallInstance({ UHostId: HOST, CompShareImageId: IMAGE })).UHostId).toBe(HOST);
  });

  it("maps RetCode != 0, numeric or string, to CompShareApiError with message and request id", async () => {
    const client = start();
    server.handle(retCode("226604", "not enough resources", "req-9"));
    const error = await client.describeImages({}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CompShareApiError);
    expect(error).toMatchObject({
      code: "retcode",
      retCode: 226604,
      apiMessage: "not enough resources",
      requestId: "req-9",
      action: "DescribeCompShareImages",
      key: "INSUFFICIENT_RESOURCES",
      name: "CompShareApiError",
    });
  });

  it("maps HTTP errors, non-JSON and wrong shapes", async () => {
    const client = start();
    server.handle(sequence((_, res) => reply(res, 500, "oops", { "x-ucloud-request-uuid": "req-5" })));
    await expect(client.describeImages({})).rejects.toMatchObject({ code: "http", status: 500, requestId: "req-5" });

    server.handle((_, res) => reply(res, 200, "<html>gateway</html>"));
    await expect(client.describeImages({})).rejects.toBeInstanceOf(CompShareInvalidResponseError);

    server.handle((_, res) => reply(res, 200, JSON.stringify({ Action: "X" })));
    await expect(client.describeImages({})).rejects.toThrow(/no numeric RetCode/);

    server.handle((_, res) => reply(res, 200, "[1,2]"));
    await expect(client.describeImages({})).rejects.toBeInstanceOf(CompShareInvalidResponseError);

    server.handle(ok({ ImageSet: [{ Name: "no id" }] }, "req-shape"));
    await expect(client.describeImages({})).rejects.toMatchObject({
      code: "invalid_response",
      requestId: "req-shape",
      message: expect.stringContaining("ImageSet.0.CompShareImageId"),
    });
  });

  it("refuses a body larger than the cap", async () => {
    const client = start({ maxResponseBytes: 1024 });
    server.handle(ok({ Padding: "x".repeat(4096) }));
    await expect(client.describeImages({})).rejects.toThrow(/larger than 1024 bytes/);
  });
});

describe("instance operations and custom images", () => {
  it.each([
    ["stopInstance", "StopCompShareInstance"],
    ["startInstance", "StartCompShareInstance"],
    ["rebootInstance", "RebootCompShareInstance"],
  ] as const)(
    "%s sends %s with UHostId and the account's location, and returns the instance id",
    async (fn, action) => {
      const client = start();
      server.handle(sequence(ok({ UHostId: HOST }), ok({})));
      expect(await client[fn]({ UHostId: HOST })).toEqual({ UHostId: HOST, requestId: "req-ok" });
      expect(server.requests[0]?.params).toMatchObject({
        Action: action,
        UHostId: HOST,
        Region: "cn-wlcb",
        Zone: "cn-wlcb-01",
      });
      expect((await client[fn]({ UHostId: HOST })).UHostId).toBe(HOST);
    },
  );

  it("createCustomImage sends the SDKs' params, Softwares flattened, and returns the new CompShareImageId", async () => {
    const client = start();
    server.handle(ok({ CompShareImageId: IMAGE }, "req-img"));
    const created = await client.createCustomImage({
      UHostId: HOST,
      Name: "before-reinstall",
      Description: "copy",
      Softwares: { Application: ["vLLM"], CUDAVersion: "12.4" },
    });
    expect(created).toEqual({ CompShareImageId: IMAGE, requestId: "req-img" });
    expect(server.requests[0]?.params).toMatchObject({
      Action: "CreateCompShareCustomImage",
      UHostId: HOST,
      Name: "before-reinstall",
      Description: "copy",
      "Softwares.Application.0": "vLLM",
      "Softwares.CUDAVersion": "12.4",
      Zone: "cn-wlcb-01",
    });
  });

  it("createCustomImage answered without a CompShareImageId: an unknown outcome (the image may exist), not an empty id", async () => {
    const client = start();
    server.handle(ok({}));
    const error = await client.createCustomImage({ UHostId: HOST, Name: "n" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CompShareOutcomeUnknownError);
    expect((error as CompShareOutcomeUnknownError).cause).toBeInstanceOf(CompShareInvalidResponseError);
    expect(server.requests).toHaveLength(1);
  });

  it("getImageCreateProgress reads Process and the durations, numbers or strings, empty as absent", async () => {
    const client = start();
    server.handle(
      sequence(
        ok({ Process: 42.5, RemainingDuration: "30", TotalDuration: "60" }),
        ok({ Process: "100", RemainingDuration: "", TotalDuration: 60 }),
      ),
    );
    expect(await client.getImageCreateProgress({ CompShareImageId: IMAGE })).toEqual({
      Process: 42.5,
      RemainingDuration: 30,
      TotalDuration: 60,
      requestId: "req-ok",
    });
    expect(server.requests[0]?.params).toMatchObject({
      Action: "GetCompShareImageCreateProgress",
      CompShareImageId: IMAGE,
      Zone: "cn-wlcb-01",
    });
    expect(await client.getImageCreateProgress({ CompShareImageId: IMAGE })).toEqual({
      Process: 100,
      RemainingDuration: undefined,
      TotalDuration: 60,
      requestId: "req-ok",
    });
  });

  it("getImageCreateProgress without Process is an invalid response", async () => {
    const client = start();
    server.handle(ok({ RemainingDuration: "3" }));
    await expect(client.getImageCreateProgress({ CompShareImageId: IMAGE })).rejects.toBeInstanceOf(
      CompShareInvalidResponseError,
    );
  });

  it("refuses malformed ids and a missing name before sending anything", async () => {
    const client = start();
    await expect(client.stopInstance({ UHostId: "i-123" })).rejects.toBeInstanceOf(CompShareRequestError);
    await expect(client.rebootInstance({ UHostId: "" })).rejects.toBeInstanceOf(CompShareRequestError);
    const noName = await client.createCustomImage({ UHostId: HOST, Name: "" }).catch((e: unknown) => e);
    expect((noName as CompShareRequestError).issues.map((i) => i.path)).toEqual(["Name"]);
    await expect(client.getImageCreateProgress({ CompShareImageId: "img-1" })).rejects.toBeInstanceOf(
      CompShareRequestError,
    );
    expect(server.requests).toHaveLength(0);
  });

  it("never retries the mutations, and a gateway error after sending is an unknown outcome", async () => {
    const client = start();
    server.handle((_, res) => reply(res, 502, ""));
    for (const send of [
      () => client.stopInstance({ UHostId: HOST }),
      () => client.startInstance({ UHostId: HOST }),
      () => client.rebootInstance({ UHostId: HOST }),
      () => client.createCustomImage({ UHostId: HOST, Name: "n" }),
    ]) {
      await expect(send()).rejects.toBeInstanceOf(CompShareOutcomeUnknownError);
    }
    expect(server.requests).toHaveLength(4);
    expect(sleeps).toEqual([]);
  });

  it("retries the progress read like any other read", async () => {
    const client = start();
    server.handle(sequence((_, res) => reply(res, 503, ""), ok({ Process: 7 })));
    expect((await client.getImageCreateProgress({ CompShareImageId: IMAGE })).Process).toBe(7);
    expect(server.requests).toHaveLength(2);
    expect(sleeps).toEqual([100]);
  });

  it("an InstanceOperationInProgress refusal is a definite API error, not an unknown outcome", async () => {
    const client = start();
    server.handle(retCode(226695, "InstanceOperationInProgress: another operation is in progress"));
    const error = await client.stopInstance({ UHostId: HOST }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CompShareApiError);
    expect(server.requests).toHaveLength(1);
  });
});

describe("request validation", () => {
  it("refuses bad params before sending anything, with every issue", async () => {
    const client = start();
    const error = await client
      .updateImage({ CompShareImageId: "image-1", Tags: ["a", "b", "c", "d"], Price: 1.234, Visibility: 3 as 1 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CompShareRequestError);
    const issues = (error as CompShareRequestError).issues.map((i) => i.path).sort();
    expect(issues).toEqual(["CompShareImageId", "Price", "Tags", "Visibility"]);
    expect(server.requests).toHaveLength(0);
    expect(events).toEqual([
      expect.objectContaining({ action: "UpdateCompShareImage", outcome: "invalid_request", attempts: 0 }),
    ]);
  });

  it("refuses values the wire cannot carry", async () => {
    const client = start();
    await expect(client.call("DescribeCompShareImages", { Limit: 1e21 })).rejects.toMatchObject({
      code: "invalid_request",
      issues: [expect.objectContaining({ path: "Limit" })],
    });
    await expect(client.call(" ", {})).rejects.toBeInstanceOf(CompShareRequestError);
    expect(server.requests).toHaveLength(0);
  });
});

describe("retries", () => {
  it("retries a read on 502/503 and RetCode 153, then succeeds", async () => {
    const client = start();
    server.handle(
      sequence(
        (_, res) => reply(res, 503, ""),
        retCode(153, "rate limited"),
        ok({ TotalCount: 0, ImageSet: [] }, "req-final"),
      ),
    );
    const page = await client.describeImages({});
    expect(page.requestId).toBe("req-final");
    expect(server.requests).toHaveLength(3);
    expect(sleeps).toEqual([100, 200]);
    expect(events).toEqual([
      expect.objectContaining({ action: "DescribeCompShareImages", outcome: "ok", attempts: 3, retCode: 0 }),
    ]);
  });

  it("stops after the configured attempts", async () => {
    const client = start({ retry: { attempts: 4, baseDelayMs: 10 } });
    server.handle((_, res) => reply(res, 502, ""));
    await expect(client.describeCustomImages({})).rejects.toMatchObject({ status: 502 });
    expect(server.requests).toHaveLength(4);
    expect(sleeps).toEqual([5, 10, 20]);
  });

  it("honours Retry-After on 429", async () => {
    const client = start();
    server.handle(sequence((_, res) => reply(res, 429, "", { "retry-after": "1" }), ok({})));
    await client.describeImages({});
    expect(sleeps).toEqual([1_000]);
  });

  it("does not retry a read on a RetCode that will not change", async () => {
    const client = start();
    server.handle(retCode(171, "Signature VerifyAC Error"));
    await expect(client.describeImages({})).rejects.toMatchObject({ retCode: 171, isCredentialError: true });
    expect(server.requests).toHaveLength(1);
  });

  it("retries a read whose connection dropped mid-flight", async () => {
    const client = start();
    server.handle(sequence(drop, ok({})));
    await client.describeSharingImages({});
    expect(server.requests).toHaveLength(2);
  });

  // undici's headers timer has about a second's resolution, so this test costs two seconds.
  it("retries a read whose headers timed out, then reports the timeout", async () => {
    const client = start({ headersTimeoutMs: 100, retry: { attempts: 2 } });
    server.handle(hang);
    const error = await client.describeImages({}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CompShareTimeoutError);
    expect(error).toMatchObject({ phase: "headers", requestSent: true });
    expect(server.requests).toHaveLength(2);
  });

  it.each([
    [
      "HTTP 503",
      (_: unknown, res: import("node:http").ServerResponse) => reply(res, 503, ""),
      CompShareOutcomeUnknownError,
    ],
    ["RetCode 153", retCode(153, "rate limited"), CompShareApiError],
    ["RetCode 150", retCode(150, "service unavailable"), CompShareApiError],
  ])("never retries a write after %s", async (_, handler, type) => {
    const client = start();
    server.handle(handler);
    await expect(client.updateImage({ CompShareImageId: IMAGE, Name: "n" })).rejects.toBeInstanceOf(type);
    await expect(client.reinstallInstance({ UHostId: HOST, CompShareImageId: IMAGE })).rejects.toBeInstanceOf(type);
    expect(server.requests).toHaveLength(2);
    expect(sleeps).toEqual([]);
  });

  it("retries call() only for reads: Describe* and Get* actions", async () => {
    const client = start();
    server.handle((_, res) => reply(res, 503, ""));
    await expect(client.call("DescribeCompShareInstance", {})).rejects.toBeInstanceOf(CompShareHttpError);
    expect(server.requests).toHaveLength(3);
    await expect(client.call("GetCompShareImageCreateProgress", { CompShareImageId: IMAGE })).rejects.toBeInstanceOf(
      CompShareHttpError,
    );
    expect(server.requests).toHaveLength(6);
    await expect(client.call("StopCompShareInstance", { UHostId: HOST })).rejects.toBeInstanceOf(
      CompShareOutcomeUnknownError,
    );
    expect(server.requests).toHaveLength(7);
  });
});

describe("writes whose outcome is unknown", () => {
  it("a dropped connection after sending", async () => {
    const client = start();
    server.handle(drop);
    const error = await client.reinstallInstance({ UHostId: HOST, CompShareImageId: IMAGE }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CompShareOutcomeUnknownError);
    expect(error).toMatchObject({ code: "outcome_unknown", reason: "network" });
    expect((error as CompShareOutcomeUnknownError).cause).toBeInstanceOf(CompShareNetworkError);
    expect(server.requests).toHaveLength(1);
    expect(events).toEqual([expect.objectContaining({ outcome: "outcome_unknown", attempts: 1 })]);
  });

  it.each([500, 502, 503, 504, 429, 400, 404])("HTTP %i after sending: not a refusal, so unknown", async (status) => {
    const client = start();
    server.handle((_, res) => reply(res, status, status === 500 ? "Internal Server Error" : ""));
    for (const write of [
      () => client.updateImage({ CompShareImageId: IMAGE, Name: "n" }),
      () => client.reinstallInstance({ UHostId: HOST, CompShareImageId: IMAGE }),
      () => client.call("StopCompShareInstance", { UHostId: HOST }),
    ]) {
      const error = await write().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(CompShareOutcomeUnknownError);
      expect((error as CompShareOutcomeUnknownError).cause).toMatchObject({ code: "http", status });
    }
    expect(server.requests).toHaveLength(3);
    expect(sleeps).toEqual([]);
  });

  it("a RetCode in a well-formed answer is a refusal, whatever the HTTP status around it", async () => {
    const client = start();
    server.handle(retCode(226604, "not enough resources"));
    const error = await client.reinstallInstance({ UHostId: HOST, CompShareImageId: IMAGE }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CompShareApiError);
    expect(error).toMatchObject({ retCode: 226604 });
  });

  it("a 200 whose RetCode is 0 but whose body is not the expected shape", async () => {
    const client = start();
    server.handle((_, res) => reply(res, 200, JSON.stringify({ RetCode: 0, UHostId: 42 })));
    const error = await client.reinstallInstance({ UHostId: HOST, CompShareImageId: IMAGE }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "outcome_unknown", reason: "invalid_response" });
  });

  it("a 502 from a gateway, or a 200 that cannot be read", async () => {
    const client = start();
    server.handle(
      sequence(
        (_, res) => reply(res, 502, ""),
        (_, res) => reply(res, 200, "{not json"),
      ),
    );
    await expect(client.updateImage({ CompShareImageId: IMAGE })).rejects.toMatchObject({ reason: "http" });
    await expect(client.updateImage({ CompShareImageId: IMAGE })).rejects.toMatchObject({ reason: "invalid_response" });
    expect(server.requests).toHaveLength(2);
  });

  it("but not a refused connection: nothing was sent", async () => {
    const closed = await startFakeCompShare();
    const url = closed.url;
    await closed.close();
    api = createCompShareApi({ baseUrl: url, sleep: async () => {} });
    const error = await api
      .forAccount(account)
      .reinstallInstance({ UHostId: HOST, CompShareImageId: IMAGE })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CompShareNetworkError);
    expect(error).toMatchObject({ requestSent: false, message: expect.stringContaining("ECONNREFUSED") });
  });
});

describe("deadline and abort", () => {
  it("a read past its deadline is a timeout, and is not retried", async () => {
    const client = start();
    server.handle(hang);
    const error = await client.describeImages({}, { deadlineMs: 100 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CompShareTimeoutError);
    expect(error).toMatchObject({ phase: "deadline" });
    expect(server.requests).toHaveLength(1);
    expect(events).toEqual([expect.objectContaining({ outcome: "timeout", attempts: 1 })]);
  });

  it("a write past its deadline has an unknown outcome", async () => {
    const client = start({ deadlineMs: 100 });
    server.handle(hang);
    await expect(client.reinstallInstance({ UHostId: HOST, CompShareImageId: IMAGE })).rejects.toMatchObject({
      code: "outcome_unknown",
      reason: "timeout",
    });
  });

  it("the caller's signal aborts a call in flight", async () => {
    const client = start();
    const controller = new AbortController();
    server.handle(() => controller.abort());
    const error = await client.describeImages({}, { signal: controller.signal }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CompShareAbortedError);
    expect(error).toMatchObject({ requestSent: true });
    expect(server.requests).toHaveLength(1);
  });

  it("an already-aborted signal sends nothing, even for a write", async () => {
    const client = start();
    const error = await client
      .updateImage({ CompShareImageId: IMAGE }, { signal: AbortSignal.abort() })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CompShareAbortedError);
    expect(error).toMatchObject({ requestSent: false });
    expect(server.requests).toHaveLength(0);
  });

  it("an abort during a write in flight leaves its outcome unknown", async () => {
    const client = start();
    const controller = new AbortController();
    server.handle(() => controller.abort());
    await expect(client.updateImage({ CompShareImageId: IMAGE }, { signal: controller.signal })).rejects.toMatchObject({
      code: "outcome_unknown",
      reason: "aborted",
    });
  });
});

describe("secrets and observability", () => {
  it("never puts the private key or a Signature in logs or errors, even when the server echoes them", async () => {
    const client = start();
    server.handle((request, res) =>
      reply(
        res,
        200,
        JSON.stringify({
          RetCode: 171,
          Message: `bad signature ${request.params.Signature} for key ${account.privateKey}; body ${request.raw}`,
        }),
        { "x-ucloud-request-uuid": "req-leak" },
      ),
    );
    const errors: unknown[] = [];
    errors.push(await client.describeImages({ Name: "x" }).catch((e: unknown) => e));
    errors.push(await client.updateImage({ CompShareImageId: IMAGE }).catch((e: unknown) => e));
    server.handle(drop);
    errors.push(await client.updateImage({ CompShareImageId: IMAGE }).catch((e: unknown) => e));
    server.handle(hang);
    errors.push(await client.describeImages({}, { deadlineMs: 50 }).catch((e: unknown) => e));
    errors.push(await client.updateImage({ CompShareImageId: "bad" }).catch((e: unknown) => e));

    const secrets = [account.privateKey, ...signaturesSeen()];
    expect(signaturesSeen().length).toBeGreaterThanOrEqual(4);
    for (const error of errors) {
      const texts = [
        String(error),
        (error as Error).stack ?? "",
        JSON.stringify(error),
        String((error as Error).cause),
      ];
      for (const text of texts) for (const secret of secrets) expect(text).not.toContain(secret);
    }
    const logText = log.text();
    expect(logText.length).toBeGreaterThan(0);
    for (const secret of secrets) expect(logText).not.toContain(secret);
  });

  it("keeps keys out of logs by construction: the log scrubber never learns an account's key", () => {
    // Were it told every user's key, every log line would be scanned for each of them (issue 12, item 16).
    start();
    expect(log.scrubber.scrub(`x ${account.privateKey} y`)).toContain(account.privateKey);
  });

  it("logs one debug line per attempt and one line per failed call, with action, request id, retCode and attempts", async () => {
    const client = start();
    server.handle(
      sequence(retCode(153, "busy", "req-a"), retCode(153, "busy", "req-b"), retCode(153, "busy", "req-c")),
    );
    await expect(client.describeImages({ Name: "top-secret-filter" })).rejects.toBeInstanceOf(CompShareApiError);
    const records = log.records();
    const attempts = records.filter((r) => r.msg === "compshare attempt failed");
    expect(attempts.map((r) => r.attempt)).toEqual([1, 2, 3]);
    expect(attempts.map((r) => r.requestId)).toEqual(["req-a", "req-b", "req-c"]);
    const failures = records.filter((r) => r.level === 40);
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({
      action: "DescribeCompShareImages",
      requestId: "req-c",
      retCode: 153,
      attempts: 3,
      code: "retcode",
      component: "compshare",
    });
    expect(log.text()).not.toContain("top-secret-filter");
  });

  it("survives an onCall hook that throws", async () => {
    const client = start({
      onCall: () => {
        throw new Error("metrics down");
      },
    });
    await expect(client.describeImages({})).resolves.toMatchObject({ TotalCount: 0 });
    expect(log.text()).toContain("metrics down");
  });

  it("returns the raw body from call()", async () => {
    const client = start();
    server.handle(ok({ Anything: [1, 2] }, "req-raw"));
    const result = await client.call("GetCompShareInstancePrice", { "Tags.0": "x", Count: 2 });
    expect(result).toEqual({
      body: { Action: "GetCompShareInstancePriceResponse", RetCode: 0, Anything: [1, 2] },
      requestId: "req-raw",
    });
    expect(server.requests[0]?.params).toMatchObject({
      Action: "GetCompShareInstancePrice",
      "Tags.0": "x",
      Count: "2",
    });
  });
});
