import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { flattenParams, type ParamValue } from "../../src/compshare/params.ts";
import { signParams, stringToSign } from "../../src/compshare/signature.ts";

interface Vector {
  source: string;
  params: Record<string, ParamValue>;
  flattened: Record<string, string>;
  stringToSign: string;
  signature: string;
}
const fixture = JSON.parse(
  readFileSync(new URL("../fixtures/ucloud-signature-vectors.json", import.meta.url), "utf8"),
) as { publicKey: string; privateKey: string; vectors: Vector[] };

describe("signature vectors from the official SDKs' tests", () => {
  it("has vectors to check", () => {
    expect(fixture.vectors.length).toBeGreaterThanOrEqual(5);
  });
  for (const vector of fixture.vectors) {
    describe(vector.source, () => {
      const flat = flattenParams(vector.params);
      it("flattens as the SDKs send", () => {
        expect(flat).toEqual(vector.flattened);
      });
      it("builds the same string to sign", () => {
        expect(stringToSign(flat, fixture.publicKey, fixture.privateKey)).toBe(vector.stringToSign);
      });
      it("computes the same signature", () => {
        expect(signParams(flat, fixture.publicKey, fixture.privateKey)).toBe(vector.signature);
      });
    });
  }

  it("ignores a Signature already present in the params", () => {
    const flat = { Action: "DescribeUHostInstance", Region: "cn-bj2", Limit: "10" };
    const withSig = { ...flat, Signature: "deadbeef" };
    expect(signParams(withSig, fixture.publicKey, fixture.privateKey)).toBe(
      signParams(flat, fixture.publicKey, fixture.privateKey),
    );
  });

  it("changes when the private key changes", () => {
    const flat = { Action: "DescribeUHostInstance" };
    expect(signParams(flat, fixture.publicKey, "other")).not.toBe(
      signParams(flat, fixture.publicKey, fixture.privateKey),
    );
  });
});
