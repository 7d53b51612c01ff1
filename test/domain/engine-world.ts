import { randomBytes } from "node:crypto";
import { setImmediate as yieldToIo } from "node:timers/promises";
import { afterAll, afterEach, beforeAll } from "vitest";
import { type CompShareApi, type CompShareClient, createCompShareApi } from "../../src/compshare/client.ts";
import { accountFor, keyFingerprint } from "../../src/domain/accounts.ts";
import {
  createOperationsEngine,
  type EngineOptions,
  type NewOperation,
  type Operation,
  type OperationEvent,
  type OperationsEngine,
  type Target,
} from "../../src/domain/operations/index.ts";
import { type Simulator, startSimulator } from "../../src/simulator/simulator.ts";
import type { InstanceFields, InstanceRecord } from "../../src/simulator/state.ts";
import { openStore } from "../../src/store/open-store.ts";
import type { Store } from "../../src/store/types.ts";
import { memoryLogger } from "../helpers/memory-log.ts";
import type { StoreTarget } from "../store/harness.ts";

/**
 * The operations engine over real things: the simulator over real HTTP, a real store (a SQLite
 * file or a PostgreSQL schema) and one fake clock that the simulator, the store, the client and
 * the engine all read. The engine's sleep moves that clock, so a 20-minute wait takes no time and
 * nothing is asserted about time itself.
 */

export const TEAM = "T_OPS";
export const REQUESTER = "U_REQUESTER";
export const APPROVER = "U_APPROVER";
export const REGION = "cn-wlcb";
export const ZONE = "cn-wlcb-01";
export const CREDENTIALS_KEY = randomBytes(32);

export class FakeClock {
  #now = Date.parse("2026-12-01T09:00:00Z");
  now = (): number => this.#now;
  date = (): Date => new Date(this.#now);
  advance(ms: number): void {
    this.#now += ms;
  }
  /** The engine's sleep: time passes at once, and the event loop gets a turn. */
  sleep = async (ms: number): Promise<void> => {
    this.#now += ms;
    await yieldToIo();
  };
}

export interface EngineHandle {
  engine: OperationsEngine;
  events: OperationEvent[];
  store: Store;
  log: ReturnType<typeof memoryLogger>;
}

export interface World {
  sim: Simulator;
  api: CompShareApi;
  clock: FakeClock;
  /** Opens another store on the same database (another replica's, or the one after a restart). */
  openStore(): Promise<Store>;
  store: Store;
  url: string;
  /** An engine on its own store (or `store`), with every event recorded. */
  engine(
    options?: Partial<EngineOptions> & { store?: Store; wrapClient?: (client: CompShareClient) => CompShareClient },
  ): Promise<EngineHandle>;
  instance(fields?: InstanceFields): InstanceRecord;
  /** An Available image of the demo account's own that fits the instances (4090). */
  image(fields?: { SupportedGpuTypes?: string[] }): string;
  /** Mutations the simulator received for an instance, in order, refused ones included. */
  mutations(instanceId: string): string[];
  /** The simulator's answers to one action on one instance: RetCode 0 means CompShare did it. */
  accepted(instanceId: string, action: string): number;
  request(overrides: Partial<NewOperation> & { targets: Target[] }): NewOperation;
  close(): Promise<void>;
}

const READS = new Set([
  "DescribeCompShareInstance",
  "DescribeCompShareCustomImages",
  "GetCompShareImageCreateProgress",
]);

export interface WorldOptions {
  beforeStoreOpens?: (sim: Simulator, clock: FakeClock) => Promise<void>;
}

/** For a suite over one store driver: the driver's target, and a fresh world per test, closed after it. */
export function worldsOn(make: () => StoreTarget) {
  let target: StoreTarget;
  let world: World | undefined;
  beforeAll(() => {
    target = make();
  });
  afterAll(async () => {
    await target.cleanup();
  });
  afterEach(async () => {
    await world?.close();
    world = undefined;
  });
  return {
    newUrl: () => target.newUrl(),
    async fresh(options?: WorldOptions, url?: string): Promise<World> {
      world = await createWorld(url ?? (await target.newUrl()), options);
      return world;
    },
  };
}

export async function createWorld(url: string, options: WorldOptions = {}): Promise<World> {
  const clock = new FakeClock();
  const sim = await startSimulator({ port: 0, clock: clock.now, opSeconds: 30, demoData: false });
  await options.beforeStoreOpens?.(sim, clock);
  const api = createCompShareApi({ baseUrl: sim.url, clock: clock.now, sleep: clock.sleep });
  const stores: Store[] = [];
  const engines: OperationsEngine[] = [];
  const open = async () => {
    const store = await openStore({ url, keys: [CREDENTIALS_KEY], clock: clock.date });
    stores.push(store);
    return store;
  };
  const store = await open();
  await store.credentials.upsert({
    teamId: TEAM,
    userId: REQUESTER,
    publicKey: sim.demoAccount.publicKey,
    privateKey: sim.demoAccount.privateKey,
    region: REGION,
    zone: ZONE,
  });
  let images = 0;

  return {
    sim,
    api,
    clock,
    store,
    url,
    openStore: open,
    async engine(options = {}) {
      const own = options.store ?? store;
      const log = memoryLogger("info");
      const events: OperationEvent[] = [];
      const { wrapClient, store: _ignored, ...rest } = options;
      const engine = createOperationsEngine({
        operations: own.operations,
        audit: own.audit,
        accountFor: async (teamId, userId) => {
          const account = await accountFor(own, api, teamId, userId);
          return wrapClient ? { ...account, client: wrapClient(account.client) } : account;
        },
        clock: clock.now,
        sleep: clock.sleep,
        logger: log.logger,
        allowSelfApproval: false,
        exclusiveStore: own.driver === "sqlite",
        ...rest,
      });
      engine.subscribe((event) => {
        events.push(event);
      });
      engines.push(engine);
      return { engine, events, store: own, log };
    },
    instance(fields = {}) {
      return sim.state.addInstance(sim.demoAccount.accountId, { State: "Running", GpuType: "4090", ...fields });
    },
    image(fields = {}) {
      images += 1;
      return sim.state.addCustomImage(sim.demoAccount.accountId, {
        Name: `target-image-${images}`,
        Status: "Available",
        SupportedGpuTypes: fields.SupportedGpuTypes ?? ["4090"],
      }).CompShareImageId;
    },
    mutations(instanceId) {
      return sim.requests
        .filter((r) => r.params.UHostId === instanceId && !READS.has(r.action))
        .map((r) => r.action.replace(/CompShare(Instance|CustomImage)$/, ""));
    },
    accepted(instanceId, action) {
      return sim.requests.filter((r) => r.params.UHostId === instanceId && r.action === action && r.retCode === 0)
        .length;
    },
    request(overrides) {
      return {
        teamId: TEAM,
        requesterId: REQUESTER,
        kind: "reinstall",
        region: REGION,
        zone: ZONE,
        reason: "move to the new image",
        keyFingerprint: keyFingerprint(sim.demoAccount.publicKey),
        options: {},
        approval: "required",
        ttlMs: 3_600_000,
        ...overrides,
      };
    },
    async close() {
      for (const engine of engines) await engine.stop();
      for (const s of stores) await s.close().catch(() => undefined);
      await api.close();
      await sim.close();
    },
  };
}

export const approver = { teamId: TEAM, userId: APPROVER, check: "approver" as const };

/** Approves and waits until the engine can do no more. */
export async function approveAndSettle(handle: EngineHandle, operation: Operation): Promise<Operation> {
  const result = await handle.engine.approve(operation.id, approver);
  if (result.kind !== "done") throw new Error(`approval did not go through: ${result.kind}`);
  await handle.engine.idle();
  const after = await handle.engine.get(TEAM, operation.id);
  if (!after) throw new Error("the request vanished");
  return after;
}

export function stepStatuses(operation: Operation): string[] {
  return operation.steps.map((step) => `${step.action.kind}:${step.status}`);
}
