import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Simulator, startSimulator } from "../../src/simulator/simulator.ts";
import { call, imageSet, ZONE } from "./sim-client.ts";

/** The fields of CompShareImage in ucloud-sdk-go services/ucompshare/models.go (and the Python schema). */
const SDK_IMAGE_FIELDS: string[] = [
  "AuthInfo",
  "Author",
  "AutoStart",
  "CompShareImageId",
  "Container",
  "Cover",
  "CreateTime",
  "CreatedCount",
  "Description",
  "FailedReason",
  "FavoritesCount",
  "GroupId",
  "ImageCharge",
  "ImageOwnerAlias",
  "ImageType",
  "ImageUseTime",
  "IsOfficial",
  "Name",
  "Owner",
  "Price",
  "PubTime",
  "Readme",
  "Size",
  "Softwares",
  "SourceGpuType",
  "Status",
  "Tags",
  "VersionDesc",
  "VersionName",
  "Visibility",
];

describe("DescribeCompShareImages", () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSimulator();
  });
  afterAll(() => sim.close());

  const describeImages = (params: Record<string, string | number> = {}) =>
    call(sim, sim.demoAccount, "DescribeCompShareImages", params);

  it("pages with Offset/Limit, default Limit 20, TotalCount counting every match", async () => {
    const all = sim.state.listPlatformImages();
    const first = await describeImages();
    expect(first.body.TotalCount).toBe(all.length);
    expect(imageSet(first).map((i) => i.CompShareImageId)).toEqual(all.slice(0, 20).map((i) => i.CompShareImageId));

    const second = await describeImages({ Offset: 20, Limit: 7 });
    expect(second.body.TotalCount).toBe(all.length);
    expect(imageSet(second).map((i) => i.CompShareImageId)).toEqual(all.slice(20, 27).map((i) => i.CompShareImageId));

    const last = await describeImages({ Offset: all.length - 3, Limit: 100 });
    expect(imageSet(last)).toHaveLength(3);
    const beyond = await describeImages({ Offset: all.length + 10 });
    expect(imageSet(beyond)).toEqual([]);
    expect(beyond.body.TotalCount).toBe(all.length);

    const max = await describeImages({ Limit: 100 });
    expect(imageSet(max)).toHaveLength(100);
    expect((await describeImages({ Limit: 101 })).body.RetCode).toBe(230);
  });

  it("returns only platform images, never custom ones", async () => {
    const max = await describeImages({ Limit: 100, Offset: 100 });
    const page1 = await describeImages({ Limit: 100 });
    const types = new Set([...imageSet(page1), ...imageSet(max)].map((i) => i.ImageType));
    expect(types).toEqual(new Set(["System", "App"]));
  });

  it("filters by ImageType", async () => {
    for (const type of ["System", "App"]) {
      const reply = await describeImages({ ImageType: type, Limit: 100 });
      const expected = sim.state.listPlatformImages().filter((i) => i.ImageType === type);
      expect(reply.body.TotalCount).toBe(expected.length);
      expect(imageSet(reply).every((i) => i.ImageType === type)).toBe(true);
    }
  });

  it("filters by Name, fuzzy and case-insensitive, Chinese too", async () => {
    const reply = await describeImages({ Name: "comfyui", Limit: 100 });
    expect(reply.body.TotalCount).toBeGreaterThan(3);
    expect(imageSet(reply).every((i) => i.Name.toLowerCase().includes("comfyui"))).toBe(true);
    const chinese = await describeImages({ Name: "千问", Limit: 100 });
    expect(imageSet(chinese).length).toBeGreaterThan(0);
    expect(imageSet(chinese).every((i) => i.Name.includes("千问"))).toBe(true);
    expect((await describeImages({ Name: "no such image anywhere" })).body.TotalCount).toBe(0);
  });

  it("filters by Author, case-insensitive", async () => {
    const reply = await describeImages({ Author: "ucloud", Limit: 100 });
    expect(reply.body.TotalCount).toBeGreaterThan(0);
    expect(imageSet(reply).every((i) => i.Author === "UCloud")).toBe(true);
    const community = await describeImages({ Author: "炼丹师老王", Limit: 100 });
    expect(imageSet(community).length).toBeGreaterThan(0);
    expect(imageSet(community).every((i) => i.Author === "炼丹师老王")).toBe(true);
  });

  it("filters by Tag, an exact tag match", async () => {
    const reply = await describeImages({ Tag: "深度学习", Limit: 100 });
    expect(reply.body.TotalCount).toBeGreaterThan(5);
    expect(imageSet(reply).every((i) => i.Tags.includes("深度学习"))).toBe(true);
    expect((await describeImages({ Tag: "深度" })).body.TotalCount).toBe(0);
  });

  it("combines filters", async () => {
    const reply = await describeImages({ Tag: "大模型", Name: "qwen", Limit: 100 });
    expect(imageSet(reply).length).toBeGreaterThan(0);
    for (const image of imageSet(reply)) {
      expect(image.Tags).toContain("大模型");
      expect(image.Name.toLowerCase()).toContain("qwen");
    }
  });

  it("answers the SDKs' CompShareImage fields, and Readme only when queried by CompShareImageId", async () => {
    const listed = imageSet(await describeImages({ Limit: 100 }));
    expect(listed.every((i) => !("Readme" in i))).toBe(true);
    const target = sim.state.listPlatformImages()[40];
    const byId = await describeImages({ CompShareImageId: target?.CompShareImageId ?? "" });
    expect(byId.body.TotalCount).toBe(1);
    const [image] = imageSet(byId);
    // IsOfficial is answered for custom images only.
    expect(Object.keys(image ?? {}).sort()).toEqual(SDK_IMAGE_FIELDS.filter((f) => f !== "IsOfficial").sort());
    expect(image).toMatchObject({ CompShareImageId: target?.CompShareImageId, Readme: target?.Readme });
    expect(image).toMatchObject({ ImageOwnerAlias: "Official", Container: "False", ImageCharge: false });
    expect(typeof image?.Size).toBe("number");
    expect(typeof image?.Price).toBe("number");
    expect(typeof image?.FavoritesCount).toBe("number");
  });

  it("never answers SupportedGpuTypes, which is an Update parameter and in neither SDK's model", async () => {
    const own = sim.state.listCustomImages(sim.demoAccount.accountId);
    const withTypes = own.find((i) => i.SupportedGpuTypes.length > 0);
    expect(withTypes).toBeDefined();
    for (const action of ["DescribeCompShareCustomImages", "DescribeCompShareSharingImages"]) {
      const reply = await call(sim, sim.demoAccount, action, { Zone: ZONE, Limit: 100 });
      for (const answered of imageSet(reply)) {
        expect(answered, action).not.toHaveProperty("SupportedGpuTypes");
        expect(
          Object.keys(answered).every((field) => SDK_IMAGE_FIELDS.includes(field)),
          action,
        ).toBe(true);
        expect(answered, action).toHaveProperty("IsOfficial");
      }
    }
    const byId = await call(sim, sim.demoAccount, "DescribeCompShareCustomImages", {
      Zone: ZONE,
      CompShareImageId: withTypes?.CompShareImageId ?? "",
    });
    expect(imageSet(byId)[0]).not.toHaveProperty("SupportedGpuTypes");
    const failed = imageSet(await call(sim, sim.demoAccount, "DescribeCompShareCustomImages", { Zone: ZONE }));
    expect(failed.find((i) => i.Status === "UnAvailable")?.FailedReason).toMatch(/failed/);
  });

  it("does not find a custom image by id among platform images", async () => {
    const custom = sim.state.listCustomImages(sim.demoAccount.accountId)[0];
    const reply = await describeImages({ CompShareImageId: custom?.CompShareImageId ?? "" });
    expect(reply.body).toMatchObject({ RetCode: 0, TotalCount: 0, ImageSet: [] });
  });
});

describe("DescribeCompShareCustomImages and DescribeCompShareSharingImages", () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSimulator();
  });
  afterAll(() => sim.close());

  it("lists the caller's own images only", async () => {
    const mine = await call(sim, sim.demoAccount, "DescribeCompShareCustomImages", { Zone: ZONE, Limit: 100 });
    const expected = sim.state.listCustomImages(sim.demoAccount.accountId);
    expect(mine.body.TotalCount).toBe(expected.length);
    expect(imageSet(mine).map((i) => i.CompShareImageId)).toEqual(expected.map((i) => i.CompShareImageId));
    expect(
      imageSet(mine).every(
        (i) => i.Owner && (i.Owner as { AccountId: string }).AccountId === sim.demoAccount.accountId,
      ),
    ).toBe(true);

    const theirs = await call(sim, sim.otherAccount, "DescribeCompShareCustomImages", { Zone: ZONE, Limit: 100 });
    const theirIds = imageSet(theirs).map((i) => i.CompShareImageId);
    expect(theirIds.length).toBeGreaterThan(0);
    expect(theirIds.some((id) => expected.some((e) => e.CompShareImageId === id))).toBe(false);

    const fresh = sim.addAccount();
    const none = await call(sim, fresh, "DescribeCompShareCustomImages", { Zone: ZONE });
    expect(none.body).toMatchObject({ RetCode: 0, TotalCount: 0, ImageSet: [] });
  });

  it("lists images others shared with the caller", async () => {
    const shared = await call(sim, sim.demoAccount, "DescribeCompShareSharingImages", { Limit: 100 });
    const expected = sim.state.listSharedImages(sim.demoAccount.accountId);
    expect(expected.length).toBeGreaterThanOrEqual(3);
    expect(shared.body.TotalCount).toBe(expected.length);
    expect(
      imageSet(shared).every((i) => (i.Owner as { AccountId: string }).AccountId === sim.otherAccount.accountId),
    ).toBe(true);
    const otherSees = await call(sim, sim.otherAccount, "DescribeCompShareSharingImages");
    expect(otherSees.body.TotalCount).toBe(0);
  });

  it("shows a newly shared image to the account it was shared with", async () => {
    const fresh = sim.addAccount();
    const image = sim.state.addCustomImage(sim.otherAccount.accountId, { Name: "just-shared" });
    expect((await call(sim, fresh, "DescribeCompShareSharingImages")).body.TotalCount).toBe(0);
    sim.state.shareImage(image.CompShareImageId, fresh.accountId);
    const after = await call(sim, fresh, "DescribeCompShareSharingImages");
    expect(imageSet(after).map((i) => i.Name)).toEqual(["just-shared"]);
  });

  it("pages, filters by id and returns Readme only by id", async () => {
    const all = sim.state.listCustomImages(sim.demoAccount.accountId);
    const pageTwo = await call(sim, sim.demoAccount, "DescribeCompShareCustomImages", {
      Zone: ZONE,
      Offset: 2,
      Limit: 2,
    });
    expect(pageTwo.body.TotalCount).toBe(all.length);
    expect(imageSet(pageTwo).map((i) => i.CompShareImageId)).toEqual(all.slice(2, 4).map((i) => i.CompShareImageId));
    expect(imageSet(pageTwo).every((i) => !("Readme" in i))).toBe(true);

    const long = all.find((i) => i.Readme.length > 3000);
    expect(long).toBeDefined();
    const byId = await call(sim, sim.demoAccount, "DescribeCompShareCustomImages", {
      Zone: ZONE,
      CompShareImageId: long?.CompShareImageId ?? "",
    });
    expect(imageSet(byId)).toHaveLength(1);
    expect(imageSet(byId)[0]?.Readme).toBe(long?.Readme);

    const sharedId = sim.state.listSharedImages(sim.demoAccount.accountId)[0]?.CompShareImageId ?? "";
    const sharedById = await call(sim, sim.demoAccount, "DescribeCompShareSharingImages", {
      CompShareImageId: sharedId,
    });
    expect(imageSet(sharedById)).toHaveLength(1);
    expect(imageSet(sharedById)[0]).toHaveProperty("Readme");
    const notMine = await call(sim, sim.demoAccount, "DescribeCompShareCustomImages", {
      Zone: ZONE,
      CompShareImageId: sharedId,
    });
    expect(notMine.body.TotalCount).toBe(0);
  });
});
