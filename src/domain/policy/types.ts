import { MAX_TARGETS } from "../operations/api.ts";

/**
 * The approval policy (issue 11): per action, who approves, how many approvals, where its command
 * may be used, when it may run, and its limits. Built once at start, from POLICY_FILE or from the
 * environment variables, into this one frozen shape, so the rest of the bot reads one thing.
 */

/** The actions a policy names; `default` in a file fills in what an action leaves unsaid. */
export const POLICY_ACTIONS = ["reinstall", "stop", "start", "reboot", "update"] as const;
export type PolicyAction = (typeof POLICY_ACTIONS)[number];

/** The most instances one request may name: the operations engine's own limit. */
export const MAX_INSTANCES_PER_REQUEST = MAX_TARGETS;

/** A weekly change window: on these weekdays, from start to end in the zone's wall-clock time. */
export interface ChangeWindow {
  /** 0 = Sunday … 6 = Saturday, ascending, no duplicates. */
  readonly weekdays: readonly number[];
  /** Minutes after local midnight; start < end ≤ 1440. */
  readonly startMinute: number;
  readonly endMinute: number;
  /** An IANA time zone Intl knows, e.g. Asia/Shanghai. */
  readonly timeZone: string;
  /** As written in the policy, for messages: `Sat-Sun 01:00-06:00 Asia/Shanghai`. */
  readonly text: string;
}

/** Where a command may be used. */
export interface Placement {
  /** Channel ids (C…, G…) where the command may be used; undefined: any channel. */
  readonly channels: readonly string[] | undefined;
  /** Whether it may be used in a direct message with the bot (and from the Home tab). */
  readonly directMessages: boolean;
}

export interface ActionPolicy {
  readonly action: PolicyAction;
  readonly needsApproval: boolean;
  /** Slack user ids (U…, W…) and user-group ids (S…). */
  readonly approvers: readonly string[];
  /** Distinct approvals a request needs; the requester never counts. At least 1. */
  readonly approvalsRequired: number;
  /** Where requests for this action are posted; set whenever needsApproval is. */
  readonly approvalChannel: string | undefined;
  readonly allowSelfApproval: boolean;
  readonly placement: Placement;
  readonly reasonRequired: boolean;
  /** Empty: any time. */
  readonly windows: readonly ChangeWindow[];
  readonly maxInstances: number;
  /** How long a pending request stays open. */
  readonly ttlMs: number;
}

export type PolicySource = { readonly kind: "environment" } | { readonly kind: "file"; readonly path: string };

export interface Policy {
  readonly source: PolicySource;
  readonly actions: Readonly<Record<PolicyAction, ActionPolicy>>;
}

/** One thing wrong with a policy file: where (1-based line, when known) and what. */
export interface PolicyProblem {
  readonly line: number | undefined;
  readonly message: string;
}

export class PolicyFileError extends Error {
  readonly path: string;
  readonly problems: readonly PolicyProblem[];
  constructor(path: string, problems: readonly PolicyProblem[]) {
    super(formatPolicyProblems(path, problems));
    this.name = "PolicyFileError";
    this.path = path;
    this.problems = problems;
  }
}

export function formatPolicyProblems(path: string, problems: readonly PolicyProblem[]): string {
  const lines = problems.map((p) => `  - ${p.line === undefined ? path : `${path}:${p.line}`}: ${p.message}`);
  return `POLICY_FILE ${path} has ${problems.length} problem${problems.length === 1 ? "" : "s"} to fix\n${lines.join("\n")}\nSee README.md, "Policy file", for every key.`;
}
