import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CompShareApi, createCompShareApi } from "../../src/compshare/client.ts";
import type { CompShareImage } from "../../src/compshare/schemas.ts";
import { type SimAccount, type Simulator, startSimulator } from "../../src/simulator/simulator.ts";
import { ImageChoiceCache, listOwnImages } from "../../src/slack/interactions/image-choices.ts";

const image = (id: string) => ({ CompShareImageId: id }) as CompShareImage;

describe("the picker's cache", () => {
  const user = { teamId: "T1", userId: "U1", publicKey: "pk-1" };
  let now = 0;
  const cache = () => new ImageChoiceCache({ clock: () => now, ttlMs: 60_000, maxUsers: 2 });

  it("shares one listing between concurrent key strokes and serves it for the TTL", async () => {
    const choices = cache();
    let loads = 0;
    const load = async () => {
      loads += 1;
      return [image(`compshareImage-${loads}`)];
    };
    const [a, b] = await Promise.all([choices.get(user, load), choices.get(user, load)]);
    expect(a).toBe(b);
    now += 59_999;
    await choices.get(user, load);
    expect(loads).toBe(1);
    now += 1;
    expect(await choices.get(user, load)).toEqual([image("compshareImage-2")]);
  });

  it("lists again for other keys, after forget, and after a failure", async () => {
    const choices = cache();
    let loads = 0;
    const load = async () => [image(`compshareImage-${++loads}`)];
    await choices.get(user, load);
    await choices.get({ ...user, publicKey: "pk-2" }, load);
    expect(loads).toBe(2);
    choices.forget(user.teamId, user.userId);
    await choices.get({ ...user, publicKey: "pk-2" }, load);
    expect(loads).toBe(3);

    const failing = choices.get({ ...user, userId: "U9" }, async () => Promise.reject(new Error("down")));
    await expect(failing).rejects.toThrow("down");
    expect(await choices.get({ ...user, userId: "U9" }, load)).toEqual([image("compshareImage-4")]);
  });

  it("holds at most maxUsers users, dropping the oldest", async () => {
    const choices = cache();
    let loads = 0;
    const load = async () => [image(`compshareImage-${++loads}`)];
    for (const userId of ["U1", "U2", "U3"]) await choices.get({ ...user, userId }, load);
    await choices.get({ ...user, userId: "U3" }, load);
    await choices.get({ ...user, userId: "U2" }, load);
    expect(loads).toBe(3);
    await choices.get({ ...user, userId: "U1" }, load);
    expect(loads).toBe(4);
  });
});

describe("listing every own image", () => {
  let sim: Simulator;
  let api: CompShareApi;
  let account: SimAccount;

  beforeAll(async () => {
    sim = await startSimulator({ demoData: false });
    api = createCompShareApi({ baseUrl: sim.url });
    account = sim.addAccount();
    for (let i = 0; i < 250; i++) sim.state.addCustomImage(account.accountId, { Name: `image-${i}` });
  });

  afterAll(async () => {
    await api?.close();
    await sim?.close();
  });

  const client = () => api.forAccount({ ...account, region: "cn-wlcb", zone: "cn-wlcb-01" });

  it("pages through all of them in parallel", async () => {
    const before = sim.requests.length;
    const images = await listOwnImages(client(), { deadlineMs: 5_000, maxImages: 500 });
    expect(images.map((i) => i.Name)).toEqual(Array.from({ length: 250 }, (_, i) => `image-${i}`));
    const offsets = sim.requests.slice(before).map((r) => Number(r.params.Offset));
    expect(offsets[0]).toBe(0);
    expect(offsets.sort((a, b) => a - b)).toEqual([0, 100, 200]);
  });

  it("stops at the cap", async () => {
    const images = await listOwnImages(client(), { deadlineMs: 5_000, maxImages: 150 });
    expect(images).toHaveLength(150);
  });
});
