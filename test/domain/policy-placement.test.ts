import { describe, expect, it } from "vitest";
import { checkPlacement, commandPlace } from "../../src/domain/policy/index.ts";

describe("commandPlace", () => {
  it("tells DMs (and the Home tab, which has no channel) from channels", () => {
    expect(commandPlace("D0123ABCD", "directmessage")).toEqual({ kind: "direct_message" });
    expect(commandPlace("D0123ABCD")).toEqual({ kind: "direct_message" });
    expect(commandPlace(undefined)).toEqual({ kind: "direct_message" });
    expect(commandPlace("C0123ABCD", "gpu-ops")).toEqual({ kind: "channel", channelId: "C0123ABCD" });
    expect(commandPlace("G0123ABCD", "privategroup")).toEqual({ kind: "channel", channelId: "G0123ABCD" });
  });
});

describe("checkPlacement", () => {
  const onlyOps = { placement: { channels: ["C0OPS0001"], directMessages: false } };
  const anywhere = { placement: { channels: undefined, directMessages: true } };

  it("allows the listed channels only, and DMs only when they are allowed", () => {
    expect(checkPlacement(onlyOps, { kind: "channel", channelId: "C0OPS0001" })).toEqual({ allowed: true });
    expect(checkPlacement(onlyOps, { kind: "channel", channelId: "C0RANDOM1" })).toEqual({
      allowed: false,
      allowedIn: onlyOps.placement,
    });
    expect(checkPlacement(onlyOps, { kind: "direct_message" })).toEqual({
      allowed: false,
      allowedIn: onlyOps.placement,
    });
  });

  it("allows any channel when none are listed", () => {
    expect(checkPlacement(anywhere, { kind: "channel", channelId: "C0RANDOM1" })).toEqual({ allowed: true });
    expect(checkPlacement(anywhere, { kind: "direct_message" })).toEqual({ allowed: true });
    const channelsNoDm = { placement: { channels: undefined, directMessages: false } };
    expect(checkPlacement(channelsNoDm, { kind: "direct_message" }).allowed).toBe(false);
  });
});
