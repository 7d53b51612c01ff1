import { StoreQueryError } from "./errors.ts";

/** SQLite hands back ISO text, PostgreSQL a Date: both become a Date. */
export function toDate(value: unknown, column: string): Date {
  const date = value instanceof Date ? value : typeof value === "string" ? new Date(value) : undefined;
  if (date === undefined || Number.isNaN(date.getTime())) {
    throw new StoreQueryError(`column ${column} does not hold a timestamp`);
  }
  return date;
}

export function optionalDate(value: unknown, column: string): Date | undefined {
  return value === null || value === undefined ? undefined : toDate(value, column);
}

export function toText(value: unknown, column: string): string {
  if (typeof value !== "string") throw new StoreQueryError(`column ${column} does not hold text`);
  return value;
}

export function optionalText(value: unknown, column: string): string | undefined {
  return value === null || value === undefined ? undefined : toText(value, column);
}

/** PostgreSQL returns bigint columns as strings. */
export function optionalNumber(value: unknown, column: string): number | undefined {
  if (value === null || value === undefined) return undefined;
  const n = typeof value === "string" ? Number(value) : value;
  if (typeof n !== "number" || !Number.isFinite(n))
    throw new StoreQueryError(`column ${column} does not hold a number`);
  return n;
}

export function toBytes(value: unknown, column: string): Buffer {
  if (!(value instanceof Uint8Array)) throw new StoreQueryError(`column ${column} does not hold bytes`);
  return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
}

/** Fixed-width UTC text sorts in time order, which the SQLite queries rely on. */
export function toIso(date: Date): string {
  return date.toISOString();
}

/** Records carry absent optional fields as missing keys, not as `undefined` values. */
export function withoutUndefined<T extends object>(record: T): T {
  for (const key of Object.keys(record) as (keyof T)[]) {
    if (record[key] === undefined) delete record[key];
  }
  return record;
}
