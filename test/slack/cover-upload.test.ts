import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CoverContentError,
  CoverTooLargeError,
  CoverUnreadableError,
  readCoverUpload,
} from "../../src/slack/interactions/cover-upload.ts";

/**
 * The parts of reading a cover the e2e tests cannot reach through the fake Slack: where the bot
 * token may go, redirects, a cap below the file's real size, and a deadline that runs out.
 */

const TOKEN = "xoxb-test-token-never-elsewhere";
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4]);

let server: Server;
let origin = "";
const seen: { path: string; authorization: string | undefined }[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push({ path: req.url ?? "", authorization: req.headers.authorization });
    if (req.url === "/files/redirect") res.writeHead(302, { location: `${origin}/files/png` }).end();
    else if (req.url === "/files/gone") res.writeHead(404).end();
    else if (req.url === "/files/text") res.writeHead(200).end("just text, no image");
    else res.writeHead(200, { "content-type": "image/png" }).end(PNG);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

function source(url: string, slackApiUrl = `${origin}/api/`, size = PNG.length) {
  return {
    files: {
      info: async () => ({
        ok: true,
        file: { id: "F1", filetype: "png", mimetype: "image/png", size, url_private_download: url },
      }),
    },
    botToken: TOKEN,
    slackApiUrl,
  };
}

const signal = () => new AbortController().signal;

describe("reading a cover", () => {
  it("downloads from the Web API's own origin with the bot token", async () => {
    const cover = await readCoverUpload(source(`${origin}/files/png`), "F1", { signal: signal() });
    expect(cover).toEqual({ base64: PNG.toString("base64"), format: "png", bytes: PNG.length });
    expect(seen.at(-1)).toEqual({ path: "/files/png", authorization: `Bearer ${TOKEN}` });
  });

  it("never sends the token to a host that is not Slack's", async () => {
    const before = seen.length;
    const reading = readCoverUpload(source(`${origin}/files/png`, "https://slack.com/api/"), "F1", {
      signal: signal(),
    });
    await expect(reading).rejects.toBeInstanceOf(CoverUnreadableError);
    expect(seen.length).toBe(before);
  });

  it("does not follow a redirect, which could lead the token anywhere", async () => {
    await expect(readCoverUpload(source(`${origin}/files/redirect`), "F1", { signal: signal() })).rejects.toThrow(
      "HTTP 302",
    );
    expect(seen.at(-1)?.path).toBe("/files/redirect");
  });

  it("refuses a failed download and bytes that are no image", async () => {
    await expect(readCoverUpload(source(`${origin}/files/gone`), "F1", { signal: signal() })).rejects.toBeInstanceOf(
      CoverUnreadableError,
    );
    await expect(readCoverUpload(source(`${origin}/files/text`), "F1", { signal: signal() })).rejects.toBeInstanceOf(
      CoverContentError,
    );
  });

  it("stops reading at the cap, whatever size the file reported", async () => {
    const reading = readCoverUpload(source(`${origin}/files/png`, undefined, 1), "F1", {
      signal: signal(),
      maxBytes: PNG.length - 1,
    });
    await expect(reading).rejects.toBeInstanceOf(CoverTooLargeError);
  });

  it("gives up on files.info when the deadline passes, and says it was the time", async () => {
    const deadline = new AbortController();
    const reading = readCoverUpload(
      { files: { info: () => new Promise(() => undefined) }, botToken: TOKEN, slackApiUrl: `${origin}/api/` },
      "F1",
      { signal: deadline.signal },
    );
    deadline.abort();
    const error = await reading.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CoverUnreadableError);
    expect((error as CoverUnreadableError).timedOut).toBe(true);
  });

  it("keeps the token out of every error it throws", async () => {
    const errors = await Promise.all(
      ["/files/redirect", "/files/gone", "/files/text"].map((path) =>
        readCoverUpload(source(`${origin}${path}`), "F1", { signal: signal() }).catch((e: unknown) => e),
      ),
    );
    for (const error of errors) expect(JSON.stringify(error, Object.getOwnPropertyNames(error))).not.toContain(TOKEN);
  });
});
