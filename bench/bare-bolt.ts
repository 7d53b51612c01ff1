import { App, HTTPReceiver, LogLevel } from "@slack/bolt";
import { Pool } from "undici";

/**
 * The baseline: a bare Bolt app (the same Bolt version, HTTPReceiver on /slack/events, the same
 * Web API client pointed at the fake Slack) with one /compshare listener. Any text but `images`
 * is only acked. `images` is acked, then one precomputed signed DescribeCompShareImages body
 * (BENCH_IMAGES_BODY) goes to the simulator with raw undici and the count goes back through
 * the response_url: the least any /compshare images can do.
 */

const env = process.env;
const simulator = new Pool(env.COMPSHARE_API_URL ?? "");
const imagesBody = env.BENCH_IMAGES_BODY ?? "";

const receiver = new HTTPReceiver({
  signingSecret: env.SLACK_SIGNING_SECRET ?? "",
  endpoints: "/slack/events",
  processBeforeResponse: false,
  customRoutes: [{ path: "/readyz", method: "GET", handler: (_req, res) => res.writeHead(200).end("ready\n") }],
  logLevel: LogLevel.WARN,
});
const app = new App({
  token: env.SLACK_BOT_TOKEN ?? "",
  receiver,
  logLevel: LogLevel.WARN,
  clientOptions: { slackApiUrl: env.SLACK_API_URL ?? "", retryConfig: { retries: 0 } },
});

app.command("/compshare", async ({ ack, respond, command }) => {
  await ack();
  if (command.text !== "images") return;
  const response = await simulator.request({
    path: "/",
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
    body: imagesBody,
  });
  const page = (await response.body.json()) as { TotalCount?: number };
  await respond({ response_type: "ephemeral", text: `${page.TotalCount ?? 0} images` });
});

await app.start(Number(env.PORT ?? 3000));
process.once("SIGTERM", () => {
  void Promise.all([app.stop(), simulator.close()]).then(() => process.exit(0));
});
