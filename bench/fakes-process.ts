import { platformCatalogue } from "../src/simulator/demo-catalogue.ts";
import { startSimulator } from "../src/simulator/simulator.ts";
import { FakeSlack } from "../test/e2e/fake-slack.ts";
import { BENCH_REGION, IMAGES_PAGE, postForm, signedImagesBody } from "./compshare-body.ts";
import {
  BENCH_USER_COUNT,
  benchUser,
  benchUserLocale,
  type FakesCommand,
  type FakesMessage,
  LARGE_CATALOGUE,
  LARGE_CATALOGUE_PAGE,
} from "./fakes.ts";
import { startFixedBodyServer } from "./fixed-body-server.ts";

/**
 * Child process holding the fake Slack Web API, the CompShare simulator (the demo catalogue, and
 * a second one of LARGE_CATALOGUE platform images) and two fixed-body servers replaying one
 * recorded answer of each, so that their work runs on its own event loop instead of the load
 * generator's. It tells the parent over IPC when it is ready and whenever a response_url post
 * arrives, and takes the API latency to inject from it.
 */

const send = (message: FakesMessage): void => {
  process.send?.(message);
};

const slack = await FakeSlack.start();
const sim = await startSimulator({ port: 0 });
const largeSim = await startSimulator({ port: 0, extraImages: LARGE_CATALOGUE - platformCatalogue().length });
for (let i = 0; i < BENCH_USER_COUNT; i += 1) slack.users.set(benchUser(i).userId, { locale: benchUserLocale(i) });
const demo = { ...BENCH_REGION, publicKey: sim.demoAccount.publicKey, privateKey: sim.demoAccount.privateKey };
const fixed = await startFixedBodyServer(await postForm(sim.url, signedImagesBody(demo, IMAGES_PAGE)));
const fixedLarge = await startFixedBodyServer(
  await postForm(largeSim.url, signedImagesBody(demo, LARGE_CATALOGUE_PAGE)),
);

send({
  type: "ready",
  slackApiUrl: slack.apiUrl,
  responseUrlBase: slack.responseUrl(""),
  simUrl: sim.url,
  largeSimUrl: largeSim.url,
  fixedUrl: fixed.url,
  fixedLargeUrl: fixedLarge.url,
  demo: { publicKey: sim.demoAccount.publicKey, privateKey: sim.demoAccount.privateKey },
});

process.on("message", (command: FakesCommand) => {
  // Every action waits this long before its answer, as a distant API would; the bot and the baseline alike.
  sim.faults.clear();
  if (command.apiLatencyMs > 0) sim.faults.inject({ kind: "latency", ms: command.apiLatencyMs });
  send({ type: "latency-set", apiLatencyMs: command.apiLatencyMs });
});

process.on("disconnect", () => {
  void Promise.all([slack.close(), sim.close(), largeSim.close(), fixed.close(), fixedLarge.close()]).then(() =>
    process.exit(0),
  );
});

// Recorded posts are kept (the fake's own behaviour); only the new ones are reported.
let reported = 0;
for (;;) {
  await slack.waitFor(() => slack.responses.length > reported, 24 * 3600_000, "a response_url post");
  for (const post of slack.responses.slice(reported)) send({ type: "response", id: post.id });
  reported = slack.responses.length;
  // Nobody reads old records in a benchmark; dropping them keeps this process small and fast.
  if (reported > 10_000) {
    slack.responses.splice(0);
    slack.calls.splice(0);
    sim.requests.splice(0);
    largeSim.requests.splice(0);
    reported = 0;
  }
}
