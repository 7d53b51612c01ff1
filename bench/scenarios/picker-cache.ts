import { spawn } from "node:child_process";
import { imageNodeFlags } from "../rig.ts";
import { round } from "../stats.ts";

export interface PickerCacheSide {
  /** V8 flags the child ran with. */
  flags: string[];
  /** Heap in use after a full GC, less the heap before the users came. */
  cacheMB: number;
  heapAfterMB: number;
  usersCached: number;
  imagesCached: number;
}

export interface PickerCacheResult {
  users: number;
  imagesPerUser: number;
  /** The picker catalogue as shipped, under the image's heap cap. */
  bounded: PickerCacheSide;
  /** The same with no bound on images: what the cache held before it had one. */
  unbounded: PickerCacheSide;
}

const USERS = 500;
const IMAGES_PER_LIST = 1000;
/** The image's CMD (Dockerfile). */
const IMAGE_FLAGS = imageNodeFlags();
const CHILD = new URL("../picker-cache-process.ts", import.meta.url).pathname;

/**
 * The reinstall picker's worst case: 500 users typing within its TTL, each with 3,000 images
 * (1,000 own, 1,000 shared, 1,000 platform). Each side runs in a fresh process of its own.
 */
export async function measurePickerCache(): Promise<PickerCacheResult> {
  const bounded = await run(IMAGE_FLAGS, "default");
  const unbounded = await run(["--max-old-space-size=1024"], "Infinity");
  return { users: USERS, imagesPerUser: 3 * IMAGES_PER_LIST, bounded, unbounded };
}

async function run(flags: string[], maxImages: string): Promise<PickerCacheSide> {
  const child = spawn(
    process.execPath,
    ["--expose-gc", ...flags, CHILD, String(USERS), String(IMAGES_PER_LIST), maxImages],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  let out = "";
  child.stdout.on("data", (chunk: Buffer) => {
    out += chunk.toString("utf8");
  });
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  if (code !== 0) throw new Error(`picker cache child (${flags.join(" ")}) exited ${code}`);
  const line = JSON.parse(out.trim()) as Omit<PickerCacheSide, "flags">;
  return {
    flags,
    cacheMB: round(line.cacheMB, 1),
    heapAfterMB: round(line.heapAfterMB, 1),
    usersCached: line.usersCached,
    imagesCached: line.imagesCached,
  };
}
