import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Store } from "../store/types.ts";
import type { Metrics } from "./metrics.ts";

/**
 * Operational endpoints: /healthz (process alive), /readyz (store reachable and migrated, and in
 * Socket Mode connected), /metrics (on PORT, or on METRICS_PORT when that is set).
 */
export interface Route {
  path: string;
  method: "GET";
  handler: (req: IncomingMessage, res: ServerResponse) => void;
}

export interface HealthDeps {
  store: Store;
  isStopping: () => boolean;
  /** Why Slack cannot reach the bot yet (Socket Mode not connected); undefined when it can. */
  slackNotReady?: () => string | undefined;
}

export function healthRoutes(deps: HealthDeps): Route[] {
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
        const slackReason = deps.slackNotReady?.();
        if (slackReason !== undefined) {
          res.writeHead(503, { "content-type": "text/plain" }).end(`not ready: ${slackReason}\n`);
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
  ];
}

export function metricsRoute(metrics: Metrics): Route {
  return {
    path: "/metrics",
    method: "GET",
    handler: (_req, res) => {
      metrics.registry
        .metrics()
        .then((text) => res.writeHead(200, { "content-type": metrics.registry.contentType }).end(text))
        .catch(() => res.writeHead(500).end());
    },
  };
}

/** A server of their own for routes: health in Socket Mode (nothing else listens on PORT), metrics on METRICS_PORT. */
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

export async function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}
