import { expect, it } from "vitest";
import { parseDuration } from "../src/duration.ts";

it("parses compound durations and rejects anything else", () => {
  expect(parseDuration("24h")).toBe(86_400_000);
  expect(parseDuration("1h30m")).toBe(5_400_000);
  expect(parseDuration(" 2D ")).toBe(172_800_000);
  expect(parseDuration("250ms")).toBe(250);
  expect(parseDuration("90")).toBeUndefined();
  expect(parseDuration("soon")).toBeUndefined();
  expect(parseDuration("-1h")).toBeUndefined();
  expect(parseDuration("")).toBeUndefined();
});
