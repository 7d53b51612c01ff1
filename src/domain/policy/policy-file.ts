import { type Document, isMap, isPair, isScalar, isSeq, LineCounter, type Node, parseDocument } from "yaml";
import { z } from "zod";
import { APPROVER_ID, approverIdProblem, CHANNEL_ID } from "../../config.ts";
import { parseDuration } from "../../duration.ts";
import { deepFreeze } from "./freeze.ts";
import {
  type ActionPolicy,
  type ChangeWindow,
  MAX_INSTANCES_PER_REQUEST,
  POLICY_ACTIONS,
  type Policy,
  type PolicyAction,
  type PolicyProblem,
} from "./types.ts";
import { parseWindow, WINDOW_EXAMPLE } from "./windows.ts";

/**
 * POLICY_FILE: YAML, one mapping per action (reinstall, stop, start, reboot, update) and a
 * `default` that fills in what an action leaves out. Every problem is collected with its line, so
 * the operator fixes the file in one go; a policy with any problem is never used.
 */

const FILE_KEYS = [...POLICY_ACTIONS, "default"] as const;
type FileKey = (typeof FILE_KEYS)[number];

const DEFAULT_TTL_MS = 24 * 3600_000;
const MIN_TTL_MS = 60_000;

const approverId = z.string().superRefine((id, ctx) => {
  if (!APPROVER_ID.test(id)) ctx.addIssue({ code: "custom", message: approverIdProblem(id) });
});
const channelId = z.string().regex(CHANNEL_ID, "must be a channel id (C… or G…), not a channel name");
const windowText = z.string().transform((text, ctx): ChangeWindow => {
  const parsed = parseWindow(text);
  if (!parsed.ok) {
    ctx.addIssue({ code: "custom", message: parsed.problem });
    return z.NEVER;
  }
  return parsed.window;
});
const ttl = z.string().transform((text, ctx) => {
  const ms = parseDuration(text);
  if (ms === undefined || ms < MIN_TTL_MS) {
    ctx.addIssue({ code: "custom", message: "must be a duration of at least 1m, like 30m, 24h or 2d" });
    return z.NEVER;
  }
  return ms;
});
const yesNo = z.boolean("must be true or false");

const actionSchema = z.preprocess(
  // `stop:` with nothing under it means "as the default says".
  (value) => (value === null ? {} : value),
  z.strictObject(
    {
      approval: yesNo.optional(),
      approvers: z.array(approverId, "must be a list of Slack user ids and user-group ids").optional(),
      approvals: z
        .int("must be a whole number")
        .min(1, "must be at least 1 (an action that needs no approval says approval: false)")
        .optional(),
      approval_channel: channelId.optional(),
      allow_self_approval: yesNo.optional(),
      // null overrides a default's list: anywhere (channels), any time (windows).
      channels: z.array(channelId, "must be a list of channel ids, or null for any channel").nullable().optional(),
      direct_messages: yesNo.optional(),
      reason_required: yesNo.optional(),
      windows: z
        .array(windowText, `must be a list of windows like "${WINDOW_EXAMPLE}", or null for any time`)
        .nullable()
        .optional(),
      max_instances: z
        .int("must be a whole number")
        .min(1, "must be at least 1")
        .max(MAX_INSTANCES_PER_REQUEST, `must be at most ${MAX_INSTANCES_PER_REQUEST}`)
        .optional(),
      ttl: ttl.optional(),
    },
    "must be a mapping of settings",
  ),
);
type ActionSettings = z.output<typeof actionSchema>;
type SettingKey = keyof ActionSettings;
/** Every setting an action block may hold, for messages and the README check. */
export const POLICY_SETTING_KEYS: readonly string[] = Object.keys(actionSchema.def.out.shape);

export type ParsedPolicyFile = { ok: true; policy: Policy } | { ok: false; problems: PolicyProblem[] };

export function parsePolicyFile(text: string, path: string): ParsedPolicyFile {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const lineOf = (offset: number | undefined) => (offset === undefined ? undefined : lineCounter.linePos(offset).line);
  if (doc.errors.length > 0) {
    return {
      ok: false,
      problems: doc.errors.map((error) => ({
        line: lineOf(error.pos[0]),
        message: yamlMessage(error.code, error.message),
      })),
    };
  }
  const raw: unknown = doc.toJS();
  if (raw === null || raw === undefined) {
    return { ok: false, problems: [{ line: undefined, message: "the file is empty: name at least one action" }] };
  }
  const at = (segments: readonly PropertyKey[]) => lineOf(offsetAt(doc, segments));
  if (typeof raw !== "object" || Array.isArray(raw)) {
    return {
      ok: false,
      problems: [{ line: at([]), message: "must be a mapping from action names to their settings" }],
    };
  }
  const problems: PolicyProblem[] = [];
  const blocks = new Map<FileKey, ActionSettings>();
  const unreadable = new Set<FileKey>();
  for (const [key, value] of Object.entries(raw)) {
    if (!(FILE_KEYS as readonly string[]).includes(key)) {
      problems.push({ line: at([key]), message: `"${clip(key)}" is not an action: use ${FILE_KEYS.join(", ")}` });
      continue;
    }
    const block = parseBlock(value);
    problems.push(...block.issues.flatMap((issue) => issueProblems(key, issue, at)));
    if (block.settings) blocks.set(key as FileKey, block.settings);
    else unreadable.add(key as FileKey);
  }
  const actions = resolveActions(blocks, unreadable, at, problems);
  if (problems.length > 0) return { ok: false, problems: sortByLine(dedupe(problems)) };
  return { ok: true, policy: deepFreeze({ source: { kind: "file", path }, actions }) };
}

type LineAt = (segments: readonly PropertyKey[]) => number | undefined;

/** Each action as its own block and the default make it, checking the rules between settings. */
function resolveActions(
  blocks: ReadonlyMap<FileKey, ActionSettings>,
  unreadable: ReadonlySet<FileKey>,
  at: LineAt,
  problems: PolicyProblem[],
): Record<PolicyAction, ActionPolicy> {
  const inherited = blocks.get("default");
  const actions = {} as Record<PolicyAction, ActionPolicy>;
  for (const action of POLICY_ACTIONS) {
    const own = blocks.get(action);
    // A setting already reported as wrong would only add a confusing second problem.
    if (unreadable.has(action) || unreadable.has("default")) continue;
    const pick = <K extends SettingKey>(key: K): ActionSettings[K] =>
      own?.[key] !== undefined ? own[key] : inherited?.[key];
    // The line of a setting as the action sees it: its own, else the default's, else the action's block.
    const lineFor = (key: SettingKey) =>
      own?.[key] !== undefined
        ? at([action, key])
        : inherited?.[key] !== undefined
          ? at(["default", key])
          : (at([action]) ?? at(["default"]));
    const resolved = resolveAction(action, pick);
    const unsaid = !own && resolved.needsApproval && (resolved.approvers.length === 0 || !resolved.approvalChannel);
    problems.push(
      ...(unsaid
        ? [
            {
              line: undefined,
              message: `${action} is not in the file and needs approval by default: add a ${action} block with approvers and an approval_channel (or put them under default), or say approval: false`,
            },
          ]
        : approvalProblems(resolved, lineFor)),
    );
    // Image edits cannot wait for approval yet; accepting the setting would promise a gate that is not there.
    if (action === "update" && resolved.needsApproval) {
      problems.push({
        line: lineFor("approval"),
        message:
          "update: approval is not supported yet (image edits run at once in this release); set approval: false for update (under default, add an update block saying so)",
      });
    }
    actions[action] = resolved;
  }
  return actions;
}

/** Settings the rules between settings read: a block with one of them wrong is not checked further. */
const APPROVAL_KEYS: readonly string[] = ["approval", "approvers", "approvals", "approval_channel"];

/**
 * A block's issues, and its settings without the wrong ones, so the rules between the others
 * are still checked and one run names every problem.
 */
function parseBlock(value: unknown): { issues: IssueLike[]; settings: ActionSettings | undefined } {
  const parsed = actionSchema.safeParse(value);
  if (parsed.success) return { issues: [], settings: parsed.data };
  const issues = parsed.error.issues;
  if (typeof value !== "object" || value === null || Array.isArray(value)) return { issues, settings: undefined };
  const wrong = new Set(issues.map((issue) => String(issue.path[0] ?? "")));
  for (const key of unknownKeys(issues)) wrong.add(key);
  if (APPROVAL_KEYS.some((key) => wrong.has(key))) return { issues, settings: undefined };
  const rest = actionSchema.safeParse(Object.fromEntries(Object.entries(value).filter(([key]) => !wrong.has(key))));
  return { issues, settings: rest.success ? rest.data : undefined };
}

function unknownKeys(issues: readonly IssueLike[]): string[] {
  return issues.flatMap((issue) => (issue.code === "unrecognized_keys" ? issue.keys : []));
}

function resolveAction(action: PolicyAction, pick: <K extends SettingKey>(key: K) => ActionSettings[K]): ActionPolicy {
  return {
    action,
    // Without a word in the file, what the environment variables have always meant: only reinstall asks.
    needsApproval: pick("approval") ?? action === "reinstall",
    approvers: pick("approvers") ?? [],
    approvalsRequired: pick("approvals") ?? 1,
    approvalChannel: pick("approval_channel"),
    allowSelfApproval: pick("allow_self_approval") ?? false,
    placement: { channels: pick("channels") ?? undefined, directMessages: pick("direct_messages") ?? true },
    reasonRequired: pick("reason_required") ?? action === "reinstall",
    windows: pick("windows") ?? [],
    maxInstances: pick("max_instances") ?? MAX_INSTANCES_PER_REQUEST,
    ttlMs: pick("ttl") ?? DEFAULT_TTL_MS,
  };
}

/** The rules between settings, checked on each action as it resolves. */
function approvalProblems(policy: ActionPolicy, lineFor: (key: SettingKey) => number | undefined): PolicyProblem[] {
  if (!policy.needsApproval) return [];
  const { action } = policy;
  const problems: PolicyProblem[] = [];
  if (policy.approvers.length === 0) {
    problems.push({ line: lineFor("approvers"), message: `${action} needs approval but no approvers are listed` });
  }
  if (policy.approvalChannel === undefined) {
    problems.push({
      line: lineFor("approval_channel"),
      message: `${action} needs approval but has no approval_channel to post requests in`,
    });
  }
  const users = policy.approvers.filter((id) => !id.startsWith("S"));
  // A user group may hold any number of people; only a list of users alone can be too short.
  if (users.length > 0 && users.length === policy.approvers.length && policy.approvalsRequired > users.length) {
    problems.push({
      line: lineFor("approvals"),
      message: `${action} needs ${policy.approvalsRequired} approvals but lists only ${users.length} approver${users.length === 1 ? "" : "s"}`,
    });
  }
  return problems;
}

type IssueLike = z.core.$ZodIssue;

function issueProblems(block: string, issue: IssueLike, at: LineAt): PolicyProblem[] {
  const path = [block, ...issue.path];
  if (issue.code === "unrecognized_keys") {
    return issue.keys.map((key) => ({
      line: at([...path, key]),
      message: `${describePath(path)}: "${clip(key)}" is not a setting: use ${POLICY_SETTING_KEYS.join(", ")}`,
    }));
  }
  return [{ line: at(path), message: `${describePath(path)} ${issue.message}` }];
}

/** `reinstall.approvers[1]`, the way a reader finds it in the file. */
function describePath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return "the file";
  return path
    .map((segment, i) => (typeof segment === "number" ? `[${segment}]` : `${i === 0 ? "" : "."}${String(segment)}`))
    .join("");
}

/** Where the node at a path starts, or its nearest existing parent. */
function offsetAt(doc: Document, segments: readonly PropertyKey[]): number | undefined {
  let node: unknown = doc.contents;
  let offset = (doc.contents as Node | null)?.range?.[0];
  for (const segment of segments) {
    if (isMap(node)) {
      const pair = node.items.find(
        (item) => isPair(item) && isScalar(item.key) && String(item.key.value) === String(segment),
      );
      if (!pair) return offset;
      offset = (pair.key as Node).range?.[0] ?? offset;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === "number") {
      const item = node.items[segment] as Node | undefined;
      if (!item) return offset;
      offset = item.range?.[0] ?? offset;
      node = item;
    } else {
      return offset;
    }
  }
  return offset;
}

function yamlMessage(code: string, message: string): string {
  if (code === "DUPLICATE_KEY") return "a key is given twice in the same mapping";
  return `not valid YAML: ${message}`;
}

function clip(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

function sortByLine(problems: PolicyProblem[]): PolicyProblem[] {
  return [...problems].sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
}

function dedupe(problems: PolicyProblem[]): PolicyProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.line}\u0000${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
