import { startSimulator } from "../src/simulator/simulator.ts";
import { FakeSlack } from "../test/e2e/fake-slack.ts";
import { BENCH_USER_COUNT, benchUser, benchUserLocale, type FakesMessage } from "./fakes.ts";

/**
 * Child process holding the fake Slack Web API and the CompShare simulator, so that their work
 * (answering Web API calls, recording response_url posts, serving DescribeCompShareImages) runs
 * on its own event loop instead of the load generator's. It tells the parent over IPC when it is
 * ready and whenever a response_url post arrives.
 */

const send = (message: FakesMessage): void => {
  process.send?.(message);
};

const slack = await FakeSlack.start();
const sim = await startSimulator({ port: 0 });
for (let i = 0; i < BENCH_USER_COUNT; i += 1) slack.users.set(benchUser(i).userId, { locale: benchUserLocale(i) });

send({
  type: "ready",
  slackApiUrl: slack.apiUrl,
  responseUrlBase: slack.responseUrl(""),
  simUrl: sim.url,
  demo: { publicKey: sim.demoAccount.publicKey, privateKey: sim.demoAccount.privateKey },
});

process.on("disconnect", () => {
  void Promise.all([slack.close(), sim.close()]).then(() => process.exit(0));
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
    reported = 0;
  }
}
