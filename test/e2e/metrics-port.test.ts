import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeSlack } from "./fake-slack.ts";
import { FakeSocketMode } from "./fake-socket-mode.ts";
import { type Harness, startHarness } from "./harness.ts";

/** METRICS_PORT: /metrics on a port of its own, and then no longer on the port Slack reaches. */

async function statusOf(url: string): Promise<number> {
  return (await fetch(url)).status;
}

describe.each([
  ["HTTP mode", false],
  ["Socket Mode", true],
])("%s with METRICS_PORT", (_mode, socket) => {
  let h: Harness;
  let slack: FakeSlack;
  let gateway: FakeSocketMode | undefined;
  let stopped = false;
  beforeAll(async () => {
    slack = await FakeSlack.start();
    if (socket) {
      gateway = await FakeSocketMode.start();
      slack.socketModeUrl = gateway.url;
    }
    h = await startHarness({
      slack,
      env: {
        METRICS_PORT: "0",
        ...(socket ? { SLACK_APP_TOKEN: "xapp-fake-app-token-metrics", SLACK_SIGNING_SECRET: "" } : {}),
      },
    });
  });
  afterAll(async () => {
    if (!stopped) await h?.stop();
    await gateway?.close();
    await slack?.close();
  });

  it("serves /metrics on METRICS_PORT only, and health on PORT only", async () => {
    const { port, metricsPort } = h.bot;
    expect(metricsPort).not.toBe(port);
    const metrics = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toContain("compshare_bot_commands_total");
    expect(await statusOf(`http://127.0.0.1:${port}/metrics`)).toBe(404);
    expect(await statusOf(`http://127.0.0.1:${port}/healthz`)).toBe(200);
    expect(await statusOf(`http://127.0.0.1:${metricsPort}/healthz`)).toBe(404);
  });

  it("closes the metrics server on stop", async () => {
    const { metricsPort } = h.bot;
    stopped = true;
    await h.stop();
    await expect(fetch(`http://127.0.0.1:${metricsPort}/metrics`)).rejects.toThrow(TypeError);
  });
});
