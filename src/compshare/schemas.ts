import { z } from "zod";
import type { ParamValue } from "./params.ts";

// ---------------------------------------------------------------------------------------------
// Requests: checked before anything is sent. Param names are the API's own. Unlisted params
// pass through, because the vendor's pages add fields before the SDKs know them.
// ---------------------------------------------------------------------------------------------

/** Shared with the Slack layer, which checks ids typed by people with the same patterns. */
export const IMAGE_ID_PATTERN = /^compshareImage-[A-Za-z0-9]+$/;
export const INSTANCE_ID_PATTERN = /^uhost-[A-Za-z0-9]+$/;

export const MAX_TAGS = 3;
export const MAX_PAGE_LIMIT = 100;

const paramValue: z.ZodType<ParamValue, ParamValue> = z.lazy(() =>
  z.union([
    z.string(),
    z.number(),
    z.bigint(),
    z.boolean(),
    z.null(),
    z.undefined(),
    z.array(paramValue),
    z.record(z.string(), paramValue),
  ]),
);

const imageId = z.string().regex(IMAGE_ID_PATTERN, "must look like compshareImage-xxxx");
const instanceId = z.string().regex(INSTANCE_ID_PATTERN, "must look like uhost-xxxx");
const nonEmpty = z.string().min(1, "must not be empty");
const offset = z.number().int().min(0);
const limit = z.number().int().min(1).max(MAX_PAGE_LIMIT);

/** Yuan per hour; the console takes at most fen. */
const price = z
  .number()
  .min(0)
  .refine((value) => /^\d+(\.\d{1,2})?$/.test(String(value)), "must have at most 2 decimals");

/** Taken from the account when the request leaves them out. */
const location = {
  Region: nonEmpty.optional(),
  Zone: nonEmpty.optional(),
  ProjectId: nonEmpty.optional(),
};

const page = { Offset: offset.optional(), Limit: limit.optional() };

export const describeImagesRequestSchema = z
  .object({
    ...location,
    ...page,
    CompShareImageId: imageId.optional(),
    ImageType: z.enum(["System", "App"]).optional(),
    Name: z.string().optional(),
    Author: z.string().optional(),
    Tag: z.string().optional(),
  })
  .catchall(paramValue);

export const describeCustomImagesRequestSchema = z
  .object({ ...location, ...page, CompShareImageId: imageId.optional() })
  .catchall(paramValue);

export const describeSharingImagesRequestSchema = z
  .object({ ...location, ...page, CompShareImageId: imageId.optional() })
  .catchall(paramValue);

export const describeInstancesRequestSchema = z
  .object({ ...location, ...page, UHostIds: z.array(instanceId).optional() })
  .catchall(paramValue);

export const updateImageRequestSchema = z
  .object({
    ...location,
    CompShareImageId: imageId,
    GroupId: nonEmpty.optional(),
    Name: nonEmpty.optional(),
    Description: z.string().optional(),
    Visibility: z.literal([0, 1]).optional(),
    Price: price.optional(),
    Cover: z.string().optional(),
    Readme: z.string().optional(),
    Tags: z.array(nonEmpty).max(MAX_TAGS).optional(),
    VersionName: z.string().optional(),
    VersionDesc: z.string().optional(),
    SupportedGpuTypes: z.array(nonEmpty).optional(),
    AutoStart: z.boolean().optional(),
  })
  .catchall(paramValue);

export const reinstallInstanceRequestSchema = z
  .object({
    ...location,
    UHostId: instanceId,
    CompShareImageId: imageId,
    CouponId: nonEmpty.optional(),
  })
  .catchall(paramValue);

/** StopCompShareInstance, StartCompShareInstance and RebootCompShareInstance take the same params. */
export const instancePowerRequestSchema = z.object({ ...location, UHostId: instanceId }).catchall(paramValue);

/** The SDKs name the request's list `Softwares.Application`, singular, unlike the image record's. */
export const createCustomImageRequestSchema = z
  .object({
    ...location,
    UHostId: instanceId,
    Name: nonEmpty,
    Description: z.string().optional(),
    Softwares: z
      .object({
        Application: z.array(nonEmpty).optional(),
        CUDAVersion: z.string().optional(),
        Framework: z.string().optional(),
        FrameworkVersion: z.string().optional(),
      })
      .catchall(paramValue)
      .optional(),
  })
  .catchall(paramValue);

export const imageCreateProgressRequestSchema = z
  .object({ ...location, CompShareImageId: imageId })
  .catchall(paramValue);

export type DescribeImagesRequest = z.input<typeof describeImagesRequestSchema>;
export type DescribeCustomImagesRequest = z.input<typeof describeCustomImagesRequestSchema>;
export type DescribeSharingImagesRequest = z.input<typeof describeSharingImagesRequestSchema>;
export type DescribeInstancesRequest = z.input<typeof describeInstancesRequestSchema>;
export type UpdateImageRequest = z.input<typeof updateImageRequestSchema>;
export type ReinstallInstanceRequest = z.input<typeof reinstallInstanceRequestSchema>;
export type InstancePowerRequest = z.input<typeof instancePowerRequestSchema>;
export type CreateCustomImageRequest = z.input<typeof createCustomImageRequestSchema>;
export type ImageCreateProgressRequest = z.input<typeof imageCreateProgressRequestSchema>;

// ---------------------------------------------------------------------------------------------
// Responses: tolerant. Numbers and booleans have been seen as strings, Go services send null for
// empty values, and unknown fields are kept for whoever needs them next.
// ---------------------------------------------------------------------------------------------

const numeric = z.union([
  z.number(),
  z
    .string()
    .regex(/^\s*-?\d+(\.\d+)?\s*$/)
    .transform(Number),
]);

const booleanLike = z.union([
  z.boolean(),
  z
    .string()
    .regex(/^(true|false)$/i)
    .transform((value) => value.toLowerCase() === "true"),
]);

const stringLike = z.union([z.string(), z.number().transform(String)]);

function optional<T extends z.ZodType>(schema: T) {
  return z.preprocess((value) => (value === null ? undefined : value), schema.optional());
}

/**
 * RetCode and Message only: a plain object schema, so checking the envelope builds a two-field
 * object instead of copying the whole body. The body itself is decoded once, by the action's own
 * response schema, after RetCode says 0.
 */
export const responseEnvelopeSchema = z.object({
  RetCode: numeric,
  Message: optional(z.string()),
});

/** The values DESIGN §3 lists; the API may add others, so records keep the field a string. */
export const IMAGE_TYPES = ["System", "App", "Custom", "Community"] as const;
export type ImageType = (typeof IMAGE_TYPES)[number];
export const IMAGE_STATUSES = ["Making", "Available", "UnAvailable", "Reviewing", "Offline"] as const;
export type ImageStatus = (typeof IMAGE_STATUSES)[number];

/** The SDKs' CompShareImage model (Go services/ucompshare/models.go), every field optional. */
export const imageSchema = z.looseObject({
  CompShareImageId: z.string(),
  Name: optional(z.string()),
  /** System, App, Custom or Community. */
  ImageType: optional(z.string()),
  Author: optional(z.string()),
  /** Making, Available, UnAvailable, Reviewing or Offline. */
  Status: optional(z.string()),
  Tags: optional(z.array(z.string())),
  Description: optional(z.string()),
  /** Only returned when the image is queried by id. */
  Readme: optional(z.string()),
  /** 0 private, 1 public. */
  Visibility: optional(numeric),
  /** Yuan per hour. */
  Price: optional(numeric),
  Cover: optional(z.string()),
  /** MB. */
  Size: optional(numeric),
  CreateTime: optional(numeric),
  PubTime: optional(numeric),
  VersionName: optional(z.string()),
  VersionDesc: optional(z.string()),
  GroupId: optional(z.string()),
  AutoStart: optional(booleanLike),
  Softwares: optional(
    z.looseObject({
      CUDAVersion: optional(z.string()),
      Framework: optional(z.string()),
      FrameworkVersion: optional(z.string()),
      Applications: optional(z.array(z.string())),
    }),
  ),
  Owner: optional(z.looseObject({ AccountId: optional(stringLike), AccountName: optional(z.string()) })),
  SourceGpuType: optional(z.string()),
  /** Why making the image failed. */
  FailedReason: optional(z.string()),
  /** "Official" (platform) or "Community". */
  ImageOwnerAlias: optional(z.string()),
  /** Custom images only: made from an official image. */
  IsOfficial: optional(booleanLike),
  /** "True" container image, "False" VM image: the SDKs type it as a string. */
  Container: optional(stringLike),
  ImageCharge: optional(booleanLike),
  FavoritesCount: optional(numeric),
  CreatedCount: optional(numeric),
  ImageUseTime: optional(numeric),
  AuthInfo: optional(numeric),
  /**
   * Not in either SDK's CompShareImage model nor the vendor's response tables: it is an
   * UpdateCompShareImage parameter. Read if the API ever answers it; absent is the normal case.
   */
  SupportedGpuTypes: optional(z.array(z.string())),
});

export const instanceSchema = z
  .looseObject({
    UHostId: z.string(),
    Name: optional(z.string()),
    /** Stopped is the only state that can be reinstalled; empty when the platform does not know. */
    State: optional(z.string()),
    GpuType: optional(z.string()),
    GPU: optional(numeric),
    Zone: optional(z.string()),
    CompShareImageId: optional(z.string()),
    CompShareImageName: optional(z.string()),
    CompShareImageType: optional(z.string()),
    ChargeType: optional(z.string()),
    CreateTime: optional(numeric),
    ExpireTime: optional(numeric),
  })
  /**
   * DescribeCompShareInstance also returns the instance's root password (Base64) and an SSH
   * login command. The bot needs neither, so they go here, before any cache, log line, view or
   * audit row could hold them.
   */
  .transform(({ Password: _password, SshLoginCommand: _sshLoginCommand, ...instance }) => instance);

export const imagePageResponseSchema = z.looseObject({
  TotalCount: optional(numeric),
  ImageSet: optional(z.array(imageSchema)),
});

export type ImagePageResponse = z.output<typeof imagePageResponseSchema>;

/**
 * How a field looks when decoding would leave it exactly as it is: the right JSON type, no null,
 * no number sent as a string. A nested shape is a loose object of such fields.
 */
type Canonical = "string" | "number" | "boolean" | "strings" | CanonicalShape;
type CanonicalShape = { readonly [field: string]: Canonical };

/**
 * imageSchema's fields in their canonical form (a test keeps the two in step). Decoding a page
 * through zod copies every field of every image and costs more than parsing the JSON; a page in
 * which everything is already canonical decodes to itself, so canonicalImagePage hands it back
 * as it is, and only a page that needs converting (or is wrong) goes through the schema.
 */
export const CANONICAL_IMAGE_FIELDS = {
  CompShareImageId: "string",
  Name: "string",
  ImageType: "string",
  Author: "string",
  Status: "string",
  Tags: "strings",
  Description: "string",
  Readme: "string",
  Visibility: "number",
  Price: "number",
  Cover: "string",
  Size: "number",
  CreateTime: "number",
  PubTime: "number",
  VersionName: "string",
  VersionDesc: "string",
  GroupId: "string",
  AutoStart: "boolean",
  Softwares: { CUDAVersion: "string", Framework: "string", FrameworkVersion: "string", Applications: "strings" },
  Owner: { AccountId: "string", AccountName: "string" },
  SourceGpuType: "string",
  FailedReason: "string",
  ImageOwnerAlias: "string",
  IsOfficial: "boolean",
  Container: "string",
  ImageCharge: "boolean",
  FavoritesCount: "number",
  CreatedCount: "number",
  ImageUseTime: "number",
  AuthInfo: "number",
  SupportedGpuTypes: "strings",
} as const satisfies Record<keyof typeof imageSchema.shape, Canonical>;

/**
 * The parsed body itself when imagePageResponseSchema would return an equal copy of it;
 * undefined when it needs the schema (to convert a field, or to say what is wrong).
 */
export function canonicalImagePage(body: Record<string, unknown>): ImagePageResponse | undefined {
  const { TotalCount, ImageSet } = body;
  if (TotalCount !== undefined && typeof TotalCount !== "number") return undefined;
  if (ImageSet !== undefined) {
    if (!Array.isArray(ImageSet)) return undefined;
    for (const image of ImageSet) {
      if (!isRecord(image) || typeof image.CompShareImageId !== "string") return undefined;
      if (!fitsShape(image, CANONICAL_IMAGE_FIELDS)) return undefined;
    }
  }
  return body as ImagePageResponse;
}

function fitsShape(record: Record<string, unknown>, shape: CanonicalShape): boolean {
  for (const field in shape) {
    const value = record[field];
    // Absent is fine (every field but the id is optional); present as null is not canonical.
    if (value !== undefined && !fits(value, shape[field] as Canonical)) return false;
  }
  return true;
}

function fits(value: unknown, kind: Canonical): boolean {
  switch (kind) {
    case "string":
      return typeof value === "string";
    case "number":
      return typeof value === "number";
    case "boolean":
      return typeof value === "boolean";
    case "strings":
      return Array.isArray(value) && value.every((item) => typeof item === "string");
    default:
      return isRecord(value) && fitsShape(value, kind);
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export const instancePageResponseSchema = z.looseObject({
  TotalCount: optional(numeric),
  UHostSet: optional(z.array(instanceSchema)),
});

/** ReinstallCompShareInstance, and the Stop/Start/Reboot actions: each answers the instance's id. */
export const reinstallResponseSchema = z.looseObject({ UHostId: optional(z.string()) });
export const instancePowerResponseSchema = reinstallResponseSchema;

/** The new image's id is what the caller polls progress and later the image list with. */
export const createCustomImageResponseSchema = z.looseObject({ CompShareImageId: z.string().min(1) });

/** Seconds, sent as strings by the SDKs' models; an empty string means not estimated. */
const estimatedSeconds = z.preprocess((value) => (value === "" ? undefined : value), optional(numeric));

export const imageCreateProgressResponseSchema = z.looseObject({
  /** 0 to 100; the SDKs spell it Process. */
  Process: numeric,
  RemainingDuration: estimatedSeconds,
  TotalDuration: estimatedSeconds,
});

export type CompShareImage = z.output<typeof imageSchema>;
export type CompShareInstance = z.output<typeof instanceSchema>;
