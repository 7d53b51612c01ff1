import type { types } from "@slack/bolt";
import { truncate } from "./text.ts";

export type Block = types.KnownBlock;
export type ButtonElement = types.Button;
export type PlainText = types.PlainTextElement;
export type ModalView = types.ModalView;
export type HomeView = types.HomeView;
export type OptionObject = types.PlainTextOption;

/** Block Kit builders that enforce Slack's per-field limits at construction, so no view can exceed them by data. */

export const LIMITS = {
  sectionText: 3000,
  headerText: 150,
  contextText: 2000,
  buttonText: 75,
  buttonValue: 2000,
  optionText: 75,
  optionValue: 75,
  fieldText: 2000,
  placeholder: 150,
  label: 2000,
  hint: 2000,
  modalTitle: 24,
  confirmTitle: 100,
  confirmText: 300,
  confirmButton: 30,
  privateMetadata: 3000,
  messageBlocks: 50,
  viewBlocks: 100,
  staticSelectOptions: 100,
  overflowOptions: 5,
  actionsElements: 25,
  contextElements: 10,
  sectionFields: 10,
} as const;

export function plain(text: string, max: number = LIMITS.sectionText): PlainText {
  return { type: "plain_text", text: truncate(text, max) || " ", emoji: true };
}

export function header(text: string): Block {
  return { type: "header", text: plain(text, LIMITS.headerText) };
}

export function section(mrkdwn: string, accessory?: types.SectionBlockAccessory, blockId?: string): Block {
  return {
    type: "section",
    text: { type: "mrkdwn", text: truncate(mrkdwn, LIMITS.sectionText) || " " },
    ...(accessory ? { accessory } : {}),
    ...(blockId ? { block_id: blockId } : {}),
  };
}

export function fields(items: readonly string[]): Block {
  return {
    type: "section",
    fields: items
      .slice(0, LIMITS.sectionFields)
      .map((text) => ({ type: "mrkdwn" as const, text: truncate(text, LIMITS.fieldText) || " " })),
  };
}

export function context(...mrkdwn: string[]): Block {
  return {
    type: "context",
    elements: mrkdwn
      .slice(0, LIMITS.contextElements)
      .map((text) => ({ type: "mrkdwn" as const, text: truncate(text, LIMITS.contextText) || " " })),
  };
}

export function divider(): Block {
  return { type: "divider" };
}

export function actions(elements: types.ActionsBlockElement[], blockId?: string): Block {
  return {
    type: "actions",
    elements: elements.slice(0, LIMITS.actionsElements),
    ...(blockId ? { block_id: blockId } : {}),
  };
}

export interface ButtonSpec {
  text: string;
  actionId: string;
  value?: string;
  style?: "primary" | "danger";
  confirm?: { title: string; text: string; confirm: string; deny: string };
  url?: string;
}

export function button(spec: ButtonSpec): ButtonElement {
  if (spec.value !== undefined && spec.value.length > LIMITS.buttonValue) {
    throw new Error(`button ${spec.actionId}: value longer than ${LIMITS.buttonValue}`);
  }
  return {
    type: "button",
    text: plain(spec.text, LIMITS.buttonText),
    action_id: spec.actionId,
    ...(spec.value !== undefined ? { value: spec.value } : {}),
    ...(spec.style ? { style: spec.style } : {}),
    ...(spec.url ? { url: spec.url } : {}),
    ...(spec.confirm
      ? {
          confirm: {
            title: plain(spec.confirm.title, LIMITS.confirmTitle),
            text: plain(spec.confirm.text, LIMITS.confirmText),
            confirm: plain(spec.confirm.confirm, LIMITS.confirmButton),
            deny: plain(spec.confirm.deny, LIMITS.confirmButton),
            ...(spec.style === "danger" ? { style: "danger" as const } : {}),
          },
        }
      : {}),
  };
}

/** An option whose value must already fit (ids and short codes); text is cut to fit. */
export function option(text: string, value: string): OptionObject {
  if (value.length > LIMITS.optionValue) throw new Error(`option value longer than ${LIMITS.optionValue}`);
  return { text: plain(text, LIMITS.optionText), value };
}

export function overflow(actionId: string, options: OptionObject[]): types.Overflow {
  return { type: "overflow", action_id: actionId, options: options.slice(0, LIMITS.overflowOptions) };
}

export function modal(spec: {
  title: string;
  blocks: Block[];
  callbackId?: string;
  submit?: string;
  close?: string;
  privateMetadata?: string;
  externalId?: string;
}): ModalView {
  for (const text of [spec.title, spec.submit, spec.close]) {
    // Titles and modal buttons come from the catalogues, never from data: too long is a catalogue bug.
    if (text !== undefined && text.length > LIMITS.modalTitle)
      throw new Error(`modal text "${text}" is over ${LIMITS.modalTitle} characters`);
  }
  return {
    type: "modal",
    title: plain(spec.title, LIMITS.modalTitle),
    blocks: spec.blocks.slice(0, LIMITS.viewBlocks),
    ...(spec.callbackId ? { callback_id: spec.callbackId } : {}),
    ...(spec.submit ? { submit: plain(spec.submit, LIMITS.modalTitle) } : {}),
    ...(spec.close ? { close: plain(spec.close, LIMITS.modalTitle) } : {}),
    ...(spec.privateMetadata !== undefined ? { private_metadata: spec.privateMetadata } : {}),
    ...(spec.externalId ? { external_id: spec.externalId } : {}),
  };
}
