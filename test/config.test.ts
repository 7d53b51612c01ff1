import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { ConfigError, configSecrets, loadConfig, parseConfig } from "../src/config.ts";
import { actionConfigured, policyFromEnvironment } from "../src/domain/policy/index.ts";

const key = randomBytes(32).toString("base64");
const minimal = {
  SLACK_BOT_TOKEN: "xoxb-1111-2222-abcdefghijkl",
  SLACK_SIGNING_SECRET: "0123456789abcdef0123456789abcdef",
  CREDENTIALS_KEY: key,
};

describe("loadConfig", () => {
  it("applies the documented defaults", () => {
    const config = loadConfig(minimal);
    expect(config.slack.mode).toBe("http");
    expect(config.slack.apiUrl).toBe("https://slack.com/api/");
    expect(config.port).toBe(3000);
    expect(config.compshare).toEqual({
      apiUrl: "https://api.compshare.cn",
      region: "cn-wlcb",
      zone: "cn-wlcb-01",
      sandbox: false,
    });
    expect(config.databaseUrl).toBe("sqlite:./data/compshare-bot.sqlite");
    expect(config.credentialKeys).toHaveLength(1);
    expect(config.approval).toEqual({
      channel: undefined,
      approvers: [],
      allowSelfApproval: false,
      ttlMs: 86_400_000,
      approvalsRequired: 1,
    });
    expect(config.policyFile).toBeUndefined();
    expect(config.defaultLocale).toBe("en");
    expect(config.logLevel).toBe("info");
    expect(config.requestRetentionMs).toBe(90 * 86_400_000);
    expect(actionConfigured(policyFromEnvironment(config.approval), "reinstall")).toBe(false);
  });

  it("keeps finished requests for REQUEST_RETENTION, at least a day", () => {
    expect(loadConfig({ ...minimal, REQUEST_RETENTION: "30d" }).requestRetentionMs).toBe(30 * 86_400_000);
    const parsed = parseConfig({ ...minimal, REQUEST_RETENTION: "2h" });
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.problems.map((p) => p.variable)).toEqual(["REQUEST_RETENTION"]);
  });

  it("returns a frozen object", () => {
    const config = loadConfig(minimal);
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.slack)).toBe(true);
    expect(Object.isFrozen(config.approval.approvers)).toBe(true);
  });

  it("parses every variable of the contract", () => {
    const other = randomBytes(32).toString("base64");
    const config = loadConfig({
      ...minimal,
      SLACK_APP_TOKEN: "xapp-1-A111-222-abc",
      SLACK_API_URL: "http://127.0.0.1:9999/api",
      PORT: "8080",
      COMPSHARE_API_URL: "http://127.0.0.1:8787",
      COMPSHARE_REGION: "cn-sh2",
      COMPSHARE_ZONE: "cn-sh2-02",
      DATABASE_URL: "postgres://postgres@127.0.0.1:5432/test",
      CREDENTIALS_KEY: `${key}, ${other}`,
      APPROVAL_CHANNEL: "C0123ABCD",
      APPROVERS: "U012AB, W0XYZ,S0GROUP",
      ALLOW_SELF_APPROVAL: "true",
      APPROVAL_TTL: "1h30m",
      APPROVALS_REQUIRED: "2",
      POLICY_FILE: " ./policy.yml ",
      DEFAULT_LOCALE: "zh-CN",
      LOG_LEVEL: "debug",
      COMPSHARE_SANDBOX: "1",
    });
    expect(config.slack.mode).toBe("socket");
    expect(config.slack.apiUrl).toBe("http://127.0.0.1:9999/api/");
    expect(config.port).toBe(8080);
    expect(config.compshare).toEqual({
      apiUrl: "http://127.0.0.1:8787",
      region: "cn-sh2",
      zone: "cn-sh2-02",
      sandbox: true,
    });
    expect(config.credentialKeys.map((k) => k.toString("base64"))).toEqual([key, other]);
    expect(config.approval).toEqual({
      channel: "C0123ABCD",
      approvers: ["U012AB", "W0XYZ", "S0GROUP"],
      allowSelfApproval: true,
      ttlMs: 5_400_000,
      approvalsRequired: 2,
    });
    expect(config.policyFile).toBe("./policy.yml");
    expect(config.defaultLocale).toBe("zh-CN");
    expect(config.logLevel).toBe("debug");
    expect(actionConfigured(policyFromEnvironment(config.approval), "reinstall")).toBe(true);
  });

  it("needs no signing secret in Socket Mode", () => {
    const { SLACK_SIGNING_SECRET: _, ...rest } = minimal;
    expect(loadConfig({ ...rest, SLACK_APP_TOKEN: "xapp-1-abc" }).slack.mode).toBe("socket");
  });

  it("treats empty strings as unset", () => {
    expect(loadConfig({ ...minimal, PORT: "", APPROVERS: " " }).port).toBe(3000);
  });

  it("names every missing setting at once, with a hint", () => {
    const parsed = parseConfig({});
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.problems.map((p) => p.variable)).toEqual([
      "SLACK_BOT_TOKEN",
      "SLACK_SIGNING_SECRET",
      "CREDENTIALS_KEY",
    ]);
    for (const problem of parsed.problems) expect(problem.hint.length).toBeGreaterThan(20);
  });

  it("reports malformed and missing variables together, without echoing values", () => {
    const secretLooking = "not-a-token-SECRETVALUE123";
    let error: unknown;
    try {
      loadConfig({
        SLACK_BOT_TOKEN: secretLooking,
        CREDENTIALS_KEY: "c2hvcnQ=",
        PORT: "99999",
        APPROVERS: "alice",
        APPROVAL_CHANNEL: "#approvals",
        APPROVAL_TTL: "soon",
        DEFAULT_LOCALE: "fr",
        LOG_LEVEL: "loud",
        DATABASE_URL: "mysql://x",
        SLACK_API_URL: "ftp://x",
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const { problems, message } = error as ConfigError;
    expect(problems.map((p) => p.variable).sort()).toEqual(
      [
        "APPROVAL_CHANNEL",
        "APPROVAL_TTL",
        "APPROVERS",
        "CREDENTIALS_KEY",
        "DATABASE_URL",
        "DEFAULT_LOCALE",
        "LOG_LEVEL",
        "PORT",
        "SLACK_API_URL",
        "SLACK_BOT_TOKEN",
        "SLACK_SIGNING_SECRET",
      ].sort(),
    );
    expect(message).not.toContain(secretLooking);
    expect(message).not.toContain("c2hvcnQ=");
    expect(message).toContain("openssl rand -base64 32");
  });

  it("says which entry of a key list is bad without showing any", () => {
    const parsed = parseConfig({ ...minimal, CREDENTIALS_KEY: `${key},bad` });
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.problems[0]?.problem).toContain("entry 2 of 2");
    expect(JSON.stringify(parsed.problems)).not.toContain(key);
  });

  it("lists the secrets the log scrubber must know", () => {
    const config = loadConfig({ ...minimal, DATABASE_URL: "postgres://bot:p%40ssw0rd!@db/compshare" });
    expect(configSecrets(config)).toEqual([minimal.SLACK_BOT_TOKEN, minimal.SLACK_SIGNING_SECRET, key, "p@ssw0rd!"]);
  });
});

describe("METRICS_PORT", () => {
  it("is unset by default, so /metrics stays on PORT", () => {
    expect(loadConfig(minimal).metricsPort).toBeUndefined();
    expect(loadConfig({ ...minimal, METRICS_PORT: "9464" }).metricsPort).toBe(9464);
  });

  it.each([[{ METRICS_PORT: "3000" }], [{ PORT: "8080", METRICS_PORT: "8080" }]])(
    "must differ from PORT: %j",
    (env) => {
      const parsed = parseConfig({ ...minimal, ...env });
      expect(parsed.ok).toBe(false);
      if (!parsed.ok)
        expect(parsed.problems).toEqual([
          expect.objectContaining({ variable: "METRICS_PORT", problem: "is the same as PORT" }),
        ]);
    },
  );

  it("may be 0 with PORT 0 (each picks a free port)", () => {
    expect(loadConfig({ ...minimal, PORT: "0", METRICS_PORT: "0" }).metricsPort).toBe(0);
  });
});

describe("APPROVERS", () => {
  it("names each bad entry by position and says what is wrong with it, never echoing a token", () => {
    const token = "xoxb-1234-5678-SECRETVALUE";
    const parsed = parseConfig({ ...minimal, APPROVERS: `U012AB, alice,@bob ,u0abc12,${token}` });
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    const text = parsed.problems
      .filter((p) => p.variable === "APPROVERS")
      .map((p) => p.problem)
      .join("\n");
    expect(text).toContain('entry 2 of 5 ("alice") is not a Slack user id (U…, W…) or user-group id (S…)');
    expect(text).toContain('entry 3 of 5 ("@bob") is a name, not an id');
    expect(text).toContain('entry 4 of 5 ("u0abc12") must be upper case');
    expect(text).toContain("entry 5 of 5 is not a Slack user id");
    expect(text).not.toContain("U012AB");
    expect(text).not.toContain("SECRETVALUE");
  });
});

describe("APPROVALS_REQUIRED", () => {
  const problemsOf = (env: Record<string, string>) =>
    (parseConfig({ ...minimal, ...env }) as { ok: false; problems: { variable: string; problem: string }[] }).problems
      ?.filter((p) => p.variable === "APPROVALS_REQUIRED")
      .map((p) => p.problem);

  it("refuses 0 and what is not a whole number", () => {
    expect(problemsOf({ APPROVALS_REQUIRED: "0" })).toEqual(["must be at least 1"]);
    expect(problemsOf({ APPROVALS_REQUIRED: "two" })).toEqual(["must be a whole number"]);
    expect(problemsOf({ APPROVALS_REQUIRED: "1.5" })).toEqual(["must be a whole number"]);
  });

  it("refuses more approvals than APPROVERS lists users, unless a group may supply them", () => {
    expect(problemsOf({ APPROVERS: "U0A1,U0B2", APPROVALS_REQUIRED: "3" })).toEqual([
      "is 3, more than the 2 approvers APPROVERS lists",
    ]);
    expect(parseConfig({ ...minimal, APPROVERS: "U0A1,U0B2", APPROVALS_REQUIRED: "2" }).ok).toBe(true);
    expect(parseConfig({ ...minimal, APPROVERS: "U0A1,S0LEADS", APPROVALS_REQUIRED: "5" }).ok).toBe(true);
  });
});
