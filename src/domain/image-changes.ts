import { createHash } from "node:crypto";
import { type CompShareImage, MAX_TAGS, type UpdateImageRequest } from "../compshare/schemas.ts";
import { hasControlCharacters } from "./free-text.ts";

/**
 * The rules of editing an image's metadata, free of Slack: what the form shows for an image,
 * what a submission means, which fields it changes, and the UpdateCompShareImage request that
 * sends only those. The invariant everything rests on: submitting exactly what the form showed
 * changes nothing, whatever the image holds (long, odd or missing values included).
 */

export const EDITABLE_FIELDS = [
  "Name",
  "Description",
  "Visibility",
  "Price",
  "Readme",
  "Tags",
  "GroupId",
  "VersionName",
  "VersionDesc",
  "SupportedGpuTypes",
  "AutoStart",
] as const;
export type EditableField = (typeof EDITABLE_FIELDS)[number];
/** Cover is a field too, but a new file is always a change: there is nothing to compare it with. */
export type FormField = EditableField | "Cover";

/** Characters each text field takes; 3000 is the most a Slack text input holds. */
export const TEXT_LIMITS = {
  Name: 100,
  Description: 3000,
  Readme: 3000,
  GroupId: 64,
  VersionName: 64,
  VersionDesc: 3000,
  Tags: 120,
} as const satisfies Partial<Record<EditableField, number>>;
export const MAX_TAG_LENGTH = 32;
/** Yuan per hour; far above any real price, low enough to catch a slipped finger. */
export const MAX_PRICE = 10_000;

/** Offered in the GPU type menu besides whatever the image already lists. */
export const KNOWN_GPU_TYPES = ["4090", "3090", "A100", "A800", "H100", "H800", "H20", "L20", "L40", "L40S", "V100"];
/** What a GPU type option can carry (an option value is at most 75 characters). */
export const GPU_TYPE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9 ._-]{0,31}$/;
export const MAX_GPU_TYPE_OPTIONS = 100;
const GROUP_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;
const PRICE_PATTERN = /^\d{1,9}(\.\d{1,2})?$/;
/** Tags may be separated by ASCII or full-width commas, or the ideographic enumeration comma. */
const TAG_SEPARATORS = /[,，、]/;

/** The raw values of a submitted form (and what the form shows), as strings and option values. */
export interface FormInput {
  Name: string;
  Description: string;
  /** "0" private, "1" public. */
  Visibility: string;
  /** Yuan per hour as typed; empty when not set. */
  Price: string;
  Readme: string;
  /** Comma-separated. */
  Tags: string;
  GroupId: string;
  VersionName: string;
  VersionDesc: string;
  SupportedGpuTypes: string[];
  AutoStart: boolean;
}

/** What the form shows for an image, and the fields it could not show (kept unless the user types). */
export interface FormContent {
  input: FormInput;
  /** Long text: its length. SupportedGpuTypes: 0, since the API does not report the current list. */
  hidden: Partial<Record<EditableField, number>>;
}

/** One field's original value, compact enough to ride in a modal's private_metadata. */
export interface FieldSnapshot {
  digest: string;
  /** The value as shown, when it is short enough to quote back in "old → new". */
  shown?: string;
}

export interface ImageSnapshot {
  imageId: string;
  fields: Record<EditableField, FieldSnapshot>;
  /** Long fields the form left empty; an empty submission keeps them as they are. */
  hidden: EditableField[];
}

export type FieldProblem =
  | { kind: "required" }
  | { kind: "tooLong"; max: number }
  | { kind: "controlCharacters" }
  | { kind: "priceFormat" }
  | { kind: "priceTooHigh"; max: number }
  | { kind: "priceRequired" }
  | { kind: "priceCannotClear" }
  | { kind: "tooManyTags"; max: number }
  | { kind: "tagTooLong"; max: number }
  | { kind: "cannotClear" }
  | { kind: "cannotClearList" }
  | { kind: "groupIdFormat" }
  | { kind: "gpuTypeFormat" };

export interface FieldChange {
  field: FormField;
  /** Display forms, present only when short: lists joined with ", ", booleans "true"/"false", Visibility "0"/"1". */
  before?: string;
  after?: string;
}

export type Submission =
  | { ok: false; problems: Partial<Record<EditableField, FieldProblem>> }
  | { ok: true; changes: FieldChange[]; request: Omit<UpdateImageRequest, "CompShareImageId"> };

/** Longer shown values are not kept: they would crowd private_metadata and the confirmation. */
const SHOWN_MAX = 60;

export function formContentOf(image: CompShareImage): FormContent {
  const hidden: Partial<Record<EditableField, number>> = {};
  const longText = (field: "Description" | "Readme" | "VersionDesc"): string => {
    const text = normalizeText(image[field] ?? "");
    if (text.length <= TEXT_LIMITS[field]) return text;
    hidden[field] = text.length;
    return "";
  };
  const input: FormInput = {
    Name: clip(normalizeLine(image.Name ?? ""), TEXT_LIMITS.Name),
    Description: longText("Description"),
    Visibility: image.Visibility === 1 ? "1" : "0",
    Price: image.Price === undefined ? "" : priceText(image.Price),
    Readme: longText("Readme"),
    Tags: clip((image.Tags ?? []).map(normalizeLine).filter(Boolean).join(", "), TEXT_LIMITS.Tags),
    GroupId: clip(normalizeLine(image.GroupId ?? ""), TEXT_LIMITS.GroupId),
    VersionName: clip(normalizeLine(image.VersionName ?? ""), TEXT_LIMITS.VersionName),
    VersionDesc: longText("VersionDesc"),
    SupportedGpuTypes: uniqueSorted((image.SupportedGpuTypes ?? []).filter((t) => GPU_TYPE_PATTERN.test(t))).slice(
      0,
      MAX_GPU_TYPE_OPTIONS,
    ),
    AutoStart: image.AutoStart === true,
  };
  // Describe*Images do not answer SupportedGpuTypes (an Update parameter, in neither SDK's image
  // model): the current list is unknown, not empty, and a confirmation must not say "empty →".
  if (image.SupportedGpuTypes === undefined) hidden.SupportedGpuTypes = 0;
  return { input, hidden };
}

/**
 * The GPU types the menu offers: the image's own first (a menu must contain its initial options),
 * then the known ones, at most a static menu's 100.
 */
export function gpuTypeChoices(current: readonly string[]): string[] {
  return [...current, ...KNOWN_GPU_TYPES.filter((t) => !current.includes(t))].slice(0, MAX_GPU_TYPE_OPTIONS);
}

export function snapshotOf(imageId: string, content: FormContent): ImageSnapshot {
  const fields = {} as Record<EditableField, FieldSnapshot>;
  for (const field of EDITABLE_FIELDS) {
    const canonical = canonicalOf(field, content.input);
    const shown = displayOf(field, canonical);
    fields[field] = {
      digest: digestOf(canonical),
      ...(content.hidden[field] === undefined && JSON.stringify(shown).length <= SHOWN_MAX + 2 ? { shown } : {}),
    };
  }
  return { imageId, fields, hidden: EDITABLE_FIELDS.filter((field) => content.hidden[field] !== undefined) };
}

/**
 * Reads a submission against the snapshot of what the form showed. A field left as shown is
 * never an error and never sent; a changed one is validated, then sent.
 */
export function readSubmission(snapshot: ImageSnapshot, input: FormInput): Submission {
  const changed = new Set<EditableField>();
  for (const field of EDITABLE_FIELDS) {
    const keptByLeavingEmpty = snapshot.hidden.includes(field) && canonicalOf(field, input) === "";
    if (!keptByLeavingEmpty && digestOf(canonicalOf(field, input)) !== snapshot.fields[field].digest) {
      changed.add(field);
    }
  }
  const wasEmpty = (field: EditableField) =>
    !snapshot.hidden.includes(field) && snapshot.fields[field].digest === digestOf(canonicalOf(field, EMPTY_INPUT));

  const problems: Partial<Record<EditableField, FieldProblem>> = {};
  const request: Omit<UpdateImageRequest, "CompShareImageId"> = {};
  const check = (field: EditableField, problem: FieldProblem | undefined) => {
    if (problem) problems[field] = problem;
  };

  if (changed.has("Name")) {
    const name = normalizeLine(input.Name);
    check("Name", name === "" ? { kind: "required" } : textProblem(name, TEXT_LIMITS.Name));
    request.Name = name;
  }
  for (const field of ["Description", "Readme", "VersionDesc"] as const) {
    if (!changed.has(field)) continue;
    const text = normalizeText(input[field]);
    check(field, textProblem(text, TEXT_LIMITS[field]));
    request[field] = text;
  }
  for (const field of ["GroupId", "VersionName"] as const) {
    if (!changed.has(field)) continue;
    const text = normalizeLine(input[field]);
    // An empty string is not sent by the API's encoding, so clearing would silently do nothing.
    if (text === "") check(field, { kind: "cannotClear" });
    else if (field === "GroupId" && text.length <= TEXT_LIMITS.GroupId && !GROUP_ID_PATTERN.test(text)) {
      check(field, { kind: "groupIdFormat" });
    } else check(field, textProblem(text, TEXT_LIMITS[field]));
    request[field] = text;
  }
  if (changed.has("Visibility")) request.Visibility = input.Visibility === "1" ? 1 : 0;
  if (changed.has("Price")) {
    const price = input.Price.trim();
    if (price === "") check("Price", wasEmpty("Price") ? undefined : { kind: "priceCannotClear" });
    else if (!PRICE_PATTERN.test(price)) check("Price", { kind: "priceFormat" });
    else if (Number(price) > MAX_PRICE) check("Price", { kind: "priceTooHigh", max: MAX_PRICE });
    else request.Price = Number(price);
  }
  if ((changed.has("Visibility") || changed.has("Price")) && input.Visibility === "1" && input.Price.trim() === "") {
    check("Price", { kind: "priceRequired" });
  }
  if (changed.has("Tags")) {
    const tags = tagsOf(input.Tags);
    if (tags.length === 0) check("Tags", { kind: "cannotClearList" });
    else if (tags.length > MAX_TAGS) check("Tags", { kind: "tooManyTags", max: MAX_TAGS });
    else if (tags.some((tag) => tag.length > MAX_TAG_LENGTH))
      check("Tags", { kind: "tagTooLong", max: MAX_TAG_LENGTH });
    else if (tags.some(hasControlCharacters)) check("Tags", { kind: "controlCharacters" });
    request.Tags = tags;
  }
  if (changed.has("SupportedGpuTypes")) {
    const types = uniqueSorted(input.SupportedGpuTypes);
    if (types.length === 0) check("SupportedGpuTypes", { kind: "cannotClearList" });
    else if (!types.every((t) => GPU_TYPE_PATTERN.test(t))) check("SupportedGpuTypes", { kind: "gpuTypeFormat" });
    request.SupportedGpuTypes = types;
  }
  if (changed.has("AutoStart")) request.AutoStart = input.AutoStart;

  if (Object.keys(problems).length > 0) return { ok: false, problems };
  const changes = EDITABLE_FIELDS.filter((field) => changed.has(field)).map((field): FieldChange => {
    const before = snapshot.fields[field].shown;
    const after = displayOf(field, canonicalOf(field, input));
    return {
      field,
      ...(before !== undefined ? { before } : {}),
      ...(after.length <= SHOWN_MAX ? { after } : {}),
    };
  });
  return { ok: true, changes, request };
}

export function tagsOf(text: string): string[] {
  const tags: string[] = [];
  for (const part of text.split(TAG_SEPARATORS)) {
    const tag = normalizeLine(part);
    if (tag !== "" && !tags.includes(tag)) tags.push(tag);
  }
  return tags;
}

const EMPTY_INPUT: FormInput = {
  Name: "",
  Description: "",
  Visibility: "0",
  Price: "",
  Readme: "",
  Tags: "",
  GroupId: "",
  VersionName: "",
  VersionDesc: "",
  SupportedGpuTypes: [],
  AutoStart: false,
};

/** One string per field such that equal strings mean "the same value as far as CompShare cares". */
function canonicalOf(field: EditableField, input: FormInput): string {
  switch (field) {
    case "Name":
    case "GroupId":
    case "VersionName":
      return normalizeLine(input[field]);
    case "Description":
    case "Readme":
    case "VersionDesc":
      return normalizeText(input[field]);
    case "Visibility":
      return input.Visibility === "1" ? "1" : "0";
    case "Price": {
      const price = input.Price.trim();
      return PRICE_PATTERN.test(price) ? priceText(Number(price)) : price;
    }
    case "Tags":
      return JSON.stringify(tagsOf(input.Tags));
    case "SupportedGpuTypes":
      return JSON.stringify(uniqueSorted(input.SupportedGpuTypes));
    case "AutoStart":
      return String(input.AutoStart);
  }
}

function displayOf(field: EditableField, canonical: string): string {
  if (field === "Tags" || field === "SupportedGpuTypes") return (JSON.parse(canonical) as string[]).join(", ");
  return canonical;
}

/** 60 bits of SHA-256: only ever compared with the same user's next submission of the same form. */
function digestOf(canonical: string): string {
  return createHash("sha256").update(canonical).digest("base64url").slice(0, 10);
}

function textProblem(text: string, max: number): FieldProblem | undefined {
  if (text.length > max) return { kind: "tooLong", max };
  if (hasControlCharacters(text)) return { kind: "controlCharacters" };
  return undefined;
}

/** Slack may hand back \r\n; trailing blank space is never meaningful in these fields. */
function normalizeText(text: string): string {
  return text.replace(/\r\n?/g, "\n").trim();
}

function normalizeLine(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

function priceText(price: number): string {
  return String(Math.round(price * 1_000_000) / 1_000_000);
}

/** Cuts on a code point boundary, so an emoji is never split in half. */
function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  let out = "";
  for (const char of text) {
    if (out.length + char.length > max) break;
    out += char;
  }
  return out.trimEnd();
}

function uniqueSorted(values: readonly string[]): string[] {
  return [...new Set(values)].sort();
}
