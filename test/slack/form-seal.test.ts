import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createFormSeal } from "../../src/slack/form-seal.ts";

/** A modal's private_metadata, bound to the user it was opened for. */

const ALICE = { teamId: "T0FAKE001", userId: "U0ALICE01" };
const BOB = { teamId: "T0FAKE001", userId: "U0BOB0001" };
const METADATA = JSON.stringify({ v: 1, i: "compshareImage-abc123" });

describe("form seal", () => {
  const key = randomBytes(32);
  const seal = createFormSeal([key], "image-update form");

  it("opens for the user it was sealed for, giving back the metadata", () => {
    expect(seal.open(ALICE, seal.seal(ALICE, METADATA))).toEqual({ ok: true, metadata: METADATA });
  });

  it("refuses another user, another team, and a form with no seal", () => {
    const sealed = seal.seal(ALICE, METADATA);
    expect(seal.open(BOB, sealed)).toEqual({ ok: false, why: "opened by another user" });
    expect(seal.open({ ...ALICE, teamId: "T0OTHER01" }, sealed)).toEqual({ ok: false, why: "not sealed" });
    expect(seal.open(ALICE, METADATA)).toEqual({ ok: false, why: "not sealed" });
    expect(seal.open(ALICE, undefined)).toEqual({ ok: false, why: "not sealed" });
  });

  it("refuses a form whose metadata or tag changed, or that claims another owner", () => {
    const sealed = seal.seal(ALICE, METADATA);
    expect(seal.open(ALICE, sealed.replace("abc123", "abc124"))).toEqual({ ok: false, why: "not sealed" });
    const [user, tag, ...rest] = sealed.split(".");
    const flipped = `${user}.${tag?.startsWith("A") ? "B" : "A"}${tag?.slice(1)}.${rest.join(".")}`;
    expect(seal.open(ALICE, flipped)).toEqual({ ok: false, why: "not sealed" });
    expect(seal.open(BOB, sealed.replace(ALICE.userId, BOB.userId))).toEqual({ ok: false, why: "not sealed" });
  });

  it("is keyed per purpose and by a key derived from, never equal to, CREDENTIALS_KEY", () => {
    const other = createFormSeal([key], "another form");
    expect(other.open(ALICE, seal.seal(ALICE, METADATA)).ok).toBe(false);
    const sealed = seal.seal(ALICE, METADATA);
    for (const form of [key.toString("base64"), key.toString("base64url"), key.toString("hex")]) {
      expect(sealed).not.toContain(form);
    }
  });

  it("still opens forms sealed before a key rotation", () => {
    const newKey = randomBytes(32);
    const before = seal.seal(ALICE, METADATA);
    const rotated = createFormSeal([newKey, key], "image-update form");
    expect(rotated.open(ALICE, before).ok).toBe(true);
    expect(seal.open(ALICE, rotated.seal(ALICE, METADATA)).ok).toBe(false);
  });
});
