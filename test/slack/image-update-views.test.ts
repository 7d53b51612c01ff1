import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { CompShareImage } from "../../src/compshare/schemas.ts";
import type { Locale } from "../../src/config.ts";
import { type FieldChange, formContentOf, snapshotOf } from "../../src/domain/image-changes.ts";
import { createFormSeal } from "../../src/slack/form-seal.ts";
import { messagesFor } from "../../src/slack/i18n/messages.ts";
import { decodeUpdateMetadata, encodeUpdateMetadata } from "../../src/slack/views/image-update-metadata.ts";
import {
  imagePickerModal,
  imagePickerOptions,
  imageUpdateModal,
  MAX_PICKER_OPTIONS,
  NO_CHOICE,
  nothingChangedModal,
  savingModal,
  updatedModal,
} from "../../src/slack/views/image-update-modal.ts";
import { checkBlockKit } from "../../src/slack/views/limits.ts";
import type { ViewContext } from "../../src/slack/views/view-context.ts";

/** Every view of the update flow, in both languages, with ordinary, empty and hostile data, against Slack's limits. */

const HOSTILE = `<!channel> *bold* _it_ ~s~ \`code\` <https://evil.example|click> & "q" \\ 🚀🔥 深度学习 ${"长".repeat(120)}${"x".repeat(100)}`;

function image(overrides: Partial<CompShareImage> = {}): CompShareImage {
  return {
    CompShareImageId: "compshareImage-abc123",
    Name: "llama3-serving",
    Status: "Available",
    Description: "Llama 3 behind vLLM.",
    Visibility: 1,
    Price: 1.5,
    Readme: "## Usage",
    Tags: ["大模型", "LLaMA"],
    GroupId: "group-1",
    VersionName: "v2",
    SupportedGpuTypes: ["A100"],
    AutoStart: true,
    Cover: "https://cdn.example/covers/a.png",
    ...overrides,
  } as CompShareImage;
}

const hostileImage = image({
  Name: HOSTILE.slice(0, 200),
  Status: HOSTILE,
  Description: HOSTILE.repeat(20),
  Readme: HOSTILE.repeat(100),
  VersionName: HOSTILE,
  VersionDesc: HOSTILE.repeat(30),
  GroupId: HOSTILE,
  Tags: [HOSTILE, HOSTILE, HOSTILE],
  SupportedGpuTypes: [...Array.from({ length: 120 }, (_, i) => `GPU-${i}`), HOSTILE],
  Price: 123456.789,
  Cover: `https://cdn.example/${"a|b>".repeat(100)}.png`,
});
const images: [string, CompShareImage][] = [
  ["an ordinary image", image()],
  ["an empty image", { CompShareImageId: "compshareImage-e" } as CompShareImage],
  ["a hostile image", hostileImage],
  ["a cover that is no URL", image({ Cover: "javascript:alert(1)" })],
];

const contexts: ViewContext[] = (["en", "zh-CN"] as Locale[]).flatMap((locale) =>
  [false, true].map((sandbox) => ({ m: messagesFor(locale), locale, sandbox })),
);

/** Every mrkdwn text in a payload: where Slack would turn `<!channel>` into a broadcast. Plain text is shown as typed. */
function mrkdwnTexts(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(mrkdwnTexts);
  if (typeof value !== "object" || value === null) return [];
  const record = value as Record<string, unknown>;
  const own = record.type === "mrkdwn" && typeof record.text === "string" ? [record.text] : [];
  return [...own, ...Object.values(record).flatMap(mrkdwnTexts)];
}

function expectFits(view: unknown) {
  expect(checkBlockKit(view, "modal")).toEqual([]);
  const texts = mrkdwnTexts(view);
  expect(texts.length).toBeGreaterThan(0);
  for (const text of texts) {
    expect(text).not.toContain("<!channel>");
    expect(text).not.toContain("<https://evil.example");
  }
}

const SEAL = createFormSeal([randomBytes(32)], "image-update form");

describe.each(contexts)("update views in $locale (sandbox: $sandbox)", (ctx) => {
  it("the picker fits", () => {
    expectFits(imagePickerModal(ctx));
  });

  it.each(images)("the form fits for %s", (_what, of) => {
    const view = imageUpdateModal(ctx, of, formContentOf(of), (metadata) =>
      SEAL.seal({ teamId: "T0FAKE001", userId: "U0ALICE01" }, metadata),
    );
    expectFits(view);
    expect(view.private_metadata?.length).toBeLessThanOrEqual(3000);
  });

  it("saving, nothing-changed and updated fit, with hostile values", () => {
    expectFits(savingModal(ctx, HOSTILE));
    expectFits(nothingChangedModal(ctx));
    const changes: FieldChange[] = [
      { field: "Name", before: HOSTILE.slice(0, 60), after: "`x`" },
      { field: "Description" },
      { field: "Visibility", before: "0", after: "1" },
      { field: "Price", before: "", after: "0" },
      { field: "Readme", after: HOSTILE.slice(0, 60) },
      { field: "Tags", before: "a, b", after: "" },
      { field: "GroupId", before: "g", after: "h" },
      { field: "VersionName", before: "v1", after: "v2" },
      { field: "VersionDesc" },
      { field: "SupportedGpuTypes", before: "4090", after: "A100, H100" },
      { field: "AutoStart", before: "false", after: "true" },
    ];
    expectFits(
      updatedModal(ctx, {
        imageId: "compshareImage-abc123",
        name: HOSTILE,
        changes,
        cover: { format: "webp", bytes: 2_000_000 },
      }),
    );
  });

  it("picker options stay within 100 and 75 characters, and say so when there is nothing to pick", () => {
    const many = Array.from({ length: 150 }, (_, i) =>
      image({ CompShareImageId: `compshareImage-${i}`, Name: `${HOSTILE}-${i}`, Status: HOSTILE }),
    );
    const options = imagePickerOptions(ctx.m, many, "");
    expect(options).toHaveLength(MAX_PICKER_OPTIONS);
    for (const option of options) {
      expect(option.text.text.length).toBeLessThanOrEqual(75);
      expect(String(option.value).length).toBeLessThanOrEqual(75);
    }
    expect(imagePickerOptions(ctx.m, [], "")).toEqual([expect.objectContaining({ value: NO_CHOICE })]);
    expect(imagePickerOptions(ctx.m, many, "nothing like it")).toEqual([expect.objectContaining({ value: NO_CHOICE })]);
  });
});

describe("the picker's search", () => {
  const m = messagesFor("en");
  const mine = [
    image({ CompShareImageId: "compshareImage-aaa", Name: "Llama serving", Status: "Available" }),
    image({ CompShareImageId: "compshareImage-bbb", Name: "ComfyUI", Status: "Making" }),
    image({ CompShareImageId: `compshareImage-${"z".repeat(80)}`, Name: "id too long for an option" }),
  ];

  it("matches name or id, ignoring case, and shows the status after the name", () => {
    expect(imagePickerOptions(m, mine, "LLAMA").map((o) => o.value)).toEqual(["compshareImage-aaa"]);
    expect(imagePickerOptions(m, mine, "bbb").map((o) => o.text.text)).toEqual(["ComfyUI · being made"]);
  });

  it("leaves out images whose id no option value could carry", () => {
    expect(imagePickerOptions(m, mine, "").map((o) => o.value)).toEqual(["compshareImage-aaa", "compshareImage-bbb"]);
  });
});

describe("the form's private_metadata", () => {
  it.each(images)("round-trips the snapshot for %s", (_what, of) => {
    const snapshot = snapshotOf(of.CompShareImageId, formContentOf(of));
    expect(decodeUpdateMetadata(encodeUpdateMetadata(snapshot))).toEqual(snapshot);
  });

  it("carries no long text and no readme", () => {
    const encoded = encodeUpdateMetadata(snapshotOf(hostileImage.CompShareImageId, formContentOf(hostileImage)));
    expect(encoded.length).toBeLessThan(1500);
    expect(encoded).not.toContain(HOSTILE.slice(0, 100));
  });

  it.each([
    ["nothing", undefined],
    ["not JSON", "{"],
    ["another version", '{"v":2}'],
    ["a bad image id", JSON.stringify({ v: 1, i: "uhost-1", d: Array(11).fill("x"), s: {}, h: [] })],
    ["a digest missing", JSON.stringify({ v: 1, i: "compshareImage-a", d: ["x"], s: {}, h: [] })],
    ["an unknown field", JSON.stringify({ v: 1, i: "compshareImage-a", d: Array(11).fill("x"), s: {}, h: ["Cover"] })],
  ])("refuses %s", (_what, text) => {
    expect(decodeUpdateMetadata(text)).toBeUndefined();
  });
});
