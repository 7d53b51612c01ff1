import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectedSignature } from "../../src/simulator/signature.ts";
import { type Simulator, startSimulator } from "../../src/simulator/simulator.ts";
import { postForm } from "./sim-client.ts";

interface Vector {
  source: string;
  flattened: Record<string, string>;
  signature: string;
}
const fixture = JSON.parse(
  readFileSync(new URL("../fixtures/ucloud-signature-vectors.json", import.meta.url), "utf8"),
) as { publicKey: string; privateKey: string; vectors: Vector[] };

describe("the simulator's own signature check", () => {
  it("computes every official vector's signature from the flattened params", () => {
    expect(fixture.vectors.length).toBeGreaterThanOrEqual(5);
    for (const vector of fixture.vectors) {
      const received = { ...vector.flattened, PublicKey: fixture.publicKey, Signature: "ignored" };
      expect(expectedSignature(received, fixture.privateKey), vector.source).toBe(vector.signature);
    }
  });
});

/**
 * A signer built here by hand, so that each way of getting the algorithm subtly wrong can be
 * sent over real HTTP. With the defaults it is the vendor's algorithm.
 */
interface SignerVariant {
  compareKeys?: (a: string, b: string) => number;
  encodeValue?: (value: string) => string;
  pair?: (key: string, value: string) => string;
  separator?: string;
  withPublicKey?: boolean;
  keyFirst?: boolean;
}

function handSigned(params: Record<string, string>, keys: { publicKey: string; privateKey: string }, v: SignerVariant) {
  const all: Record<string, string> = { ...params, PublicKey: keys.publicKey };
  const signedKeys = Object.keys(all)
    .filter((key) => v.withPublicKey !== false || key !== "PublicKey")
    .sort(v.compareKeys ?? ((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
  const encode = v.encodeValue ?? ((value: string) => value);
  const pair = v.pair ?? ((key: string, value: string) => key + value);
  const body = signedKeys.map((key) => pair(key, encode(all[key] ?? ""))).join(v.separator ?? "");
  const text = v.keyFirst ? keys.privateKey + body : body + keys.privateKey;
  return { ...all, Signature: createHash("sha1").update(text, "utf8").digest("hex") };
}

describe("requests signed with a subtly different algorithm", () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSimulator();
  });
  afterAll(() => sim.close());

  /** Eleven ids, so `UHostIds.10` and `UHostIds.2` sort differently as text and as numbers. */
  const listParams: Record<string, string> = {
    Action: "DescribeCompShareInstance",
    Region: "cn-wlcb",
    ...Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`UHostIds.${i}`, `uhost-none${i}`])),
  };
  /** Values a URL encoder changes (a space, CJK, a plus, a slash), and a key a locale sorts before Name. */
  const searchParams: Record<string, string> = {
    Action: "DescribeCompShareImages",
    Region: "cn-wlcb",
    Name: "深度 学习+a/b",
    lang: "en",
  };
  const numeric = new Intl.Collator("en", { numeric: true });

  it("accepts both requests signed exactly as the vendor documents (the control)", async () => {
    for (const params of [listParams, searchParams]) {
      const reply = await postForm(sim.url, handSigned(params, sim.demoAccount, {}));
      expect(reply.body, params.Action).toMatchObject({ RetCode: 0 });
    }
  });

  const variants: [string, Record<string, string>, SignerVariant][] = [
    ["keys sorted numerically (UHostIds.2 before UHostIds.10)", listParams, { compareKeys: numeric.compare }],
    ["keys sorted by locale (case-insensitive)", searchParams, { compareKeys: (a, b) => a.localeCompare(b) }],
    ["URL-escaped values", searchParams, { encodeValue: encodeURIComponent }],
    [
      "form-escaped values",
      searchParams,
      { encodeValue: (value) => new URLSearchParams({ x: value }).toString().slice(2) },
    ],
    ["key=value&… separators", searchParams, { pair: (key, value) => `${key}=${value}`, separator: "&" }],
    ["PublicKey left out of the signed string", searchParams, { withPublicKey: false }],
    ["private key put first", searchParams, { keyFirst: true }],
  ];
  for (const [name, params, variant] of variants) {
    it(`refuses ${name} with RetCode 171`, async () => {
      const reply = await postForm(sim.url, handSigned(params, sim.demoAccount, variant));
      expect(reply.status).toBe(200);
      expect(reply.body).toMatchObject({ RetCode: 171, Message: "Signature error" });
    });
  }
});
