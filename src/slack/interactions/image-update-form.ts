import { z } from "zod";
import type { FieldProblem, FormField, FormInput } from "../../domain/image-changes.ts";
import type { Messages } from "../i18n/messages.ts";
import { AUTO_START_VALUE, UPDATE_ACTION, UPDATE_BLOCKS } from "../views/image-update-modal.ts";
import { CoverUnreadableError, type CoverUploadError } from "./cover-upload.ts";

/**
 * The trust boundary of the edit form: the submitted view state, read with zod. Slack enforces
 * the form's own limits, but the payload is still input; anything not shaped like this form
 * is refused as a whole rather than guessed at.
 */

const MAX_TEXT = 5000;
const text = z.looseObject({ value: z.string().max(MAX_TEXT).nullish() });
const radio = z.looseObject({ selected_option: z.looseObject({ value: z.enum(["0", "1"]) }).nullish() });
const multi = z.looseObject({
  selected_options: z
    .array(z.looseObject({ value: z.string().max(75) }))
    .max(100)
    .nullish(),
});
const files = z.looseObject({
  files: z
    .array(z.looseObject({ id: z.string().regex(/^F[A-Z0-9]{2,40}$/) }))
    .max(1)
    .nullish(),
});

export interface SubmittedForm {
  input: FormInput;
  /** The uploaded cover's Slack file id, when there is one. */
  coverFileId: string | undefined;
}

type StateValues = Record<string, Record<string, unknown>>;

export function readSubmittedForm(values: StateValues): SubmittedForm | undefined {
  const read = <T>(field: FormField, schema: z.ZodType<T>): T | undefined => {
    const parsed = schema.safeParse(values[UPDATE_BLOCKS[field]]?.[UPDATE_ACTION]);
    return parsed.success ? parsed.data : undefined;
  };
  const textOf = (field: FormField) => read(field, text);
  const name = textOf("Name");
  const description = textOf("Description");
  const visibility = read("Visibility", radio);
  const price = textOf("Price");
  const readme = textOf("Readme");
  const tags = textOf("Tags");
  const groupId = textOf("GroupId");
  const versionName = textOf("VersionName");
  const versionDesc = textOf("VersionDesc");
  const gpuTypes = read("SupportedGpuTypes", multi);
  const autoStart = read("AutoStart", multi);
  const cover = read("Cover", files);
  if (
    !name ||
    !description ||
    !visibility ||
    !price ||
    !readme ||
    !tags ||
    !groupId ||
    !versionName ||
    !versionDesc ||
    !gpuTypes ||
    !autoStart ||
    !cover
  ) {
    return undefined;
  }
  return {
    input: {
      Name: name.value ?? "",
      Description: description.value ?? "",
      // A radio group with nothing chosen can only come from a form that had no initial option.
      Visibility: visibility.selected_option?.value ?? "0",
      Price: price.value ?? "",
      Readme: readme.value ?? "",
      Tags: tags.value ?? "",
      GroupId: groupId.value ?? "",
      VersionName: versionName.value ?? "",
      VersionDesc: versionDesc.value ?? "",
      SupportedGpuTypes: (gpuTypes.selected_options ?? []).map((option) => option.value),
      AutoStart: (autoStart.selected_options ?? []).some((option) => option.value === AUTO_START_VALUE),
    },
    coverFileId: cover.files?.[0]?.id,
  };
}

/** `response_action: errors` wants one line per input block. */
export function problemErrors(m: Messages, problems: Partial<Record<FormField, FieldProblem>>): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const [field, problem] of Object.entries(problems) as [FormField, FieldProblem][]) {
    errors[UPDATE_BLOCKS[field]] = problemText(m, problem);
  }
  return errors;
}

export function problemText(m: Messages, problem: FieldProblem): string {
  const p = m.update.problems;
  switch (problem.kind) {
    case "required":
      return p.required;
    case "tooLong":
      return p.tooLong(problem.max);
    case "controlCharacters":
      return p.controlCharacters;
    case "priceFormat":
      return p.priceFormat;
    case "priceTooHigh":
      return p.priceTooHigh(problem.max);
    case "priceRequired":
      return p.priceRequired;
    case "priceCannotClear":
      return p.priceCannotClear;
    case "tooManyTags":
      return p.tooManyTags(problem.max);
    case "tagTooLong":
      return p.tagTooLong(problem.max);
    case "cannotClear":
      return p.cannotClear;
    case "cannotClearList":
      return p.cannotClearList;
    case "groupIdFormat":
      return p.groupIdFormat;
    case "gpuTypeFormat":
      return p.gpuTypeFormat;
  }
}

export function coverProblemText(m: Messages, error: CoverUploadError, maxMb: number): string {
  const p = m.update.problems;
  switch (error.code) {
    case "cover_type":
      return p.coverType;
    case "cover_content":
      return p.coverContent;
    case "cover_too_large":
      return p.coverTooLarge(maxMb);
    case "cover_unreadable":
      return error instanceof CoverUnreadableError && error.timedOut ? p.coverSlow : p.coverUnreadable;
  }
}
