import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Logger } from "../log.ts";
import type { AccountInput, SimAccount } from "./accounts.ts";
import { DEMO_ACCOUNT, OTHER_ACCOUNT, seedDemoData, seedSyntheticImages } from "./demo-data.ts";
import { type Fault, FaultInjector, type FaultOptions } from "./faults.ts";
import { createRequestHandler, type RecordedRequest } from "./server.ts";
import { SimulatorState } from "./state.ts";

export type { SimAccount } from "./accounts.ts";
export type { Fault, FaultOptions } from "./faults.ts";
export type { RecordedRequest } from "./server.ts";
export type {
  ImageRecord,
  InstanceRecord,
  OperationKind,
  ReinstallRecord,
  RunningOperation,
  SimulatorState,
} from "./state.ts";

/** How long each instance operation takes unless told otherwise: long enough to see it happen. */
export const DEFAULT_OP_SECONDS = 3;

export interface SimulatorOptions {
  /** 0 (the default) lets the system pick a free port. */
  port?: number;
  /** 127.0.0.1 by default. */
  host?: string;
  /** ms epoch; Date.now by default. Drives the 10-minute operation lock and new records' times. */
  clock?: () => number;
  /** One debug line per request when given. */
  logger?: Logger;
  /** Platform images and both accounts' images and instances; true by default. */
  demoData?: boolean;
  /**
   * Seconds each Stop, Start, Reboot, Reinstall and custom-image creation takes, by `clock`
   * (DEFAULT_OP_SECONDS when absent). 0 makes them land at once, with no lock held after.
   */
  opSeconds?: number;
  /** Numbered platform images added after the demo catalogue, for a large one; 0 by default. */
  extraImages?: number;
}

/** A running CompShare API simulator (DESIGN §4) on node:http. */
export interface Simulator {
  /** e.g. "http://127.0.0.1:8787". */
  url: string;
  /** Owns several custom images and instances in the demo data. */
  demoAccount: SimAccount;
  /** Shares some of its images with the demo account; owns its own images and instances. */
  otherAccount: SimAccount;
  /** A fresh account with no images or instances. */
  addAccount(input?: AccountInput): SimAccount;
  faults: { inject(fault: Fault, opts?: FaultOptions): void; clear(): void };
  /** Every request in arrival order, faulted ones included. */
  requests: RecordedRequest[];
  state: SimulatorState;
  /** Closes every connection, keep-alive ones included, and stops listening. */
  close(): Promise<void>;
}

export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const host = options.host ?? "127.0.0.1";
  const clock = options.clock ?? Date.now;
  const opSeconds = options.opSeconds ?? DEFAULT_OP_SECONDS;
  if (!(opSeconds >= 0 && Number.isFinite(opSeconds))) {
    throw new RangeError(`opSeconds must be a finite number ≥ 0, got ${opSeconds}`);
  }
  const state = new SimulatorState({ clock, operationMs: Math.round(opSeconds * 1000) });
  const demoAccount = state.addAccount(DEMO_ACCOUNT);
  const otherAccount = state.addAccount(OTHER_ACCOUNT);
  if (options.demoData ?? true) seedDemoData(state, { demo: demoAccount, other: otherAccount });
  if (options.extraImages) seedSyntheticImages(state, options.extraImages);
  const faults = new FaultInjector();
  const requests: RecordedRequest[] = [];
  const closing = new AbortController();
  const handler = createRequestHandler({
    state,
    faults,
    requests,
    clock,
    logger: options.logger,
    closing: closing.signal,
  });
  const server = createServer(handler.listener);
  await listen(server, options.port ?? 0, host);
  const { port } = server.address() as AddressInfo;
  let closed: Promise<void> | undefined;
  return {
    url: `http://${host.includes(":") ? `[${host}]` : host}:${port}`,
    demoAccount,
    otherAccount,
    addAccount: (input) => state.addAccount(input),
    faults: { inject: (fault, opts) => faults.inject(fault, opts), clear: () => faults.clear() },
    requests,
    state,
    close() {
      closed ??= shutDown(server, closing).then(handler.settled);
      return closed;
    },
  };
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
}

function shutDown(server: Server, closing: AbortController): Promise<void> {
  closing.abort();
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
