import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Store } from "../store/types.ts";
import type { Metrics } from "./metrics.ts";

/** Operational endpoints: /healthz (process alive), /readyz (store reachable, migrated), /metrics. */
export interface Route {
  path: string;
  method: "GET";
  handler: (req: IncomingMessage, res: ServerResponse) => void;
}

export function operationalRoutes(deps: { store: Store; metrics: Metrics; isStopping: () => boolean }): Route[] {
  return [
    {
      path: "/healthz",
      method: "GET",
      handler: (_req, res) => {
        res.writeHead(200, { "content-type": "text/plain" }).end("ok\n");
      },
    },
    {
      path: "/readyz",
      method: "GET",
      handler: (_req, res) => {
        if (deps.isStopping()) {
          res.writeHead(503, { "content-type": "text/plain" }).end("stopping\n");
          return;
        }
        deps.store
          .ready()
          .then((ready) => {
            if (ready.ok) res.writeHead(200, { "content-type": "text/plain" }).end("ready\n");
            else res.writeHead(503, { "content-type": "text/plain" }).end(`not ready: ${ready.reason}\n`);
          })
          .catch(() => res.writeHead(503, { "content-type": "text/plain" }).end("not ready: store check failed\n"));
      },
    },
    {
      path: "/metrics",
      method: "GET",
      handler: (_req, res) => {
        deps.metrics.registry
          .metrics()
          .then((text) => res.writeHead(200, { "content-type": deps.metrics.registry.contentType }).end(text))
          .catch(() => res.writeHead(500).end());
      },
    },
  ];
}

/** In Socket Mode nothing else listens on PORT, so the same routes get a server of their own. */
export async function serveRoutes(routes: Route[], port: number): Promise<Server> {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://localhost").pathname;
    const route = routes.find((r) => r.path === path && r.method === req.method);
    if (route) route.handler(req, res);
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, () => resolve());
  });
  return server;
}

export function portOf(server: Server): number {
  return (server.address() as AddressInfo).port;
}
