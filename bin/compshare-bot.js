#!/usr/bin/env node
// Runs the compiled dist/main.js when present (the container image), otherwise the TypeScript
// sources directly: Node.js 24 strips types itself, so a clone needs no build step.
import { existsSync } from "node:fs";

const major = Number(process.versions.node.split(".")[0]);
if (major < 24) {
  console.error(
    `compshare-bot needs Node.js 24; this is ${process.version}.\n` +
      "Run it through npm (npm start, npx compshare-bot …), which uses the Node.js 24 that `npm ci` installs into the project, or install Node.js 24.",
  );
  process.exit(1);
}
const compiled = new URL("../dist/main.js", import.meta.url);
await import(existsSync(compiled) ? compiled.href : new URL("../src/main.ts", import.meta.url).href);
