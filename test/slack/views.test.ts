import { describe, expect, it } from "vitest";
import {
  CompShareApiError,
  CompShareHttpError,
  CompShareInvalidResponseError,
  CompShareNetworkError,
  CompShareOutcomeUnknownError,
  CompShareRequestError,
  CompShareTimeoutError,
} from "../../src/compshare/errors.ts";
import type { CompShareImage } from "../../src/compshare/schemas.ts";
import type { Locale } from "../../src/config.ts";
import { NotLinkedError } from "../../src/domain/accounts.ts";
import { type InvalidReason, parseCommand } from "../../src/slack/commands/parse.ts";
import { describeError } from "../../src/slack/error-reply.ts";
import { messagesFor } from "../../src/slack/i18n/messages.ts";
import { helpMessage, noticeMessage, usageMessage } from "../../src/slack/views/help.ts";
import { homeView } from "../../src/slack/views/home.ts";
import { imageDetailMessage } from "../../src/slack/views/image-detail.ts";
import { imageListMessage, imageListModal } from "../../src/slack/views/image-list.ts";
import { loginModal, loginSavedModal, whoamiMessage } from "../../src/slack/views/keys.ts";
import { checkBlockKit } from "../../src/slack/views/limits.ts";
import { decodeListState, encodeListState, type ListState } from "../../src/slack/views/list-state.ts";
import { imageDetailModal, loadingModal, noticeModal } from "../../src/slack/views/modals.ts";
import type { ViewContext } from "../../src/slack/views/view-context.ts";

/** Every view the core can produce, in both languages, with ordinary and hostile data, checked against Slack's limits. */

const HOSTILE = `<!channel> *bold* _it_ ~s~ \`code\` <https://evil.example|click> & 🚀🔥 深度学习 ${"长".repeat(120)}${"x".repeat(100)}`;

function image(overrides: Partial<CompShareImage> = {}): CompShareImage {
  return {
    CompShareImageId: "compshareImage-abc123",
    Name: "PyTorch 2.1",
    ImageType: "System",
    Author: "UCloud",
    Status: "Available",
    Tags: ["深度学习", "PyTorch"],
    Description: "A base image",
    Visibility: 1,
    Price: 1.5,
    ...overrides,
  } as CompShareImage;
}

const hostileImage = image({
  Name: HOSTILE.slice(0, 200),
  Author: HOSTILE,
  Tags: [HOSTILE, HOSTILE, HOSTILE],
  Description: HOSTILE.repeat(20),
  Readme: HOSTILE.repeat(100),
  VersionName: HOSTILE,
  VersionDesc: HOSTILE.repeat(30),
  SupportedGpuTypes: Array.from({ length: 50 }, (_, i) => `GPU-${i}-${HOSTILE.slice(0, 20)}`),
  Softwares: { CUDAVersion: HOSTILE, Framework: HOSTILE, FrameworkVersion: HOSTILE, Applications: [HOSTILE, HOSTILE] },
  Cover: `https://cdn.example/${"a".repeat(500)}.png`,
  Status: "SomethingNew",
  ImageType: "Quantum",
  CreateTime: 1712563200,
  Size: 20480,
});
const emptyImage = { CompShareImageId: "compshareImage-e" } as CompShareImage;

const contexts: ViewContext[] = (["en", "zh-CN"] as Locale[]).flatMap((locale) =>
  [false, true].map((sandbox) => ({ m: messagesFor(locale), locale, sandbox })),
);

function expectFits(payload: unknown, kind: "message" | "modal" | "home") {
  expect(checkBlockKit(payload, kind)).toEqual([]);
}

/** Text Slack parses as mrkdwn: a message's fallback `text` and every mrkdwn text object. */
function renderedMrkdwn(payload: unknown): string[] {
  const out: string[] = [];
  const walk = (node: unknown, isRoot: boolean) => {
    if (Array.isArray(node)) for (const item of node) walk(item, false);
    else if (node && typeof node === "object") {
      const record = node as Record<string, unknown>;
      if ((isRoot || record.type === "mrkdwn") && typeof record.text === "string") out.push(record.text);
      for (const [key, value] of Object.entries(record))
        if (key !== "text" || typeof value !== "string") walk(value, false);
    }
  };
  walk(payload, true);
  return out;
}

/** Broadcasts, mentions, group mentions and links, which Slack forms from `<…>` even inside code spans. */
const RAW_MARKUP = /<!channel>|<!here>|<!everyone>|<@U|<!subteam\^|<https:\/\/evil/;

function expectNoRawMarkup(payload: unknown) {
  for (const text of renderedMrkdwn(payload)) {
    expect(text).not.toMatch(RAW_MARKUP);
    // Every & left is one of the escapes; a bare one could start an entity of the user's choosing.
    expect(text.replaceAll(/&(amp|lt|gt);/g, "")).not.toContain("&");
  }
}

/** Command texts that try to smuggle markup into each reply the parser can lead to. */
const HOSTILE_COMMANDS = [
  "<!channel>",
  "<!here> please",
  "<@U0BOB0001>",
  "<!subteam^S0LEADS01|leads>",
  "&lt;!channel&gt; & <https://evil.example|click>",
  "images --<!here>",
  "images --`<!channel>`=x",
  "images --tag",
  "images --type <!channel>",
  `images ${"<!channel>".repeat(10)}`,
  "image",
  "image <!channel>",
  `image compshareImage-${"a".repeat(3000)}`,
  "update <@U0BOB0001>",
  `reinstall uhost-${"a".repeat(3000)}`,
  "reinstall uhost-a compshareImage-b <!here>",
  "whoami <!channel>",
  'images "<!channel>',
  "images \u0001<!channel>",
  "stop <!channel>",
  "reboot",
  `start uhost-${"a".repeat(3000)}`,
  `reinstall ${Array.from({ length: 21 }, (_, i) => `uhost-a${i}`).join(" ")}`,
];

describe.each(contexts)("views in $locale (sandbox: $sandbox)", (ctx) => {
  it("help and every usage message fit", () => {
    expectFits(helpMessage(ctx), "message");
    const reasons: InvalidReason[] = [
      { kind: "unknownSubcommand", name: HOSTILE.slice(0, 32) },
      { kind: "missingImageId" },
      { kind: "badImageId" },
      { kind: "badInstanceId" },
      { kind: "unknownFlag", flag: "--`x`" },
      { kind: "missingFlagValue", flag: "--tag" },
      { kind: "badType" },
      { kind: "tooLong", what: "name", max: 64 },
      { kind: "unexpectedArgs", command: "login" },
      { kind: "unbalancedQuote" },
      { kind: "missingInstanceId", command: "stop" },
      { kind: "tooManyInstances", max: 20 },
      { kind: "controlCharacters" },
    ];
    for (const reason of reasons) expectFits(usageMessage(ctx, reason), "message");
  });

  it("every reply the parser leads to escapes what the user typed", () => {
    const seen = new Set<string>();
    for (const text of HOSTILE_COMMANDS) {
      const parsed = parseCommand(text);
      if (parsed.kind !== "invalid") continue;
      seen.add(parsed.reason.kind);
      const reply = usageMessage(ctx, parsed.reason);
      expectFits(reply, "message");
      expectNoRawMarkup(reply);
    }
    const everyReason = {
      unknownSubcommand: true,
      missingImageId: true,
      badImageId: true,
      badInstanceId: true,
      unknownFlag: true,
      missingFlagValue: true,
      badType: true,
      tooLong: true,
      unexpectedArgs: true,
      unbalancedQuote: true,
      missingInstanceId: true,
      tooManyInstances: true,
      controlCharacters: true,
    } satisfies Record<InvalidReason["kind"], true>;
    expect([...seen].sort()).toEqual(Object.keys(everyReason).sort());
  });

  it("key views fit and never hold a private key", () => {
    expectFits(whoamiMessage(ctx, undefined), "message");
    expectFits(
      whoamiMessage(ctx, {
        publicKey: "x".repeat(256),
        region: "cn-wlcb",
        zone: "cn-wlcb-01",
        projectId: "org-1",
        since: new Date(),
      }),
      "message",
    );
    const modal = loginModal(ctx, {
      region: "cn-wlcb",
      zone: "cn-wlcb-01",
      publicKey: "p".repeat(256),
      projectId: "org-x",
    });
    expectFits(modal, "modal");
    expect(JSON.stringify(modal)).not.toContain('private_key":{"initial');
    expectFits(loginSavedModal(ctx, { publicKey: "p".repeat(256), region: "cn-wlcb", zone: "cn-wlcb-01" }), "modal");
  });

  it.each(["platform", "custom", "shared"] as const)("the %s list fits, full, empty and hostile", (kind) => {
    const state: ListState = {
      kind,
      offset: 20,
      filters: { name: HOSTILE.slice(0, 64), type: "App", author: "a", tag: "t" },
    };
    const full = { state, images: Array.from({ length: 10 }, () => hostileImage), total: 1000 };
    const list = imageListMessage(ctx, full);
    expectFits(list, "message");
    expectNoRawMarkup(list);
    expectFits(imageListModal(ctx, full), "modal");
    expectFits(imageListMessage(ctx, { state, images: [], total: 0 }), "message");
    expectFits(imageListMessage(ctx, { state: { ...state, offset: 0 }, images: [emptyImage], total: 1 }), "message");
  });

  it.each(["platform", "custom", "shared"] as const)("details of a %s image fit, hostile or empty", (source) => {
    for (const subject of [hostileImage, emptyImage, image()]) {
      const detail = imageDetailMessage(ctx, subject, source);
      expectFits(detail, "message");
      expectNoRawMarkup(detail);
      expectFits(imageDetailModal(ctx, subject, source), "modal");
    }
  });

  it("modals, notices and the Home tab fit", () => {
    expectFits(loadingModal(ctx, ctx.m.lists.sharedTitle), "modal");
    expectFits(noticeModal(ctx, ctx.m.lists.details, HOSTILE.repeat(50), HOSTILE), "modal");
    expectFits(noticeMessage(ctx, HOSTILE.repeat(50), HOSTILE.repeat(50)), "message");
    expectFits(homeView(ctx, { keys: undefined }), "home");
    expectFits(
      homeView(ctx, { keys: { publicKey: HOSTILE, region: "cn-wlcb", zone: "cn-wlcb-01", since: new Date() } }),
      "home",
    );
  });

  it("every error is put in words, with RetCode and request id where known", () => {
    const ctxErr = { action: "DescribeCompShareImages", requestId: "req-1" };
    const errors = [
      new NotLinkedError(),
      new CompShareApiError(171, "Signature error", ctxErr),
      new CompShareApiError(999999, HOSTILE, ctxErr),
      new CompShareApiError(8433, "InstanceOperationInProgress: locked", ctxErr),
      new CompShareHttpError(503, ctxErr),
      new CompShareInvalidResponseError("not json", ctxErr),
      new CompShareRequestError([{ path: "Tags", message: "at most 3" }], ctxErr),
      new CompShareNetworkError("ECONNREFUSED", { ...ctxErr, requestSent: false }),
      new CompShareTimeoutError("headers", { ...ctxErr, requestSent: true }),
      new CompShareOutcomeUnknownError(new CompShareTimeoutError("headers", { ...ctxErr, requestSent: true })),
      new Error(`boom ${HOSTILE}`),
    ];
    for (const error of errors) {
      const reply = describeError(ctx.m, error, "ref123");
      expect(reply.text.length).toBeGreaterThan(10);
      expectFits(noticeMessage(ctx, reply.text, reply.footnote), "message");
      expect(reply.text).not.toContain("boom");
    }
    expect(describeError(ctx.m, errors[1] as Error).footnote).toContain("171");
    expect(describeError(ctx.m, errors[3] as Error).text).toBe(ctx.m.errors.operationInProgress);
    expect(describeError(ctx.m, errors[10] as Error, "ref123")).toMatchObject({
      kind: "bug",
      text: expect.stringContaining("ref123"),
    });
  });
});

describe("list state in button values", () => {
  it("round-trips and refuses anything else", () => {
    const state: ListState = { kind: "platform", offset: 10, filters: { name: "x", type: "System" } };
    expect(decodeListState(encodeListState(state))).toEqual(state);
    for (const bad of [
      "",
      "{",
      '{"kind":"all","offset":0,"filters":{}}',
      '{"kind":"custom","offset":-1,"filters":{}}',
      '{"kind":"custom","offset":0,"filters":{},"admin":true}',
    ]) {
      expect(decodeListState(bad)).toBeUndefined();
    }
  });
});

describe("snapshots", () => {
  const en: ViewContext = { m: messagesFor("en"), locale: "en", sandbox: false };
  const zh: ViewContext = { m: messagesFor("zh-CN"), locale: "zh-CN", sandbox: false };
  it("an image list page", () => {
    expect(
      imageListMessage(en, {
        state: { kind: "custom", offset: 10, filters: {} },
        images: [image(), image({ Visibility: 0 })],
        total: 12,
      }),
    ).toMatchSnapshot();
  });
  it("an image's details in Chinese", () => {
    expect(
      imageDetailMessage(zh, image({ Readme: "# Hi", CreateTime: 1712563200, Size: 2048 }), "platform"),
    ).toMatchSnapshot();
  });
  it("the key modal", () => {
    expect(loginModal(en, { region: "cn-wlcb", zone: "cn-wlcb-01" })).toMatchSnapshot();
  });
});
