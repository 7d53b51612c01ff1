import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll } from "vitest";
import { type Simulator, startSimulator } from "../../src/simulator/simulator.ts";
import { FakeSlack } from "../e2e/fake-slack.ts";

export interface LoopbackWorld {
  readonly slack: FakeSlack;
  readonly sim: Simulator;
  /** A scratch directory for databases, removed afterwards. */
  readonly dir: string;
}

/**
 * A fake Slack, the CompShare simulator and a scratch directory for the enclosing suite, for
 * tests that start the bot their own way (as a process, or several times over one database).
 */
export function useLoopbackWorld(name: string, options: { opSeconds?: number } = {}): LoopbackWorld {
  let slack: FakeSlack | undefined;
  let sim: Simulator | undefined;
  let dir: string | undefined;
  beforeAll(async () => {
    slack = await FakeSlack.start();
    sim = await startSimulator({
      port: 0,
      ...(options.opSeconds !== undefined ? { opSeconds: options.opSeconds } : {}),
    });
    dir = await mkdtemp(join(tmpdir(), `compshare-${name}-`));
  });
  afterAll(async () => {
    await slack?.close();
    await sim?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });
  const ready = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error("the loopback world is only there inside the suite's tests");
    return value;
  };
  return {
    get slack() {
      return ready(slack);
    },
    get sim() {
      return ready(sim);
    },
    get dir() {
      return ready(dir);
    },
  };
}
