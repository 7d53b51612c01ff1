import { expect, it } from "vitest";
import { LoadingCache } from "../src/loading-cache.ts";

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

it("drops the oldest entry when full, and lets a value choose its own lifetime", async () => {
  const { cache, load, advance } = rig((value) => (value.startsWith("short") ? 10 : 1000));
  await cache.get("a", load());
  await cache.get("b", load());
  await cache.get("c", load());
  expect(cache.peek("a")).toBeUndefined();
  expect(cache.peek("b")).toBe("v2");
  await cache.get("d", load("short"));
  advance(10);
  expect(cache.peek("d")).toBeUndefined();
  expect(cache.peek("c")).toBe("v3");
});
