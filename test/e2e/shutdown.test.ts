import { rm } from "node:fs/promises";
import { expect, it } from "vitest";
import { ALICE, startHarness } from "./harness.ts";

it("on stop, finishes acknowledged work before closing, and refuses readiness meanwhile", async () => {
  const h = await startHarness();
  let stopped = false;
  try {
    await h.login(ALICE);
    h.sim.faults.inject({ kind: "latency", ms: 800 }, { times: 1, actions: ["DescribeCompShareCustomImages"] });
    const { response, responseId } = await h.send.command("custom", ALICE);
    expect(response.status).toBe(200);
    await h.slack.waitFor(() =>
      h.sim.requests.some((r) => r.action === "DescribeCompShareCustomImages" && r.fault === "latency"),
    );
    const stopping = h.bot.stop();
    const ready = await fetch(`${h.baseUrl}/readyz`)
      .then((r) => r.status)
      .catch(() => "closed");
    expect([503, "closed"]).toContain(ready);
    await stopping;
    stopped = true;
    const replies = h.slack.responsesTo(responseId);
    expect(replies).toHaveLength(1);
    expect(JSON.stringify(replies[0]?.body)).toContain("My images");
  } finally {
    if (!stopped) await h.bot.stop();
    await h.sim.close();
    await h.slack.close();
    await rm(h.dataDir, { recursive: true, force: true });
  }
});
