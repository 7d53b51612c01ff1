import { z } from "zod";
import type { FlatParams } from "../compshare/params.ts";
import { invalidParam, missingParam } from "./retcodes.ts";

/** Reads and checks one action's params; every failure names the param (RetCode 230). */

export function requireParams(params: FlatParams, names: readonly string[]): void {
  for (const name of names) {
    if (params[name] === undefined || params[name] === "") throw missingParam(name);
  }
}

export interface Paging {
  offset: number;
  limit: number;
}

export const DEFAULT_LIMIT = 20;
export const MAX_LIMIT = 100;

const decimalInteger = z
  .string()
  .regex(/^\d{1,9}$/)
  .transform(Number);
const limitSchema = decimalInteger.pipe(z.number().min(1).max(MAX_LIMIT));

export function readPaging(params: FlatParams): Paging {
  return {
    offset: parseOr(params, "Offset", decimalInteger, 0, "must be an integer ≥ 0"),
    limit: parseOr(params, "Limit", limitSchema, DEFAULT_LIMIT, `must be an integer from 1 to ${MAX_LIMIT}`),
  };
}

export function page<T>(items: readonly T[], paging: Paging): T[] {
  return items.slice(paging.offset, paging.offset + paging.limit);
}

export function readOptionalString(params: FlatParams, name: string): string | undefined {
  const value = params[name];
  return value === undefined || value === "" ? undefined : value;
}

export function readEnum<T extends string>(params: FlatParams, name: string, allowed: readonly T[]): T | undefined {
  const value = readOptionalString(params, name);
  if (value === undefined) return undefined;
  const found = allowed.find((candidate) => candidate === value);
  if (found === undefined) throw invalidParam(name, `must be one of ${allowed.join(", ")}`);
  return found;
}

export function readVisibility(params: FlatParams): 0 | 1 | undefined {
  const value = readEnum(params, "Visibility", ["0", "1"]);
  return value === undefined ? undefined : value === "1" ? 1 : 0;
}

/** Plain decimal ≥ 0; a sign, an exponent or anything else is refused rather than guessed at. */
const priceSchema = z
  .string()
  .regex(/^\d{1,9}(\.\d{1,6})?$/)
  .transform(Number);

export function readPrice(params: FlatParams): number | undefined {
  return parseOptional(params, "Price", priceSchema, "must be a number ≥ 0 (yuan per hour)");
}

export function readBoolean(params: FlatParams, name: string): boolean | undefined {
  const value = readEnum(params, name, ["true", "false"]);
  return value === undefined ? undefined : value === "true";
}

/**
 * Collects `Name.0`, `Name.1`, … in numeric index order (the wire form of an array, DESIGN §3).
 * Undefined when the caller sent none, so "not given" and "replace" stay distinct.
 */
export function readIndexedList(params: FlatParams, name: string): string[] | undefined {
  const pattern = new RegExp(`^${name}\\.(\\d+)$`);
  const entries: [number, string][] = [];
  for (const [key, value] of Object.entries(params)) {
    const match = pattern.exec(key);
    if (match?.[1] === undefined) continue;
    if (value === "") throw invalidParam(key, "must not be empty");
    entries.push([Number(match[1]), value]);
  }
  if (entries.length === 0) return undefined;
  return entries.sort((a, b) => a[0] - b[0]).map(([, value]) => value);
}

function parseOptional<T>(params: FlatParams, name: string, schema: z.ZodType<T>, reason: string): T | undefined {
  const value = params[name];
  if (value === undefined || value === "") return undefined;
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw invalidParam(name, reason);
  return parsed.data;
}

function parseOr<T>(params: FlatParams, name: string, schema: z.ZodType<T>, fallback: T, reason: string): T {
  return parseOptional(params, name, schema, reason) ?? fallback;
}
