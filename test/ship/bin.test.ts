import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";

/**
 * bin/compshare-bot.js picks what to run: the sources in a clone, even when an older build sits
 * in dist/ (built once, edited since), and dist/ only where there are no sources.
 */

const BIN = new URL("../../bin/compshare-bot.js", import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), "compshare-bin-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function layout(files: Record<string, string>): void {
  mkdirSync(join(dir, "bin"), { recursive: true });
  copyFileSync(BIN, join(dir, "bin/compshare-bot.js"));
  writeFileSync(join(dir, "package.json"), JSON.stringify({ type: "module" }));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, ".."), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
}

const runBin = (...args: string[]) =>
  spawnSync(process.execPath, [join(dir, "bin/compshare-bot.js"), ...args], { encoding: "utf8" });

it("runs the sources even when dist/ holds a build, older or newer", () => {
  layout({
    "src/main.ts": 'console.log("src", process.argv.slice(2).join(" "));\n',
    "dist/main.js": 'console.log("dist");\n',
  });
  const past = new Date(Date.now() - 3600_000);
  utimesSync(join(dir, "dist/main.js"), past, past);
  expect(runBin("doctor", "--help").stdout).toBe("src doctor --help\n");
  const future = new Date(Date.now() + 3600_000);
  utimesSync(join(dir, "dist/main.js"), future, future);
  expect(runBin().stdout).toBe("src \n");
});

it("runs dist/ where there are no sources (an install of compiled code)", () => {
  rmSync(join(dir, "src"), { recursive: true, force: true });
  expect(runBin().stdout).toBe("dist\n");
});
