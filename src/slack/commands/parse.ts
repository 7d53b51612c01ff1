import { IMAGE_ID_PATTERN, INSTANCE_ID_PATTERN } from "../../compshare/schemas.ts";
import { hasControlCharacters } from "../../domain/free-text.ts";
import { MAX_TARGETS } from "../../domain/operations/index.ts";
import { INSTANCE_COMMANDS, type InstanceCommandKind } from "../instance-commands.ts";
import { LIMITS } from "../views/blocks.ts";
import { INSTANCE_ID_MAX } from "../views/reinstall-modal.ts";

/**
 * The /compshare grammar, as a pure function from the command text to what the user asked for.
 * Anything it cannot make sense of becomes an `invalid` command carrying the reason, which the
 * handler turns into a short usage message in the user's language.
 */

export type ImageTypeFilter = "System" | "App";

export interface ImageFilters {
  name?: string;
  type?: ImageTypeFilter;
  author?: string;
  tag?: string;
}

export type Subcommand =
  | "help"
  | "login"
  | "logout"
  | "whoami"
  | "images"
  | "custom"
  | "shared"
  | "image"
  | "update"
  | "reinstall"
  | "instances"
  | "audit"
  | InstanceCommandKind;

export type InvalidReason =
  | { kind: "unknownSubcommand"; name: string }
  | { kind: "missingImageId" }
  | { kind: "badImageId" }
  | { kind: "badInstanceId" }
  | { kind: "unknownFlag"; flag: string }
  | { kind: "missingFlagValue"; flag: string }
  | { kind: "badType" }
  | { kind: "tooLong"; what: "name" | "author" | "tag"; max: number }
  | { kind: "unexpectedArgs"; command: string }
  | { kind: "unbalancedQuote" }
  | { kind: "missingInstanceId"; command: string }
  | { kind: "tooManyInstances"; max: number }
  | { kind: "controlCharacters" };

export type ParsedCommand =
  | { kind: "help" }
  | { kind: "login" }
  | { kind: "logout" }
  | { kind: "whoami" }
  | { kind: "images"; filters: ImageFilters }
  | { kind: "custom" }
  | { kind: "shared" }
  | { kind: "image"; imageId: string }
  | { kind: "update"; imageId?: string }
  | { kind: "reinstall"; instanceIds: string[]; imageId?: string }
  | { kind: "instances" }
  | { kind: "instanceOp"; op: InstanceCommandKind; instanceId: string }
  /** The words after `audit`, read by the audit export itself (its own flags and messages). */
  | { kind: "audit"; args: string[] }
  | { kind: "invalid"; reason: InvalidReason };

const ALIASES: Record<string, Subcommand> = {
  help: "help",
  "?": "help",
  帮助: "help",
  login: "login",
  登录: "login",
  logout: "logout",
  退出: "logout",
  登出: "logout",
  whoami: "whoami",
  我是谁: "whoami",
  images: "images",
  image: "image",
  镜像: "images",
  平台镜像: "images",
  custom: "custom",
  mine: "custom",
  自制: "custom",
  我的镜像: "custom",
  shared: "shared",
  共享: "shared",
  详情: "image",
  update: "update",
  edit: "update",
  编辑: "update",
  更新: "update",
  reinstall: "reinstall",
  重装: "reinstall",
  instances: "instances",
  instance: "instances",
  实例: "instances",
  我的实例: "instances",
  ...Object.fromEntries(
    Object.entries(INSTANCE_COMMANDS).flatMap(([kind, command]) => command.aliases.map((alias) => [alias, kind])),
  ),
  audit: "audit",
  审计: "audit",
};

const FLAG_MAX = 64;
const NAME_MAX = 64;
const TYPE_VALUES: Record<string, ImageTypeFilter> = {
  system: "System",
  系统: "System",
  系统镜像: "System",
  app: "App",
  应用: "App",
  应用镜像: "App",
};

/**
 * Ids are checked for length as well as shape: the modals carry them in fields Slack caps
 * (an instance id input's max_length, an image option's 75-character value), and a long one
 * would make Slack refuse the modal instead of the bot explaining.
 */
export function isInstanceId(text: string): boolean {
  return text.length <= INSTANCE_ID_MAX && INSTANCE_ID_PATTERN.test(text);
}

export function isImageId(text: string): boolean {
  return text.length <= LIMITS.optionValue && IMAGE_ID_PATTERN.test(text);
}

export function parseCommand(text: string): ParsedCommand {
  if (hasControlCharacters(text)) return invalid({ kind: "controlCharacters" });
  const tokens = tokenize(text);
  if (tokens === undefined) return invalid({ kind: "unbalancedQuote" });
  const [first, ...rest] = tokens;
  if (first === undefined) return { kind: "help" };
  const sub = ALIASES[first.toLowerCase()];
  if (sub === undefined) return invalid({ kind: "unknownSubcommand", name: first.slice(0, 32) });

  switch (sub) {
    case "help":
    case "login":
    case "logout":
    case "whoami":
    case "custom":
    case "shared":
    case "instances":
      return rest.length === 0 ? { kind: sub } : invalid({ kind: "unexpectedArgs", command: sub });
    case "images":
      return parseImages(rest);
    case "image": {
      if (rest.length === 0) return invalid({ kind: "missingImageId" });
      const [id, ...extra] = rest;
      if (extra.length > 0) return invalid({ kind: "unexpectedArgs", command: "image <id>" });
      return id !== undefined && isImageId(id) ? { kind: "image", imageId: id } : invalid({ kind: "badImageId" });
    }
    case "update": {
      const [id, ...extra] = rest;
      if (extra.length > 0) return invalid({ kind: "unexpectedArgs", command: "update [image-id]" });
      if (id === undefined) return { kind: "update" };
      return isImageId(id) ? { kind: "update", imageId: id } : invalid({ kind: "badImageId" });
    }
    case "reinstall":
      return parseReinstall(rest);
    case "audit":
      return { kind: "audit", args: rest };
    default:
      return parseInstanceOp(sub, rest);
  }
}

function parseImages(args: string[]): ParsedCommand {
  const filters: ImageFilters = {};
  const words: string[] = [];
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i] as string;
    if (!arg.startsWith("--") && !arg.startsWith("—")) {
      words.push(arg);
      continue;
    }
    // Slack clients and phones often turn "--" into an em dash.
    const [rawFlag = "", inlineValue] = arg.replace(/^(--|—)/, "").split(/=(.*)/s, 2);
    const flag = rawFlag.toLowerCase();
    if (!["type", "author", "tag"].includes(flag))
      return invalid({ kind: "unknownFlag", flag: `--${rawFlag.slice(0, 20)}` });
    let value = inlineValue;
    if (value === undefined) {
      const next = args[i + 1];
      if (next === undefined || next.startsWith("--")) return invalid({ kind: "missingFlagValue", flag: `--${flag}` });
      value = next;
      i += 1;
    }
    if (value.trim() === "") return invalid({ kind: "missingFlagValue", flag: `--${flag}` });
    if (flag === "type") {
      const type = TYPE_VALUES[value.toLowerCase()];
      if (type === undefined) return invalid({ kind: "badType" });
      filters.type = type;
    } else {
      if (value.length > FLAG_MAX) return invalid({ kind: "tooLong", what: flag as "author" | "tag", max: FLAG_MAX });
      filters[flag as "author" | "tag"] = value;
    }
  }
  if (words.length > 0) {
    const name = words.join(" ");
    if (name.length > NAME_MAX) return invalid({ kind: "tooLong", what: "name", max: NAME_MAX });
    filters.name = name;
  }
  return { kind: "images", filters };
}

function parseReinstall(args: string[]): ParsedCommand {
  const instanceIds: string[] = [];
  let imageId: string | undefined;
  for (const arg of args) {
    if (isInstanceId(arg)) {
      if (!instanceIds.includes(arg)) instanceIds.push(arg);
    } else if (isImageId(arg) && imageId === undefined) imageId = arg;
    else if (isImageId(arg))
      return invalid({ kind: "unexpectedArgs", command: "reinstall [instance-id …] [image-id]" });
    else return invalid({ kind: arg.toLowerCase().startsWith("uhost") ? "badInstanceId" : "badImageId" });
  }
  if (instanceIds.length > MAX_TARGETS) return invalid({ kind: "tooManyInstances", max: MAX_TARGETS });
  return { kind: "reinstall", instanceIds, ...(imageId !== undefined ? { imageId } : {}) };
}

function parseInstanceOp(op: InstanceCommandKind, args: string[]): ParsedCommand {
  const [id, ...extra] = args;
  if (id === undefined) return invalid({ kind: "missingInstanceId", command: op });
  if (extra.length > 0) return invalid({ kind: "unexpectedArgs", command: `${op} <instance-id>` });
  if (!isInstanceId(id)) return invalid({ kind: "badInstanceId" });
  return { kind: "instanceOp", op, instanceId: id };
}

function invalid(reason: InvalidReason): ParsedCommand {
  return { kind: "invalid", reason };
}

const QUOTES: Record<string, string> = { '"': '"', "'": "'", "“": "”", "‘": "’", "「": "」" };

/** Splits on whitespace, keeping quoted phrases (ASCII and CJK quotes) together; undefined if a quote is left open. */
export function tokenize(text: string): string[] | undefined {
  const tokens: string[] = [];
  let current = "";
  let closing: string | undefined;
  let inToken = false;
  for (const char of text) {
    if (closing !== undefined) {
      if (char === closing) closing = undefined;
      else current += char;
      continue;
    }
    const close = QUOTES[char];
    if (close !== undefined) {
      closing = close;
      inToken = true;
      continue;
    }
    if (/\s/u.test(char)) {
      if (inToken) tokens.push(current);
      current = "";
      inToken = false;
      continue;
    }
    current += char;
    inToken = true;
  }
  if (closing !== undefined) return undefined;
  if (inToken) tokens.push(current);
  return tokens;
}
