import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_COVER_BYTES } from "../../src/domain/cover-image.ts";
import type { FormField } from "../../src/domain/image-changes.ts";
import { coverUrl } from "../../src/simulator/cover.ts";
import type { ImageFields, ImageRecord } from "../../src/simulator/state.ts";
import { ACTION_IMAGE_EDIT } from "../../src/slack/views/image-detail.ts";
import { encodeImageMenuValue } from "../../src/slack/views/image-list.ts";
import {
  NO_CHOICE,
  PICKER_ACTION,
  PICKER_BLOCK,
  UPDATE_ACTION,
  UPDATE_BLOCKS,
  UPDATE_CALLBACK,
} from "../../src/slack/views/image-update-modal.ts";
import { checkBlockKit } from "../../src/slack/views/limits.ts";
import { ALICE, BOB, everythingSentToSlack, type Harness, startHarness, WEI } from "./harness.ts";
import type { Actor } from "./slack-requests.ts";

/**
 * Journey 3 end to end: the real bot on loopback, a fake Slack, the CompShare simulator. Every
 * test edits an image of its own, so tests stay independent of each other and of the demo data.
 */

let h: Harness;
/** Moves the bot's clock (the picker cache lives by it). */
let skewMs = 0;
const CAROL: Actor = { userId: "U0CAROL01", channelId: "C0WORK001" };

beforeAll(async () => {
  h = await startHarness({ clock: () => Date.now() + skewMs, users: { [CAROL.userId]: "en-US" } });
  await h.login(ALICE);
  await h.login(WEI);
});

afterAll(async () => {
  await h?.stop();
});

let imageCount = 0;
function newImage(fields: ImageFields = {}): ImageRecord {
  imageCount += 1;
  return h.sim.state.addCustomImage(h.sim.demoAccount.accountId, {
    Name: `edit-me-${imageCount}`,
    Description: "A test image.",
    Readme: "## Usage\n\nRun it.",
    Tags: ["PyTorch"],
    VersionName: "v1",
    VersionDesc: "first",
    SupportedGpuTypes: ["4090"],
    ...fields,
  });
}

interface OpenView {
  id: string;
  hash: string;
  view: Record<string, unknown>;
}

async function viewFrom(triggerId: string, callbackId?: string, title?: string): Promise<OpenView> {
  return h.slack.waitFor(
    () => {
      const stored = h.slack.viewOpenedBy(triggerId);
      if (!stored) return undefined;
      if (callbackId !== undefined && stored.view.callback_id !== callbackId) return undefined;
      if (title !== undefined && (stored.view.title as { text: string }).text !== title) return undefined;
      return stored;
    },
    10_000,
    `a view from trigger ${triggerId}`,
  );
}

async function openForm(actor: Actor, imageId: string): Promise<OpenView> {
  const { triggerId } = await h.send.command(`update ${imageId}`, actor);
  return viewFrom(triggerId, UPDATE_CALLBACK);
}

/** The text of a notice that replaced the form (or the loading view), once it has the given title and words. */
async function noticeIn(view: { id: string }, title: string, words = ""): Promise<string> {
  return h.slack.waitFor(
    () => {
      const current = h.slack.views.get(view.id)?.view;
      if (!current || (current.title as { text: string }).text !== title) return undefined;
      if (current.callback_id === UPDATE_CALLBACK) return undefined;
      const text = JSON.stringify(current.blocks);
      return text.includes(words) && !text.includes(":hourglass_flowing_sand:") ? text : undefined;
    },
    10_000,
    `"${title}" in ${view.id}`,
  );
}

type FieldValue = string | string[] | boolean | null;

/** The view's state as Slack would submit it: every input as the form shows it, then the overrides. */
function stateOf(view: Record<string, unknown>, overrides: Partial<Record<FormField, FieldValue>>) {
  const byBlock = Object.fromEntries(Object.entries(UPDATE_BLOCKS).map(([field, block]) => [block, field])) as Record<
    string,
    FormField
  >;
  const values: Record<string, Record<string, unknown>> = {};
  for (const block of view.blocks as Record<string, unknown>[]) {
    if (block.type !== "input") continue;
    const field = byBlock[block.block_id as string] as FormField;
    const element = block.element as Record<string, unknown>;
    const override = overrides[field];
    const given = Object.hasOwn(overrides, field);
    let state: Record<string, unknown>;
    switch (element.type) {
      case "plain_text_input":
      case "number_input":
        state = { value: given ? override : (element.initial_value ?? null) };
        break;
      case "radio_buttons":
        state = {
          selected_option: given
            ? { text: { type: "plain_text", text: "x" }, value: override }
            : element.initial_option,
        };
        break;
      case "multi_static_select":
        state = {
          selected_options: given
            ? (override as string[]).map((value) => ({ text: { type: "plain_text", text: value }, value }))
            : (element.initial_options ?? []),
        };
        break;
      case "checkboxes":
        state = {
          selected_options: given
            ? override
              ? element.options
              : []
            : ((element.initial_options as unknown[] | undefined) ?? []),
        };
        break;
      case "file_input":
        state = { files: given && override ? [{ id: override, name: "upload" }] : [] };
        break;
      default:
        throw new Error(`unexpected element ${String(element.type)}`);
    }
    values[block.block_id as string] = { [UPDATE_ACTION]: { type: element.type, ...state } };
  }
  return values;
}

async function submit(actor: Actor, form: OpenView, overrides: Partial<Record<FormField, FieldValue>> = {}) {
  const response = await h.send.submitView(actor, {
    id: form.id,
    callback_id: UPDATE_CALLBACK,
    private_metadata: String(form.view.private_metadata),
    hash: form.hash,
    values: stateOf(form.view, overrides),
  });
  expect(response.status).toBe(200);
  return response.text === "" ? {} : (response.json() as Record<string, unknown>);
}

function updateRequestsFor(imageId: string) {
  return h.sim.requests.filter((r) => r.action === "UpdateCompShareImage" && r.params.CompShareImageId === imageId);
}

/** What the image holds apart from the given fields, to prove nothing else moved. */
function apartFrom(image: ImageRecord | undefined, fields: (keyof ImageRecord)[]) {
  const copy: Partial<ImageRecord> = { ...image };
  for (const field of fields) delete copy[field];
  return copy;
}

const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), randomBytes(2048)]);

describe("opening the form", () => {
  it("opens a loading modal at once, then fills it with the image's values (Readme included) using the hash", async () => {
    const image = newImage({
      Visibility: 1,
      Price: 1.5,
      Tags: ["大模型", "LLaMA"],
      SupportedGpuTypes: ["A100", "RTX-Custom"],
      AutoStart: true,
      Readme: "## Readme only comes back by id",
    });
    const { triggerId } = await h.send.command(`update ${image.CompShareImageId}`, ALICE);
    const form = await viewFrom(triggerId, UPDATE_CALLBACK);

    const open = h.slack.callsTo("views.open").find((c) => c.args.trigger_id === triggerId);
    expect(JSON.stringify(open?.args.view)).toContain(":hourglass_flowing_sand:");
    const fill = h.slack.callsTo("views.update").find((c) => c.args.view_id === form.id);
    expect(fill?.args.hash).toEqual(expect.any(String));

    const values = stateOf(form.view, {});
    const value = (field: FormField) => values[UPDATE_BLOCKS[field]]?.[UPDATE_ACTION] as Record<string, unknown>;
    expect(value("Name").value).toBe(image.Name);
    expect(value("Readme").value).toBe("## Readme only comes back by id");
    expect(value("Tags").value).toBe("大模型, LLaMA");
    expect(value("Price").value).toBe("1.5");
    expect((value("Visibility").selected_option as { value: string }).value).toBe("1");
    // The API does not answer SupportedGpuTypes (neither SDK's image model has it): nothing is
    // pre-selected, the known types are offered, and the hint says why the box is empty.
    expect(value("SupportedGpuTypes").selected_options ?? []).toEqual([]);
    expect(value("AutoStart").selected_options).toHaveLength(1);
    const gpuBlock = (form.view.blocks as Record<string, unknown>[]).find(
      (b) => b.block_id === UPDATE_BLOCKS.SupportedGpuTypes,
    ) as { element: { options: { value: string }[] }; hint?: { text: string } };
    expect(gpuBlock.element.options.map((o) => o.value)).toEqual(expect.arrayContaining(["H100", "4090", "A100"]));
    expect(gpuBlock.hint?.text).toContain("does not report");
  });

  it("says so when the current readme is longer than the box, and leaves the box empty", async () => {
    const image = newImage({ Readme: "长".repeat(3500) });
    const form = await openForm(ALICE, image.CompShareImageId);
    const readme = (form.view.blocks as Record<string, unknown>[]).find((b) => b.block_id === UPDATE_BLOCKS.Readme) as {
      hint: { text: string };
      element: { initial_value?: string };
    };
    expect(readme.element.initial_value).toBeUndefined();
    expect(readme.hint.text).toContain("3500 characters");

    // Untouched, the readme stays as it was; other fields still save.
    expect(await submit(ALICE, form, { Description: "short one" })).toMatchObject({ response_action: "update" });
    await noticeIn(form, "Image updated");
    const after = h.sim.state.getImage(image.CompShareImageId);
    expect(after?.Readme).toBe("长".repeat(3500));
    expect(after?.Description).toBe("short one");
    expect(updateRequestsFor(image.CompShareImageId)[0]?.params.Readme).toBeUndefined();
  });

  it("opens from the Edit button on an image's details", async () => {
    const image = newImage();
    const { triggerId } = await h.send.clickInMessage(ALICE, {
      action_id: ACTION_IMAGE_EDIT,
      value: encodeImageMenuValue("edit", image.CompShareImageId),
    });
    const form = await viewFrom(triggerId, UPDATE_CALLBACK);
    expect(JSON.stringify(form.view.blocks)).toContain(image.Name);
  });

  it.each([
    ["a platform image", () => h.sim.state.listPlatformImages()[0]?.CompShareImageId ?? "", "Platform image"],
    [
      "an image shared with me",
      () => h.sim.state.listSharedImages(h.sim.demoAccount.accountId)[0]?.CompShareImageId ?? "",
      "Shared with you",
    ],
    ["an unknown image", () => "compshareImage-nosuchimage", "You have no image"],
    ["an image still being made", () => newImage({ Status: "Making" }).CompShareImageId, "still being made"],
  ])("refuses %s with a clear notice in the modal", async (_what, idOf, expected) => {
    const { triggerId } = await h.send.command(`update ${idOf()}`, ALICE);
    const opened = await viewFrom(triggerId);
    expect(await noticeIn(opened, "Edit image", expected)).toContain(expected);
  });

  it("tells a user without keys to link them, without opening a modal", async () => {
    const { triggerId, responseId } = await h.send.command("update compshareImage-abc123", CAROL);
    const [reply] = await h.slack.waitFor(
      () => h.slack.responsesTo(responseId).length > 0 && h.slack.responsesTo(responseId),
    );
    expect(JSON.stringify(reply?.body)).toContain("/compshare login");
    expect(h.slack.viewOpenedBy(triggerId)).toBeUndefined();
  });
});

describe("the image picker", () => {
  it("starts with an external select over my own images, answers type-ahead from a short-lived cache, and loads the chosen image", async () => {
    const mine = newImage({ Name: "picker-target-zeta" });
    const { triggerId } = await h.send.command("update", ALICE);
    const picker = await viewFrom(triggerId);
    const select = (picker.view.blocks as Record<string, unknown>[]).find((b) => b.block_id === PICKER_BLOCK) as {
      accessory: Record<string, unknown>;
    };
    expect(select.accessory).toMatchObject({ type: "external_select", action_id: PICKER_ACTION, min_query_length: 0 });
    expect(picker.view.submit).toBeUndefined();

    const listings = () => h.sim.requests.filter((r) => r.action === "DescribeCompShareCustomImages").length;
    const ask = async (value: string) => {
      const response = await h.send.suggest(
        ALICE,
        { action_id: PICKER_ACTION, block_id: PICKER_BLOCK, value },
        { id: picker.id, callback_id: "" },
      );
      expect(response.status).toBe(200);
      return (response.json() as { options: { text: { text: string }; value: string }[] }).options;
    };
    skewMs += 120_000;
    const before = listings();
    const all = await ask("");
    const own = h.sim.state.listCustomImages(h.sim.demoAccount.accountId);
    expect(all.map((o) => o.value).sort()).toEqual(own.map((i) => i.CompShareImageId).sort());
    expect(all.every((o) => o.text.text.length <= 75 && o.value.length <= 75)).toBe(true);
    // Platform and shared images are not offered.
    const shared = h.sim.state.listSharedImages(h.sim.demoAccount.accountId).map((i) => i.CompShareImageId);
    expect(all.some((o) => shared.includes(o.value))).toBe(false);

    const narrowed = await ask("ZETA");
    expect(narrowed.map((o) => o.value)).toEqual([mine.CompShareImageId]);
    expect(await ask("no-image-is-called-this")).toEqual([expect.objectContaining({ value: NO_CHOICE })]);
    expect(listings() - before).toBe(1);

    // The cache is short-lived: a minute later the list is asked for again.
    skewMs += 61_000;
    await ask("zeta");
    expect(listings() - before).toBe(2);

    await h.send.clickInView(
      ALICE,
      {
        action_id: PICKER_ACTION,
        block_id: PICKER_BLOCK,
        type: "external_select",
        selected_option: { text: { type: "plain_text", text: mine.Name }, value: mine.CompShareImageId },
      },
      { id: picker.id, hash: picker.hash },
    );
    const form = await viewFrom(triggerId, UPDATE_CALLBACK);
    expect(form.id).toBe(picker.id);
    expect(JSON.stringify(form.view.blocks)).toContain("picker-target-zeta");
  });

  it("answers with a one-line hint when the user has no keys or CompShare fails", async () => {
    const ask = (actor: Actor) =>
      h.send
        .suggest(
          actor,
          { action_id: PICKER_ACTION, block_id: PICKER_BLOCK, value: "" },
          { id: "V0PICKER", callback_id: "" },
        )
        .then((r) => (r.json() as { options: { text: { text: string }; value: string }[] }).options);
    expect(await ask(CAROL)).toEqual([
      expect.objectContaining({
        value: NO_CHOICE,
        text: expect.objectContaining({ text: expect.stringContaining("login") }),
      }),
    ]);
    skewMs += 120_000;
    h.sim.faults.inject({ kind: "retcode", retCode: 299 }, { actions: ["DescribeCompShareCustomImages"], times: 1 });
    expect(await ask(ALICE)).toEqual([
      expect.objectContaining({
        value: NO_CHOICE,
        text: expect.objectContaining({ text: expect.stringContaining("Could not load") }),
      }),
    ]);
    // A failure is not cached: the next key stroke lists again.
    expect((await ask(ALICE)).length).toBeGreaterThan(1);
  });
});

describe("saving changes", () => {
  it("sends only the changed fields, one of each field type, and the image changes in those fields only", async () => {
    const image = newImage({ Price: 2, Tags: ["PyTorch", "CUDA"] });
    const form = await openForm(ALICE, image.CompShareImageId);
    const ack = await submit(ALICE, form, {
      Name: "renamed image",
      Description: "New description\nwith two lines",
      Visibility: "1",
      Price: "0.75",
      Readme: "# New readme",
      Tags: "PyTorch，大模型, vLLM",
      GroupId: "group-new01",
      VersionName: "v2",
      VersionDesc: "second",
      SupportedGpuTypes: ["4090", "H100"],
      AutoStart: true,
    });
    expect(ack).toMatchObject({ response_action: "update" });
    expect(JSON.stringify(ack)).toContain("Saving your changes");
    const text = await noticeIn(form, "Image updated");

    const after = h.sim.state.getImage(image.CompShareImageId);
    expect(after).toMatchObject({
      Name: "renamed image",
      Description: "New description\nwith two lines",
      Visibility: 1,
      Price: 0.75,
      Readme: "# New readme",
      Tags: ["PyTorch", "大模型", "vLLM"],
      GroupId: "group-new01",
      VersionName: "v2",
      VersionDesc: "second",
      SupportedGpuTypes: ["4090", "H100"],
      AutoStart: true,
    });
    expect(apartFrom(after, [...CHANGED_FIELDS, "PubTime"])).toEqual(apartFrom(image, [...CHANGED_FIELDS, "PubTime"]));
    expect(text).toContain("renamed image");
    expect(text).toContain("`edit-me-");
    expect(text).toContain("private → public");
    expect(text).toContain("¥2/hour → ¥0.75/hour");

    const [request] = updateRequestsFor(image.CompShareImageId);
    expect(request?.retCode).toBe(0);
    expect(request?.params).toMatchObject({
      "Tags.0": "PyTorch",
      "Tags.1": "大模型",
      "Tags.2": "vLLM",
      AutoStart: "true",
    });
  });

  it("sends a single changed field and nothing else", async () => {
    const image = newImage();
    const form = await openForm(ALICE, image.CompShareImageId);
    await submit(ALICE, form, { VersionName: "v1.1" });
    await noticeIn(form, "Image updated");
    const [request] = updateRequestsFor(image.CompShareImageId);
    const own = Object.keys(request?.params ?? {}).filter(
      (k) => !["Action", "PublicKey", "Region", "Zone", "ProjectId", "CompShareImageId"].includes(k),
    );
    expect(own).toEqual(["VersionName"]);
    expect(apartFrom(h.sim.state.getImage(image.CompShareImageId), ["VersionName"])).toEqual(
      apartFrom(image, ["VersionName"]),
    );
  });

  it("says nothing changed and calls nothing when the form is submitted as it was shown", async () => {
    const image = newImage({ Readme: "r".repeat(3200), Price: 1.234, Name: `  spaced   name ${"名".repeat(120)}` });
    const form = await openForm(ALICE, image.CompShareImageId);
    const ack = await submit(ALICE, form);
    expect(ack).toMatchObject({ response_action: "push" });
    expect(JSON.stringify(ack)).toContain("You have not changed anything");
    expect(updateRequestsFor(image.CompShareImageId)).toEqual([]);
    expect(h.sim.state.getImage(image.CompShareImageId)).toEqual(image);
  });

  it("takes the same form again after 'nothing changed', once something is changed", async () => {
    const image = newImage();
    const form = await openForm(ALICE, image.CompShareImageId);
    expect(await submit(ALICE, form)).toMatchObject({ response_action: "push" });
    // Back on the form (same view id and hash: Slack did not update it), the user edits and sends again.
    expect(await submit(ALICE, form, { Name: "changed after all" })).toMatchObject({ response_action: "update" });
    await noticeIn(form, "Image updated");
    expect(h.sim.state.getImage(image.CompShareImageId)?.Name).toBe("changed after all");
  });

  it("confirms in Chinese to a zh-CN user", async () => {
    const image = newImage({ Visibility: 0 });
    const form = await openForm(WEI, image.CompShareImageId);
    expect(JSON.stringify(await submit(WEI, form, { Visibility: "1", Price: "0" }))).toContain("正在保存");
    const text = await noticeIn(form, "镜像已更新");
    expect(text).toContain("私有 → 公开");
    expect(text).toContain("免费");
  });

  it("writes an audit entry naming the changed fields, never their contents", async () => {
    const image = newImage();
    const form = await openForm(ALICE, image.CompShareImageId);
    await submit(ALICE, form, { Readme: "secret-ish readme text", Tags: "A, B" });
    await noticeIn(form, "Image updated");
    const entries = await h.bot.services.store.audit.query({ teamId: "T0FAKE001", userId: ALICE.userId });
    const entry = entries.find((e) => e.target === image.CompShareImageId);
    expect(entry).toMatchObject({ action: "image.update", result: "ok", detail: { fields: "Readme,Tags" } });
    expect(JSON.stringify(entries)).not.toContain("secret-ish readme text");
  });
});

const CHANGED_FIELDS: (keyof ImageRecord)[] = [
  "Name",
  "Description",
  "Visibility",
  "Price",
  "Readme",
  "Tags",
  "GroupId",
  "VersionName",
  "VersionDesc",
  "SupportedGpuTypes",
  "AutoStart",
];

describe("validation errors show inline on the field and send nothing", () => {
  let image: ImageRecord;
  let form: OpenView;
  beforeAll(async () => {
    image = newImage({ Price: 3, GroupId: "group-abc", Tags: ["one"] });
    form = await openForm(ALICE, image.CompShareImageId);
  });

  it.each<[string, Partial<Record<FormField, FieldValue>>, FormField, string]>([
    ["an empty name", { Name: "  " }, "Name", "This field is required."],
    ["a name with control characters", { Name: "bad\u0007name" }, "Name", "control characters"],
    ["a price with 3 decimals", { Price: "1.234" }, "Price", "at most 2 decimals"],
    ["a negative price", { Price: "-1" }, "Price", "at most 2 decimals"],
    ["a price that is not a number", { Price: "1e3" }, "Price", "at most 2 decimals"],
    ["a price above the cap", { Price: "10000.01" }, "Price", "At most ¥10000 per hour."],
    ["a removed price", { Price: null }, "Price", "Enter 0 to make the image free."],
    ["four tags", { Tags: "a, b, c, d" }, "Tags", "At most 3 tags."],
    ["a tag that is too long", { Tags: "x".repeat(33) }, "Tags", "at most 32 characters"],
    ["no tags at all", { Tags: " , " }, "Tags", "Keep at least one."],
    ["a cleared group id", { GroupId: "" }, "GroupId", "cannot empty this field"],
    ["a group id with spaces", { GroupId: "group abc" }, "GroupId", "letters, digits"],
    ["a cleared version name", { VersionName: null }, "VersionName", "cannot empty this field"],
    ["a GPU type not from the list", { SupportedGpuTypes: ["<!channel>"] }, "SupportedGpuTypes", "from the list"],
  ])("%s", async (_what, overrides, field, message) => {
    const ack = await submit(ALICE, form, overrides);
    expect(ack.response_action).toBe("errors");
    const errors = ack.errors as Record<string, string>;
    expect(Object.keys(errors)).toEqual([UPDATE_BLOCKS[field]]);
    expect(errors[UPDATE_BLOCKS[field]]).toContain(message);
    expect(updateRequestsFor(image.CompShareImageId)).toEqual([]);
  });

  it("requires a price when an unpriced image goes public", async () => {
    const unpriced = newImage();
    const unpricedForm = await openForm(ALICE, unpriced.CompShareImageId);
    const ack = await submit(ALICE, unpricedForm, { Visibility: "1" });
    expect(ack).toEqual({
      response_action: "errors",
      errors: { [UPDATE_BLOCKS.Price]: "A public image needs a price. Enter 0 to make it free." },
    });
  });

  it("reports several problems at once", async () => {
    const ack = await submit(ALICE, form, { Name: "", Tags: "a,b,c,d", Price: "x" });
    expect(Object.keys(ack.errors as object).sort()).toEqual(
      [UPDATE_BLOCKS.Name, UPDATE_BLOCKS.Price, UPDATE_BLOCKS.Tags].sort(),
    );
  });

  it("speaks Chinese to a zh-CN user", async () => {
    const zhForm = await openForm(WEI, newImage().CompShareImageId);
    expect((zhForm.view.title as { text: string }).text).toBe("编辑镜像");
    const ack = await submit(WEI, zhForm, { Name: "", Tags: "a,b,c,d" });
    expect(ack.errors).toEqual({ [UPDATE_BLOCKS.Name]: "此项必填。", [UPDATE_BLOCKS.Tags]: "最多 3 个标签。" });
  });

  it("refuses a form it did not write", async () => {
    const response = await h.send.submitView(ALICE, {
      id: form.id,
      callback_id: UPDATE_CALLBACK,
      private_metadata: '{"v":1,"i":"compshareImage-x"}',
      values: stateOf(form.view, {}),
    });
    expect(JSON.stringify(response.json())).toContain("This form was not opened for you, or it changed on the way");
  });
});

describe("the cover", () => {
  const botToken = () => h.env.SLACK_BOT_TOKEN;

  it("reads the upload with the bot token, sends it as Base64, and the image gets the new cover", async () => {
    const image = newImage();
    h.slack.files.set("F0COVERPNG1", { name: "cover.png", mimetype: "image/png", content: PNG });
    const form = await openForm(ALICE, image.CompShareImageId);
    expect(await submit(ALICE, form, { Cover: "F0COVERPNG1" })).toMatchObject({ response_action: "update" });
    const text = await noticeIn(form, "Image updated");
    expect(text).toContain("new png image (2 KB)");

    expect(h.slack.callsTo("files.info").some((c) => c.args.file === "F0COVERPNG1" && c.token === botToken())).toBe(
      true,
    );
    expect(h.slack.downloads.filter((d) => d.fileId === "F0COVERPNG1")).toEqual([
      { fileId: "F0COVERPNG1", authorization: `Bearer ${botToken()}` },
    ]);
    const [request] = updateRequestsFor(image.CompShareImageId);
    expect(request?.params.Cover).toBe(PNG.toString("base64"));
    const after = h.sim.state.getImage(image.CompShareImageId);
    expect(after?.Cover).toBe(coverUrl(image.CompShareImageId, "png"));
    expect(apartFrom(after, ["Cover"])).toEqual(apartFrom(image, ["Cover"]));
    // The cover counts as a change on its own, and the bytes are nowhere in the logs.
    expect(h.logs.text()).not.toContain(PNG.toString("base64").slice(0, 200));
    const entries = await h.bot.services.store.audit.query({ teamId: "T0FAKE001" });
    expect(entries.find((e) => e.target === image.CompShareImageId)?.detail).toEqual({ fields: "Cover" });
  });

  it.each<[string, { name: string; mimetype: string; content: Buffer; size?: number }, string, boolean]>([
    [
      "a GIF by its type",
      { name: "anim.gif", mimetype: "image/gif", content: Buffer.from("GIF89a...") },
      "must be a PNG, JPEG or WebP",
      false,
    ],
    [
      "an HTML page named .png",
      { name: "cover.png", mimetype: "image/png", content: Buffer.from("<html>hi</html>") },
      "not a PNG, JPEG or WebP image",
      true,
    ],
    [
      "a file that says it is too large",
      { name: "big.png", mimetype: "image/png", content: PNG, size: MAX_COVER_BYTES + 1 },
      "at most 2 MB",
      false,
    ],
    [
      "a file whose reported size lies",
      {
        name: "liar.png",
        mimetype: "image/png",
        content: Buffer.concat([PNG, Buffer.alloc(MAX_COVER_BYTES)]),
        size: 1000,
      },
      "at most 2 MB",
      true,
    ],
  ])("refuses %s inline on the cover field", async (what, file, message, downloads) => {
    const image = newImage();
    const fileId = `F0BAD${what.length}${imageCount}`;
    h.slack.files.set(fileId, file);
    const form = await openForm(ALICE, image.CompShareImageId);
    const ack = await submit(ALICE, form, { Cover: fileId, Name: "would change too" });
    expect(ack.response_action).toBe("errors");
    expect(ack.errors).toEqual({ [UPDATE_BLOCKS.Cover]: expect.stringContaining(message) });
    expect(h.slack.downloads.some((d) => d.fileId === fileId)).toBe(downloads);
    expect(updateRequestsFor(image.CompShareImageId)).toEqual([]);
  });

  it("says so when Slack cannot find the file", async () => {
    const form = await openForm(ALICE, newImage().CompShareImageId);
    const ack = await submit(ALICE, form, { Cover: "F0MISSING1" });
    expect(ack.errors).toEqual({
      [UPDATE_BLOCKS.Cover]: "The bot could not read this file from Slack. Upload it again.",
    });
  });
});

describe("CompShare refusing or failing", () => {
  it("explains an image that went back to being made, in plain words with the RetCode", async () => {
    const image = newImage();
    const form = await openForm(ALICE, image.CompShareImageId);
    h.sim.state.setImageStatus(image.CompShareImageId, "Making");
    await submit(ALICE, form, { Name: "too early" });
    const text = await noticeIn(form, "Not saved");
    expect(text).toContain("Your changes to *too early* were not saved.");
    expect(text).toContain("An update task for this image is already running");
    expect(text).toContain("RetCode 226605");
    expect(h.sim.state.getImage(image.CompShareImageId)?.Name).toBe(image.Name);
    const entries = await h.bot.services.store.audit.query({ teamId: "T0FAKE001" });
    expect(entries.find((e) => e.target === image.CompShareImageId)?.result).toBe("retcode 226605");
  });

  it("refuses a form whose image id was changed on the way, and sends nothing", async () => {
    const other = h.sim.state.addCustomImage(h.sim.otherAccount.accountId, { Name: "theirs" });
    // Slack would never let a user alter private_metadata; the seal makes sure of it.
    const image = newImage();
    const form = await openForm(ALICE, image.CompShareImageId);
    const forged = String(form.view.private_metadata).replace(image.CompShareImageId, other.CompShareImageId);
    const ack = await submit(
      ALICE,
      { ...form, view: { ...form.view, private_metadata: forged } },
      { Name: "mine now" },
    );
    expect(JSON.stringify(ack)).toContain("This form was not opened for you, or it changed on the way");
    expect(updateRequestsFor(other.CompShareImageId)).toEqual([]);
    expect(h.sim.state.getImage(other.CompShareImageId)?.Name).toBe("theirs");
  });

  it("refuses a form submitted by someone other than the user it was opened for", async () => {
    const image = newImage();
    const form = await openForm(ALICE, image.CompShareImageId);
    const ack = await submit(BOB, form, { Name: "bob was here" });
    expect(JSON.stringify(ack)).toContain("This form was not opened for you");
    expect(updateRequestsFor(image.CompShareImageId)).toEqual([]);
    expect(h.logs.text()).toContain("opened by another user");
  });

  it("checks on submit that the image is still the submitter's, and sends nothing if not", async () => {
    const switcher: Actor = { userId: "U0SWITCH1", teamId: "T0FAKE001", channelId: "C0WORK001" };
    h.slack.users.set(switcher.userId, { locale: "en-US" });
    await h.login(switcher);
    const image = newImage();
    const form = await openForm(switcher, image.CompShareImageId);
    // The user relinks their Slack account to another CompShare account while the form is open.
    await h.login(switcher, h.sim.otherAccount);
    await submit(switcher, form, { Name: "not yours any more" });
    const text = await noticeIn(form, "Not saved");
    expect(text).toContain(image.CompShareImageId);
    expect(text).toMatch(/is not your image|You have no image/);
    expect(updateRequestsFor(image.CompShareImageId)).toEqual([]);
    expect(h.sim.state.getImage(image.CompShareImageId)?.Name).toBe(image.Name);
  });

  it("in Chinese too", async () => {
    const image = newImage();
    const form = await openForm(WEI, image.CompShareImageId);
    h.sim.faults.inject(
      { kind: "retcode", retCode: 299, message: "no permission" },
      {
        actions: ["UpdateCompShareImage"],
        times: 1,
      },
    );
    await submit(WEI, form, { Name: "新名字" });
    const text = await noticeIn(form, "未保存");
    expect(text).toContain("子账号");
  });

  it("says the outcome is unknown when the connection drops after sending", async () => {
    const image = newImage();
    const form = await openForm(ALICE, image.CompShareImageId);
    h.sim.faults.inject({ kind: "drop" }, { actions: ["UpdateCompShareImage"], times: 1 });
    await submit(ALICE, form, { Name: "maybe" });
    const text = await noticeIn(form, "Outcome unknown");
    expect(text).toContain("did not confirm whether this change was made");
    expect(updateRequestsFor(image.CompShareImageId)).toHaveLength(1);
    const entries = await h.bot.services.store.audit.query({ teamId: "T0FAKE001" });
    expect(entries.find((e) => e.target === image.CompShareImageId)?.result).toBe("outcome_unknown");
  });
});

describe("everything the flow sent", () => {
  it("counts the submission in the metrics", async () => {
    const metrics = await h.bot.services.metrics.registry.getSingleMetricAsString("compshare_bot_commands_total");
    expect(metrics).toMatch(/subcommand="update_submit",outcome="ok"\} [1-9]/);
    expect(metrics).toMatch(/subcommand="update_submit",outcome="user_error"\} [1-9]/);
  });
  it("fits Slack's limits", () => {
    const views = h.slack.calls
      .filter((c) => ["views.open", "views.update", "views.push"].includes(c.method))
      .map((c) => c.args.view);
    expect(views.length).toBeGreaterThan(20);
    for (const view of views) expect(checkBlockKit(view, "modal")).toEqual([]);
  });

  it("holds no secret, in Slack or in the logs", async () => {
    const sent = everythingSentToSlack(h.slack);
    const logs = h.logs.text();
    for (const secret of h.secrets) {
      expect(sent).not.toContain(secret);
      expect(logs).not.toContain(secret);
    }
  });
});
