import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A loopback server that answers every request with the same bytes, fixed in advance (a recorded
 * simulator answer): the least any server can cost, so a client measured against it shows its
 * own overhead, and a server measured beside it shows its own.
 */
export async function startFixedBodyServer(body: string): Promise<{ url: string; close(): Promise<void> }> {
  const bytes = Buffer.from(body, "utf8");
  const headers = {
    "Content-Type": "application/json; charset=utf-8",
    "Content-Length": String(bytes.length),
    "X-UCLOUD-REQUEST-UUID": "00000000-0000-4000-8000-000000000000",
  };
  const server: Server = createServer((request, response) => {
    request.resume();
    request.once("end", () => response.writeHead(200, headers).end(bytes));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
