import type { z } from "zod";
import { InvalidStoreInputError } from "./errors.ts";

/**
 * Parses input at the store's boundary. The error names the fields and rules only, never the
 * values, since a value may be a private key.
 */
export function parseInput<T extends z.ZodType>(schema: T, value: unknown, what: string): z.output<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => `${issue.path.join(".") || "(input)"}: ${issue.message}`);
  throw new InvalidStoreInputError(`invalid ${what}: ${problems.join("; ")}`);
}

export function clampLimit(limit: number | undefined, fallback: number, max: number): number {
  if (limit === undefined || !Number.isFinite(limit)) return fallback;
  return Math.min(Math.max(Math.trunc(limit), 1), max);
}
