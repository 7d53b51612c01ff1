import { describe, expect, it } from "vitest";
import type { z } from "zod";
import {
  CANONICAL_IMAGE_FIELDS,
  canonicalImagePage,
  describeImagesRequestSchema,
  describeInstancesRequestSchema,
  IMAGE_ID_PATTERN,
  INSTANCE_ID_PATTERN,
  imagePageResponseSchema,
  imageSchema,
  instancePageResponseSchema,
  reinstallInstanceRequestSchema,
  responseEnvelopeSchema,
  updateImageRequestSchema,
} from "../../src/compshare/schemas.ts";

function issuePaths(schema: z.ZodType, input: unknown): string[] {
  const result = schema.safeParse(input);
  return result.success ? [] : result.error.issues.map((i) => i.path.join("."));
}

describe("id patterns", () => {
  it("accepts the vendor's id shapes and nothing around them", () => {
    expect(IMAGE_ID_PATTERN.test("compshareImage-165jmhx19ik7")).toBe(true);
    expect(IMAGE_ID_PATTERN.test("compshareImage-")).toBe(false);
    expect(IMAGE_ID_PATTERN.test("uimage-abc")).toBe(false);
    expect(IMAGE_ID_PATTERN.test("compshareImage-abc def")).toBe(false);
    expect(IMAGE_ID_PATTERN.test("xcompshareImage-abc")).toBe(false);
    expect(INSTANCE_ID_PATTERN.test("uhost-abc123")).toBe(true);
    expect(INSTANCE_ID_PATTERN.test("uhost-abc/..")).toBe(false);
    expect(INSTANCE_ID_PATTERN.test("ulhost-abc")).toBe(false);
  });
});

describe("request validation", () => {
  const image = "compshareImage-abc";
  const host = "uhost-abc";

  it("requires the ids of the writes", () => {
    expect(issuePaths(updateImageRequestSchema, {})).toEqual(["CompShareImageId"]);
    expect(issuePaths(reinstallInstanceRequestSchema, { CompShareImageId: image })).toEqual(["UHostId"]);
    expect(issuePaths(reinstallInstanceRequestSchema, { UHostId: host })).toEqual(["CompShareImageId"]);
  });

  it("checks id shapes", () => {
    expect(issuePaths(updateImageRequestSchema, { CompShareImageId: "img-1" })).toEqual(["CompShareImageId"]);
    expect(issuePaths(reinstallInstanceRequestSchema, { UHostId: "host-1", CompShareImageId: image })).toEqual([
      "UHostId",
    ]);
    expect(issuePaths(describeInstancesRequestSchema, { UHostIds: [host, "bad"] })).toEqual(["UHostIds.1"]);
    expect(issuePaths(describeImagesRequestSchema, { CompShareImageId: "nope" })).toEqual(["CompShareImageId"]);
  });

  it("allows at most 3 tags", () => {
    expect(issuePaths(updateImageRequestSchema, { CompShareImageId: image, Tags: ["a", "b", "c"] })).toEqual([]);
    expect(issuePaths(updateImageRequestSchema, { CompShareImageId: image, Tags: ["a", "b", "c", "d"] })).toEqual([
      "Tags",
    ]);
  });

  it.each([
    [0, true],
    [1.5, true],
    [12.34, true],
    [35, true],
    [-1, false],
    [1.234, false],
    [0.1 + 0.2, false],
    [Number.NaN, false],
  ])("price %s valid: %s", (price, ok) => {
    expect(issuePaths(updateImageRequestSchema, { CompShareImageId: image, Price: price }).length === 0).toBe(ok);
  });

  it("takes Visibility 0 or 1 only", () => {
    expect(issuePaths(updateImageRequestSchema, { CompShareImageId: image, Visibility: 1 })).toEqual([]);
    expect(issuePaths(updateImageRequestSchema, { CompShareImageId: image, Visibility: 0 })).toEqual([]);
    expect(issuePaths(updateImageRequestSchema, { CompShareImageId: image, Visibility: 2 })).toEqual(["Visibility"]);
    expect(issuePaths(updateImageRequestSchema, { CompShareImageId: image, Visibility: "1" })).toEqual(["Visibility"]);
  });

  it.each([
    [{ Limit: 1 }, []],
    [{ Limit: 100 }, []],
    [{ Limit: 0 }, ["Limit"]],
    [{ Limit: 101 }, ["Limit"]],
    [{ Limit: 2.5 }, ["Limit"]],
    [{ Offset: 0 }, []],
    [{ Offset: -1 }, ["Offset"]],
  ])("pages %j → issues %j", (page, paths) => {
    expect(issuePaths(describeImagesRequestSchema, page)).toEqual(paths);
  });

  it("takes ImageType System or App", () => {
    expect(issuePaths(describeImagesRequestSchema, { ImageType: "App" })).toEqual([]);
    expect(issuePaths(describeImagesRequestSchema, { ImageType: "Custom" })).toEqual(["ImageType"]);
  });

  it("lets params the SDKs do not know yet through", () => {
    const update = updateImageRequestSchema.parse({
      CompShareImageId: image,
      GroupId: "group-1",
      Name: "env",
      Price: 0,
      VersionName: "v2",
      VersionDesc: "new torch",
      SupportedGpuTypes: ["4090", "A100"],
      AutoStart: true,
      SomethingNewer: { Deep: [1, "x"] },
    });
    expect(update.SomethingNewer).toEqual({ Deep: [1, "x"] });
    const reinstall = reinstallInstanceRequestSchema.parse({ UHostId: host, CompShareImageId: image, CouponId: "c-1" });
    expect(reinstall.CouponId).toBe("c-1");
  });

  it("refuses extra values that cannot be params", () => {
    expect(issuePaths(updateImageRequestSchema, { CompShareImageId: image, Hook: () => 1 })).toEqual(["Hook"]);
  });

  it("refuses an empty name", () => {
    expect(issuePaths(updateImageRequestSchema, { CompShareImageId: image, Name: "" })).toEqual(["Name"]);
  });
});

describe("response parsing", () => {
  it("reads RetCode as a number or a numeric string", () => {
    expect(responseEnvelopeSchema.parse({ RetCode: 0 }).RetCode).toBe(0);
    expect(responseEnvelopeSchema.parse({ RetCode: "171", Message: "x" }).RetCode).toBe(171);
    expect(responseEnvelopeSchema.safeParse({ RetCode: "zero" }).success).toBe(false);
    expect(responseEnvelopeSchema.safeParse({ Action: "X" }).success).toBe(false);
  });

  it("reads the SDK model's fields and does without SupportedGpuTypes", () => {
    const page = imagePageResponseSchema.parse({
      RetCode: 0,
      ImageSet: [
        {
          CompShareImageId: "compshareImage-a",
          IsOfficial: "true",
          Container: "False",
          FailedReason: null,
          ImageOwnerAlias: "Community",
          FavoritesCount: "3",
          CreatedCount: 12,
          ImageCharge: false,
          ImageUseTime: 40,
          AuthInfo: 1,
        },
      ],
    });
    expect(page.ImageSet?.[0]).toMatchObject({
      IsOfficial: true,
      Container: "False",
      ImageOwnerAlias: "Community",
      FavoritesCount: 3,
      CreatedCount: 12,
    });
    expect(page.ImageSet?.[0]?.SupportedGpuTypes).toBeUndefined();
    expect(page.ImageSet?.[0]?.FailedReason).toBeUndefined();
  });

  it("tolerates numeric strings, nulls, missing optionals and unknown fields", () => {
    const page = imagePageResponseSchema.parse({
      Action: "DescribeCompShareImagesResponse",
      RetCode: 0,
      TotalCount: "2",
      Brand: "new",
      ImageSet: [
        {
          CompShareImageId: "compshareImage-a",
          Name: "PyTorch 2.1",
          Price: "1.50",
          Visibility: "1",
          Size: 20480,
          AutoStart: "true",
          Tags: null,
          Owner: { AccountId: 12345, AccountName: "lab" },
          Softwares: { CUDAVersion: "12.1", Applications: ["jupyter"], Extra: 1 },
          FavoritesCount: 7,
        },
        { CompShareImageId: "compshareImage-b" },
      ],
    });
    expect(page.TotalCount).toBe(2);
    expect(page.Brand).toBe("new");
    const [first, second] = page.ImageSet ?? [];
    expect(first).toMatchObject({ Price: 1.5, Visibility: 1, AutoStart: true, Tags: undefined, FavoritesCount: 7 });
    expect(first?.Owner?.AccountId).toBe("12345");
    expect(first?.Softwares).toMatchObject({ CUDAVersion: "12.1", Applications: ["jupyter"], Extra: 1 });
    expect(second).toEqual({ CompShareImageId: "compshareImage-b" });
  });

  it("refuses a record without its id or with a wrong type", () => {
    expect(imagePageResponseSchema.safeParse({ ImageSet: [{ Name: "x" }] }).success).toBe(false);
    expect(imagePageResponseSchema.safeParse({ ImageSet: [{ CompShareImageId: "a", Tags: "x" }] }).success).toBe(false);
    expect(instancePageResponseSchema.safeParse({ UHostSet: [{ Name: "x" }] }).success).toBe(false);
  });

  it("reads instances", () => {
    const page = instancePageResponseSchema.parse({
      TotalCount: 1,
      UHostSet: [{ UHostId: "uhost-a", State: "Stopped", GPU: "1", GpuType: "4090", DiskSet: [] }],
    });
    expect(page.UHostSet?.[0]).toMatchObject({ UHostId: "uhost-a", State: "Stopped", GPU: 1, DiskSet: [] });
  });
});

describe("the canonical image page", () => {
  const image = {
    CompShareImageId: "compshareImage-a",
    Name: "PyTorch 2.1",
    ImageType: "App",
    Tags: ["PyTorch"],
    Visibility: 1,
    Price: 1.5,
    AutoStart: true,
    Softwares: { CUDAVersion: "12.1", Applications: ["jupyter"], Extra: 1 },
    Owner: { AccountId: "12345", AccountName: "lab" },
    Brand: "new",
  };
  const page = { Action: "DescribeCompShareImagesResponse", RetCode: 0, TotalCount: 2, ImageSet: [image, image] };

  it("names every field of the image schema, and only those", () => {
    expect(Object.keys(CANONICAL_IMAGE_FIELDS)).toEqual(Object.keys(imageSchema.shape));
  });

  it("is the body itself, equal to what the schema makes of it", () => {
    const body = structuredClone(page);
    expect(canonicalImagePage(body)).toBe(body);
    expect(body).toEqual(imagePageResponseSchema.parse(structuredClone(page)));
  });

  it.each([
    ["a number sent as a string", { TotalCount: "2" }],
    ["a null", { ImageSet: [{ ...image, Tags: null }] }],
    ["a boolean sent as a string", { ImageSet: [{ ...image, AutoStart: "true" }] }],
    ["a numeric account id", { ImageSet: [{ ...image, Owner: { AccountId: 12345 } }] }],
    ["a nested field of the wrong type", { ImageSet: [{ ...image, Softwares: { Applications: "jupyter" } }] }],
    ["an image without its id", { ImageSet: [{ Name: "x" }] }],
    ["an image that is not an object", { ImageSet: ["x"] }],
    ["a list that is not a list", { ImageSet: {} }],
  ])("leaves %s to the schema", (_, change) => {
    expect(canonicalImagePage({ ...structuredClone(page), ...change })).toBeUndefined();
  });
});
