import { errors } from "undici";
import { afterEach, describe, expect, it } from "vitest";
import { CompShareAbortedError, CompShareNetworkError, CompShareTimeoutError } from "../../src/compshare/errors.ts";
import { createTransport, type PostContext, toTransportError } from "../../src/compshare/transport.ts";
import { drop, type FakeCompShare, ok, startFakeCompShare } from "./fake-compshare.ts";

function context(overrides: Partial<PostContext> = {}): PostContext {
  const deadline = new AbortController();
  return {
    action: "DescribeCompShareImages",
    signal: deadline.signal,
    callerSignal: undefined,
    deadlineSignal: deadline.signal,
    ...overrides,
  };
}

describe("toTransportError", () => {
  const facts = (requestSent: boolean) => ({ context: context(), requestSent, requestId: undefined });

  it("maps undici's timeouts to their phase", () => {
    const connect = toTransportError(new errors.ConnectTimeoutError(), facts(false));
    const headers = toTransportError(new errors.HeadersTimeoutError(), facts(true));
    const body = toTransportError(new errors.BodyTimeoutError(), facts(true));
    expect(connect).toBeInstanceOf(CompShareTimeoutError);
    expect([connect, headers, body].map((e) => (e as CompShareTimeoutError).phase)).toEqual([
      "connect",
      "headers",
      "body",
    ]);
    expect(headers).toMatchObject({ requestSent: true });
  });

  it("maps socket failures and fetch's TypeError-with-cause to network errors, keeping the cause", () => {
    const socket = new errors.SocketError("other side closed");
    const direct = toTransportError(socket, facts(true));
    expect(direct).toBeInstanceOf(CompShareNetworkError);
    expect(direct.message).toContain("UND_ERR_SOCKET");
    expect(direct.cause).toBe(socket);

    const refused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:1"), { code: "ECONNREFUSED" });
    const wrapped = toTransportError(new TypeError("fetch failed", { cause: refused }), facts(false));
    expect(wrapped).toBeInstanceOf(CompShareNetworkError);
    expect(wrapped).toMatchObject({ requestSent: false, message: expect.stringContaining("ECONNREFUSED") });

    const timeout = toTransportError(
      new TypeError("fetch failed", { cause: new errors.ConnectTimeoutError() }),
      facts(false),
    );
    expect(timeout).toBeInstanceOf(CompShareTimeoutError);
  });

  it("blames the caller's signal first, then the deadline, whatever undici reports", () => {
    const caller = new AbortController();
    const deadline = new AbortController();
    caller.abort();
    deadline.abort();
    const both = context({ callerSignal: caller.signal, deadlineSignal: deadline.signal });
    expect(
      toTransportError(new errors.RequestAbortedError(), { context: both, requestSent: true, requestId: "r" }),
    ).toBeInstanceOf(CompShareAbortedError);
    const onlyDeadline = context({ deadlineSignal: deadline.signal });
    expect(
      toTransportError(new errors.RequestAbortedError(), {
        context: onlyDeadline,
        requestSent: false,
        requestId: undefined,
      }),
    ).toMatchObject({ phase: "deadline", requestSent: false });
  });
});

describe("createTransport", () => {
  let server: FakeCompShare;
  let close: () => Promise<void> = async () => {};
  afterEach(async () => {
    await close();
    await server.close();
  });

  function transportFor(url: string) {
    const transport = createTransport({
      baseUrl: `${url}/api/?x=1`,
      connectTimeoutMs: 1_000,
      headersTimeoutMs: 1_000,
      bodyTimeoutMs: 1_000,
      maxResponseBytes: 1_000_000,
    });
    close = () => transport.close();
    return transport;
  }

  it("posts the form to the base URL's path and returns status, request id and text", async () => {
    server = await startFakeCompShare(ok({ Hello: "world" }, "req-77"));
    const transport = transportFor(server.url);
    const exchange = await transport.post("Action=X&A=1", context());
    expect(exchange).toMatchObject({ status: 200, requestId: "req-77" });
    expect(JSON.parse(exchange.text)).toMatchObject({ Hello: "world" });
    expect(server.requests[0]).toMatchObject({ url: "/api/?x=1", raw: "Action=X&A=1" });
  });

  it("says a dropped connection happened after the request was sent", async () => {
    server = await startFakeCompShare(drop);
    const transport = transportFor(server.url);
    await expect(transport.post("Action=X", context())).rejects.toMatchObject({ code: "network", requestSent: true });
  });
});
