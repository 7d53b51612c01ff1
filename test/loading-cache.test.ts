import { describe, expect, it } from "vitest";
import type { CompShareClient } from "../src/compshare/client.ts";
import { LoadingCache } from "../src/loading-cache.ts";
import { createImageCatalogue } from "../src/slack/flows/image-catalogue.ts";
import { ImageChoiceCache } from "../src/slack/interactions/image-choices.ts";

function rig(ttlMs: number | ((value: string) => number) = 1000, maxEntries = 2) {
  let now = 0;
  let loads = 0;
  const cache = new LoadingCache<string>({ clock: () => now, ttlMs, maxEntries });
  const load =
    (value = "v") =>
    async () =>
      `${value}${++loads}`;
  return { cache, load, advance: (ms: number) => (now += ms), loads: () => loads };
}

it("shares one load between concurrent callers and serves it until it expires", async () => {
  const { cache, load, advance, loads } = rig();
  const [a, b] = await Promise.all([cache.get("k", load()), cache.get("k", load())]);
  expect([a, b]).toEqual(["v1", "v1"]);
  advance(999);
  expect(await cache.get("k", load())).toBe("v1");
  expect(cache.peek("k")).toBe("v1");
  advance(1);
  expect(cache.peek("k")).toBeUndefined();
  expect(await cache.get("k", load())).toBe("v2");
  expect(loads()).toBe(2);
});

it("does not remember a failure, and forgets on request", async () => {
  const { cache, load } = rig();
  await expect(cache.get("k", () => Promise.reject(new Error("down")))).rejects.toThrow("down");
  expect(await cache.get("k", load())).toBe("v1");
  cache.forget("k");
  expect(await cache.get("k", load())).toBe("v2");
});

it("drops the least recently used entry when full, and lets a value choose its own lifetime", async () => {
  const { cache, load, advance } = rig((value) => (value.startsWith("short") ? 10 : 1000));
  await cache.get("a", load());
  await cache.get("b", load());
  expect(cache.peek("a")).toBe("v1"); // a is now the more recently used
  await cache.get("c", load());
  expect(cache.peek("b")).toBeUndefined();
  expect(cache.peek("a")).toBe("v1");
  await cache.get("d", load("short"));
  expect(cache.peek("c")).toBeUndefined();
  advance(10);
  expect(cache.peek("d")).toBeUndefined();
  expect(cache.peek("a")).toBe("v1");
});

it("sweeps expired entries nobody asks for again, so they stop holding memory", async () => {
  let now = 0;
  const cache = new LoadingCache<string>({ clock: () => now, ttlMs: 1000, maxEntries: 100 });
  for (const key of ["a", "b", "c"]) await cache.get(key, async () => key);
  expect(cache.stats).toEqual({ entries: 3, weight: 3 });
  now += 1000;
  await cache.get("d", async () => "d");
  expect(cache.stats).toEqual({ entries: 1, weight: 1 });
  now += 1000;
  expect(cache.peek("anything")).toBeUndefined();
  expect(cache.stats).toEqual({ entries: 0, weight: 0 });
});

it("bounds the summed weight, evicting the least recently used first", async () => {
  const cache = new LoadingCache<string[]>({
    clock: () => 0,
    ttlMs: 1000,
    maxEntries: 100,
    maxWeight: 10,
    weigh: (images) => images.length,
  });
  const images = (n: number) => async () => Array.from({ length: n }, (_, i) => `image-${i}`);
  await cache.get("u1", images(4));
  await cache.get("u2", images(4));
  cache.peek("u1");
  await cache.get("u3", images(4));
  expect(cache.peek("u2")).toBeUndefined();
  expect(cache.peek("u1")).toHaveLength(4);
  expect(cache.stats).toEqual({ entries: 2, weight: 8 });
  // Too heavy to keep on its own: served, not kept, and it evicts nothing.
  expect(await cache.get("huge", images(11))).toHaveLength(11);
  expect(cache.peek("huge")).toBeUndefined();
  expect(cache.stats).toEqual({ entries: 2, weight: 8 });
  // A reload replaces the old weight rather than adding to it.
  cache.forget("u1");
  await cache.get("u1", images(2));
  expect(cache.stats).toEqual({ entries: 2, weight: 6 });
});

describe("the reinstall picker's catalogue at workspace scale", () => {
  const IMAGES_PER_LIST = 1000;
  /** Three lists of 1,000 images each, as CompShare would page them. */
  function clientWith(user: number): CompShareClient {
    const lister = (list: string) => async (req: { Offset?: number; Limit?: number }) => {
      const offset = req.Offset ?? 0;
      const count = Math.max(0, Math.min(req.Limit ?? 100, IMAGES_PER_LIST - offset));
      return {
        TotalCount: IMAGES_PER_LIST,
        ImageSet: Array.from({ length: count }, (_, i) => ({
          CompShareImageId: `compshareImage-${list}${user}x${offset + i}`,
          Name: `${list} image ${offset + i}`,
          Status: "Available",
        })),
      };
    };
    return {
      describeImages: lister("p"),
      describeCustomImages: lister("c"),
      describeSharingImages: lister("s"),
    } as unknown as CompShareClient;
  }

  it("500 users × 3,000 images: holds at most its image bound, and lets go of every user once the TTL passes", async () => {
    let now = 0;
    const catalogue = createImageCatalogue({ clock: () => now, ttlMs: 120_000 });
    for (let user = 0; user < 500; user += 1) {
      const images = await catalogue.load("T1", `U${user}`, clientWith(user));
      expect(images).toHaveLength(3000);
      expect(catalogue.stats.weight).toBeLessThanOrEqual(100_000);
    }
    // The most recent users are the ones kept; the first ones were pushed out.
    expect(catalogue.stats).toEqual({ entries: 33, weight: 99_000 });
    expect(catalogue.peek("T1", "U499")).toHaveLength(3000);
    expect(catalogue.peek("T1", "U0")).toBeUndefined();
    now += 120_000;
    expect(catalogue.peek("T1", "U499")).toBeUndefined();
    expect(catalogue.stats).toEqual({ entries: 0, weight: 0 });
  });
});

it("the image-update picker's cache is bounded by the size of the records it holds, not their count", async () => {
  const choices = new ImageChoiceCache({ clock: () => 0, ttlMs: 60_000, maxUsers: 1000, maxJsonChars: 10_000 });
  let loads = 0;
  const image = (description: string) => ({
    CompShareImageId: "compshareImage-a1",
    Name: "a",
    Description: description,
  });
  const user = (userId: string) => ({ teamId: "T1", userId, publicKey: "pub" });
  const load = (description: string) => async () => {
    loads += 1;
    return [image(description)];
  };
  await choices.get(user("U1"), load("x".repeat(6000)));
  await choices.get(user("U2"), load("y".repeat(6000)));
  await choices.get(user("U2"), load("never"));
  expect(loads).toBe(2);
  await choices.get(user("U1"), load("x"));
  expect(loads).toBe(3);
});
