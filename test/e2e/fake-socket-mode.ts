import { randomUUID } from "node:crypto";
import type { AddressInfo } from "node:net";
import { type WebSocket, WebSocketServer } from "ws";

/**
 * A loopback stand-in for Slack's Socket Mode gateway: the URL that apps.connections.open hands
 * out, a hello on connect, envelopes pushed to the bot, and the acks it sends back.
 */
export class FakeSocketMode {
  readonly acks: { envelope_id: string; payload?: unknown }[] = [];
  #server: WebSocketServer;
  #sockets = new Set<WebSocket>();

  private constructor(server: WebSocketServer) {
    this.#server = server;
    server.on("connection", (socket) => {
      this.#sockets.add(socket);
      socket.on("close", () => this.#sockets.delete(socket));
      socket.on("message", (data) => {
        this.acks.push(JSON.parse(String(data)) as { envelope_id: string });
      });
      socket.send(JSON.stringify({ type: "hello", num_connections: 1, debug_info: { host: "fake" } }));
    });
  }

  static async start(): Promise<FakeSocketMode> {
    const server = new WebSocketServer({ host: "127.0.0.1", port: 0 });
    await new Promise<void>((resolve) => server.once("listening", () => resolve()));
    return new FakeSocketMode(server);
  }

  get url(): string {
    return `ws://127.0.0.1:${(this.#server.address() as AddressInfo).port}/link`;
  }

  get connections(): number {
    return this.#sockets.size;
  }

  /** Pushes an envelope to every connected client; returns its id. */
  push(type: "slash_commands" | "interactive" | "events_api", payload: unknown): string {
    const envelopeId = randomUUID();
    const frame = JSON.stringify({
      envelope_id: envelopeId,
      type,
      payload,
      accepts_response_payload: type !== "events_api",
    });
    for (const socket of this.#sockets) socket.send(frame);
    return envelopeId;
  }

  async close(): Promise<void> {
    for (const socket of this.#sockets) socket.terminate();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}
