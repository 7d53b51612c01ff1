import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkBlockKit } from "../../src/slack/views/limits.ts";
import { ALICE, BOB, type Harness, startHarness, WEI } from "./harness.ts";
import type { Actor } from "./slack-requests.ts";

/** Journeys 1 and 2 of DESIGN §1 and the Home tab skeleton, through the real HTTP receiver. */

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

type Payload = { text?: string; blocks?: unknown[]; replace_original?: boolean; response_type?: string };

async function run(text: string, actor: Actor): Promise<Payload> {
  const { response, responseId } = await h.send.command(text, actor);
  expect(response.status).toBe(200);
  const [reply] = await h.slack.waitFor(
    () => h.slack.responsesTo(responseId).length > 0 && h.slack.responsesTo(responseId),
    10_000,
    `a reply to "/compshare ${text}"`,
  );
  const body = reply?.body as Payload;
  expect(checkBlockKit(body, "message")).toEqual([]);
  return body;
}

function textOf(payload: unknown): string {
  return JSON.stringify(payload);
}

function overflowValues(payload: Payload): string[] {
  return (payload.blocks ?? []).flatMap((b) => {
    const accessory = (b as { accessory?: { type: string; options: { value: string }[] } }).accessory;
    return accessory?.type === "overflow" ? accessory.options.map((o) => o.value) : [];
  });
}

function buttonsOf(payload: Payload): { action_id: string; value?: string }[] {
  return (payload.blocks ?? []).flatMap((b) => {
    const block = b as { type: string; elements?: { type: string; action_id: string; value?: string }[] };
    return block.type === "actions" ? (block.elements ?? []).filter((e) => e.type === "button") : [];
  });
}

describe("before keys are linked", () => {
  it("help is the default and lists every command", async () => {
    const reply = await run("", BOB);
    expect(reply.response_type).toBe("ephemeral");
    for (const cmd of ["login", "whoami", "logout", "images", "custom", "shared", "image <image-id>"]) {
      expect(textOf(reply)).toContain(`/compshare ${cmd}`);
    }
  });

  it("explains how to link keys when a command needs them", async () => {
    const reply = await run("images", BOB);
    expect(textOf(reply)).toContain("/compshare login");
    expect(h.sim.requests.filter((r) => r.params.PublicKey === undefined)).toEqual([]);
  });

  it("answers unknown and malformed commands with a short usage message, never an error dump", async () => {
    expect(textOf(await run("deploy now", BOB))).toContain("I don't know `deploy`");
    expect(textOf(await run("images --type gpu", BOB))).toContain("`--type` takes `System` or `App`");
    expect(textOf(await run("image not-an-id", BOB))).toContain("Image ids look like");
    const chinese = await run("部署", WEI);
    expect(textOf(chinese)).toContain("不认识的子命令");
    expect(textOf(chinese)).not.toMatch(/Error|at \w+ \(/);
  });

  it("whoami says nothing is linked", async () => {
    expect(textOf(await run("whoami", BOB))).toContain("You have not linked");
  });
});

describe("registering keys", () => {
  it("login opens the key modal at once with the trigger id", async () => {
    const { triggerId } = await h.send.command("login", ALICE);
    const call = await h.slack.waitFor(() =>
      h.slack.callsTo("views.open").find((c) => c.args.trigger_id === triggerId),
    );
    const view = call.args.view as Record<string, unknown>;
    expect(checkBlockKit(view, "modal")).toEqual([]);
    expect(textOf(view)).toContain("cn-wlcb-01");
    expect(view.callback_id).toBe("login_submit");
  });

  it("refuses badly formed values inline, without calling CompShare", async () => {
    const before = h.sim.requests.length;
    const response = await h.send.submitView(ALICE, {
      callback_id: "login_submit",
      values: {
        login_public_key: { value: { value: "short" } },
        login_private_key: { value: { value: "has spaces in it" } },
        login_region: { value: { value: "Beijing" } },
        login_zone: { value: { value: "zone 1" } },
        login_project_id: { value: { value: "bad project!" } },
      },
    });
    expect(response.json()).toMatchObject({
      response_action: "errors",
      errors: {
        login_public_key: expect.any(String),
        login_private_key: expect.any(String),
        login_region: expect.any(String),
        login_zone: expect.any(String),
        login_project_id: expect.any(String),
      },
    });
    expect(h.sim.requests.length).toBe(before);
  });

  it("a wrong private key comes back as an inline error on the private key (RetCode 171)", async () => {
    const response = await h.send.submitView(ALICE, {
      callback_id: "login_submit",
      values: {
        login_public_key: { value: { value: h.sim.demoAccount.publicKey } },
        login_private_key: { value: { value: "definitely-not-the-private-key" } },
        login_region: { value: { value: "cn-wlcb" } },
        login_zone: { value: { value: "cn-wlcb-01" } },
        login_project_id: { value: { value: null } },
      },
    });
    const body = response.json() as { response_action: string; errors: Record<string, string> };
    expect(body.response_action).toBe("errors");
    expect(body.errors.login_private_key).toContain("private key does not belong");
    expect(h.sim.requests.at(-1)?.retCode).toBe(171);
  });

  it("a zone outside the region is flagged on the zone before anything is stored", async () => {
    const response = await h.send.submitView(ALICE, {
      callback_id: "login_submit",
      values: {
        login_public_key: { value: { value: h.sim.demoAccount.publicKey } },
        login_private_key: { value: { value: h.sim.demoAccount.privateKey } },
        login_region: { value: { value: "cn-wlcb" } },
        login_zone: { value: { value: "cn-sh2-01" } },
        login_project_id: { value: { value: null } },
      },
    });
    const body = response.json() as { response_action: string; errors: Record<string, string> };
    expect(body.response_action).toBe("errors");
    expect(Object.keys(body.errors)).toEqual(["login_zone"]);
    expect(body.errors.login_zone).toContain("does not know this zone");
    expect(h.sim.requests.at(-1)).toMatchObject({ retCode: 230, params: { Zone: "cn-sh2-01" } });
  });

  it("an unknown public key is flagged on the public key (RetCode 172), in Chinese for a Chinese user", async () => {
    const response = await h.send.submitView(WEI, {
      callback_id: "login_submit",
      values: {
        login_public_key: { value: { value: "nobody-has-this-public-key" } },
        login_private_key: { value: { value: "whatever-private-key" } },
        login_region: { value: { value: "cn-wlcb" } },
        login_zone: { value: { value: "cn-wlcb-01" } },
        login_project_id: { value: { value: null } },
      },
    });
    expect(response.json()).toMatchObject({
      response_action: "errors",
      errors: { login_public_key: "优云智算没有使用此公钥的账号。" },
    });
  });

  it("good keys are stored encrypted and confirmed in the modal", async () => {
    await h.login(ALICE);
    const bytes = await h.databaseBytes();
    expect(bytes.includes(Buffer.from(h.sim.demoAccount.publicKey))).toBe(true);
    expect(bytes.includes(Buffer.from(h.sim.demoAccount.privateKey))).toBe(false);
    const home = await h.slack.waitFor(() => h.slack.homes.get(ALICE.userId));
    expect(textOf(home)).toContain("Keys linked");
  });

  it("whoami shows the mapping with the public key masked and never the private key", async () => {
    const reply = await run("whoami", ALICE);
    const text = textOf(reply);
    expect(text).toContain("comp…-key");
    expect(text).not.toContain(h.sim.demoAccount.publicKey);
    expect(text).not.toContain(h.sim.demoAccount.privateKey);
    expect(text).toContain("cn-wlcb-01");
  });
});

describe("browsing", () => {
  beforeAll(async () => {
    await h.login(WEI);
  });

  it("lists platform images, ten a page, with Next", async () => {
    const reply = await run("images", ALICE);
    expect(reply.text).toMatch(/Platform images: Showing 1–10 of \d+/);
    const values = overflowValues(reply);
    expect(values).toHaveLength(20);
    expect(values.every((v) => /^[dr]:compshareImage-/.test(v))).toBe(true);
    const buttons = buttonsOf(reply);
    expect(buttons.map((b) => b.action_id)).toEqual(["list_page_next"]);
  });

  it("pages with Next and Previous, editing the same message", async () => {
    const first = await run("images --type System", ALICE);
    const next = buttonsOf(first).find((b) => b.action_id === "list_page_next");
    const { responseId } = await h.send.clickInMessage(ALICE, {
      action_id: "list_page_next",
      value: next?.value ?? "",
    });
    const [page2] = await h.slack.waitFor(
      () => h.slack.responsesTo(responseId).length > 0 && h.slack.responsesTo(responseId),
    );
    const body = page2?.body as Payload;
    expect(body.replace_original).toBe(true);
    expect(body.text).toMatch(/Showing 11–20 of/);
    expect(checkBlockKit(body, "message")).toEqual([]);
    const prev = buttonsOf(body).find((b) => b.action_id === "list_page_prev");
    expect(prev).toBeDefined();
    const last = h.sim.requests.at(-1);
    expect(last?.params).toMatchObject({
      Action: "DescribeCompShareImages",
      Offset: "10",
      Limit: "10",
      ImageType: "System",
    });
  });

  it("a tampered paging value gets a plain message, not an error", async () => {
    const { responseId } = await h.send.clickInMessage(ALICE, {
      action_id: "list_page_next",
      value: '{"kind":"everything"}',
    });
    const [reply] = await h.slack.waitFor(
      () => h.slack.responsesTo(responseId).length > 0 && h.slack.responsesTo(responseId),
    );
    expect(textOf(reply?.body)).toContain("too old to page through");
  });

  it("passes name, author and tag filters through and says when nothing matches", async () => {
    const reply = await run('images "no such image anywhere" --author Nobody', ALICE);
    expect(textOf(reply)).toContain("No platform images match");
    expect(h.sim.requests.at(-1)?.params).toMatchObject({ Name: "no such image anywhere", Author: "Nobody" });
    const tagged = await run("images --tag PyTorch", ALICE);
    expect(tagged.text).toMatch(/Showing 1–\d+ of \d+/);
  });

  it("lists my custom images with Edit in the menu, and images shared with me without it", async () => {
    const custom = await run("custom", ALICE);
    expect(custom.text).toMatch(/My images: Showing 1–\d+ of \d+/);
    expect(overflowValues(custom).some((v) => v.startsWith("e:"))).toBe(true);
    const shared = await run("shared", ALICE);
    expect(shared.text).toMatch(/Images shared with me: Showing 1–\d+ of \d+/);
    expect(overflowValues(shared).some((v) => v.startsWith("e:"))).toBe(false);
  });

  it("shows one image in full, finding it in whichever list holds it", async () => {
    const custom = h.sim.state.listCustomImages(h.sim.demoAccount.accountId);
    const withReadme = custom.find((image) => image.Readme.length > 3000) ?? custom[0];
    if (!withReadme) throw new Error("demo data has no custom image");
    const reply = await run(`image ${withReadme.CompShareImageId}`, ALICE);
    const text = textOf(reply);
    expect(text).toContain(withReadme.CompShareImageId);
    expect(text).toContain("Your image");
    expect(text).toContain("Readme");
    expect(buttonsOf(reply).map((b) => b.action_id)).toContain("image_edit");
    const platform = h.sim.state.listPlatformImages()[5];
    const platformReply = await run(`image ${platform?.CompShareImageId}`, WEI);
    expect(textOf(platformReply)).toContain("平台镜像");
    expect(buttonsOf(platformReply).map((b) => b.action_id)).not.toContain("image_edit");
  });

  it("says plainly when no list has the image", async () => {
    expect(textOf(await run("image compshareImage-doesnotexist", ALICE))).toContain(
      "No image `compshareImage-doesnotexist`",
    );
  });

  it("the Details menu item answers with the image's details", async () => {
    const image = h.sim.state.listPlatformImages()[0];
    const { responseId } = await h.send.clickInMessage(ALICE, {
      action_id: "image_menu",
      type: "overflow",
      selected_option: { value: `d:${image?.CompShareImageId}`, text: { type: "plain_text", text: "Details" } },
    });
    const [reply] = await h.slack.waitFor(
      () => h.slack.responsesTo(responseId).length > 0 && h.slack.responsesTo(responseId),
    );
    expect(textOf(reply?.body)).toContain(image?.CompShareImageId);
    expect((reply?.body as Payload | undefined)?.replace_original).toBe(false);
  });

  it("speaks Chinese to a Chinese-locale user", async () => {
    const reply = await run("镜像", WEI);
    expect(reply.text).toMatch(/平台镜像: 第 1–10 个，共 \d+ 个/);
    const custom = await run("自制", WEI);
    expect(custom.text).toContain("我的镜像");
  });
});

describe("Home tab", () => {
  it("publishes key status and the common actions when opened", async () => {
    const before = h.slack.callsTo("views.publish").length;
    const response = await h.send.event({ type: "app_home_opened", user: BOB.userId, tab: "home", channel: "D0BOB" });
    expect(response.status).toBe(200);
    await h.slack.waitFor(() => h.slack.callsTo("views.publish").length > before);
    const home = h.slack.homes.get(BOB.userId);
    expect(checkBlockKit(home, "home")).toEqual([]);
    expect(textOf(home)).toContain("No CompShare keys linked");
    expect(textOf(home)).toContain("home_login");
  });

  it("opens a list in a modal from Home, loading first and filling in with the hash", async () => {
    const { response, triggerId } = await h.send.clickInView(
      ALICE,
      { action_id: "home_list_custom" },
      { id: "VHOME", type: "home" },
    );
    expect(response.status).toBe(200);
    const opened = await h.slack.waitFor(() =>
      h.slack.callsTo("views.open").find((c) => c.args.trigger_id === triggerId),
    );
    expect(textOf(opened.args.view)).toContain("Loading");
    const update = await h.slack.waitFor(() =>
      h.slack.callsTo("views.update").find((c) => textOf(c.args.view).includes("My images")),
    );
    expect(update.args.hash).toEqual(expect.any(String));
    expect(checkBlockKit(update.args.view, "modal")).toEqual([]);
  });
});

describe("logout", () => {
  it("deletes the mapping and then explains how to log in again", async () => {
    expect(textOf(await run("logout", WEI))).toContain("已从机器人中删除");
    expect(textOf(await run("custom", WEI))).toContain("/compshare login");
    expect(textOf(await run("logout", WEI))).toContain("无需删除");
  });
});

describe("metrics and health", () => {
  it("serves /healthz, /readyz and Prometheus metrics on the same port", async () => {
    expect((await fetch(`${h.baseUrl}/healthz`)).status).toBe(200);
    expect((await fetch(`${h.baseUrl}/readyz`)).status).toBe(200);
    const metrics = await (await fetch(`${h.baseUrl}/metrics`)).text();
    expect(metrics).toMatch(/compshare_bot_commands_total\{subcommand="images",outcome="ok"\} [1-9]/);
    expect(metrics).toMatch(
      /compshare_bot_compshare_calls_total\{action="DescribeCompShareImages",outcome="ok",retcode="0"\}/,
    );
    expect(metrics).toMatch(
      /compshare_bot_compshare_call_duration_seconds_bucket\{le="0.05",action="DescribeCompShareImages"\}/,
    );
    expect((await fetch(`${h.baseUrl}/nothing-here`)).status).toBe(404);
  });
});
