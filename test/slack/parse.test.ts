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
    expect(parseCommand("reinstall")).toEqual({ kind: "reinstall", instanceIds: [] });
    expect(parseCommand("重装 compshareImage-x1 uhost-abc")).toEqual({
      kind: "reinstall",
      instanceIds: ["uhost-abc"],
      imageId: "compshareImage-x1",
    });
    expect(parseCommand("reinstall uhost-")).toEqual({ kind: "invalid", reason: { kind: "badInstanceId" } });
  });

  it("parses several instances for one reinstall, at most 20, each id bounded", () => {
    expect(parseCommand("reinstall uhost-a uhost-b compshareImage-x uhost-a")).toEqual({
      kind: "reinstall",
      instanceIds: ["uhost-a", "uhost-b"],
      imageId: "compshareImage-x",
    });
    const many = Array.from({ length: 21 }, (_, i) => `uhost-a${i}`).join(" ");
    expect(parseCommand(`reinstall ${many}`)).toEqual({
      kind: "invalid",
      reason: { kind: "tooManyInstances", max: 20 },
    });
    expect(parseCommand(`reinstall uhost-${"a".repeat(3000)}`)).toEqual({
      kind: "invalid",
      reason: { kind: "badInstanceId" },
    });
  });

  it("parses instances and the power commands in both languages", () => {
    expect(parseCommand("instances")).toEqual({ kind: "instances" });
    expect(parseCommand("实例")).toEqual({ kind: "instances" });
    expect(parseCommand("stop uhost-a1")).toEqual({ kind: "instanceOp", op: "stop", instanceId: "uhost-a1" });
    expect(parseCommand("开机 uhost-a1")).toEqual({ kind: "instanceOp", op: "start", instanceId: "uhost-a1" });
    expect(parseCommand("重启 uhost-a1")).toEqual({ kind: "instanceOp", op: "reboot", instanceId: "uhost-a1" });
    expect(parseCommand("reboot")).toEqual({
      kind: "invalid",
      reason: { kind: "missingInstanceId", command: "reboot" },
    });
    expect(parseCommand("stop compshareImage-x")).toEqual({ kind: "invalid", reason: { kind: "badInstanceId" } });
    expect(parseCommand("stop uhost-a uhost-b")).toMatchObject({ kind: "invalid", reason: { kind: "unexpectedArgs" } });
  });

  it("refuses ids longer than the modals can carry, before any modal opens", () => {
    const longInstance = `uhost-${"a".repeat(3000)}`;
    const longImage = `compshareImage-${"a".repeat(3000)}`;
    expect(parseCommand(`reinstall ${longInstance}`)).toEqual({ kind: "invalid", reason: { kind: "badInstanceId" } });
    expect(parseCommand(`reinstall uhost-a ${longImage}`)).toEqual({ kind: "invalid", reason: { kind: "badImageId" } });
    expect(parseCommand(`update ${longImage}`)).toEqual({ kind: "invalid", reason: { kind: "badImageId" } });
    expect(parseCommand(`image ${longImage}`)).toEqual({ kind: "invalid", reason: { kind: "badImageId" } });
    const longest = `uhost-${"a".repeat(64 - "uhost-".length)}`;
    expect(parseCommand(`reinstall ${longest}`)).toEqual({ kind: "reinstall", instanceIds: [longest] });
    expect(parseCommand(`reinstall ${longest}a`)).toEqual({ kind: "invalid", reason: { kind: "badInstanceId" } });
    for (const op of ["stop", "start", "reboot"]) {
      expect(parseCommand(`${op} ${longest}`)).toEqual({ kind: "instanceOp", op, instanceId: longest });
      expect(parseCommand(`${op} ${longest}a`)).toEqual({ kind: "invalid", reason: { kind: "badInstanceId" } });
    }
  });

  it("refuses control characters anywhere in the text", () => {
    for (const char of ["\u0000", "\u0001", "\u001b", "\u007f", "\u0085"]) {
      expect(parseCommand(`images py${char}torch`)).toEqual({ kind: "invalid", reason: { kind: "controlCharacters" } });
    }
    expect(parseCommand("images\tpytorch")).toEqual({ kind: "images", filters: { name: "pytorch" } });
    expect(parseCommand("stop uhost-a\u0000")).toEqual({ kind: "invalid", reason: { kind: "controlCharacters" } });
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
