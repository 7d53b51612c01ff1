import { afterAll, beforeAll, expect, it } from "vitest";
import { REINSTALL_ACTIONS, REINSTALL_BLOCKS } from "../../src/slack/views/reinstall-modal.ts";
import { ALICE, type Harness, startHarness } from "./harness.ts";
import { REINSTALL_ENV, REINSTALL_USERS } from "./reinstall-steps.ts";

/**
 * The reinstall picker keeps 1,000 images per list. With a platform catalogue larger than that,
 * what a person types must still reach the images past the cap, through CompShare's Name filter.
 */

let h: Harness;

beforeAll(async () => {
  h = await startHarness({ env: REINSTALL_ENV, users: REINSTALL_USERS });
  const owner = { AccountId: "platform", AccountName: "CompShare" };
  for (let i = 0; i < 1100; i += 1) h.sim.state.addPlatformImage({ Name: `bulk-platform-${i}`, Owner: owner });
  await h.login(ALICE);
});
afterAll(async () => {
  await h?.stop();
});

async function offered(value: string): Promise<string[]> {
  const response = await h.send.suggest(ALICE, {
    action_id: REINSTALL_ACTIONS.image,
    block_id: REINSTALL_BLOCKS.image,
    value,
  });
  expect(response.status).toBe(200);
  const body = response.json() as { option_groups?: { options: { text: { text: string } }[] }[] };
  return (body.option_groups ?? []).flatMap((group) => group.options.map((option) => option.text.text));
}

const nameSearches = () =>
  h.sim.requests.filter((r) => r.action === "DescribeCompShareImages" && r.params.Name !== undefined);

it("finds a platform image past the cached 1,000 by asking CompShare's Name filter", async () => {
  const platform = h.sim.state.listPlatformImages();
  expect(platform.length).toBeGreaterThan(1000);
  const beyond = platform.at(-1)?.Name ?? "";
  await offered(""); // warms the cache: the first 1,000 platform images
  expect(nameSearches()).toHaveLength(0);

  const found = await offered(beyond);
  expect(found.some((text) => text.startsWith(beyond))).toBe(true);
  expect(nameSearches().map((r) => r.params.Name)).toEqual([beyond]);

  // The same text again within a few seconds is answered from memory.
  expect((await offered(beyond)).some((text) => text.startsWith(beyond))).toBe(true);
  expect(nameSearches()).toHaveLength(1);
  // Control characters are never sent on.
  expect(await offered(`${beyond}\u0001`)).toEqual([]);
  expect(nameSearches()).toHaveLength(1);
});
