import { readFile } from "node:fs/promises";
import type { Config } from "../../config.ts";
import { policyFromEnvironment } from "./environment-policy.ts";
import { parsePolicyFile } from "./policy-file.ts";
import { type Policy, PolicyFileError } from "./types.ts";

export type ReadText = (path: string) => Promise<string>;

const readUtf8: ReadText = (path) => readFile(path, "utf8");

/**
 * The policy the bot runs with: POLICY_FILE when set, else the environment variables. Throws
 * PolicyFileError, naming every problem and its line, when the file cannot be read or is wrong.
 */
export async function loadPolicy(config: Config, read: ReadText = readUtf8): Promise<Policy> {
  const path = config.policyFile;
  if (path === undefined) return policyFromEnvironment(config.approval);
  let text: string;
  try {
    text = await read(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "no such file" : code === "EACCES" ? "permission denied" : (code ?? "unreadable");
    throw new PolicyFileError(path, [{ line: undefined, message: `cannot be read (${why})` }]);
  }
  const parsed = parsePolicyFile(text, path);
  if (!parsed.ok) throw new PolicyFileError(path, parsed.problems);
  return parsed.policy;
}
