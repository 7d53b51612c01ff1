import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkBlockKit } from "../../src/slack/views/limits.ts";
import { ALICE, type Harness, startHarness, WEI } from "./harness.ts";
import { APPROVAL_CHANNEL, REINSTALL_ENV, REINSTALL_USERS, simCalls } from "./reinstall-steps.ts";

/** Journey 8: instances from Slack, and stop / start / reboot through the engine without approval. */

const fastPolls = { sleep: (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.min(ms, 100))) };
let h: Harness;

beforeAll(async () => {
  h = await startHarness({ env: REINSTALL_ENV, users: REINSTALL_USERS, opSeconds: 0.3, engine: fastPolls });
  await h.login(ALICE);
  await h.login(WEI);
});
afterAll(() => h.stop());

function text(value: unknown): string {
  return JSON.stringify(value);
}

async function replies(responseId: string, count: number) {
  return h.slack.waitFor(
    () => h.slack.responsesTo(responseId).length >= count && h.slack.responsesTo(responseId),
    10_000,
    `${count} replies`,
  );
}

function instance(name: string, State: "Running" | "Stopped") {
  return h.sim.state.addInstance(h.sim.demoAccount.accountId, { Name: name, State, GpuType: "A100", GPU: 8 });
}

describe("/compshare instances", () => {
  it("lists name, id, state, GPU, image and zone, with the buttons each state allows, paged", async () => {
    for (let i = 0; i < 12; i += 1) instance(`list-box-${i}`, i % 2 === 0 ? "Running" : "Stopped");
    const { responseId } = await h.send.command("instances", ALICE);
    const [reply] = await replies(responseId, 1);
    const body = reply?.body ?? {};
    expect(checkBlockKit(body, "message")).toEqual([]);
    const shown = text(body);
    const first = h.sim.state.listInstances(h.sim.demoAccount.accountId)[0];
    expect(shown).toContain("My instances");
    expect(shown).toContain(first?.UHostId);
    expect(shown).toContain("cn-wlcb-01");
    expect(shown).toContain("instance_op_");
    expect(shown).toContain("instance_reinstall");
    expect(shown).toContain("instances_page_next");
    const next = /"action_id":"instances_page_next"[^}]*"value":"(\d+)"/.exec(shown)?.[1] ?? "10";
    const page = await h.send.clickInMessage(ALICE, { action_id: "instances_page_next", value: next });
    const [second] = await replies(page.responseId, 1);
    expect(second?.body.replace_original).toBe(true);
    expect(text(second?.body)).toContain("instances_page_prev");
  });

  it("speaks Chinese to a Chinese reader, alias 实例", async () => {
    const { responseId } = await h.send.command("实例", WEI);
    const [reply] = await replies(responseId, 1);
    expect(text(reply?.body)).toContain("我的实例");
  });
});

describe("stop, start, reboot", () => {
  it("stop from the command runs once, without approval, and the reply follows it to Stopped", async () => {
    const box = instance("stop-me", "Running");
    const cardsBefore = h.slack.callsTo("chat.postMessage").filter((c) => c.args.channel === APPROVAL_CHANNEL).length;
    const { responseId } = await h.send.command(`stop ${box.UHostId}`, ALICE);
    const [started, ended] = await replies(responseId, 2);
    expect(text(started?.body)).toContain("Stopping");
    expect(text(ended?.body)).toContain("Stopped");
    expect(h.sim.state.getInstance(box.UHostId)?.State).toBe("Stopped");
    expect(simCalls(h, "StopCompShareInstance").filter((r) => r.params.UHostId === box.UHostId)).toHaveLength(1);
    expect(h.slack.callsTo("chat.postMessage").filter((c) => c.args.channel === APPROVAL_CHANNEL)).toHaveLength(
      cardsBefore,
    );
  });

  it("reboot (重启) ends Running; start from the list's button ends Running", async () => {
    const running = instance("reboot-me", "Running");
    const rebooted = await h.send.command(`重启 ${running.UHostId}`, WEI);
    const [, rebootEnd] = await replies(rebooted.responseId, 2);
    expect(text(rebootEnd?.body)).toContain("已重启");
    expect(simCalls(h, "RebootCompShareInstance").filter((r) => r.params.UHostId === running.UHostId)).toHaveLength(1);

    const stopped = instance("start-me", "Stopped");
    const click = await h.send.clickInMessage(ALICE, { action_id: "instance_op_start", value: stopped.UHostId });
    const [, startEnd] = await replies(click.responseId, 2);
    expect(text(startEnd?.body)).toContain("Running");
    expect(h.sim.state.getInstance(stopped.UHostId)?.State).toBe("Running");
    expect(simCalls(h, "StartCompShareInstance").filter((r) => r.params.UHostId === stopped.UHostId)).toHaveLength(1);
  });

  it("refuses what the state does not allow, an unknown or foreign id, and a bad id, sending nothing", async () => {
    const stopped = instance("already-stopped", "Stopped");
    const foreign = h.sim.state.listInstances(h.sim.otherAccount.accountId)[0]?.UHostId ?? "uhost-none";
    const before = h.sim.requests.filter((r) => r.action === "StopCompShareInstance").length;
    const wrong = await h.send.command(`stop ${stopped.UHostId}`, ALICE);
    expect(text((await replies(wrong.responseId, 1))[0]?.body)).toContain("works only when it is");
    const other = await h.send.command(`stop ${foreign}`, ALICE);
    // DescribeCompShareInstance lists the whole region (the client sends it no Zone), and the reply says so.
    expect(text((await replies(other.responseId, 1))[0]?.body)).toContain("None of your instances in region");
    const bad = await h.send.command(`stop uhost-${"x".repeat(3000)}`, ALICE);
    expect(text((await replies(bad.responseId, 1))[0]?.body)).toContain("not an instance id");
    expect(h.sim.requests.filter((r) => r.action === "StopCompShareInstance")).toHaveLength(before);
  });
});

describe("Reinstall on an instance", () => {
  it("opens the plan form for that instance, stop first and start again pre-selected for a Running one", async () => {
    const box = instance("reinstall-me", "Running");
    const click = await h.send.clickInMessage(ALICE, { action_id: "instance_reinstall", value: box.UHostId });
    const opened = await h.slack.waitFor(() => h.slack.viewOpenedBy(click.triggerId), 10_000, "the form");
    expect(text(opened.view)).toContain(box.UHostId);
    const filled = await h.slack.waitFor(
      () =>
        text(h.slack.viewOpenedBy(click.triggerId)?.view).includes("reinstall_plan_sr") &&
        h.slack.viewOpenedBy(click.triggerId),
      10_000,
      "the form with the plan's defaults",
    );
    expect(checkBlockKit(filled.view, "modal")).toEqual([]);
  });
});

describe("Home tab", () => {
  it("shows my instances", async () => {
    const published = h.slack.callsTo("views.publish").length;
    await h.send.event({ type: "app_home_opened", user: ALICE.userId, tab: "home", channel: "D0ALICE" });
    await h.slack.waitFor(() => h.slack.callsTo("views.publish").length > published, 10_000, "home published");
    const home = h.slack.homes.get(ALICE.userId);
    const first = h.sim.state.listInstances(h.sim.demoAccount.accountId)[0];
    expect(text(home)).toContain("My instances");
    expect(text(home)).toContain(first?.UHostId);
    expect(text(home)).toContain("more: `/compshare instances`");
    expect(checkBlockKit(home, "home")).toEqual([]);
  });
});
