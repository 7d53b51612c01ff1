import { createHash, randomBytes } from "node:crypto";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { openStore, type Store } from "../../src/store/index.ts";
import { MINUTE, manualClock, rawQuery, type StoreTarget, storeTargets } from "./harness.ts";

/** The ledger of Slack deliveries taken: one winner per key across replicas, until the claim expires. */

const targets = await storeTargets("test/store/delivery-ledger.test.ts");
const WINDOW = 10 * MINUTE;

function deliveryKey(): string {
  return createHash("sha256").update(randomBytes(16)).digest("hex");
}

describe.each(targets)("delivery ledger on $name", ({ make }) => {
  let target: StoreTarget;
  let clock: ReturnType<typeof manualClock>;
  const opened: Store[] = [];

  beforeAll(() => {
    target = make();
  });
  afterAll(async () => {
    await target.cleanup();
  });
  beforeEach(() => {
    clock = manualClock();
  });
  afterEach(async () => {
    for (const store of opened.splice(0)) await store.close();
  });

  async function open(url?: string) {
    const at = url ?? (await target.newUrl());
    const store = await openStore({ url: at, keys: [randomBytes(32)], clock: clock.now });
    opened.push(store);
    return { store, url: at };
  }

  it("lets the first claim of a key win and refuses repeats while it lasts", async () => {
    const { store } = await open();
    const key = deliveryKey();
    expect(await store.deliveries.claim(key, WINDOW)).toBe(true);
    expect(await store.deliveries.claim(key, WINDOW)).toBe(false);
    clock.advance(WINDOW - 1);
    expect(await store.deliveries.claim(key, WINDOW)).toBe(false);
    expect(await store.deliveries.claim(deliveryKey(), WINDOW)).toBe(true);
  });

  it("gives a key back once its claim expired, and after a release", async () => {
    const { store } = await open();
    const key = deliveryKey();
    expect(await store.deliveries.claim(key, WINDOW)).toBe(true);
    clock.advance(WINDOW);
    expect(await store.deliveries.claim(key, WINDOW)).toBe(true);
    expect(await store.deliveries.claim(key, WINDOW)).toBe(false);
    await store.deliveries.release(key);
    expect(await store.deliveries.claim(key, WINDOW)).toBe(true);
  });

  it("has one winner when two replicas claim the same key at once", async () => {
    const { store: first, url } = await open();
    const { store: second } = await open(url);
    const keys = Array.from({ length: 20 }, deliveryKey);
    const results = await Promise.all(
      keys.flatMap((key) => [first.deliveries.claim(key, WINDOW), second.deliveries.claim(key, WINDOW)]),
    );
    expect(results.filter(Boolean)).toHaveLength(keys.length);
  });

  it("prunes expired claims and only those", async () => {
    const { store, url } = await open();
    const old = deliveryKey();
    await store.deliveries.claim(old, WINDOW);
    clock.advance(WINDOW);
    const fresh = deliveryKey();
    await store.deliveries.claim(fresh, WINDOW);
    expect(await store.deliveries.prune()).toBe(1);
    const rows = await rawQuery(url, "SELECT delivery_key FROM slack_deliveries");
    expect(rows.map((r) => r.delivery_key)).toEqual([fresh]);
  });

  it("refuses a key that is not a digest, so no raw signature can be stored", async () => {
    const { store } = await open();
    await expect(store.deliveries.claim("v0=abc", WINDOW)).rejects.toThrow(/invalid delivery claim/);
  });
});
