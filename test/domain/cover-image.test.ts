import { describe, expect, it } from "vitest";
import { claimsCoverFormat, sniffCoverFormat } from "../../src/domain/cover-image.ts";

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16]);
const WEBP = Buffer.concat([Buffer.from("RIFF"), Buffer.from([36, 0, 0, 0]), Buffer.from("WEBPVP8 ")]);

describe("the cover's format comes from its bytes", () => {
  it.each([
    ["png", PNG],
    ["jpeg", JPEG],
    ["webp", WEBP],
  ])("recognises %s", (format, bytes) => {
    expect(sniffCoverFormat(bytes)).toBe(format);
  });

  it.each([
    ["a GIF", Buffer.from("GIF89a\u0001\u0000")],
    ["an HTML sign-in page", Buffer.from("<!DOCTYPE html><html>")],
    ["a RIFF that is not WebP", Buffer.concat([Buffer.from("RIFF"), Buffer.alloc(4), Buffer.from("WAVE")])],
    ["a PNG signature cut short", PNG.subarray(0, 7)],
    ["nothing", Buffer.alloc(0)],
  ])("refuses %s", (_what, bytes) => {
    expect(sniffCoverFormat(bytes)).toBeUndefined();
  });
});

describe("what Slack claims about a file", () => {
  it.each([
    [{ filetype: "png", mimetype: "image/png" }, true],
    [{ filetype: "JPG", mimetype: "image/jpeg" }, true],
    [{ filetype: "webp" }, true],
    [{ mimetype: "image/webp" }, true],
    [{ filetype: "gif", mimetype: "image/gif" }, false],
    [{ filetype: "png", mimetype: "text/html" }, false],
    [{ filetype: "svg", mimetype: "image/png" }, false],
    [{}, false],
  ])("%o is accepted: %s", (file, accepted) => {
    expect(claimsCoverFormat(file)).toBe(accepted);
  });
});
