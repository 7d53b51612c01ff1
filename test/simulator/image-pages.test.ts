import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ImageRecord, type Simulator, startSimulator } from "../../src/simulator/simulator.ts";
import { imageView } from "../../src/simulator/views.ts";
import { call, imageSet, ZONE } from "./sim-client.ts";

/**
 * Fields for an image that counts how often it is read whole. The model keeps the Softwares object
 * it is given, so a getter added to it afterwards runs whenever the record is copied (structuredClone)
 * or serialised, and never when only its Name or Tags are looked at.
 */
function countedImage(): { fields: Partial<ImageRecord>; arm(): void; reads(): number } {
  const softwares = { CUDAVersion: "12.4", Framework: "PyTorch", FrameworkVersion: "2.4.0", Applications: [] };
  let reads = 0;
  return {
    fields: { Name: "counted", Softwares: softwares },
    arm() {
      Object.defineProperty(softwares, "probe", {
        enumerable: true,
        get: () => {
          reads += 1;
          return 1;
        },
      });
    },
    reads: () => reads,
  };
}

describe("image pages copy only the returned page", () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSimulator({ demoData: false });
  });
  afterAll(() => sim.close());

  it("copies and serialises a platform record only when it is on the page", async () => {
    const copyable = Array.from({ length: 30 }, (_, i) =>
      sim.state.addPlatformImage({
        Name: `platform-${i}`,
        Owner: { AccountId: "100000002", AccountName: "CompShare" },
      }),
    );
    const counted = countedImage();
    sim.state.addPlatformImage({ ...counted.fields, Name: "counted", Owner: { AccountId: "1", AccountName: "x" } });
    counted.arm();

    const first = await call(sim, sim.demoAccount, "DescribeCompShareImages", { Limit: 20 });
    expect(first.body).toMatchObject({ RetCode: 0, TotalCount: 31 });
    expect(imageSet(first).map((i) => i.Name)).toEqual(copyable.slice(0, 20).map((i) => i.Name));
    // A filter looks at every record but copies only the matches on the page.
    const filtered = await call(sim, sim.demoAccount, "DescribeCompShareImages", { Name: "platform-2", Limit: 5 });
    expect(filtered.body.TotalCount).toBe(1 + 10);
    expect(imageSet(filtered).map((i) => i.Name)).toEqual(["platform-2", ...copyable.slice(20, 24).map((i) => i.Name)]);
    expect(counted.reads()).toBe(0);
    // On the last page it is copied, once, and serialised.
    const last = await call(sim, sim.demoAccount, "DescribeCompShareImages", { Offset: 30 });
    expect(imageSet(last).map((i) => i.Name)).toEqual(["counted"]);
    expect(counted.reads()).toBe(1);
  });

  it("serves an account's own and shared images the same way, in insertion order", async () => {
    const owner = sim.addAccount();
    const viewer = sim.addAccount();
    const own = Array.from({ length: 5 }, (_, i) => sim.state.addCustomImage(owner.accountId, { Name: `own-${i}` }));
    const counted = countedImage();
    sim.state.addCustomImage(owner.accountId, counted.fields);
    counted.arm();
    // Shared out of order; listed in the order the images were made.
    for (const image of [own[3], own[1], own[0]]) sim.state.shareImage(image?.CompShareImageId ?? "", viewer.accountId);

    const mine = await call(sim, owner, "DescribeCompShareCustomImages", { Zone: ZONE, Limit: 3 });
    expect(mine.body.TotalCount).toBe(6);
    expect(imageSet(mine).map((i) => i.Name)).toEqual(["own-0", "own-1", "own-2"]);
    const byId = await call(sim, owner, "DescribeCompShareCustomImages", {
      Zone: ZONE,
      CompShareImageId: own[4]?.CompShareImageId ?? "",
    });
    expect(imageSet(byId).map((i) => i.Name)).toEqual(["own-4"]);

    const shared = await call(sim, viewer, "DescribeCompShareSharingImages", { Offset: 1 });
    expect(shared.body.TotalCount).toBe(3);
    expect(imageSet(shared).map((i) => i.Name)).toEqual(["own-1", "own-3"]);
    expect(sim.state.listSharedImages(viewer.accountId).map((i) => i.Name)).toEqual(["own-0", "own-1", "own-3"]);
    expect(counted.reads()).toBe(0);
  });

  it("hands out copies: changing a page does not change the model", () => {
    const scope = { kind: "platform" } as const;
    const [image] = sim.state.pageOfImages(scope, { offset: 0, limit: 1 }).images;
    if (image === undefined) throw new Error("no platform image");
    image.Name = "changed";
    image.Tags.push("changed");
    const [again] = sim.state.pageOfImages(scope, { offset: 0, limit: 1 }).images;
    expect(again?.Name).toBe("platform-0");
    expect(again?.Tags).toEqual([]);
  });

  it("builds an answer from the stored record itself, sharing none of its arrays or objects", () => {
    const scope = { kind: "platform" } as const;
    const page = { offset: 0, limit: 1 };
    const seen: unknown[] = [];
    const [view] = sim.state.pageOfImageViews(scope, page, (image) => {
      seen.push(image);
      return imageView(image, { withReadme: false });
    }).images as { Tags: string[]; Owner: { AccountName: string } }[];
    // The same record object on every call: no copy was made to build the answer.
    sim.state.pageOfImageViews(scope, page, (image) => seen.push(image));
    expect(seen[0]).toBe(seen[1]);
    view?.Tags.push("changed");
    if (view) view.Owner.AccountName = "changed";
    const [stored] = sim.state.pageOfImages(scope, page).images;
    expect(stored?.Tags).toEqual([]);
    expect(stored?.Owner.AccountName).not.toBe("changed");
  });
});

describe("extraImages", () => {
  it("adds numbered platform images after the demo catalogue, deterministically", async () => {
    const demo = await startSimulator();
    const large = await startSimulator({ extraImages: 5000 });
    const again = await startSimulator({ demoData: false, extraImages: 3 });
    try {
      const demoCount = demo.state.listPlatformImages().length;
      const reply = await call(large, large.demoAccount, "DescribeCompShareImages", { Offset: demoCount, Limit: 3 });
      expect(reply.body.TotalCount).toBe(demoCount + 5000);
      const names = imageSet(reply).map((i) => i.Name);
      expect(names.map((name) => /#(\d+)$/.exec(name)?.[1])).toEqual(["1", "2", "3"]);
      expect(new Set(imageSet(reply).map((i) => i.ImageType)).size).toBeGreaterThan(0);
      expect(again.state.listPlatformImages().map((i) => i.Name)).toEqual(names);
      const searched = await call(large, large.demoAccount, "DescribeCompShareImages", { Name: "#4999", Limit: 5 });
      expect(imageSet(searched).map((i) => i.Name.endsWith("#4999"))).toContain(true);
    } finally {
      await Promise.all([demo.close(), large.close(), again.close()]);
    }
  });
});
