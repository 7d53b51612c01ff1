#!/usr/bin/env node
// Runs the TypeScript sources (Node.js 24 strips types itself, so a clone needs no build step).
// The compiled dist/main.js runs only where there are no sources: an install of compiled code.
// A clone that was built once and edited since must never run the stale build in place of the
// edit, so dist/ never wins over src/; the image runs `node dist/main.js` directly.
import { existsSync } from "node:fs";

const major = Number(process.versions.node.split(".")[0]);
if (major < 24) {
  console.error(
    `compshare-bot needs Node.js 24; this is ${process.version}.\n` +
      "Run it through npm (npm start, npx compshare-bot …), which uses the Node.js 24 that `npm ci` installs into the project, or install Node.js 24.",
  );
  process.exit(1);
}
const source = new URL("../src/main.ts", import.meta.url);
await import(existsSync(source) ? source.href : new URL("../dist/main.js", import.meta.url).href);
