import { describe, expect, it } from "vitest";
import type { CompShareImage } from "../../src/compshare/schemas.ts";
import { formContentOf, readSubmission, snapshotOf } from "../../src/domain/image-changes.ts";
import { messagesFor } from "../../src/slack/i18n/messages.ts";
import { imageDetailBlocks } from "../../src/slack/views/image-detail.ts";
import { imageUpdateModal, UPDATE_BLOCKS, updatedModal } from "../../src/slack/views/image-update-modal.ts";
import type { ViewContext } from "../../src/slack/views/view-context.ts";

/**
 * Describe*Images never answer SupportedGpuTypes (it is an Update parameter, in neither SDK's
 * image model). The bot must treat it as unknown, not as "none", wherever it reads it.
 */

const en: ViewContext = { m: messagesFor("en"), locale: "en", sandbox: false };
const zh: ViewContext = { m: messagesFor("zh-CN"), locale: "zh-CN", sandbox: false };

/** What the real API answers for a custom image: the SDK model's fields, no SupportedGpuTypes. */
const answered = {
  CompShareImageId: "compshareImage-abc123",
  Name: "comfyui-workflows",
  ImageType: "Custom",
  Status: "Available",
  Tags: ["ComfyUI"],
  SourceGpuType: "4090",
  IsOfficial: false,
  ImageOwnerAlias: "",
  Container: "False",
} as CompShareImage;

/** These tests read the view's blocks, not its private_metadata. */
const unsealed = (metadata: string) => metadata;

function gpuBlock(view: { blocks: readonly unknown[] }) {
  return view.blocks.find((b) => (b as { block_id?: string }).block_id === UPDATE_BLOCKS.SupportedGpuTypes) as {
    element: { initial_options?: unknown[]; options: { value: string }[] };
    hint?: { text: string };
  };
}

describe("an image whose GPU types the API does not report", () => {
  it("opens the update form with nothing pre-selected and a hint that says why, in both languages", () => {
    for (const ctx of [en, zh]) {
      const block = gpuBlock(imageUpdateModal(ctx, answered, formContentOf(answered), unsealed));
      expect(block.element.initial_options).toBeUndefined();
      expect(block.element.options.length).toBeGreaterThan(5);
      expect(block.hint?.text).toBe(ctx.m.update.hints.gpuTypesUnreported);
    }
    const reported = { ...answered, SupportedGpuTypes: ["A100"] };
    const block = gpuBlock(imageUpdateModal(en, reported, formContentOf(reported), unsealed));
    expect(block.element.initial_options).toHaveLength(1);
    expect(block.hint?.text).toBe(en.m.update.hints.gpuTypes);
  });

  it("keeps the unknown list when the box is left empty, and never claims it was empty before", () => {
    const content = formContentOf(answered);
    const snapshot = snapshotOf(answered.CompShareImageId, content);
    expect(readSubmission(snapshot, content.input)).toMatchObject({ ok: true, changes: [] });

    const chosen = readSubmission(snapshot, { ...content.input, SupportedGpuTypes: ["H100", "A100"] });
    expect(chosen).toMatchObject({ ok: true, request: { SupportedGpuTypes: ["A100", "H100"] } });
    const changes = chosen.ok ? chosen.changes : [];
    expect(changes).toEqual([{ field: "SupportedGpuTypes", after: "A100, H100" }]);
    const text = JSON.stringify(updatedModal(en, { imageId: answered.CompShareImageId, name: "x", changes }));
    expect(text).not.toContain(en.m.update.empty);
    expect(text).toContain("A100, H100");

    const reported = { ...answered, SupportedGpuTypes: ["4090"] };
    const reportedContent = formContentOf(reported);
    const replaced = readSubmission(snapshotOf(reported.CompShareImageId, reportedContent), {
      ...reportedContent.input,
      SupportedGpuTypes: ["A100"],
    });
    expect(replaced.ok && replaced.changes).toEqual([{ field: "SupportedGpuTypes", before: "4090", after: "A100" }]);
  });

  it("shows the GPU the image was made on in its details, not as the GPUs it supports", () => {
    for (const ctx of [en, zh]) {
      const text = JSON.stringify(imageDetailBlocks(ctx, answered, "custom"));
      expect(text).toContain(`*${ctx.m.image.sourceGpu}*\\n4090`);
      expect(text).not.toContain(`*${ctx.m.image.gpuTypes}*`);
    }
    const reported = JSON.stringify(
      imageDetailBlocks(en, { ...answered, SupportedGpuTypes: ["A100", "H20"] }, "custom"),
    );
    expect(reported).toContain(`*${en.m.image.gpuTypes}*\\nA100, H20`);
  });
});
