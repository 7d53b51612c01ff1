import { describe, expect, it } from "vitest";
import { CompShareApiError } from "../../../src/compshare/errors.ts";
import { RETCODES, retCodeKey } from "../../../src/compshare/retcodes.ts";
import { IMAGE_STATUSES, IMAGE_TYPES } from "../../../src/compshare/schemas.ts";
import { REQUEST_STATUSES } from "../../../src/domain/operations/index.ts";
import { describeError } from "../../../src/slack/error-reply.ts";
import { en, type Messages } from "../../../src/slack/i18n/en.ts";
import { messagesFor, wordFor } from "../../../src/slack/i18n/messages.ts";
import { knownRetCodeWords, retCodeWords } from "../../../src/slack/i18n/retcode-words.ts";
import { zhCN } from "../../../src/slack/i18n/zh-CN.ts";
import { problemText } from "../../../src/slack/views/operation-text.ts";

// Compile-time checks, run by `npm run typecheck`: a catalogue missing one entry of a table keyed
// by a real union does not type-check. Were the tables keyed by number or string, each expected
// error below would not happen, and an unused expect-error directive fails the type check too.
{
  const { INSUFFICIENT_RESOURCES: _retCode, ...retCodes } = zhCN.errors.retCodes;
  // @ts-expect-error a RetCode without words
  const _missingRetCode: Messages["errors"]["retCodes"] = retCodes;
  const { UnAvailable: _status, ...statuses } = zhCN.statuses;
  // @ts-expect-error an image status without a word
  const _missingStatus: Messages["statuses"] = statuses;
  const { Community: _type, ...types } = zhCN.imageTypes;
  // @ts-expect-error an image type without a word
  const _missingType: Messages["imageTypes"] = types;
  const { expired: _request, ...requestStatuses } = zhCN.operations.requestStatuses;
  // @ts-expect-error a request status without a word
  const _missingRequest: Messages["operations"]["requestStatuses"] = requestStatuses;
}

const LOCK = "InstanceOperationInProgress: the instance has an operation in progress";

describe("catalogues keyed by the real unions", () => {
  it("word every RetCode the client knows, in both languages, and differently", () => {
    for (const [code, info] of Object.entries(RETCODES)) {
      if (info.key === "INVALID_PARAMS") continue;
      const words = [en, zhCN].map((m) => knownRetCodeWords(m, Number(code), ""));
      expect(words[0], code).toEqual(expect.any(String));
      expect(words[1], code).toEqual(expect.any(String));
      expect(words[0], code).not.toBe(words[1]);
    }
  });

  it("word every image status and type, every request status", () => {
    for (const value of [...IMAGE_STATUSES, ...IMAGE_TYPES]) {
      const word = (m: Messages) => wordFor(m.statuses, value) ?? wordFor(m.imageTypes, value);
      expect(word(en), value).toEqual(expect.any(String));
      expect(word(zhCN), value).toEqual(expect.any(String));
    }
    for (const status of REQUEST_STATUSES)
      expect(zhCN.operations.requestStatuses[status]).not.toBe(en.operations.requestStatuses[status]);
    expect(wordFor(zhCN.statuses, "SomethingNew")).toBeUndefined();
    expect(wordFor(zhCN.statuses, "toString")).toBeUndefined();
  });
});

describe("RetCodes into words, in one place", () => {
  it("the lock goes by its Message, INVALID_PARAMS and unknown codes by CompShare's own, escaped", () => {
    const m = messagesFor("zh-CN");
    expect(retCodeKey(226695, LOCK)).toBe("INSTANCE_OPERATION_IN_PROGRESS");
    expect(retCodeWords(m, 226695, LOCK)).toBe(m.errors.operationInProgress);
    expect(retCodeWords(m, 230, "Params [Zone] not valid")).toBe(m.errors.api("Params [Zone] not valid"));
    expect(retCodeWords(m, 999, "<!channel> oops")).toBe(m.errors.api("&lt;!channel&gt; oops"));
    expect(retCodeWords(m, 999, "")).toBe(m.errors.api("RetCode 999"));
    expect(knownRetCodeWords(m, 999, "whatever")).toBeUndefined();
  });

  it("a reply and a card say the same for the same refusal", () => {
    for (const m of [en, zhCN]) {
      for (const [retCode, message] of [
        [226604, "no resources"],
        [226695, LOCK],
        [171, "signature"],
        [12345, "something new"],
      ] as const) {
        const reply = describeError(
          m,
          new CompShareApiError(retCode, message, { action: "ReinstallCompShareInstance" }),
        );
        const card = problemText(m, { code: "refused", retCode, message });
        expect(card).toBe(reply.text);
        expect(card).toBe(retCodeWords(m, retCode, message));
      }
    }
  });
});
