import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REINSTALL_BLOCKS } from "../../src/slack/views/reinstall-modal.ts";
import { ALICE, BOB, type Harness, startHarness, WEI } from "./harness.ts";
import {
  platformImageNamed,
  REINSTALL_ENV,
  REINSTALL_USERS,
  rejectSubmission,
  requestReinstall,
  submitRequest,
} from "./reinstall-steps.ts";

/**
 * What a person can type, through the real receiver (issue 12, items 8–10): markup echoed back
 * must be escaped, ids must fit what a modal can hold, and no free-text field takes control characters.
 */

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ env: REINSTALL_ENV, users: REINSTALL_USERS });
  await h.login(ALICE);
  await h.login(WEI);
  await h.login(BOB, h.sim.otherAccount);
});
afterAll(async () => {
  await h?.stop();
});

async function replyTo(text: string, actor = ALICE): Promise<string> {
  const { responseId } = await h.send.command(text, actor);
  const [reply] = await h.slack.waitFor(
    () => h.slack.responsesTo(responseId).length > 0 && h.slack.responsesTo(responseId),
  );
  return JSON.stringify(reply?.body);
}

const RAW_MARKUP = /<!channel>|<!here>|<!everyone>|<@U0|<!subteam\^|<https:\/\/evil/;

describe("markup typed into a command is never echoed raw (item 8)", () => {
  const hostile = [
    "<!channel>",
    "<!here> now",
    "<@U0BOB0001>",
    "<!subteam^S0LEADS01|leads>",
    "<https://evil.example|click> & more",
    "images --<!here>",
    "images --<@U0BOB0001>=1",
    "images --type <!channel>",
    "images <!channel> --author <!subteam^S0LEADS01>",
    "image <!channel>",
    "update <@U0BOB0001>",
    "reinstall <!here>",
    "whoami <!channel>",
    'images "<!channel>',
  ];

  it.each(hostile)("%s", async (text) => {
    for (const actor of [ALICE, WEI]) {
      const reply = await replyTo(text, actor);
      expect(reply).not.toMatch(RAW_MARKUP);
    }
  });
});

describe("ids too long for a modal (item 9)", () => {
  const long = "a".repeat(3000);
  it.each([
    ["reinstall uhost-<3000>", `reinstall uhost-${long}`],
    ["reinstall uhost-abc compshareImage-<3000>", `reinstall uhost-abc compshareImage-${long}`],
    ["update compshareImage-<3000>", `update compshareImage-${long}`],
    ["image compshareImage-<3000>", `image compshareImage-${long}`],
    ["stop uhost-<3000>", `stop uhost-${long}`],
    ["reboot uhost-<3000>", `reboot uhost-${long}`],
  ])("%s is answered with a clear message and opens nothing", async (_label, text) => {
    const opened = h.slack.callsTo("views.open").length;
    const calls = h.sim.requests.length;
    const reply = await replyTo(text);
    expect(reply).toMatch(/That is not an (instance|image) id/);
    expect(h.slack.callsTo("views.open").length).toBe(opened);
    expect(h.sim.requests.length).toBe(calls);
  });
});

describe("control characters in free text (item 10)", () => {
  it("a command with a control character is refused in the user's language", async () => {
    expect(await replyTo("images py\u0001torch")).toContain("Remove the invisible control characters.");
    expect(await replyTo("images py\u0000torch", WEI)).toContain("请删除不可见的控制字符");
  });

  it("the reinstall reason refuses them inline and records nothing", async () => {
    const instance = h.sim.state.addInstance(h.sim.demoAccount.accountId, { Name: "ctl-box", GpuType: "4090", GPU: 1 });
    const image = platformImageNamed(h, "Ubuntu 22.04 CUDA 12.4");
    for (const reason of ["needs\u0000a reset", "bell\u0007", "esc\u001b[31m red"]) {
      const response = await submitRequest(h, ALICE, {
        instanceId: instance.UHostId,
        imageId: image.CompShareImageId,
        reason,
      });
      const body = response.json() as { response_action?: string; errors?: Record<string, string> };
      expect(body.response_action).toBe("errors");
      expect(body.errors?.[REINSTALL_BLOCKS.reason]).toBe("Remove the invisible control characters.");
    }
    const mine = await h.bot.services.store.operations.listForRequester(ALICE.teamId ?? "", ALICE.userId);
    expect(mine.filter((r) => r.targets.some((t) => t.instanceId === instance.UHostId))).toEqual([]);
  });

  it("so does the rejection reason", async () => {
    const instance = h.sim.state.addInstance(h.sim.demoAccount.accountId, {
      Name: "ctl-box-2",
      GpuType: "4090",
      GPU: 1,
    });
    const image = platformImageNamed(h, "Ubuntu 22.04 CUDA 12.4");
    const card = await requestReinstall(h, ALICE, {
      instanceId: instance.UHostId,
      imageId: image.CompShareImageId,
      reason: "fresh start",
    });
    const response = await rejectSubmission(h, BOB, card.requestId, "no\u0000way", `VREJ${Date.now()}`);
    const body = response.json() as { response_action?: string; errors?: Record<string, string> };
    expect(body.response_action).toBe("errors");
    expect(Object.values(body.errors ?? {})).toEqual(["Remove the invisible control characters."]);
    expect((await h.bot.services.store.operations.get(card.requestId))?.status).toBe("pending");
  });
});
