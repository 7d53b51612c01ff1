import { describe, expect, it } from "vitest";
import type { Locale } from "../../src/config.ts";
import { WITHDRAWN_NOTE } from "../../src/domain/reinstall-outcome.ts";
import { type PickerImage, pickerOptions } from "../../src/slack/flows/image-catalogue.ts";
import { messagesFor } from "../../src/slack/i18n/messages.ts";
import { validateRequestValues } from "../../src/slack/interactions/reinstall-form.ts";
import { APPROVAL_ACTIONS, approvalCard, outcomeWords, requesterUpdate } from "../../src/slack/views/approval-card.ts";
import { homeView } from "../../src/slack/views/home.ts";
import { checkBlockKit } from "../../src/slack/views/limits.ts";
import {
  decodeFormMetadata,
  encodeFormMetadata,
  type InstanceInfo,
  REINSTALL_BLOCKS,
  reinstallRequestModal,
  rejectModal,
  requestSubmittedModal,
} from "../../src/slack/views/reinstall-modal.ts";
import type { ViewContext } from "../../src/slack/views/view-context.ts";
import { APPROVAL_STATUSES } from "../../src/store/approval-transitions.ts";
import type { ApprovalOutcome, ApprovalRequest, ApprovalStatus } from "../../src/store/types.ts";

/** Every view of the reinstall flow, in both languages, with ordinary and hostile data, against Slack's limits. */

const HOSTILE = `<!channel> *bold* _it_ ~s~ \`code\` <https://evil.example|click> & 🚀🔥 深度学习 ${"长".repeat(120)}${"x".repeat(80)}`;

const contexts: ViewContext[] = (["en", "zh-CN"] as Locale[]).flatMap((locale) =>
  [false, true].map((sandbox) => ({ m: messagesFor(locale), locale, sandbox })),
);

const at = new Date("2026-03-01T09:00:00Z");

function request(overrides: Partial<ApprovalRequest> = {}): ApprovalRequest {
  return {
    id: "req_abcdefghijklmnop",
    teamId: "T1",
    requesterId: "U0ALICE01",
    instanceId: "uhost-abc123",
    instanceName: "train-4090-a",
    instanceGpu: "1× 4090",
    instanceState: "Stopped",
    imageId: "compshareImage-abc123",
    imageName: "PyTorch 2.4",
    imageType: "System",
    region: "cn-wlcb",
    zone: "cn-wlcb-01",
    reason: "CUDA upgrade",
    status: "pending",
    createdAt: at,
    updatedAt: at,
    expiresAt: new Date(at.getTime() + 86_400_000),
    channelId: "C0APPROVE1",
    messageTs: "1700000000.000001",
    ...overrides,
  };
}

const hostileFields: Partial<ApprovalRequest> = {
  instanceName: HOSTILE.slice(0, 200),
  instanceGpu: HOSTILE.slice(0, 128),
  instanceState: HOSTILE.slice(0, 64),
  imageName: HOSTILE.slice(0, 200),
  imageType: HOSTILE.slice(0, 64),
  reason: HOSTILE.repeat(15).slice(0, 3000),
  note: HOSTILE.repeat(15).slice(0, 3000),
};
const sparseFields: Partial<ApprovalRequest> = {
  instanceName: undefined,
  instanceGpu: undefined,
  instanceState: undefined,
  imageName: undefined,
  imageType: undefined,
  channelId: undefined,
  messageTs: undefined,
};

const OUTCOMES: (ApprovalOutcome | undefined)[] = [
  undefined,
  { requestId: "rid-1" },
  { retCode: 226693, message: "instance is Running; it must be Stopped", requestId: "rid-2" },
  { retCode: 226695, message: "InstanceOperationInProgress: wait", requestId: "rid-3" },
  { retCode: 171, message: "signature", requestId: "rid-`4`" },
  { retCode: 999999, message: HOSTILE.repeat(10), requestId: HOSTILE.slice(0, 100) },
  { message: "bot:keys_removed" },
  { message: "bot:keys_unreadable" },
  { message: "bot:not_sent" },
  { message: "bot:http:503", requestId: "rid-5" },
  { message: "bot:no_answer", requestId: "rid-6" },
  { message: "bot:internal" },
  { message: "bot:something-new" },
];

function everyRequest(): ApprovalRequest[] {
  const out: ApprovalRequest[] = [];
  for (const status of APPROVAL_STATUSES as readonly ApprovalStatus[]) {
    for (const fields of [{}, hostileFields, sparseFields]) {
      const decided = status === "pending" ? {} : { decidedBy: "U0BOB0001", decidedAt: at };
      for (const outcome of status === "failed" || status === "unknown" || status === "succeeded"
        ? OUTCOMES
        : [undefined]) {
        out.push(request({ status, ...decided, ...fields, ...(outcome ? { outcome } : {}) }));
      }
    }
  }
  out.push(request({ status: "cancelled", decidedBy: "U0BOT0001", decidedAt: at, note: WITHDRAWN_NOTE }));
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

describe("approval card", () => {
  it("fits Slack's limits in every status, language and outcome, with hostile and missing data", () => {
    for (const ctx of contexts) {
      for (const r of everyRequest()) {
        const card = approvalCard(ctx, r);
        expect(checkBlockKit(card, "message"), `${ctx.locale} ${r.status}`).toEqual([]);
        expectNoRawHostile(card);
        const update = requesterUpdate(ctx, r, "https://fake.slack.test/archives/C0APPROVE1/p1700000000000001");
        expect(checkBlockKit(update, "message")).toEqual([]);
        expectNoRawHostile(update);
      }
    }
  });

  it("has buttons only while pending, carrying nothing but the request id; Approve is danger with a confirm", () => {
    for (const r of everyRequest()) {
      const buttons = approvalCard(contexts[0] as ViewContext, r)
        .blocks.filter((b) => b.type === "actions")
        .flatMap((b) => ("elements" in b ? b.elements : []));
      if (r.status !== "pending") {
        expect(buttons).toEqual([]);
        continue;
      }
      expect(buttons.map((b) => "action_id" in b && b.action_id)).toEqual(Object.values(APPROVAL_ACTIONS));
      for (const b of buttons) expect("value" in b && b.value).toBe(r.id);
      expect(buttons[0]).toMatchObject({ style: "danger", confirm: { style: "danger" } });
    }
  });

  it("names the decision, the decider and the outcome in words with RetCode and request id", () => {
    const en = contexts[0] as ViewContext;
    const failed = JSON.stringify(
      approvalCard(en, request({ status: "failed", decidedBy: "U0BOB0001", decidedAt: at, outcome: OUTCOMES[2] })),
    );
    expect(failed).toContain("<@U0BOB0001>");
    expect(failed).toContain("Stop it first");
    expect(failed).toContain("RetCode 226693");
    expect(failed).toContain("rid-2");
    const words = outcomeWords(en.m, { kind: "api", retCode: 171, message: "" }, "rid-`4`");
    expect(words.text).toContain("private key does not match");
    expect(words.footnote).toBe("RetCode 171 · request id `rid-'4'`");
    const unknown = JSON.stringify(approvalCard(en, request({ status: "unknown", decidedBy: "U0BOB0001" })));
    expect(unknown).toContain("restarted while the reinstall call was in flight");
  });
});

describe("request form", () => {
  const infos: (InstanceInfo | undefined)[] = [
    undefined,
    { kind: "found", name: HOSTILE, gpu: HOSTILE, state: HOSTILE },
    { kind: "found" },
    { kind: "found", name: "box", gpu: "2× A100", state: "Running" },
    { kind: "missing", zone: "cn-wlcb-01" },
    { kind: "unchecked" },
  ];

  it("fits in both languages with every kind of instance and image detail", () => {
    for (const ctx of contexts) {
      for (const instance of infos) {
        for (const prefill of [{}, { instanceId: "uhost-abc", imageId: "compshareImage-abc", imageName: HOSTILE }]) {
          const view = reinstallRequestModal(ctx, {
            prefill,
            ...(instance ? { instance } : {}),
            image: { name: HOSTILE, type: HOSTILE, status: HOSTILE },
          });
          expect(checkBlockKit(view, "modal")).toEqual([]);
          expectNoRawHostile(view);
        }
      }
      for (const text of [ctx.m.reinstall.submitted.posting("C1"), ctx.m.reinstall.submitted.postFailed("C1")]) {
        expect(checkBlockKit(requestSubmittedModal(ctx, text), "modal")).toEqual([]);
      }
      const reject = rejectModal(ctx, request(hostileFields));
      expect(checkBlockKit(reject, "modal")).toEqual([]);
      expectNoRawHostile(reject);
    }
  });

  it("keeps only well-formed ids from private_metadata", () => {
    const meta = { instanceId: "uhost-abc", imageId: "compshareImage-abc", imageName: "PyTorch" };
    expect(decodeFormMetadata(encodeFormMetadata(meta))).toEqual(meta);
    expect(decodeFormMetadata('{"i":"uhost-a; DROP","g":"compshareImage-ok"}')).toEqual({});
    expect(decodeFormMetadata("not json")).toEqual({});
    expect(decodeFormMetadata(undefined)).toEqual({});
  });

  it("checks formats and lengths before anything is asked of CompShare", () => {
    const m = messagesFor("en");
    const good = { instanceId: "uhost-abc123", imageId: "compshareImage-abc", reason: "why" };
    expect(validateRequestValues(m, good)).toEqual({});
    expect(Object.keys(validateRequestValues(m, { instanceId: "", imageId: "", reason: "" })).sort()).toEqual(
      [REINSTALL_BLOCKS.image, REINSTALL_BLOCKS.instance, REINSTALL_BLOCKS.reason].sort(),
    );
    expect(validateRequestValues(m, { ...good, reason: "x".repeat(501) })).toHaveProperty(REINSTALL_BLOCKS.reason);
    expect(validateRequestValues(m, { ...good, instanceId: `uhost-${"a".repeat(80)}` })).toHaveProperty(
      REINSTALL_BLOCKS.instance,
    );
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

describe("Home tab with requests", () => {
  it("fits with many hostile requests in every list, in both languages", () => {
    const many = Array.from({ length: 40 }, (_, i) =>
      request({ ...hostileFields, id: `req_${String(i).padStart(16, "a")}` }),
    );
    for (const ctx of contexts) {
      for (const keys of [undefined, { publicKey: HOSTILE, region: "cn-wlcb", zone: "cn-wlcb-01", since: at }]) {
        const home = homeView(ctx, {
          keys,
          requests: {
            mine: many,
            awaiting: many,
            recent: many.map((r) => ({ ...r, status: "failed" as const, outcome: OUTCOMES[5] })),
            linkTo: (r) => `https://fake.slack.test/archives/${r.channelId}/p1`,
          },
        });
        expect(checkBlockKit(home, "home")).toEqual([]);
        expectNoRawHostile(home);
      }
    }
  });
});
