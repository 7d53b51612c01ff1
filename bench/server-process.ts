import { spawn } from "node:child_process";
import { closeSync, openSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import { setTimeout as delay } from "node:timers/promises";

/**
 * A server (the bot, or the bare Bolt baseline) in a child process of its own, so its memory is
 * its own and the load generator does not share its event loop. Output goes to a log file.
 */
export interface ServerProcess {
  readonly name: string;
  readonly baseUrl: string;
  /** Its stdout and stderr. */
  readonly logFile: string;
  /** From spawn to the first 200 on /readyz. */
  readonly readyMs: number;
  /** Resident set size now, read from /proc (Linux). */
  rssBytes(): number;
  /** CPU time used so far (user + system), read from /proc (Linux). */
  cpuMs(): number;
  /** SIGTERM, then the exit code. */
  stop(): Promise<number | null>;
}

export interface ServerSpec {
  name: string;
  /** Arguments to node: a script and its arguments. */
  args: string[];
  env: Record<string, string>;
  logFile: string;
}

export async function startServer(spec: ServerSpec): Promise<ServerProcess> {
  const port = await freePort();
  const log = openSync(spec.logFile, "a");
  const started = performance.now();
  const child = spawn(process.execPath, spec.args, {
    env: { PATH: process.env.PATH ?? "", ...spec.env, PORT: String(port) },
    stdio: ["ignore", log, log],
  });
  closeSync(log);
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const baseUrl = `http://127.0.0.1:${port}`;
  const readyMs = await untilReady(`${baseUrl}/readyz`, () => child.exitCode !== null, started).catch((error) => {
    child.kill("SIGKILL");
    throw new Error(`${spec.name} did not become ready: ${String(error)}\n${tail(spec.logFile)}`);
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error(`${spec.name} has no pid`);
  return {
    name: spec.name,
    baseUrl,
    logFile: spec.logFile,
    readyMs,
    rssBytes: () => rssOf(pid),
    cpuMs: () => cpuOf(pid),
    async stop() {
      if (child.exitCode === null) child.kill("SIGTERM");
      return exited;
    },
  };
}

/** Polls often enough that the poll interval is small against the start-up time it measures. */
async function untilReady(url: string, hasExited: () => boolean, started: number): Promise<number> {
  const deadline = started + 30_000;
  while (performance.now() < deadline) {
    if (hasExited()) throw new Error("process exited");
    try {
      const response = await fetch(url);
      await response.arrayBuffer();
      if (response.status === 200) return performance.now() - started;
    } catch {
      // Not listening yet.
    }
    await delay(2);
  }
  throw new Error("timed out after 30 s");
}

export function rssOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = /^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1];
  if (kb === undefined) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(kb) * 1024;
}

/** utime + stime, fields 14 and 15 of /proc/<pid>/stat, in clock ticks of 10 ms (USER_HZ on Linux). */
function cpuOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function tail(file: string): string {
  try {
    return readFileSync(file, "utf8").split("\n").slice(-20).join("\n");
  } catch {
    return "(no log)";
  }
}
