import { LIMITS } from "./blocks.ts";

/**
 * Checks a Block Kit payload against the limits Slack enforces (DESIGN §7) and returns every
 * violation found, each with its JSON path. Slack rejects a whole message or view for one
 * violation, so tests run this over everything the bot can produce.
 */

export type SurfaceKind = "message" | "modal" | "home";

type Json = unknown;

interface Ctx {
  problems: string[];
}

function isObject(value: Json): value is Record<string, Json> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function textOf(value: Json): string | undefined {
  if (typeof value === "string") return value;
  if (isObject(value) && typeof value.text === "string") return value.text;
  return undefined;
}

function maxLen(ctx: Ctx, path: string, value: Json, max: number): void {
  const text = textOf(value);
  if (text === undefined) return;
  if (text.length > max) ctx.problems.push(`${path}: ${text.length} characters, limit ${max}`);
  if (text.length === 0) ctx.problems.push(`${path}: empty text (Slack rejects it)`);
}

function checkOption(ctx: Ctx, path: string, option: Json): void {
  if (!isObject(option)) return;
  maxLen(ctx, `${path}.text`, option.text, LIMITS.optionText);
  if (typeof option.value === "string" && option.value.length > LIMITS.optionValue) {
    ctx.problems.push(`${path}.value: ${option.value.length} characters, limit ${LIMITS.optionValue}`);
  }
  if (option.description !== undefined) maxLen(ctx, `${path}.description`, option.description, LIMITS.optionText);
}

function checkConfirm(ctx: Ctx, path: string, confirm: Json): void {
  if (!isObject(confirm)) return;
  maxLen(ctx, `${path}.title`, confirm.title, LIMITS.confirmTitle);
  maxLen(ctx, `${path}.text`, confirm.text, LIMITS.confirmText);
  maxLen(ctx, `${path}.confirm`, confirm.confirm, LIMITS.confirmButton);
  maxLen(ctx, `${path}.deny`, confirm.deny, LIMITS.confirmButton);
}

function checkElement(ctx: Ctx, path: string, element: Json): void {
  if (!isObject(element)) return;
  if (typeof element.action_id === "string" && element.action_id.length > 255) {
    ctx.problems.push(`${path}.action_id: longer than 255`);
  }
  if (element.placeholder !== undefined) maxLen(ctx, `${path}.placeholder`, element.placeholder, LIMITS.placeholder);
  if (element.confirm !== undefined) checkConfirm(ctx, `${path}.confirm`, element.confirm);
  const options = Array.isArray(element.options) ? element.options : [];
  switch (element.type) {
    case "button":
      maxLen(ctx, `${path}.text`, element.text, LIMITS.buttonText);
      if (typeof element.value === "string" && element.value.length > LIMITS.buttonValue) {
        ctx.problems.push(`${path}.value: ${element.value.length} characters, limit ${LIMITS.buttonValue}`);
      }
      if (typeof element.url === "string" && element.url.length > 3000)
        ctx.problems.push(`${path}.url: longer than 3000`);
      break;
    case "overflow":
      if (options.length > LIMITS.overflowOptions) ctx.problems.push(`${path}.options: ${options.length}, limit 5`);
      if (options.length < 1) ctx.problems.push(`${path}.options: an overflow needs at least one option`);
      break;
    case "static_select":
    case "multi_static_select":
      if (options.length > LIMITS.staticSelectOptions)
        ctx.problems.push(`${path}.options: ${options.length}, limit 100`);
      if (options.length === 0 && !Array.isArray(element.option_groups)) {
        ctx.problems.push(`${path}.options: a static select needs at least one option`);
      }
      break;
    case "checkboxes":
    case "radio_buttons":
      if (options.length > 10) ctx.problems.push(`${path}.options: ${options.length}, limit 10`);
      break;
    case "plain_text_input":
      if (typeof element.initial_value === "string" && typeof element.max_length === "number") {
        if (element.initial_value.length > element.max_length) {
          ctx.problems.push(`${path}.initial_value: longer than its own max_length ${element.max_length}`);
        }
      }
      if (typeof element.max_length === "number" && element.max_length > 3000) {
        ctx.problems.push(`${path}.max_length: ${element.max_length}, limit 3000`);
      }
      break;
    default:
      break;
  }
  options.forEach((option, i) => {
    checkOption(ctx, `${path}.options[${i}]`, option);
  });
  if (isObject(element.initial_option)) checkOption(ctx, `${path}.initial_option`, element.initial_option);
  if (Array.isArray(element.initial_options)) {
    element.initial_options.forEach((option, i) => {
      checkOption(ctx, `${path}.initial_options[${i}]`, option);
    });
  }
}

function checkBlock(ctx: Ctx, path: string, block: Json): void {
  if (!isObject(block)) {
    ctx.problems.push(`${path}: not an object`);
    return;
  }
  if (typeof block.block_id === "string" && block.block_id.length > 255)
    ctx.problems.push(`${path}.block_id: longer than 255`);
  switch (block.type) {
    case "section": {
      if (block.text === undefined && block.fields === undefined)
        ctx.problems.push(`${path}: section needs text or fields`);
      if (block.text !== undefined) maxLen(ctx, `${path}.text`, block.text, LIMITS.sectionText);
      const fieldList = Array.isArray(block.fields) ? block.fields : [];
      if (fieldList.length > LIMITS.sectionFields) ctx.problems.push(`${path}.fields: ${fieldList.length}, limit 10`);
      fieldList.forEach((field, i) => {
        maxLen(ctx, `${path}.fields[${i}]`, field, LIMITS.fieldText);
      });
      if (block.accessory !== undefined) checkElement(ctx, `${path}.accessory`, block.accessory);
      break;
    }
    case "header":
      maxLen(ctx, `${path}.text`, block.text, LIMITS.headerText);
      break;
    case "context": {
      const elements = Array.isArray(block.elements) ? block.elements : [];
      if (elements.length > LIMITS.contextElements) ctx.problems.push(`${path}.elements: ${elements.length}, limit 10`);
      elements.forEach((element, i) => {
        maxLen(ctx, `${path}.elements[${i}]`, element, LIMITS.contextText);
      });
      break;
    }
    case "actions": {
      const elements = Array.isArray(block.elements) ? block.elements : [];
      if (elements.length > LIMITS.actionsElements) ctx.problems.push(`${path}.elements: ${elements.length}, limit 25`);
      if (elements.length === 0) ctx.problems.push(`${path}.elements: an actions block needs at least one element`);
      elements.forEach((element, i) => {
        checkElement(ctx, `${path}.elements[${i}]`, element);
      });
      break;
    }
    case "input":
      maxLen(ctx, `${path}.label`, block.label, LIMITS.label);
      if (block.hint !== undefined) maxLen(ctx, `${path}.hint`, block.hint, LIMITS.hint);
      checkElement(ctx, `${path}.element`, block.element);
      break;
    case "divider":
    case "image":
    case "rich_text":
      break;
    default:
      ctx.problems.push(`${path}: block type ${String(block.type)} is not checked by this tool`);
  }
}

function checkBlocks(ctx: Ctx, path: string, blocks: Json, max: number): void {
  if (blocks === undefined) return;
  if (!Array.isArray(blocks)) {
    ctx.problems.push(`${path}: not an array`);
    return;
  }
  if (blocks.length > max) ctx.problems.push(`${path}: ${blocks.length} blocks, limit ${max}`);
  const ids = new Set<string>();
  blocks.forEach((block, i) => {
    checkBlock(ctx, `${path}[${i}]`, block);
    if (isObject(block) && typeof block.block_id === "string") {
      if (ids.has(block.block_id)) ctx.problems.push(`${path}[${i}].block_id: duplicate ${block.block_id}`);
      ids.add(block.block_id);
    }
  });
}

export function checkBlockKit(payload: Json, kind: SurfaceKind): string[] {
  const ctx: Ctx = { problems: [] };
  if (!isObject(payload)) return ["payload: not an object"];
  if (kind === "message") {
    checkBlocks(ctx, "blocks", payload.blocks, LIMITS.messageBlocks);
    if (typeof payload.text === "string" && payload.text.length > 40_000) ctx.problems.push("text: longer than 40000");
    if (payload.blocks !== undefined && (typeof payload.text !== "string" || payload.text.length === 0)) {
      // Slack accepts it, but notifications and screen readers show nothing useful.
      ctx.problems.push("text: a message with blocks should carry fallback text");
    }
    return ctx.problems;
  }
  checkBlocks(ctx, "blocks", payload.blocks, LIMITS.viewBlocks);
  if (typeof payload.private_metadata === "string" && payload.private_metadata.length > LIMITS.privateMetadata) {
    ctx.problems.push(`private_metadata: ${payload.private_metadata.length} characters, limit 3000`);
  }
  if (typeof payload.callback_id === "string" && payload.callback_id.length > 255)
    ctx.problems.push("callback_id: longer than 255");
  if (kind === "modal") {
    maxLen(ctx, "title", payload.title, LIMITS.modalTitle);
    if (payload.submit !== undefined) maxLen(ctx, "submit", payload.submit, LIMITS.modalTitle);
    if (payload.close !== undefined) maxLen(ctx, "close", payload.close, LIMITS.modalTitle);
    const hasInput = Array.isArray(payload.blocks) && payload.blocks.some((b) => isObject(b) && b.type === "input");
    if (hasInput && payload.submit === undefined)
      ctx.problems.push("submit: a modal with inputs needs a submit button");
  }
  return ctx.problems;
}
