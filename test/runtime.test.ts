import { readFileSync } from "node:fs";
import { expect, it } from "vitest";

it("runs on the Node.js 24 the project pins, not the machine's own", () => {
  const pinned = readFileSync(new URL("../.nvmrc", import.meta.url), "utf8").trim();
  expect(process.versions.node.split(".")[0]).toBe(pinned);
  expect(pinned).toBe("24");
});
