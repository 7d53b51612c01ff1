import { describe, expect, it } from "vitest";
import type { CompShareInstance } from "../../src/compshare/schemas.ts";
import type { Locale } from "../../src/config.ts";
import {
  OPERATION_NOTES,
  type Operation,
  planSteps,
  REQUEST_STATUSES,
  type RequestStatus,
  STEP_STATUSES,
  type Step,
  type StepProblem,
  type Target,
} from "../../src/domain/operations/index.ts";
import { type PickerImage, pickerOptions } from "../../src/slack/flows/image-catalogue.ts";
import { messagesFor } from "../../src/slack/i18n/messages.ts";
import { validateRequestValues } from "../../src/slack/interactions/reinstall-form.ts";
import { homeView } from "../../src/slack/views/home.ts";
import { instanceListMessage, instanceOperationMessage } from "../../src/slack/views/instances.ts";
import { checkBlockKit } from "../../src/slack/views/limits.ts";
import { OPERATION_ACTIONS, operationCard, requesterUpdate } from "../../src/slack/views/operation-card.ts";
import {
  decodeFormMetadata,
  encodeFormMetadata,
  type InstanceInfo,
  planDefaults,
  REINSTALL_BLOCKS,
  reinstallRequestModal,
  rejectModal,
  requestSubmittedModal,
} from "../../src/slack/views/reinstall-modal.ts";
import type { ViewContext } from "../../src/slack/views/view-context.ts";

/** Every view of the reinstall plan and instance flows, in both languages, with ordinary and hostile data, against Slack's limits. */

const HOSTILE = `<!channel> *bold* _it_ ~s~ \`code\` <https://evil.example|click> & 🚀🔥 深度学习 ${"长".repeat(120)}${"x".repeat(80)}`;

const contexts: ViewContext[] = (["en", "zh-CN"] as Locale[]).flatMap((locale) =>
  [false, true].map((sandbox) => ({ m: messagesFor(locale), locale, sandbox })),
);

const at = new Date("2026-03-01T09:00:00Z");

const PROBLEMS: StepProblem[] = [
  { code: "refused", retCode: 226693, message: "instance is Running; it must be Stopped" },
  { code: "refused", retCode: 226695, message: "InstanceOperationInProgress: wait" },
  { code: "refused", retCode: 226603, message: "image does not support this GPU type" },
  { code: "refused", retCode: 999999, message: HOSTILE.repeat(10) },
  { code: "not_sent" },
  { code: "http", status: 503 },
  { code: "instance_gone" },
  { code: "timed_out", wanted: "Stopped", lastState: HOSTILE.slice(0, 64) },
  { code: "instance_failed", state: "Install Fail" },
  { code: "image_failed" },
  { code: "no_evidence", lastState: "Initializing" },
  { code: "keys_removed" },
  { code: "keys_unreadable" },
  { code: "keys_changed" },
  { code: "internal" },
];

function target(i: number, hostile: boolean): Target {
  return hostile
    ? {
        instanceId: `uhost-${"h".repeat(20)}${i}`,
        name: HOSTILE.slice(0, 256),
        gpu: HOSTILE.slice(0, 128),
        stateBefore: HOSTILE.slice(0, 64),
        imageBeforeName: HOSTILE.slice(0, 256),
      }
    : { instanceId: `uhost-abc${i}`, name: `train-${i}`, gpu: "1× 4090", stateBefore: "Running" };
}

/** A request over `count` instances with the full plan; steps take `statusOf(position)`. */
function operation(
  overrides: Partial<Operation> = {},
  options: {
    count?: number;
    hostile?: boolean;
    statusOf?: (position: number) => Step["status"];
    problem?: StepProblem;
  } = {},
): Operation {
  const targets = Array.from({ length: options.count ?? 1 }, (_, i) => target(i, options.hostile ?? false));
  const planned = planSteps("reinstall", targets, {
    image: { id: "compshareImage-abc123", name: options.hostile ? HOSTILE.slice(0, 256) : "PyTorch 2.4" },
    stopFirst: true,
    startAfter: true,
    snapshotName: options.hostile ? HOSTILE.slice(0, 60) : "backup",
  });
  const steps: Step[] = planned.map((p, position): Step => {
    const status = options.statusOf?.(position) ?? "pending";
    return {
      requestId: "req_abcdefghijklmnop",
      position,
      instanceId: p.instanceId,
      action: p.action,
      status,
      attempts: 0,
      sent: status !== "pending",
      updatedAt: at,
      ...(status === "failed" || status === "unknown"
        ? {
            result: {
              problem: options.problem ?? { code: "internal" },
              apiRequestId: options.hostile ? HOSTILE.slice(0, 100) : "rid-2",
            },
          }
        : status === "done"
          ? {
              result: {
                observedState: "Running",
                observedImageId: "compshareImage-abc123",
                observedImageName: options.hostile ? HOSTILE.slice(0, 200) : "PyTorch 2.4",
                ...(p.action.kind === "snapshot" ? { createdImageId: "compshareImage-copy1" } : {}),
              },
            }
          : {}),
    };
  });
  return {
    id: "req_abcdefghijklmnop",
    teamId: "T1",
    kind: "reinstall",
    requesterId: "U0ALICE01",
    region: "cn-wlcb",
    zone: "cn-wlcb-01",
    reason: options.hostile ? HOSTILE.repeat(15).slice(0, 3000) : "CUDA upgrade",
    status: "pending",
    createdAt: at,
    updatedAt: at,
    expiresAt: new Date(at.getTime() + 86_400_000),
    channelId: "C0APPROVE1",
    messageTs: "1700000000.000001",
    approvalsRequired: 1,
    approvals: [],
    targets,
    steps,
    ...overrides,
  };
}

function everyOperation(): Operation[] {
  const out: Operation[] = [];
  for (const status of REQUEST_STATUSES as readonly RequestStatus[]) {
    const decided = status === "pending" ? {} : { decidedBy: "U0BOB0001", decidedAt: at, finishedAt: at };
    for (const shape of [{ count: 1 }, { count: 20, hostile: true }, { count: 3 }]) {
      for (const stepStatus of STEP_STATUSES) {
        for (const problem of stepStatus === "failed" || stepStatus === "unknown" ? PROBLEMS : [undefined]) {
          out.push(
            operation(
              { status, ...decided, ...(shape.hostile ? { note: HOSTILE.repeat(15).slice(0, 3000) } : {}) },
              {
                ...shape,
                statusOf: (p) => (p === 0 ? "done" : p === 2 ? stepStatus : "pending"),
                ...(problem ? { problem } : {}),
              },
            ),
          );
        }
      }
    }
  }
  for (const note of Object.values(OPERATION_NOTES)) {
    out.push(operation({ status: "cancelled", decidedBy: "U0BOT0001", decidedAt: at, note }));
  }
  return out;
}

/** Every piece of mrkdwn in a payload (plain_text is never parsed for mentions or links). */
function mrkdwnOf(payload: unknown): string[] {
  const out: string[] = [];
  const walk = (value: unknown) => {
    if (Array.isArray(value)) for (const item of value) walk(item);
    else if (typeof value === "object" && value !== null) {
      const node = value as Record<string, unknown>;
      if (node.type === "mrkdwn" && typeof node.text === "string") out.push(node.text);
      for (const child of Object.values(node)) walk(child);
    }
  };
  walk(payload);
  // A message's fallback text is mrkdwn too.
  const top = (payload as { text?: unknown }).text;
  if (typeof top === "string") out.push(top);
  return out;
}

/** User data must never form a mention, link or broadcast in mrkdwn: only the bot's own <@U…>, <#C…>, <!date…> and links remain. */
function expectNoRawHostile(payload: unknown) {
  for (const text of mrkdwnOf(payload)) {
    expect(text).not.toContain("<!channel>");
    expect(text).not.toContain("<https://evil.example");
  }
}

describe("request card", () => {
  it("fits Slack's limits in every status, step state, problem and language, with 20 hostile instances", () => {
    for (const ctx of contexts) {
      for (const r of everyOperation()) {
        const card = operationCard(ctx, r);
        expect(checkBlockKit(card, "message"), `${ctx.locale} ${r.status}`).toEqual([]);
        expectNoRawHostile(card);
        const update = requesterUpdate(ctx, r, "https://fake.slack.test/archives/C0APPROVE1/p1700000000000001");
        expect(checkBlockKit(update, "message")).toEqual([]);
        expectNoRawHostile(update);
      }
    }
  });

  it("shows k of N and who approved when a quorum is needed, within Slack's limits, and nothing for one approval", () => {
    const approvals = Array.from({ length: 10 }, (_, i) => ({ userId: `U0APPROVER${i}`, at }));
    for (const ctx of contexts) {
      const card = operationCard(ctx, operation({ approvalsRequired: 12, approvals }));
      expect(checkBlockKit(card, "message")).toEqual([]);
      const text = JSON.stringify(card);
      expect(text).toContain(ctx.locale === "en" ? "Approvals: 10 of 12" : "审批：10 / 12");
      expect(text).toContain("<@U0APPROVER0>");
      expect(text).toContain("<@U0APPROVER9>");
    }
    expect(JSON.stringify(operationCard(contexts[0] as ViewContext, operation()))).not.toContain("Approvals:");
  });

  it("decision buttons only while pending, Check again only with an unknown step; values carry only the id", () => {
    for (const r of everyOperation()) {
      const buttons = operationCard(contexts[0] as ViewContext, r)
        .blocks.filter((b) => b.type === "actions")
        .flatMap((b) => ("elements" in b ? b.elements : []));
      for (const b of buttons) expect("value" in b && b.value).toBe(r.id);
      const ids = buttons.map((b) => "action_id" in b && b.action_id);
      if (r.status === "pending") {
        expect(ids).toEqual([OPERATION_ACTIONS.approve, OPERATION_ACTIONS.reject, OPERATION_ACTIONS.cancel]);
        expect(buttons[0]).toMatchObject({ style: "danger", confirm: { style: "danger" } });
      } else if (r.steps.some((s) => s.status === "unknown")) expect(ids).toEqual([OPERATION_ACTIONS.checkAgain]);
      else expect(ids).toEqual([]);
    }
  });

  it("shows the plan in order before approval, and each instance's end after it, with RetCode and request id", () => {
    const en = contexts[0] as ViewContext;
    const plan = JSON.stringify(operationCard(en, operation()));
    const order = ["Stop the instance", "Keep a copy", "Reinstall with", "Start the instance"].map((t) =>
      plan.indexOf(t),
    );
    expect(order.every((i) => i > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    const done = JSON.stringify(
      operationCard(
        en,
        operation({ status: "succeeded", decidedBy: "U0BOB0001", decidedAt: at }, { statusOf: () => "done" }),
      ),
    );
    expect(done).toContain("now *Running*");
    expect(done).toContain("compshareImage-copy1");
    expect(done).toContain("<@U0BOB0001>");
    const failed = JSON.stringify(
      operationCard(
        en,
        operation(
          { status: "failed", decidedBy: "U0BOB0001", decidedAt: at },
          { statusOf: (p) => (p < 2 ? "done" : p === 2 ? "failed" : "skipped"), problem: PROBLEMS[0] },
        ),
      ),
    );
    expect(failed).toContain("Stop it first");
    expect(failed).toContain("RetCode 226693");
    expect(failed).toContain("rid-2");
    const gpu = JSON.stringify(
      operationCard(
        en,
        operation({ status: "failed" }, { statusOf: (p) => (p === 0 ? "failed" : "skipped"), problem: PROBLEMS[2] }),
      ),
    );
    expect(gpu).toContain("226603");
  });
});

describe("request form", () => {
  const infos: (InstanceInfo[] | undefined)[] = [
    undefined,
    [{ kind: "found", id: "uhost-h", name: HOSTILE, gpu: HOSTILE, state: HOSTILE }],
    [{ kind: "found", id: "uhost-a" }],
    Array.from({ length: 20 }, (_, i) => ({
      kind: "found" as const,
      id: `uhost-${"b".repeat(50)}${i}`,
      name: HOSTILE,
      gpu: HOSTILE,
      state: "Running",
    })),
    [{ kind: "missing", id: "uhost-m", region: "cn-wlcb" }],
    [{ kind: "unchecked", id: "uhost-u" }],
  ];

  it("fits in both languages with every kind of instance and image detail", () => {
    for (const ctx of contexts) {
      for (const instances of infos) {
        for (const prefill of [
          {},
          {
            instanceIds: Array.from({ length: 20 }, (_, i) => `uhost-${"c".repeat(58)}${i % 10}`),
            imageId: "compshareImage-abc",
            imageName: HOSTILE,
          },
        ]) {
          const view = reinstallRequestModal(ctx, {
            prefill,
            snapshotName: HOSTILE,
            ...(instances ? { instances } : {}),
            image: { name: HOSTILE, type: HOSTILE, status: HOSTILE },
          });
          expect(checkBlockKit(view, "modal")).toEqual([]);
          expectNoRawHostile(view);
        }
      }
      for (const text of [
        ctx.m.reinstall.submitted.posting("C1"),
        ctx.m.reinstall.submitted.postFailed("C1"),
        ctx.m.operations.card.rateLimited(30),
      ]) {
        expect(checkBlockKit(requestSubmittedModal(ctx, text), "modal")).toEqual([]);
      }
      const reject = rejectModal(ctx, operation({}, { count: 20, hostile: true }));
      expect(checkBlockKit(reject, "modal")).toEqual([]);
      expectNoRawHostile(reject);
    }
  });

  it("pre-selects stop first unless every instance is Stopped, and start again when one was Running", () => {
    const found = (state: string): InstanceInfo => ({ kind: "found", id: "uhost-a", state });
    expect(planDefaults([found("Running")])).toEqual({ stopFirst: true, startAfter: true });
    expect(planDefaults([found("Stopped")])).toEqual({ stopFirst: false, startAfter: false });
    expect(planDefaults([found("Stopped"), found("Running")])).toEqual({ stopFirst: true, startAfter: true });
    expect(planDefaults([found("Install Fail")])).toEqual({ stopFirst: true, startAfter: false });
    const view = JSON.stringify(
      reinstallRequestModal(contexts[0] as ViewContext, {
        prefill: {},
        snapshotName: "backup-x",
        instances: [found("Stopped")],
      }),
    );
    expect(view).not.toContain(`"initial_options"`);
    expect(view).toContain("backup-x");
  });

  it("keeps only well-formed ids from private_metadata", () => {
    const meta = { instanceIds: ["uhost-abc", "uhost-def"], imageId: "compshareImage-abc", imageName: "PyTorch" };
    expect(decodeFormMetadata(encodeFormMetadata(meta))).toEqual(meta);
    expect(decodeFormMetadata('{"i":["uhost-a; DROP"],"g":"compshareImage-ok"}')).toEqual({});
    expect(decodeFormMetadata("not json")).toEqual({});
    expect(decodeFormMetadata(undefined)).toEqual({});
  });

  it("checks formats, counts and lengths before anything is asked of CompShare", () => {
    const m = messagesFor("en");
    const rules = { maxInstances: 20, reasonRequired: true };
    const good = {
      instanceIds: ["uhost-abc123"],
      imageId: "compshareImage-abc",
      reason: "why",
      stopFirst: true,
      startAfter: true,
      snapshot: false,
      snapshotName: "",
    };
    expect(validateRequestValues(m, good, rules)).toEqual({});
    expect(
      Object.keys(validateRequestValues(m, { ...good, instanceIds: [], imageId: "", reason: "" }, rules)).sort(),
    ).toEqual([REINSTALL_BLOCKS.image, REINSTALL_BLOCKS.instance, REINSTALL_BLOCKS.reason].sort());
    expect(validateRequestValues(m, { ...good, reason: "x".repeat(501) }, rules)).toHaveProperty(
      REINSTALL_BLOCKS.reason,
    );
    expect(validateRequestValues(m, { ...good, instanceIds: [`uhost-${"a".repeat(80)}`] }, rules)).toHaveProperty(
      REINSTALL_BLOCKS.instance,
    );
    const many = Array.from({ length: 21 }, (_, i) => `uhost-a${i}`);
    expect(validateRequestValues(m, { ...good, instanceIds: many }, rules)[REINSTALL_BLOCKS.instance]).toContain(
      "at most 20",
    );
    expect(validateRequestValues(m, { ...good, snapshot: true, snapshotName: "" }, rules)).toHaveProperty(
      REINSTALL_BLOCKS.snapshotName,
    );
    expect(validateRequestValues(m, { ...good, snapshot: true, snapshotName: "bad name!" }, rules)).toHaveProperty(
      REINSTALL_BLOCKS.snapshotName,
    );
    expect(validateRequestValues(m, { ...good, snapshot: true, snapshotName: "ok-name_1" }, rules)).toEqual({});
  });

  it("follows the policy: its max_instances, and a reason only where reason_required", () => {
    const m = messagesFor("en");
    const good = {
      instanceIds: ["uhost-abc123", "uhost-abc124", "uhost-abc125"],
      imageId: "compshareImage-abc",
      reason: "",
      stopFirst: true,
      startAfter: true,
      snapshot: false,
      snapshotName: "",
    };
    const loose = { maxInstances: 3, reasonRequired: false };
    expect(validateRequestValues(m, good, loose)).toEqual({});
    expect(validateRequestValues(m, good, { ...loose, reasonRequired: true })).toHaveProperty(REINSTALL_BLOCKS.reason);
    const four = { ...good, instanceIds: [...good.instanceIds, "uhost-abc126"] };
    expect(validateRequestValues(m, four, loose)[REINSTALL_BLOCKS.instance]).toContain("at most 3");
  });
});

describe("instances", () => {
  const states = [
    "Running",
    "Stopped",
    "Starting",
    "Stopping",
    "Rebooting",
    "Initializing",
    "Install Fail",
    "",
    HOSTILE.slice(0, 64),
  ];
  const instances: CompShareInstance[] = Array.from({ length: 10 }, (_, i) => ({
    UHostId: `uhost-${"z".repeat(40)}${i}`,
    Name: HOSTILE,
    State: states[i % states.length],
    GpuType: HOSTILE.slice(0, 60),
    GPU: 8,
    Zone: HOSTILE.slice(0, 40),
    CompShareImageName: HOSTILE,
  }));

  it("lists a page of hostile instances with buttons as their state allows, within Slack's limits", () => {
    for (const ctx of contexts) {
      for (const page of [
        { instances, offset: 0, total: 35, region: "cn-wlcb" },
        { instances, offset: 20, total: 35, region: "cn-wlcb" },
        { instances: [], offset: 0, total: 0, region: HOSTILE },
      ]) {
        const list = instanceListMessage(ctx, page);
        expect(checkBlockKit(list, "message")).toEqual([]);
        expectNoRawHostile(list);
      }
    }
    const en = JSON.stringify(
      instanceListMessage(contexts[0] as ViewContext, { instances, offset: 0, total: 35, region: "r" }),
    );
    expect(en).toContain("instance_op_stop");
    expect(en).toContain("instance_op_start");
    expect(en).toContain("instance_op_reboot");
    expect(en).toContain("instances_page_next");
    const running = instanceListMessage(contexts[0] as ViewContext, {
      instances: [{ UHostId: "uhost-r", State: "Running" }],
      offset: 0,
      total: 1,
      region: "r",
    });
    const ids = [...JSON.stringify(running).matchAll(/"action_id":"([a-z_]+)"/g)].map((found) => found[1]);
    expect(ids).toEqual(["instance_op_stop", "instance_op_reboot", "instance_reinstall"]);
    const moving = instanceListMessage(contexts[0] as ViewContext, {
      instances: [{ UHostId: "uhost-s", State: "Stopping" }],
      offset: 0,
      total: 1,
      region: "r",
    });
    expect(moving.blocks.some((b) => b.type === "actions")).toBe(false);
  });

  it("words a power operation's progress and end in both languages", () => {
    for (const ctx of contexts) {
      for (const kind of ["stop", "start", "reboot"] as const) {
        for (const status of ["executing", "succeeded", "failed", "unknown"] as const) {
          const op = operation(
            { kind, status },
            {
              hostile: true,
              statusOf: () => (status === "succeeded" ? "done" : status === "executing" ? "running" : status),
            },
          );
          const reply = instanceOperationMessage(ctx, op);
          expect(checkBlockKit(reply, "message")).toEqual([]);
          expectNoRawHostile(reply);
        }
      }
    }
  });
});

describe("image picker options", () => {
  const images: PickerImage[] = [
    ...Array.from({ length: 150 }, (_, i) => ({
      id: `compshareImage-p${i}`,
      name: `${HOSTILE.slice(0, 150)} ${i}`,
      type: "System",
      status: "Available",
      source: "platform" as const,
      tags: [],
    })),
    {
      id: "compshareImage-mine",
      name: "llama-serving",
      type: "Custom",
      status: "Available",
      source: "custom",
      tags: ["大模型"],
    },
    { id: "compshareImage-making", name: "llama-wip", type: "Custom", status: "Making", source: "custom", tags: [] },
    { id: "compshareImage-shared", name: "team-env", type: "Custom", status: undefined, source: "shared", tags: [] },
    {
      id: `compshareImage-${"x".repeat(80)}`,
      name: "too long an id",
      type: "Custom",
      status: "Available",
      source: "custom",
      tags: [],
    },
  ];

  it("answers at most 100 options, own images first, then shared, then platform", () => {
    for (const ctx of contexts) {
      const groups = pickerOptions(ctx.m, images, "");
      const options = groups.flatMap((g) => g.options);
      expect(options).toHaveLength(100);
      expect(groups.map((g) => g.options[0]?.value)).toEqual([
        "compshareImage-mine",
        "compshareImage-shared",
        "compshareImage-p0",
      ]);
      for (const option of options) {
        expect(option.text.text.length).toBeLessThanOrEqual(75);
        expect((option.value ?? "").length).toBeLessThanOrEqual(75);
      }
      expect(
        checkBlockKit(
          {
            blocks: [
              {
                type: "actions",
                elements: [{ type: "static_select", action_id: "a", option_groups: groups, options: [] }],
              },
            ],
          },
          "modal",
        ),
      ).toEqual([]);
    }
  });

  it("matches name, id and tags, case-insensitively, and never offers an image that cannot be installed", () => {
    const m = messagesFor("en");
    const values = (query: string) => pickerOptions(m, images, query).flatMap((g) => g.options.map((o) => o.value));
    expect(values("LLAMA")).toEqual(["compshareImage-mine"]);
    expect(values("大模型")).toEqual(["compshareImage-mine"]);
    expect(values("p149")).toEqual(["compshareImage-p149"]);
    expect(values("too long")).toEqual([]);
    expect(values("nothing like it")).toEqual([]);
  });
});

describe("Home tab with requests and instances", () => {
  it("fits with many hostile requests in every list and hostile instances, in both languages", () => {
    const many = Array.from({ length: 40 }, (_, i) =>
      operation({ id: `req_${String(i).padStart(16, "a")}` }, { count: 20, hostile: true }),
    );
    for (const ctx of contexts) {
      for (const keys of [undefined, { publicKey: HOSTILE, region: "cn-wlcb", zone: "cn-wlcb-01", since: at }]) {
        for (const instances of [
          undefined,
          { kind: "unavailable" as const },
          {
            kind: "listed" as const,
            instances: Array.from({ length: 5 }, (_, i) => ({
              UHostId: `uhost-${i}`,
              Name: HOSTILE,
              State: HOSTILE,
              GpuType: HOSTILE,
            })),
            total: 99,
          },
        ]) {
          const home = homeView(ctx, {
            keys,
            ...(instances ? { instances } : {}),
            requests: {
              mine: many,
              awaiting: many,
              recent: many.map((r) => ({ ...r, status: "failed" as const })),
              linkTo: (r) => `https://fake.slack.test/archives/${r.channelId}/p1`,
            },
          });
          expect(checkBlockKit(home, "home")).toEqual([]);
          expectNoRawHostile(home);
        }
      }
    }
  });
});
