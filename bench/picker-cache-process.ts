import { setTimeout as delay } from "node:timers/promises";
import type { CompShareClient, ImagePage } from "../src/compshare/client.ts";
import { createImageCatalogue } from "../src/slack/flows/image-catalogue.ts";

/**
 * One child process for the picker-cache measure: `node --expose-gc bench/picker-cache-process.ts
 * <users> <imagesPerList> <maxImages|default>`. Every user lists three lists of `imagesPerList`
 * images, each page a JSON round trip as the client's parse would make it; the heap still in use
 * after a full GC, less the heap before, is what the cache holds. Prints one JSON line.
 */

const [users = 500, imagesPerList = 1000] = process.argv.slice(2, 4).map(Number);
const maxImagesArg = process.argv[4] ?? "default";
const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error("run with --expose-gc");

function page(user: number, list: string, offset: number, limit: number): ImagePage {
  const images = Array.from({ length: Math.max(0, Math.min(limit, imagesPerList - offset)) }, (_, i) => {
    const n = offset + i;
    return {
      CompShareImageId: `compshareImage-${(user * 7919 + n * 104729 + list.length).toString(16).padStart(10, "0")}`,
      Name: `${list}-PyTorch-2.4-CUDA-12.4-ubuntu22.04-${user}-${n}`,
      ImageType: list === "platform" ? "System" : "Custom",
      Status: "Available",
      Tags: ["PyTorch", `tag-${n % 17}`],
      Description: "",
    };
  });
  return JSON.parse(JSON.stringify({ TotalCount: imagesPerList, ImageSet: images })) as ImagePage;
}

function clientFor(user: number): CompShareClient {
  const lister = (list: string) => async (req: { Offset?: number; Limit?: number }) =>
    page(user, list, req.Offset ?? 0, req.Limit ?? 100);
  return {
    describeImages: lister("platform"),
    describeCustomImages: lister("custom"),
    describeSharingImages: lister("shared"),
  } as unknown as CompShareClient;
}

const settle = async () => {
  for (let i = 0; i < 3; i += 1) {
    gc();
    await delay(10);
  }
  return process.memoryUsage().heapUsed;
};

const catalogue = createImageCatalogue({
  clock: Date.now,
  ...(maxImagesArg === "default" ? {} : { maxImages: Number(maxImagesArg) }),
});
const before = await settle();
for (let user = 0; user < users; user += 1) await catalogue.load("T0BENCH", `U${user}`, clientFor(user));
const after = await settle();
const held = catalogue.stats;
console.log(
  JSON.stringify({
    heapBeforeMB: before / 2 ** 20,
    heapAfterMB: after / 2 ** 20,
    cacheMB: (after - before) / 2 ** 20,
    usersCached: held.entries,
    imagesCached: held.weight,
  }),
);
