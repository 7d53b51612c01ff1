import { readFileSync } from "node:fs";

/**
 * The package's version, read from package.json beside src/ (a clone) or dist/ (the image, which
 * copies package.json next to dist/), so it is never a second copy that can drift.
 */
export const BOT_VERSION: string = readVersion();

function readVersion(): string {
  const text = readFileSync(new URL("../package.json", import.meta.url), "utf8");
  const version = (JSON.parse(text) as { version?: unknown }).version;
  if (typeof version !== "string") throw new Error("package.json has no version");
  return version;
}
