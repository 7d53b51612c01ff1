/** A value the caller may pass for one API param before flattening. */
export type ParamValue =
  | string
  | number
  | bigint
  | boolean
  | null
  | undefined
  | readonly ParamValue[]
  | { readonly [key: string]: ParamValue };

/** The flat form the wire carries and the signature covers: every value a string. */
export type FlatParams = Record<string, string>;

export class ParamEncodingError extends Error {
  readonly key: string;
  constructor(key: string, reason: string) {
    super(`cannot encode param ${key}: ${reason}`);
    this.name = "ParamEncodingError";
    this.key = key;
  }
}

/**
 * Flattens params as the official Go and Python SDKs do (DESIGN §3): arrays to `Key.0`,
 * objects to `Key.Field`, booleans to true/false, null and undefined dropped. A null or
 * undefined array item is dropped too and the rest close up (`["a", null, "b"]` → `Key.0`,
 * `Key.1`), as the Go SDK's encoder does: a gap would reach the server as a list with a hole.
 */
export function flattenParams(params: { readonly [key: string]: ParamValue }): FlatParams {
  const out: FlatParams = {};
  for (const [key, value] of Object.entries(params)) flattenInto(out, key, value);
  return out;
}

function flattenInto(out: FlatParams, key: string, value: ParamValue): void {
  if (value === null || value === undefined) return;
  if (Array.isArray(value)) {
    let index = 0;
    for (const item of value as readonly ParamValue[]) {
      if (item === null || item === undefined) continue;
      flattenInto(out, `${key}.${index++}`, item);
    }
    return;
  }
  switch (typeof value) {
    case "string":
      out[key] = value;
      return;
    case "boolean":
      out[key] = value ? "true" : "false";
      return;
    case "bigint":
      out[key] = value.toString();
      return;
    case "number":
      out[key] = formatNumber(key, value);
      return;
    case "object":
      for (const [field, inner] of Object.entries(value)) flattenInto(out, `${key}.${field}`, inner);
      return;
    default:
      throw new ParamEncodingError(key, `unsupported type ${typeof value}`);
  }
}

/**
 * Plain decimal, no exponent; an integral float drops its `.0` (35.0 → "35"), which JavaScript
 * does by itself. Values JavaScript would print in exponent form are refused rather than sent,
 * since the server would sign and parse a different number than the caller meant.
 */
export function formatNumber(key: string, value: number): string {
  if (!Number.isFinite(value)) throw new ParamEncodingError(key, "number is not finite");
  const text = String(value);
  if (/e/i.test(text)) throw new ParamEncodingError(key, `number ${text} would need exponent notation`);
  return text === "-0" ? "0" : text;
}
