import { benchUser } from "../fakes.ts";
import type { Rig } from "../rig.ts";
import type { ServerProcess } from "../server-process.ts";
import { closedLoop, prepareCommand, SlackLoad } from "../slack-load.ts";
import { type LatencySummary, summarize } from "../stats.ts";

export interface ImagesEndToEndResult {
  requests: number;
  bot: LatencySummary;
  bare: LatencySummary;
}

/** Logged-in users the bot answers for; the bare baseline signs with the same demo keys. */
export const LOGGED_IN_USERS = 8;
const REQUESTS = 400;
const BLOCK = 50;

/**
 * `/compshare images`, one at a time, from sending the signed command to the reply's arrival at
 * the fake Slack's response_url (reported by the fakes process over IPC, the same hop for both).
 * The simulator answers at once. The baseline is bare Bolt doing the least the command needs:
 * ack, one raw DescribeCompShareImages, respond.
 */
export async function measureImagesEndToEnd(
  rig: Rig,
  bot: ServerProcess,
  bare: ServerProcess,
): Promise<ImagesEndToEndResult> {
  await run(rig, bot, 50);
  await run(rig, bare, 50);
  const samples = { bot: [] as number[], bare: [] as number[] };
  for (let block = 0; block < REQUESTS / BLOCK; block += 1) {
    const order = block % 2 === 0 ? ([bare, bot] as const) : ([bot, bare] as const);
    for (const target of order) samples[target === bot ? "bot" : "bare"].push(...(await run(rig, target, BLOCK)));
  }
  return { requests: REQUESTS, bot: summarize(samples.bot), bare: summarize(samples.bare) };
}

async function run(rig: Rig, target: ServerProcess, count: number): Promise<number[]> {
  const requests = Array.from({ length: count }, (_, i) =>
    prepareCommand(rig.signingSecret, "images", benchUser(i % LOGGED_IN_USERS), rig.fakes.responseUrl),
  );
  const load = new SlackLoad(target.baseUrl, 1);
  try {
    const { latencies } = await closedLoop(1, requests, async (request) => {
      const arrived = rig.fakes.arrival(request.responseId);
      const status = await load.send(request);
      if (status !== 200) throw new Error(`${target.name} answered ${status}`);
      await arrived;
    });
    return latencies;
  } finally {
    await load.close();
  }
}
