import { describe, expect, it } from "vitest";
import type { Locale } from "../../src/config.ts";
import { messagesFor } from "../../src/slack/i18n/messages.ts";
import { noticeMessage } from "../../src/slack/views/help.ts";
import { checkBlockKit } from "../../src/slack/views/limits.ts";

/** The policy's replies (guardrail refusals, audit export) within Slack's limits, in both languages. */

const LOCALES: Locale[] = ["en", "zh-CN"];
const many = Array.from({ length: 400 }, (_, i) => `C0CHAN${String(i).padStart(4, "0")}`);

describe.each(LOCALES)("policy replies in %s", (locale) => {
  const m = messagesFor(locale);
  const ctx = { m, locale, sandbox: false };

  it("keeps every refusal shape within a message's limits, and names at most ten channels", () => {
    const shapes = [
      { channels: ["C0OPS0001"], directMessages: false },
      { channels: ["C0OPS0001", "C0ML00001"], directMessages: true },
      { channels: undefined, directMessages: false },
      { channels: [], directMessages: true },
      { channels: [], directMessages: false },
      { channels: many, directMessages: true },
    ];
    for (const allowedIn of shapes) {
      const text = m.policy.notHere("/compshare reinstall", allowedIn);
      expect(checkBlockKit(noticeMessage(ctx, text), "message")).toEqual([]);
      expect(text).toContain("`/compshare reinstall`");
    }
    const long = m.policy.notHere("/compshare reinstall", { channels: many, directMessages: true });
    expect(long.match(/<#C0CHAN/g)).toHaveLength(10);
    expect(long).toContain("390");
  });

  it("keeps the audit export's replies within a message's limits", () => {
    const a = m.policy.audit;
    for (const text of [a.notApprover, a.unverified, a.usage, a.tooLong(90), a.sent(1, "2026-11-24T12:00:00.000Z")]) {
      expect(checkBlockKit(noticeMessage(ctx, text), "message")).toEqual([]);
    }
  });
});
