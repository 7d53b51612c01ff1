import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { platformCatalogue } from "../../src/simulator/demo-catalogue.ts";
import { DEMO_ACCOUNT } from "../../src/simulator/demo-data.ts";
import { type Simulator, startSimulator } from "../../src/simulator/simulator.ts";

describe("simulator demo data", () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSimulator();
  });
  afterAll(() => sim.close());

  it("has at least 150 platform images of both types, in Chinese and English", () => {
    const images = sim.state.listPlatformImages();
    expect(images.length).toBeGreaterThanOrEqual(150);
    expect(new Set(images.map((i) => i.ImageType))).toEqual(new Set(["System", "App"]));
    expect(images.some((i) => /[\u4e00-\u9fff]/.test(i.Name))).toBe(true);
    expect(images.some((i) => /^[\x20-\x7e]+$/.test(i.Name))).toBe(true);
    const tags = new Set(images.flatMap((i) => i.Tags));
    for (const tag of ["深度学习", "PyTorch", "Stable Diffusion", "大模型", "LLaMA", "ComfyUI"])
      expect(tags).toContain(tag);
    const authors = new Set(images.map((i) => i.Author));
    for (const author of ["UCloud", "CompShare"]) expect(authors).toContain(author);
    expect(authors.size).toBeGreaterThan(4);
  });

  it("marks platform images mostly Available, public and priced, with software filled", () => {
    const images = sim.state.listPlatformImages();
    const available = images.filter((i) => i.Status === "Available").length;
    expect(available / images.length).toBeGreaterThan(0.85);
    expect(available).toBeLessThan(images.length);
    expect(images.every((i) => i.Visibility === 1 && typeof i.Price === "number" && i.Price >= 0)).toBe(true);
    expect(images.some((i) => (i.Price ?? 0) > 0)).toBe(true);
    expect(images.every((i) => i.Softwares.Applications.length > 0)).toBe(true);
    expect(images.filter((i) => i.Softwares.CUDAVersion === "").map((i) => i.Name)).toEqual(["Ubuntu 22.04 纯净系统"]);
    expect(new Set(images.map((i) => i.CompShareImageId)).size).toBe(images.length);
  });

  it("gives the demo account the custom images the journeys need", () => {
    const mine = sim.state.listCustomImages(sim.demoAccount.accountId);
    expect(mine.length).toBeGreaterThanOrEqual(4);
    expect(mine.every((i) => i.ImageType === "Custom")).toBe(true);
    expect(mine.some((i) => i.Status === "Making")).toBe(true);
    expect(mine.some((i) => i.Visibility === 1 && (i.Price ?? 0) > 0)).toBe(true);
    expect(mine.some((i) => i.Readme.length > 3000)).toBe(true);
    expect(mine.some((i) => i.SupportedGpuTypes.length > 0)).toBe(true);
  });

  it("shares several of the other account's images with the demo account", () => {
    const shared = sim.state.listSharedImages(sim.demoAccount.accountId);
    expect(shared.length).toBeGreaterThanOrEqual(3);
    expect(shared.every((i) => i.Owner.AccountId === sim.otherAccount.accountId)).toBe(true);
    const otherOwn = sim.state.listCustomImages(sim.otherAccount.accountId);
    expect(otherOwn.length).toBeGreaterThan(shared.length);
    expect(sim.state.listInstances(sim.otherAccount.accountId).length).toBeGreaterThan(0);
  });

  it("gives the demo account instances in every state the bot must handle, on several GPU types", () => {
    const instances = sim.state.listInstances(sim.demoAccount.accountId);
    const states = instances.map((i) => i.State);
    expect(states.filter((s) => s === "Stopped").length).toBeGreaterThanOrEqual(2);
    for (const state of ["Running", "Stopping", "Install Fail"]) expect(states).toContain(state);
    const gpus = new Set(instances.map((i) => i.GpuType));
    for (const gpu of ["4090", "A100", "H20"]) expect(gpus).toContain(gpu);
    expect(instances.every((i) => sim.state.getImage(i.CompShareImageId)?.Name === i.CompShareImageName)).toBe(true);
  });

  it("uses the fixed demo key pair", () => {
    expect(sim.demoAccount).toMatchObject(DEMO_ACCOUNT);
    expect(sim.demoAccount.privateKey).toHaveLength(40);
  });

  it("is the same on every start: same ids, same order", async () => {
    const again = await startSimulator();
    try {
      expect(again.state.listPlatformImages()).toEqual(sim.state.listPlatformImages());
      expect(again.state.listCustomImages(again.demoAccount.accountId)).toEqual(
        sim.state.listCustomImages(sim.demoAccount.accountId),
      );
      expect(again.state.listInstances(again.demoAccount.accountId)).toEqual(
        sim.state.listInstances(sim.demoAccount.accountId),
      );
      expect(again.otherAccount).toEqual(sim.otherAccount);
    } finally {
      await again.close();
    }
    expect(platformCatalogue()).toEqual(platformCatalogue());
  });

  it("starts empty but with both accounts when demoData is false", async () => {
    const empty = await startSimulator({ demoData: false });
    try {
      expect(empty.state.listPlatformImages()).toEqual([]);
      expect(empty.state.listCustomImages(empty.demoAccount.accountId)).toEqual([]);
      expect(empty.state.listInstances(empty.demoAccount.accountId)).toEqual([]);
      expect(empty.demoAccount.publicKey).toBe(DEMO_ACCOUNT.publicKey);
      expect(empty.otherAccount.accountId).not.toBe(empty.demoAccount.accountId);
    } finally {
      await empty.close();
    }
  });
});
