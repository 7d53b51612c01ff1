import { describe, expect, it } from "vitest";
import { readSinceFlag } from "../../src/slack/commands/audit-export.ts";
import { parseCommand, tokenize } from "../../src/slack/commands/parse.ts";

describe("parseCommand", () => {
  it("defaults to help", () => {
    expect(parseCommand("")).toEqual({ kind: "help" });
    expect(parseCommand("   ")).toEqual({ kind: "help" });
    expect(parseCommand("帮助")).toEqual({ kind: "help" });
  });

  it.each([
    ["login", "login"],
    ["LOGIN", "login"],
    ["登录", "login"],
    ["logout", "logout"],
    ["退出", "logout"],
    ["whoami", "whoami"],
    ["我是谁", "whoami"],
    ["custom", "custom"],
    ["自制", "custom"],
    ["shared", "shared"],
    ["共享", "shared"],
  ])("%s → %s", (text, kind) => {
    expect(parseCommand(text)).toEqual({ kind });
  });

  it("refuses arguments to commands that take none", () => {
    expect(parseCommand("login now")).toEqual({
      kind: "invalid",
      reason: { kind: "unexpectedArgs", command: "login" },
    });
  });

  it("parses images with a name and every filter", () => {
    expect(parseCommand("images")).toEqual({ kind: "images", filters: {} });
    expect(parseCommand('images "Stable Diffusion" --type app --author UCloud --tag=深度学习')).toEqual({
      kind: "images",
      filters: { name: "Stable Diffusion", type: "App", author: "UCloud", tag: "深度学习" },
    });
    expect(parseCommand("镜像 pytorch cuda —type 系统")).toEqual({
      kind: "images",
      filters: { name: "pytorch cuda", type: "System" },
    });
    expect(parseCommand("images “大模型 推理”")).toEqual({ kind: "images", filters: { name: "大模型 推理" } });
  });

  it("explains bad image filters", () => {
    expect(parseCommand("images --type gpu")).toEqual({ kind: "invalid", reason: { kind: "badType" } });
    expect(parseCommand("images --colour red")).toEqual({
      kind: "invalid",
      reason: { kind: "unknownFlag", flag: "--colour" },
    });
    expect(parseCommand("images --tag")).toEqual({
      kind: "invalid",
      reason: { kind: "missingFlagValue", flag: "--tag" },
    });
    expect(parseCommand("images --author --tag x")).toEqual({
      kind: "invalid",
      reason: { kind: "missingFlagValue", flag: "--author" },
    });
    expect(parseCommand(`images ${"x".repeat(65)}`)).toEqual({
      kind: "invalid",
      reason: { kind: "tooLong", what: "name", max: 64 },
    });
    expect(parseCommand('images "open')).toEqual({ kind: "invalid", reason: { kind: "unbalancedQuote" } });
  });

  it("parses image ids and refuses anything else", () => {
    expect(parseCommand("image compshareImage-abc123")).toEqual({ kind: "image", imageId: "compshareImage-abc123" });
    expect(parseCommand("详情 compshareImage-abc123")).toEqual({ kind: "image", imageId: "compshareImage-abc123" });
    expect(parseCommand("image")).toEqual({ kind: "invalid", reason: { kind: "missingImageId" } });
    expect(parseCommand("image <script>")).toEqual({ kind: "invalid", reason: { kind: "badImageId" } });
    expect(parseCommand("image compshareImage-a b")).toMatchObject({ kind: "invalid" });
  });

  it("parses update and reinstall with optional ids in either order", () => {
    expect(parseCommand("update")).toEqual({ kind: "update" });
    expect(parseCommand("edit compshareImage-x1")).toEqual({ kind: "update", imageId: "compshareImage-x1" });
    expect(parseCommand("reinstall")).toEqual({ kind: "reinstall" });
    expect(parseCommand("重装 compshareImage-x1 uhost-abc")).toEqual({
      kind: "reinstall",
      instanceId: "uhost-abc",
      imageId: "compshareImage-x1",
    });
    expect(parseCommand("reinstall uhost-")).toEqual({ kind: "invalid", reason: { kind: "badInstanceId" } });
  });

  it("names an unknown subcommand, shortened", () => {
    expect(parseCommand("deploy everything")).toEqual({
      kind: "invalid",
      reason: { kind: "unknownSubcommand", name: "deploy" },
    });
    expect(parseCommand("x".repeat(100))).toEqual({
      kind: "invalid",
      reason: { kind: "unknownSubcommand", name: "x".repeat(32) },
    });
  });
});

describe("tokenize", () => {
  it("keeps quoted phrases and handles CJK quotes and full-width spaces", () => {
    expect(tokenize('a "b c" d')).toEqual(["a", "b c", "d"]);
    expect(tokenize("a\u3000「b c」")).toEqual(["a", "b c"]);
    expect(tokenize('""')).toEqual([""]);
    expect(tokenize("'open")).toBeUndefined();
  });
});

describe("audit", () => {
  it("hands the words after audit to the export, which reads its own --since", () => {
    expect(parseCommand("audit")).toEqual({ kind: "audit", args: [] });
    expect(parseCommand("审计 --since 7d")).toEqual({ kind: "audit", args: ["--since", "7d"] });
    expect(readSinceFlag([])).toEqual({ since: undefined });
    expect(readSinceFlag(["--since", "7d"])).toEqual({ since: "7d" });
    expect(readSinceFlag(["—since", "24h"])).toEqual({ since: "24h" });
    expect(readSinceFlag(["--since=2026-11-01"])).toEqual({ since: "2026-11-01" });
    expect(readSinceFlag(["--since"])).toBeUndefined();
    expect(readSinceFlag(["--until", "1d"])).toBeUndefined();
    expect(readSinceFlag(["--since", "1d", "extra"])).toBeUndefined();
  });
});
