import { randomBytes } from "node:crypto";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { keyIdOf } from "../../src/store/credential-cipher.ts";
import { CredentialDecryptError, InvalidStoreInputError, openStore, type Store } from "../../src/store/index.ts";
import { MIGRATIONS } from "../../src/store/migrations.ts";
import { memoryLogger } from "../helpers/memory-log.ts";
import { HOUR, MINUTE, manualClock, rawQuery, type StoreTarget, secretForms, storeTargets } from "./harness.ts";

const KEY_A = randomBytes(32);
const KEY_B = randomBytes(32);
const UNRELATED_KEY = randomBytes(32);
const ALL_KEYS = [KEY_A, KEY_B, UNRELATED_KEY];

const T1 = "T0001";
const T2 = "T0002";

function credentials(userId: string, teamId = T1) {
  return {
    teamId,
    userId,
    publicKey: `pub-${userId}-${randomBytes(6).toString("hex")}`,
    privateKey: `priv-${userId}-${randomBytes(12).toString("base64url")}`,
    region: "cn-wlcb",
    zone: "cn-wlcb-01",
  };
}

const targets = await storeTargets("test/store/store.test.ts");

describe.each(targets)("store on $name", ({ make }) => {
  let target: StoreTarget;
  let clock: ReturnType<typeof manualClock>;
  const opened: Store[] = [];

  beforeAll(() => {
    target = make();
  });
  afterAll(async () => {
    await target.cleanup();
  });
  beforeEach(() => {
    clock = manualClock();
  });
  afterEach(async () => {
    for (const store of opened.splice(0)) await store.close();
  });

  async function open(options: { url?: string; keys?: Buffer[] } = {}) {
    const url = options.url ?? (await target.newUrl());
    const store = await openStore({ url, keys: options.keys ?? [KEY_A], clock: clock.now });
    opened.push(store);
    return { store, url };
  }

  it("reports its driver and is ready once open, not after close", async () => {
    const { store } = await open();
    expect(store.driver).toBe(target.name);
    expect(await store.ready()).toEqual({ ok: true });
    await store.close();
    expect(await store.ready()).toEqual({ ok: false, reason: "the store is closed" });
  });

  it("is not ready when the schema lacks a migration", async () => {
    const { store, url } = await open();
    await rawQuery(url, "DELETE FROM schema_migrations");
    const readiness = await store.ready();
    expect(readiness.ok).toBe(false);
    expect(readiness).toMatchObject({ reason: expect.stringContaining("version 0") });
  });

  describe("migrations", () => {
    it("records every migration once and applies none on reopen", async () => {
      const { store, url } = await open();
      await store.close();
      await open({ url });
      const rows = await rawQuery(url, "SELECT version, name FROM schema_migrations ORDER BY version");
      expect(rows.map((r) => [Number(r.version), r.name])).toEqual(MIGRATIONS.map((m) => [m.version, m.name]));
    });

    it("applies them once when several stores open the same fresh database together", async () => {
      const url = await target.newUrl();
      const stores = await Promise.all(Array.from({ length: 4 }, () => open({ url })));
      for (const { store } of stores) expect(await store.ready()).toEqual({ ok: true });
      const rows = await rawQuery(url, "SELECT version FROM schema_migrations");
      expect(rows).toHaveLength(MIGRATIONS.length);
    });
  });

  describe("credentials", () => {
    it("stores, reads back and deletes a user's keys", async () => {
      const { store } = await open();
      const input = { ...credentials("U1"), projectId: "org-abc" };
      const saved = await store.credentials.upsert(input);
      expect(saved).toEqual({ ...input, createdAt: clock.now(), updatedAt: clock.now() });
      expect(await store.credentials.get(T1, "U1")).toEqual(saved);
      expect(await store.credentials.get(T1, "U2")).toBeUndefined();
      expect(await store.credentials.get(T2, "U1")).toBeUndefined();
      expect(await store.credentials.delete(T1, "U1")).toBe(true);
      expect(await store.credentials.delete(T1, "U1")).toBe(false);
      expect(await store.credentials.get(T1, "U1")).toBeUndefined();
    });

    it("overwrites on a second login, keeping the creation time", async () => {
      const { store } = await open();
      const first = await store.credentials.upsert({ ...credentials("U1"), projectId: "org-1" });
      clock.advance(5 * MINUTE);
      const second = credentials("U1");
      await store.credentials.upsert({ ...second, region: "cn-sh2", zone: "cn-sh2-02" });
      expect(await store.credentials.get(T1, "U1")).toEqual({
        ...second,
        region: "cn-sh2",
        zone: "cn-sh2-02",
        createdAt: first.createdAt,
        updatedAt: clock.now(),
      });
    });

    it("keeps teams apart", async () => {
      const { store } = await open();
      const a = credentials("U1", T1);
      const b = credentials("U1", T2);
      await store.credentials.upsert(a);
      await store.credentials.upsert(b);
      expect((await store.credentials.get(T1, "U1"))?.privateKey).toBe(a.privateKey);
      expect((await store.credentials.get(T2, "U1"))?.privateKey).toBe(b.privateKey);
    });

    it("refuses malformed input without echoing the private key", async () => {
      const { store } = await open();
      const privateKey = `secret-${"x".repeat(600)}`;
      const error = await store.credentials.upsert({ ...credentials("U1"), privateKey }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InvalidStoreInputError);
      expect(String((error as Error).message)).toContain("privateKey");
      expect(String((error as Error).message)).not.toContain("secret-");
      await expect(store.credentials.upsert({ ...credentials("U1"), teamId: "" })).rejects.toBeInstanceOf(
        InvalidStoreInputError,
      );
    });

    it("keeps no private key in clear in the database", async () => {
      const { store, url } = await open();
      const input = credentials("U1");
      await store.credentials.upsert(input);
      const [row] = await rawQuery(url, "SELECT * FROM credentials");
      const dump = JSON.stringify(row, (_key, value) =>
        value instanceof Uint8Array ? Buffer.from(value).toString("latin1") : value,
      );
      expect(dump).toContain(input.publicKey);
      for (const form of secretForms(input.privateKey)) expect(dump).not.toContain(form);
      expect(row?.key_id).toBe(keyIdOf(KEY_A));
    });

    it("rotates: old records read under [B, A], are re-encrypted, then read under [B] alone", async () => {
      const { store: underA, url } = await open({ keys: [KEY_A] });
      const users = ["U1", "U2", "U3"].map((u) => credentials(u));
      for (const u of users) await underA.credentials.upsert(u);
      await underA.close();

      const { store: rotating } = await open({ url, keys: [KEY_B, KEY_A] });
      expect((await rotating.credentials.get(T1, "U2"))?.privateKey).toBe(users[1]?.privateKey);
      clock.advance(MINUTE);
      expect(await rotating.credentials.rotate()).toEqual({ reencrypted: 3 });
      expect(await rotating.credentials.rotate()).toEqual({ reencrypted: 0 });
      // Rotation moves ciphertext, not the user's record: the update time is the user's.
      expect((await rotating.credentials.get(T1, "U1"))?.updatedAt).toEqual(new Date(clock.now().getTime() - MINUTE));
      await rotating.close();

      const { store: underB } = await open({ url, keys: [KEY_B] });
      for (const u of users) expect((await underB.credentials.get(T1, u.userId))?.privateKey).toBe(u.privateKey);

      const { store: onlyA } = await open({ url, keys: [KEY_A] });
      await expect(onlyA.credentials.get(T1, "U1")).rejects.toBeInstanceOf(CredentialDecryptError);
    });

    it("fails clearly, without key material, under an unrelated key", async () => {
      const { store, url } = await open({ keys: [KEY_A] });
      const input = credentials("U1");
      await store.credentials.upsert(input);
      const { store: wrong } = await open({ url, keys: [UNRELATED_KEY] });
      const error = await wrong.credentials.get(T1, "U1").catch((e: unknown) => e);
      expect(error).toBeInstanceOf(CredentialDecryptError);
      const message = (error as CredentialDecryptError).message;
      expect(message).toContain("U1");
      expect(message).toContain(keyIdOf(KEY_A));
      expect(message).toContain("CREDENTIALS_KEY");
      for (const key of ALL_KEYS) for (const form of secretForms(key)) expect(message).not.toContain(form);
      for (const form of secretForms(input.privateKey)) expect(message).not.toContain(form);
      expect((error as CredentialDecryptError).code).toBe("credential_decrypt");
    });

    it("refuses a record copied or moved to another user", async () => {
      const { store, url } = await open();
      await store.credentials.upsert(credentials("U1"));
      await rawQuery(
        url,
        `INSERT INTO credentials (team_id, user_id, public_key, key_id, nonce, private_key_sealed, region, zone, project_id, created_at, updated_at)
         SELECT team_id, 'U2', public_key, key_id, nonce, private_key_sealed, region, zone, project_id, created_at, updated_at
         FROM credentials WHERE user_id = 'U1'`,
      );
      await rawQuery(url, "UPDATE credentials SET team_id = ? WHERE user_id = 'U1'", [T2]);
      await expect(store.credentials.get(T1, "U2")).rejects.toThrow(/altered or belongs to another user/);
      await expect(store.credentials.get(T2, "U1")).rejects.toBeInstanceOf(CredentialDecryptError);
    });

    it("rolls back a rotation that fails halfway, leaving every record as it was", async () => {
      const url = await target.newUrl();
      const { store: underA } = await open({ url, keys: [KEY_A] });
      const { store: underOther } = await open({ url, keys: [UNRELATED_KEY] });
      const [u1, u2, u3] = ["U1", "U2", "U3"].map((u) => credentials(u));
      if (u1 === undefined || u2 === undefined || u3 === undefined) throw new Error("unreachable");
      await underA.credentials.upsert(u1);
      await underOther.credentials.upsert(u2); // second in rotation order, and unreadable to [B, A]
      await underA.credentials.upsert(u3);

      const { store: rotating } = await open({ url, keys: [KEY_B, KEY_A] });
      await expect(rotating.credentials.rotate()).rejects.toThrow(/user U2/);

      // U1 was re-encrypted under B inside the transaction before U2 failed; the rollback undid it.
      const rows = await rawQuery(url, "SELECT user_id, key_id FROM credentials ORDER BY user_id");
      expect(rows.map((r) => [r.user_id, r.key_id])).toEqual([
        ["U1", keyIdOf(KEY_A)],
        ["U2", keyIdOf(UNRELATED_KEY)],
        ["U3", keyIdOf(KEY_A)],
      ]);
      expect((await underA.credentials.get(T1, "U1"))?.privateKey).toBe(u1.privateKey);
    });

    it("logs no private key or credentials key", async () => {
      const mem = memoryLogger("trace");
      const url = await target.newUrl();
      const first = await openStore({ url, keys: [KEY_A], clock: clock.now, logger: mem.logger });
      opened.push(first);
      const input = credentials("U1");
      await first.credentials.upsert(input);
      const second = await openStore({ url, keys: [KEY_B, KEY_A], clock: clock.now, logger: mem.logger });
      opened.push(second);
      await second.credentials.rotate();
      await second.credentials.get(T1, "U1");
      expect(mem.text()).toContain("re-encrypted stored credentials");
      for (const form of [...secretForms(input.privateKey), ...ALL_KEYS.flatMap((k) => secretForms(k))]) {
        expect(mem.text()).not.toContain(form);
      }
    });
  });

  describe("audit log", () => {
    it("appends and queries by team, actor and time range, newest first", async () => {
      const { store } = await open();
      const t0 = clock.now();
      await store.audit.append({ teamId: T1, actorId: "U1", action: "login", result: "ok" });
      clock.advance(MINUTE);
      await store.audit.append({
        teamId: T1,
        actorId: "U2",
        action: "image.update",
        target: "compshareImage-1",
        result: "error",
        detail: { retCode: 171, message: "signature error", retried: false, field: null },
      });
      clock.advance(MINUTE);
      await store.audit.append({ teamId: T1, actorId: "U1", action: "logout", result: "ok" });
      await store.audit.append({ teamId: T2, actorId: "U1", action: "login", result: "ok" });
      await store.audit.append({
        teamId: T1,
        actorId: "U1",
        action: "backfill",
        result: "ok",
        at: new Date(t0.getTime() - HOUR),
      });

      const all = await store.audit.query({ teamId: T1 });
      expect(all.map((e) => e.action)).toEqual(["logout", "image.update", "login", "backfill"]);
      expect(all[1]).toEqual({
        id: expect.any(Number),
        at: new Date(t0.getTime() + MINUTE),
        teamId: T1,
        actorId: "U2",
        action: "image.update",
        target: "compshareImage-1",
        result: "error",
        detail: { retCode: 171, message: "signature error", retried: false, field: null },
      });
      expect((await store.audit.query({ teamId: T1, userId: "U1" })).map((e) => e.action)).toEqual([
        "logout",
        "login",
        "backfill",
      ]);
      const window = await store.audit.query({ teamId: T1, from: t0, to: new Date(t0.getTime() + 2 * MINUTE) });
      expect(window.map((e) => e.action)).toEqual(["image.update", "login"]);
      expect((await store.audit.query({ teamId: T1, limit: 2 })).map((e) => e.action)).toEqual([
        "logout",
        "image.update",
      ]);
      expect(await store.audit.query({ teamId: "T9" })).toEqual([]);
    });

    it("refuses detail keys that look like secrets, and non-scalar values, writing nothing", async () => {
      const { store } = await open();
      const base = { teamId: T1, actorId: "U1", action: "login", result: "ok" };
      for (const key of [
        "privateKey",
        "private_key",
        "token",
        "botToken",
        "Signature",
        "password",
        "apiKey",
        "key",
        "clientSecret",
      ]) {
        const error = await store.audit.append({ ...base, detail: { [key]: "value-123" } }).catch((e: unknown) => e);
        expect(error, key).toBeInstanceOf(InvalidStoreInputError);
        expect((error as Error).message).not.toContain("value-123");
      }
      await expect(store.audit.append({ ...base, detail: { note: "xoxb-fake-abcdefghij" } })).rejects.toBeInstanceOf(
        InvalidStoreInputError,
      );
      await expect(
        store.audit.append({ ...base, detail: { nested: { a: 1 } } as unknown as Record<string, string> }),
      ).rejects.toBeInstanceOf(InvalidStoreInputError);
      expect(await store.audit.query({ teamId: T1 })).toEqual([]);
      await store.audit.append({ ...base, detail: { publicKey: "pub-123", keyId: "ab12cd34" } });
      expect(await store.audit.query({ teamId: T1 })).toHaveLength(1);
    });
  });
});
