import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { boltLevelFor, toBoltLogger } from "../src/log.ts";
import { memoryLogger } from "./helpers/memory-log.ts";

const botToken = "xoxb-fake-0987654321-AbCdEfGhIjKlMnOpQrStUvWx";
const appToken = "xapp-fake-A0123456789-abcdef0123456789";
const signingSecret = "8f742231b10e8888abcd99yyyzzz85a5";
const credentialsKey = randomBytes(32).toString("base64");
const privateKey = "46f09bb9fab4f12dfc160dae12273d5332b5debe";
const userPrivateKey = "Zx9-userprivatekey-QQQ";
const signature = "4f9ef5df2abab2c6fccd1e9515cb7e2df8c6bb65";
const instancePassword = Buffer.from("Root-Pw-9c1e4a77f0").toString("base64");
const ALL = [
  botToken,
  appToken,
  signingSecret,
  credentialsKey,
  privateKey,
  userPrivateKey,
  signature,
  instancePassword,
];

function logEverything() {
  // Only the process's own secrets are known to the scrubber; a user's private key never is.
  const mem = memoryLogger("trace", [signingSecret, credentialsKey]);
  const { logger } = mem;
  for (const level of ["trace", "debug", "info", "warn", "error", "fatal"] as const) {
    // by path
    logger[level]({ token: botToken, slack: { botToken, appToken, signingSecret } }, "paths");
    logger[level]({ credentials: { publicKey: "pub", privateKey }, CREDENTIALS_KEY: credentialsKey }, "nested");
    logger[level]({ params: { Action: "DescribeCompShareImages", Signature: signature, PublicKey: "pub" } }, "params");
    logger[level]({ req: { headers: { authorization: `Bearer ${botToken}` } } }, "headers");
    // by structure, at any depth and inside arrays
    logger[level]({ a: { b: { c: { d: { account: { publicKey: "pub", privateKey: userPrivateKey } } } } } }, "deep");
    logger[level]({ accounts: [{ PrivateKey: userPrivateKey }, { private_key: userPrivateKey }] }, "array");
    logger[level]({ instance: { UHostId: "uhost-1", Password: instancePassword } }, "instance");
    logger
      .child({ component: "c" })
      .child({ credentials: { privateKey: userPrivateKey } })
      [level]("child bindings");
    // by pattern and by known value, in free text
    logger[level](`calling with token=${botToken} and ${appToken}`);
    logger[level](`body Action=X&PublicKey=pub&Signature=${signature}`);
    logger[level](`json {"Signature":"${signature}"}`);
    logger[level](`the secret is ${signingSecret} and key ${credentialsKey}`);
    logger[level]({ err: new Error(`failed with ${botToken} / ${signingSecret}`) }, "error object");
    logger[level]({ deep: { deeper: { deepest: { note: `x ${signingSecret}` } } } }, "deep");
  }
  const bolt = toBoltLogger(logger);
  bolt.setLevel(boltLevelFor("debug"));
  bolt.debug("bolt debug", { token: botToken, body: `Signature=${signature}` });
  bolt.info("bolt info", { headers: { Authorization: `Bearer ${appToken}` } });
  bolt.warn(`bolt warn ${signingSecret}`);
  bolt.error(new Error(`bolt error ${credentialsKey}`));
  return mem;
}

describe("logger redaction", () => {
  it("writes no secret value at any level, by path, pattern or known value", () => {
    const mem = logEverything();
    expect(mem.lines.length).toBeGreaterThanOrEqual(88);
    const text = mem.text();
    for (const secret of ALL) expect(text).not.toContain(secret);
    expect(text).toContain("[REDACTED]");
    // what is not secret survives
    expect(text).toContain("DescribeCompShareImages");
    expect(text).toContain('"publicKey":"pub"');
  });

  it("censors by copying: the caller's objects keep their values, and cycles are fine", () => {
    const mem = memoryLogger("info");
    const account = { publicKey: "pub", privateKey: userPrivateKey, tags: ["a", { token: botToken }] };
    const cyclic: Record<string, unknown> = { name: "loop", password: "hunter2-hunter2" };
    cyclic.self = cyclic;
    mem.logger.info({ account, cyclic }, "objects");
    expect(account.privateKey).toBe(userPrivateKey);
    expect(account.tags[1]).toEqual({ token: botToken });
    expect(mem.records()[0]).toMatchObject({
      account: { publicKey: "pub", privateKey: "[REDACTED]", tags: ["a", { token: "[REDACTED]" }] },
      cyclic: { name: "loop", password: "[REDACTED]" },
    });
  });

  it("leaves ordinary text alone", () => {
    const mem = memoryLogger("info", [signingSecret]);
    mem.logger.info({ imageId: "compshareImage-abc123", user: "U123" }, "listed 20 images");
    expect(mem.records()[0]).toMatchObject({ imageId: "compshareImage-abc123", user: "U123", msg: "listed 20 images" });
  });
});

describe("Bolt logger adapter", () => {
  it("names the component and formats arguments", () => {
    const mem = memoryLogger("debug");
    const bolt = toBoltLogger(mem.logger);
    bolt.setName("bolt-app");
    bolt.info("hello", 42, { a: 1 });
    const [record] = mem.records();
    expect(record).toMatchObject({ component: "bolt-app", msg: "hello 42 { a: 1 }" });
  });

  it("maps levels and never goes below the root level", () => {
    const mem = memoryLogger("warn");
    const bolt = toBoltLogger(mem.logger);
    bolt.setLevel(boltLevelFor("debug"));
    expect(bolt.getLevel()).toBe("warn");
    bolt.info("dropped");
    bolt.warn("kept");
    expect(mem.records().map((r) => r.msg)).toEqual(["kept"]);
    bolt.setLevel(boltLevelFor("error"));
    expect(bolt.getLevel()).toBe("error");
  });

  it("stays silent when the root is silent", () => {
    const mem = memoryLogger("silent");
    const bolt = toBoltLogger(mem.logger);
    bolt.setLevel(boltLevelFor("debug"));
    bolt.error("nothing");
    expect(mem.lines).toEqual([]);
  });
});
