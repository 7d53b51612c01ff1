import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { openStore, StoreConfigError, StoreUnavailableError } from "../../src/store/index.ts";
import { parseStoreUrl } from "../../src/store/store-url.ts";

describe("parseStoreUrl", () => {
  it("resolves sqlite paths against the working directory", () => {
    expect(parseStoreUrl("sqlite:./data/compshare-bot.sqlite", "/srv/bot")).toEqual({
      driver: "sqlite",
      path: "/srv/bot/data/compshare-bot.sqlite",
    });
    expect(parseStoreUrl("sqlite:data/x.sqlite", "/srv/bot")).toEqual({
      driver: "sqlite",
      path: "/srv/bot/data/x.sqlite",
    });
    expect(parseStoreUrl("sqlite:/var/lib/bot.sqlite", "/srv/bot")).toEqual({
      driver: "sqlite",
      path: "/var/lib/bot.sqlite",
    });
    expect(parseStoreUrl("sqlite:///var/lib/bot.sqlite", "/srv/bot")).toEqual({
      driver: "sqlite",
      path: "/var/lib/bot.sqlite",
    });
    expect(parseStoreUrl("sqlite::memory:")).toEqual({ driver: "sqlite", path: ":memory:" });
  });

  it("takes ?schema= off a postgres URL and describes the target without the password", () => {
    expect(parseStoreUrl("postgres://bot:s3cr3t-pw@db.internal:6543/compshare?schema=bot_v1&sslmode=require")).toEqual({
      driver: "postgres",
      connectionString: "postgres://bot:s3cr3t-pw@db.internal:6543/compshare?sslmode=require",
      schema: "bot_v1",
      target: "db.internal:6543/compshare",
    });
    expect(parseStoreUrl("postgresql://db/bot")).toEqual({
      driver: "postgres",
      connectionString: "postgresql://db/bot",
      target: "db:5432/bot",
    });
  });

  it("refuses what it cannot use, without echoing the URL", () => {
    for (const url of ["mysql://root:pw-123456@db/x", "sqlite:", "postgres://u:pw-123456@db/x?schema=Drop;Table"]) {
      const error = (() => {
        try {
          parseStoreUrl(url);
        } catch (e) {
          return e as Error;
        }
      })();
      expect(error, url).toBeInstanceOf(StoreConfigError);
      expect(error?.message).not.toContain("pw-123456");
    }
  });
});

describe("openStore", () => {
  it("reports an unreachable PostgreSQL as unavailable, without the password", async () => {
    const error = await openStore({
      url: "postgres://bot:pw-9f8e7d6c@127.0.0.1:1/compshare",
      keys: [randomBytes(32)],
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreUnavailableError);
    expect((error as Error).message).toContain("127.0.0.1:1/compshare");
    expect((error as Error).message).not.toContain("pw-9f8e7d6c");
  });

  it("opens an in-memory SQLite store for tests that need no file", async () => {
    const store = await openStore({ url: "sqlite::memory:", keys: [randomBytes(32)] });
    expect(await store.ready()).toEqual({ ok: true });
    await store.close();
  });

  it("refuses a bad keyring before touching the database", async () => {
    await expect(openStore({ url: "sqlite::memory:", keys: [] })).rejects.toBeInstanceOf(StoreConfigError);
  });
});
