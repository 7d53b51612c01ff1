import { Pool } from "undici";
import { createCompShareApi } from "../../src/compshare/client.ts";
import { IMAGES_PAGE, signedImagesBody } from "../compshare-body.ts";
import type { Rig } from "../rig.ts";
import { closedLoop } from "../slack-load.ts";
import { type LatencySummary, round, summarize } from "../stats.ts";

export interface ThroughputSide {
  callsPerSecond: number;
  latency: LatencySummary;
}

export interface ClientThroughputRow {
  concurrency: number;
  client: ThroughputSide;
  raw: ThroughputSide;
}

export const CLIENT_LEVELS = [1, 16] as const;
const CALLS_PER_ROUND = 1000;
const ROUNDS = 3;

/**
 * DescribeCompShareImages through our client (validate, flatten, sign, POST, parse, check the
 * envelope, zod-decode the page) against raw undici posting the same request body signed once
 * in advance and JSON-parsing the answer. Each side gets its own undici Pool with the same
 * options, the simulator (in the fakes process) answers both, and the sides take turns.
 */
export async function measureClientThroughput(rig: Rig): Promise<ClientThroughputRow[]> {
  const rows: ClientThroughputRow[] = [];
  for (const concurrency of CLIENT_LEVELS) {
    const clientPool = new Pool(rig.fakes.simUrl, { connections: concurrency });
    const rawPool = new Pool(rig.fakes.simUrl, { connections: concurrency });
    const api = createCompShareApi({ baseUrl: rig.fakes.simUrl, dispatcher: clientPool });
    const client = api.forAccount(rig.account);
    const body = signedImagesBody(rig.account);
    const sides = {
      client: async () => {
        const page = await client.describeImages({ ...IMAGES_PAGE });
        if (page.ImageSet.length === 0) throw new Error("the simulator returned no images");
      },
      raw: async () => {
        const response = await rawPool.request({
          path: "/",
          method: "POST",
          headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
          body,
        });
        const page = (await response.body.json()) as { RetCode?: unknown };
        if (page.RetCode !== 0) throw new Error(`raw call failed: ${JSON.stringify(page).slice(0, 200)}`);
      },
    };
    const totals = { client: { samples: [] as number[], seconds: 0 }, raw: { samples: [] as number[], seconds: 0 } };
    for (const name of ["client", "raw"] as const) await callMany(concurrency, 300, sides[name]);
    for (let r = 0; r < ROUNDS; r += 1) {
      for (const name of r % 2 === 0 ? (["raw", "client"] as const) : (["client", "raw"] as const)) {
        const { latencies, seconds } = await callMany(concurrency, CALLS_PER_ROUND, sides[name]);
        totals[name].samples.push(...latencies);
        totals[name].seconds += seconds;
      }
    }
    await api.close();
    await clientPool.close();
    await rawPool.close();
    const side = (t: { samples: number[]; seconds: number }): ThroughputSide => ({
      callsPerSecond: round(t.samples.length / t.seconds, 0),
      latency: summarize(t.samples),
    });
    rows.push({ concurrency, client: side(totals.client), raw: side(totals.raw) });
  }
  return rows;
}

function callMany(concurrency: number, count: number, call: () => Promise<void>) {
  return closedLoop(concurrency, Array.from({ length: count }), call);
}
