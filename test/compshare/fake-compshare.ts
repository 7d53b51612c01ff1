import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** One request as the fake server saw it. */
export interface SeenRequest {
  /** Path and query. */
  url: string | undefined;
  raw: string;
  params: Record<string, string>;
  headers: IncomingHttpHeaders;
  remotePort: number | undefined;
}

export type FakeHandler = (request: SeenRequest, res: ServerResponse) => void | Promise<void>;

/**
 * A bare loopback HTTP server for the client's unit tests: it records every request and
 * answers with whatever the test's handler does, including nothing at all.
 */
export async function startFakeCompShare(initial: FakeHandler = ok({})) {
  const requests: SeenRequest[] = [];
  let handler = initial;
  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString("utf8");
    const seen: SeenRequest = {
      url: req.url,
      raw,
      params: Object.fromEntries(new URLSearchParams(raw)),
      headers: req.headers,
      remotePort: req.socket.remotePort,
    };
    requests.push(seen);
    await handler(seen, res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    handle(next: FakeHandler) {
      handler = next;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export type FakeCompShare = Awaited<ReturnType<typeof startFakeCompShare>>;

export function reply(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(body);
}

/** A RetCode-0 answer carrying `fields`, with a request id header. */
export function ok(fields: Record<string, unknown>, requestId = "req-ok"): FakeHandler {
  return (request, res) =>
    reply(res, 200, JSON.stringify({ Action: `${request.params.Action}Response`, RetCode: 0, ...fields }), {
      "x-ucloud-request-uuid": requestId,
    });
}

export function retCode(code: number | string, message: string, requestId = "req-err"): FakeHandler {
  return (request, res) =>
    reply(res, 200, JSON.stringify({ Action: `${request.params.Action}Response`, RetCode: code, Message: message }), {
      "x-ucloud-request-uuid": requestId,
    });
}

/** Answers the listed handlers in turn, then keeps using the last one. */
export function sequence(...handlers: FakeHandler[]): FakeHandler {
  let i = 0;
  return (request, res) => {
    const current = handlers[Math.min(i++, handlers.length - 1)];
    return current?.(request, res);
  };
}

export const hang: FakeHandler = () => {};

export const drop: FakeHandler = (_request, res) => {
  res.socket?.destroy();
};
