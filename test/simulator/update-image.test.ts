import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type ImageRecord, type Simulator, startSimulator } from "../../src/simulator/simulator.ts";
import { call, manualClock, ZONE } from "./sim-client.ts";

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46]);
const WEBP = Buffer.concat([Buffer.from("RIFF"), Buffer.from([36, 0, 0, 0]), Buffer.from("WEBPVP8 ")]);

describe("UpdateCompShareImage", () => {
  let sim: Simulator;
  let image: ImageRecord;
  const clock = manualClock();
  beforeEach(async () => {
    sim = await startSimulator({ clock: clock.now });
    image = sim.state.addCustomImage(sim.demoAccount.accountId, {
      Name: "before",
      Description: "old description",
      Tags: ["old"],
      Readme: "old readme",
    });
  });
  afterEach(() => sim.close());

  const update = (params: Record<string, string | number | boolean | string[]>) =>
    call(sim, sim.demoAccount, "UpdateCompShareImage", {
      Zone: ZONE,
      CompShareImageId: image.CompShareImageId,
      ...params,
    });

  const cases: [string, Record<string, string | number | boolean | string[]>, Partial<ImageRecord>][] = [
    ["Name", { Name: "after" }, { Name: "after" }],
    ["Description", { Description: "新的描述" }, { Description: "新的描述" }],
    ["Visibility and Price", { Visibility: 1, Price: 2.25 }, { Visibility: 1, Price: 2.25 }],
    ["Price 0 (free)", { Price: 0 }, { Price: 0 }],
    ["Readme", { Readme: "# New\n\nrich text" }, { Readme: "# New\n\nrich text" }],
    ["Tags (replacing the list)", { Tags: ["深度学习", "PyTorch", "LoRA"] }, { Tags: ["深度学习", "PyTorch", "LoRA"] }],
    ["GroupId", { GroupId: "group-abc" }, { GroupId: "group-abc" }],
    ["VersionName", { VersionName: "v2.0" }, { VersionName: "v2.0" }],
    ["VersionDesc", { VersionDesc: "升级 PyTorch 到 2.1" }, { VersionDesc: "升级 PyTorch 到 2.1" }],
    ["SupportedGpuTypes", { SupportedGpuTypes: ["4090", "A100"] }, { SupportedGpuTypes: ["4090", "A100"] }],
    ["AutoStart", { AutoStart: true }, { AutoStart: true }],
    ["Cover (png)", { Cover: PNG.toString("base64") }, {}],
  ];

  it.each(cases)("applies %s and leaves every other field unchanged", async (_label, params, expected) => {
    const before = sim.state.getImage(image.CompShareImageId);
    const reply = await update(params);
    expect(reply.body).toEqual({ Action: "UpdateCompShareImageResponse", RetCode: 0 });
    const after = sim.state.getImage(image.CompShareImageId);
    const changed = Object.keys(after ?? {}).filter(
      (key) => JSON.stringify(after?.[key as keyof ImageRecord]) !== JSON.stringify(before?.[key as keyof ImageRecord]),
    );
    const allowed = new Set([
      ...Object.keys(expected),
      ...("Cover" in params ? ["Cover"] : []),
      ...("Visibility" in params ? ["PubTime"] : []),
    ]);
    expect(changed.filter((key) => !allowed.has(key))).toEqual([]);
    expect(after).toMatchObject(expected);
  });

  it("stores a cover as a URL of the detected format", async () => {
    for (const [bytes, ext] of [
      [PNG, "png"],
      [JPEG, "jpg"],
      [WEBP, "webp"],
    ] as const) {
      expect((await update({ Cover: bytes.toString("base64") })).body.RetCode).toBe(0);
      expect(sim.state.getImage(image.CompShareImageId)?.Cover).toBe(
        `https://sim.compshare.local/covers/${image.CompShareImageId}.${ext}`,
      );
    }
  });

  it("applies several fields at once and stamps PubTime when made public", async () => {
    const reply = await update({ Name: "n", Visibility: 1, Price: 0.5, Tags: ["a"], AutoStart: false });
    expect(reply.body.RetCode).toBe(0);
    expect(sim.state.getImage(image.CompShareImageId)).toMatchObject({
      Name: "n",
      Visibility: 1,
      Price: 0.5,
      Tags: ["a"],
      AutoStart: false,
      PubTime: Math.floor(clock.now() / 1000),
      Description: "old description",
      Readme: "old readme",
    });
  });

  it("orders Tags by index, not by the order keys arrive", async () => {
    const reply = await update({ "Tags.2": "c", "Tags.0": "a", "Tags.1": "b" });
    expect(reply.body.RetCode).toBe(0);
    expect(sim.state.getImage(image.CompShareImageId)?.Tags).toEqual(["a", "b", "c"]);
  });

  it("rejects more than 3 tags", async () => {
    const reply = await update({ Tags: ["1", "2", "3", "4"] });
    expect(reply.body).toMatchObject({ RetCode: 230 });
    expect(reply.body.Message).toContain("Tags");
    expect(sim.state.getImage(image.CompShareImageId)?.Tags).toEqual(["old"]);
  });

  it("requires a Price to make an unpriced image public", async () => {
    const reply = await update({ Visibility: 1 });
    expect(reply.body).toMatchObject({ RetCode: 230 });
    expect(reply.body.Message).toContain("Price");
    expect(sim.state.getImage(image.CompShareImageId)?.Visibility).toBe(0);
    await update({ Price: 1 });
    expect((await update({ Visibility: 1 })).body.RetCode).toBe(0);
  });

  it("refuses another account's image, even one shared with the caller", async () => {
    const shared = sim.state.listSharedImages(sim.demoAccount.accountId)[0];
    const reply = await call(sim, sim.demoAccount, "UpdateCompShareImage", {
      Zone: ZONE,
      CompShareImageId: shared?.CompShareImageId ?? "",
      Name: "hijacked",
    });
    expect(reply.body.RetCode).not.toBe(0);
    expect(reply.body.Message).toContain("another account");
    expect(sim.state.getImage(shared?.CompShareImageId ?? "")?.Name).toBe(shared?.Name);

    const otherOwn = await call(sim, sim.otherAccount, "UpdateCompShareImage", {
      Zone: ZONE,
      CompShareImageId: image.CompShareImageId,
      Name: "hijacked",
    });
    expect(otherOwn.body.RetCode).not.toBe(0);
    expect(sim.state.getImage(image.CompShareImageId)?.Name).toBe("before");
  });

  it("refuses a platform image", async () => {
    const platform = sim.state.listPlatformImages()[0];
    const reply = await call(sim, sim.demoAccount, "UpdateCompShareImage", {
      Zone: ZONE,
      CompShareImageId: platform?.CompShareImageId ?? "",
      Name: "mine now",
    });
    expect(reply.body.RetCode).not.toBe(0);
    expect(reply.body.Message).toContain("platform image");
  });

  it("refuses an unknown image", async () => {
    const reply = await update({ CompShareImageId: "compshareImage-nope", Name: "x" });
    expect(reply.body.RetCode).not.toBe(0);
    expect(reply.body.Message).toContain("does not exist");
  });

  it("refuses an image that is being made", async () => {
    sim.state.setImageStatus(image.CompShareImageId, "Making");
    const reply = await update({ Name: "too early" });
    expect(reply.body.RetCode).not.toBe(0);
    expect(reply.body.Message).toContain("image is being made");
    expect(sim.state.getImage(image.CompShareImageId)?.Name).toBe("before");
    const demoMaking = sim.state.listCustomImages(sim.demoAccount.accountId).find((i) => i.Status === "Making");
    const seeded = await update({ CompShareImageId: demoMaking?.CompShareImageId ?? "", Name: "x" });
    expect(seeded.body.Message).toContain("image is being made");
  });
});
