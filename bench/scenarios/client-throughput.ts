import { Pool } from "undici";
import { createCompShareApi } from "../../src/compshare/client.ts";
import { IMAGES_PAGE, signedImagesBody } from "../compshare-body.ts";
import type { BenchProfile } from "../profile.ts";
import type { Rig } from "../rig.ts";
import { interleavedRounds } from "../rounds.ts";
import { closedLoop } from "../slack-load.ts";
import { type LatencySummary, type RatioEstimate, ratioEstimate, round, summarize } from "../stats.ts";

export interface ThroughputSide {
  /** All rounds pooled. */
  callsPerSecond: number;
  latency: LatencySummary;
}

/** fixed-body: a loopback server replaying one recorded answer (the client's own overhead); simulator: the real thing. */
export type ClientServer = "fixed-body" | "simulator";

export interface ClientThroughputRow {
  server: ClientServer;
  concurrency: number;
  rounds: number;
  /** Median (95 % bootstrap interval) of the per-round ratios client calls/s ÷ raw calls/s. */
  ratio: RatioEstimate;
  client: ThroughputSide;
  raw: ThroughputSide;
}

export const CLIENT_LEVELS = [1, 16] as const;

interface Round {
  latencies: number[];
  seconds: number;
}

/**
 * DescribeCompShareImages through our client (validate, flatten, sign, POST, parse, check the
 * envelope, decode the page) against raw undici posting the same request body signed once in
 * advance and JSON-parsing the answer. Each side gets its own undici Pool with the same options;
 * both ask the same server, in interleaved rounds.
 */
export async function measureClientThroughput(rig: Rig, profile: BenchProfile): Promise<ClientThroughputRow[]> {
  const rows: ClientThroughputRow[] = [];
  const servers: Record<ClientServer, string> = { "fixed-body": rig.fakes.fixedUrl, simulator: rig.fakes.simUrl };
  for (const server of ["fixed-body", "simulator"] as const) {
    for (const concurrency of CLIENT_LEVELS) {
      rows.push(await measureOne(rig, servers[server], server, concurrency, profile));
    }
  }
  return rows;
}

async function measureOne(
  rig: Rig,
  url: string,
  server: ClientServer,
  concurrency: number,
  profile: BenchProfile,
): Promise<ClientThroughputRow> {
  const clientPool = new Pool(url, { connections: concurrency });
  const rawPool = new Pool(url, { connections: concurrency });
  const api = createCompShareApi({ baseUrl: url, dispatcher: clientPool });
  const client = api.forAccount(rig.account);
  const body = signedImagesBody(rig.account);
  const viaClient = async () => {
    const page = await client.describeImages({ ...IMAGES_PAGE });
    if (page.ImageSet.length === 0) throw new Error("the server returned no images");
  };
  const raw = rawCall(rawPool, body);
  const calls = profile.client.callsPerRound(concurrency);
  try {
    await callMany(concurrency, calls, viaClient);
    await callMany(concurrency, calls, raw);
    const rounds = await interleavedRounds(
      profile.rounds,
      () => callMany(concurrency, calls, viaClient),
      () => callMany(concurrency, calls, raw),
    );
    return {
      server,
      concurrency,
      rounds: profile.rounds,
      ratio: ratioEstimate(rounds.map((r) => ({ numerator: rate(r.subject), denominator: rate(r.baseline) }))),
      client: pooled(rounds.map((r) => r.subject)),
      raw: pooled(rounds.map((r) => r.baseline)),
    };
  } finally {
    await api.close();
    await clientPool.close();
    await rawPool.close();
  }
}

/** One raw undici POST of a body signed in advance, its JSON parsed and its RetCode checked. */
export function rawCall(pool: Pool, body: string): () => Promise<void> {
  return async () => {
    const response = await pool.request({
      path: "/",
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
      body,
    });
    const page = (await response.body.json()) as { RetCode?: unknown };
    if (page.RetCode !== 0) throw new Error(`raw call failed: ${JSON.stringify(page).slice(0, 200)}`);
  };
}

export function callMany(concurrency: number, count: number, call: () => Promise<void>): Promise<Round> {
  return closedLoop(concurrency, Array.from({ length: count }), call);
}

export function rate(r: Round): number {
  return r.latencies.length / r.seconds;
}

export function pooled(rounds: readonly Round[]): ThroughputSide {
  const seconds = rounds.reduce((total, r) => total + r.seconds, 0);
  const latencies = rounds.flatMap((r) => r.latencies);
  return { callsPerSecond: round(latencies.length / seconds, 0), latency: summarize(latencies) };
}
