import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { CONFIG_VARIABLES } from "../../src/config.ts";

/** What a newcomer reads first matches the code: every setting documented and in .env.example, the licence file. */

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), "utf8");
const readme = read("README.md");
const envExample = read(".env.example");
const packageJson = JSON.parse(read("package.json")) as { license: string };

/** Variables the command line reads besides the bot's configuration. */
const CLI_VARIABLES = ["COMPSHARE_PUBLIC_KEY", "COMPSHARE_PRIVATE_KEY", "COMPSHARE_PROJECT_ID"];

const assignments = [...envExample.matchAll(/^([A-Z][A-Z0-9_]*)=(.*)$/gm)].map(([, name = "", value = ""]) => ({
  name,
  value,
}));

describe(".env.example", () => {
  it("has every variable the bot and the command line read, each once", () => {
    const names = assignments.map((a) => a.name);
    expect([...names].sort()).toEqual([...new Set([...CONFIG_VARIABLES, ...CLI_VARIABLES])].sort());
  });

  it("holds no values, so no secret can be committed through it", () => {
    expect(assignments.filter((a) => a.value !== "")).toEqual([]);
  });
});

describe("README.md", () => {
  it("documents every configuration variable in its Configuration table", () => {
    const table = readme.slice(readme.indexOf("## Configuration"), readme.indexOf("## Command line"));
    for (const name of CONFIG_VARIABLES) expect(table, name).toContain(`\`${name}\``);
  });

  it("says how to run the CLI in a clone, the test settings, and the EBADENGINE warning", () => {
    expect(readme).toContain("npx compshare-bot doctor");
    for (const name of ["PG_TEST_URL", "SHARED_DIR", "EBADENGINE"]) expect(readme).toContain(name);
  });
});

it("ships the MIT licence package.json declares", () => {
  expect(packageJson.license).toBe("MIT");
  const licence = read("LICENSE");
  expect(licence).toMatch(/^MIT License\n\nCopyright \(c\) \d{4} compshare-bot authors\n/);
  expect(licence).toContain('THE SOFTWARE IS PROVIDED "AS IS"');
});
