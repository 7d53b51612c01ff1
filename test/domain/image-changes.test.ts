import { describe, expect, it } from "vitest";
import type { CompShareImage } from "../../src/compshare/schemas.ts";
import {
  type FormInput,
  formContentOf,
  gpuTypeChoices,
  KNOWN_GPU_TYPES,
  readSubmission,
  snapshotOf,
  tagsOf,
} from "../../src/domain/image-changes.ts";

const HOSTILE = `<!channel> *b* _i_ ~s~ \`c\` "q" \\ 🚀 深度学习 \u0007 ${"长".repeat(150)}`;

function image(overrides: Partial<CompShareImage> = {}): CompShareImage {
  return {
    CompShareImageId: "compshareImage-abc123",
    Name: "llama3-serving",
    Description: "Llama 3 behind vLLM.",
    Visibility: 1,
    Price: 1.5,
    Readme: "## Usage\r\n\r\nRun it.  ",
    Tags: ["大模型", "LLaMA"],
    GroupId: "group-1",
    VersionName: "v2",
    VersionDesc: "vLLM 0.6.3",
    SupportedGpuTypes: ["A100", "4090"],
    AutoStart: false,
    ...overrides,
  } as CompShareImage;
}

/** What Slack hands back when the user submits the form untouched, then with `edits`. */
function submit(of: CompShareImage, edits: Partial<FormInput> = {}) {
  const content = formContentOf(of);
  return readSubmission(snapshotOf(of.CompShareImageId, content), { ...content.input, ...edits });
}

const ODD_IMAGES: [string, CompShareImage][] = [
  ["an ordinary image", image()],
  ["an image with nothing but its id", { CompShareImageId: "compshareImage-e" } as CompShareImage],
  [
    "hostile values everywhere",
    image({
      Name: `  ${HOSTILE}\n${HOSTILE}  `,
      Description: HOSTILE.repeat(30),
      Readme: HOSTILE.repeat(40),
      VersionDesc: HOSTILE,
      VersionName: HOSTILE,
      GroupId: HOSTILE,
      Tags: [HOSTILE, "a,b", "  ", "x"],
      SupportedGpuTypes: ["<!channel>", "x".repeat(80), ...Array.from({ length: 150 }, (_, i) => `GPU-${i}`)],
      Price: 1.23456,
      Visibility: 7,
    }),
  ],
  ["a price with float noise", image({ Price: 0.1 + 0.2 })],
  ["a public image without a price", image({ Price: undefined })],
  ["a huge price", image({ Price: 1e21 })],
];

describe("an untouched form", () => {
  it.each(ODD_IMAGES)("changes nothing for %s", (_what, of) => {
    expect(submit(of)).toEqual({ ok: true, changes: [], request: {} });
  });
});

describe("what the form shows", () => {
  it("shows a text longer than its box as empty and says how long it is", () => {
    const content = formContentOf(image({ Readme: "r".repeat(3001), Description: "d".repeat(3000) }));
    expect(content.input.Readme).toBe("");
    expect(content.input.Description).toHaveLength(3000);
    expect(content.hidden).toEqual({ Readme: 3001 });
  });

  it("offers the image's own GPU types first, then the known ones, at most 100", () => {
    expect(gpuTypeChoices(["RTX-X", "A100"])).toEqual([
      "RTX-X",
      "A100",
      ...KNOWN_GPU_TYPES.filter((t) => t !== "A100"),
    ]);
    const many = formContentOf(image({ SupportedGpuTypes: Array.from({ length: 150 }, (_, i) => `G${i}`) }));
    const choices = gpuTypeChoices(many.input.SupportedGpuTypes);
    expect(choices).toHaveLength(100);
    expect(many.input.SupportedGpuTypes.every((t) => choices.includes(t))).toBe(true);
  });

  it("leaves out GPU types no menu option could carry", () => {
    expect(formContentOf(image({ SupportedGpuTypes: ["<b>", "x".repeat(40), "H20"] })).input.SupportedGpuTypes).toEqual(
      ["H20"],
    );
  });
});

describe("changes", () => {
  it.each<[string, Partial<FormInput>, Record<string, unknown>]>([
    ["Name", { Name: "new name" }, { Name: "new name" }],
    ["Description", { Description: "line 1\r\nline 2" }, { Description: "line 1\nline 2" }],
    ["cleared Description", { Description: "  " }, { Description: "" }],
    ["Visibility", { Visibility: "0" }, { Visibility: 0 }],
    ["Price", { Price: "0.5" }, { Price: 0.5 }],
    ["free Price", { Price: "0" }, { Price: 0 }],
    ["Readme", { Readme: "# new" }, { Readme: "# new" }],
    ["Tags", { Tags: "a，b、c" }, { Tags: ["a", "b", "c"] }],
    ["GroupId", { GroupId: "group-2" }, { GroupId: "group-2" }],
    ["VersionName", { VersionName: "v3" }, { VersionName: "v3" }],
    ["VersionDesc", { VersionDesc: "" }, { VersionDesc: "" }],
    ["SupportedGpuTypes", { SupportedGpuTypes: ["H100"] }, { SupportedGpuTypes: ["H100"] }],
    ["AutoStart", { AutoStart: true }, { AutoStart: true }],
  ])("sends %s and only that", (_what, edits, request) => {
    const result = submit(image(), edits);
    expect(result).toMatchObject({ ok: true, request });
    if (result.ok) expect(Object.keys(result.request)).toEqual(Object.keys(request));
  });

  it("does not count what normalizes to the same value as a change", () => {
    expect(
      submit(image(), {
        Name: " llama3-serving ",
        Price: "1.50",
        Tags: "大模型,LLaMA",
        Readme: "## Usage\n\nRun it.",
        SupportedGpuTypes: ["4090", "A100", "4090"],
      }),
    ).toEqual({ ok: true, changes: [], request: {} });
  });

  it("keeps a hidden long text when its box is left empty, and replaces it when the user types", () => {
    const long = image({ Readme: "r".repeat(4000) });
    expect(submit(long, { Readme: "" })).toEqual({ ok: true, changes: [], request: {} });
    expect(submit(long, { Readme: "short now" })).toMatchObject({ ok: true, request: { Readme: "short now" } });
  });

  it("quotes short values before and after, and leaves long ones out", () => {
    const result = submit(image(), { Visibility: "0", Price: "0.75", Description: "d".repeat(200), AutoStart: true });
    expect(result.ok && result.changes).toEqual([
      { field: "Description", before: "Llama 3 behind vLLM." },
      { field: "Visibility", before: "1", after: "0" },
      { field: "Price", before: "1.5", after: "0.75" },
      { field: "AutoStart", before: "false", after: "true" },
    ]);
  });

  it("lists tags and GPU types in the change as the user would read them", () => {
    const result = submit(image(), { Tags: "a, b", SupportedGpuTypes: ["H20", "A100"] });
    expect(result.ok && result.changes).toEqual([
      { field: "Tags", before: "大模型, LLaMA", after: "a, b" },
      { field: "SupportedGpuTypes", before: "4090, A100", after: "A100, H20" },
    ]);
  });
});

describe("validation of changed fields", () => {
  it.each<[string, CompShareImage, Partial<FormInput>, Record<string, unknown>]>([
    ["an empty name", image(), { Name: " " }, { Name: { kind: "required" } }],
    ["a name over 100 characters", image(), { Name: "n".repeat(101) }, { Name: { kind: "tooLong", max: 100 } }],
    ["a control character", image(), { VersionName: "v\u00002" }, { VersionName: { kind: "controlCharacters" } }],
    ["3 decimals", image(), { Price: "1.005" }, { Price: { kind: "priceFormat" } }],
    ["a sign", image(), { Price: "+1" }, { Price: { kind: "priceFormat" } }],
    ["an exponent", image(), { Price: "1e2" }, { Price: { kind: "priceFormat" } }],
    ["too high", image(), { Price: "10000.01" }, { Price: { kind: "priceTooHigh", max: 10000 } }],
    ["a removed price", image({ Visibility: 0 }), { Price: "" }, { Price: { kind: "priceCannotClear" } }],
    [
      "public without a price",
      image({ Visibility: 0, Price: undefined }),
      { Visibility: "1" },
      { Price: { kind: "priceRequired" } },
    ],
    ["a removed price on a public image", image(), { Price: "" }, { Price: { kind: "priceRequired" } }],
    ["four tags", image(), { Tags: "a,b,c,d" }, { Tags: { kind: "tooManyTags", max: 3 } }],
    ["a long tag", image(), { Tags: "t".repeat(33) }, { Tags: { kind: "tagTooLong", max: 32 } }],
    ["no tags", image(), { Tags: ", ，" }, { Tags: { kind: "cannotClearList" } }],
    ["a cleared group id", image(), { GroupId: "" }, { GroupId: { kind: "cannotClear" } }],
    ["a malformed group id", image(), { GroupId: "group 1" }, { GroupId: { kind: "groupIdFormat" } }],
    ["a long group id", image(), { GroupId: "g".repeat(65) }, { GroupId: { kind: "tooLong", max: 64 } }],
    ["a cleared version name", image(), { VersionName: "" }, { VersionName: { kind: "cannotClear" } }],
    ["no GPU types", image(), { SupportedGpuTypes: [] }, { SupportedGpuTypes: { kind: "cannotClearList" } }],
    [
      "a forged GPU type",
      image(),
      { SupportedGpuTypes: ["<!here>"] },
      { SupportedGpuTypes: { kind: "gpuTypeFormat" } },
    ],
  ])("refuses %s", (_what, of, edits, problems) => {
    expect(submit(of, edits)).toEqual({ ok: false, problems });
  });

  it("lets a field be set where it was empty, but not emptied", () => {
    const bare = image({ Price: undefined, Visibility: 0, Tags: [], GroupId: "", SupportedGpuTypes: [] });
    expect(submit(bare, { Price: "", Tags: "", GroupId: "" })).toEqual({ ok: true, changes: [], request: {} });
    expect(submit(bare, { Price: "2", Tags: "x", GroupId: "group-9" })).toMatchObject({
      ok: true,
      request: { Price: 2, Tags: ["x"], GroupId: "group-9" },
    });
  });

  it("never refuses a field the user left as it was, odd as its value may be", () => {
    const odd = image({ Price: 1.234, Name: "bad\u0007name", Visibility: 1 });
    expect(submit(odd, { Description: "fine" })).toMatchObject({ ok: true, request: { Description: "fine" } });
  });
});

describe("tags", () => {
  it("splits on ASCII and full-width commas and the enumeration comma, trims, drops empties and duplicates", () => {
    expect(tagsOf(" a ,b，c、 a ,, ")).toEqual(["a", "b", "c"]);
    expect(tagsOf("")).toEqual([]);
  });
});
