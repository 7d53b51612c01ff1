/**
 * Just enough of a Dockerfile reader for the production-install test to take its steps from the
 * Dockerfile itself (what it copies, how it installs, its ENV, CMD and HEALTHCHECK), so the test
 * and the image cannot drift apart unnoticed.
 */

export interface Instruction {
  keyword: string;
  /** Everything after the keyword, continuation lines joined. */
  args: string;
}

export interface Stage {
  name: string | undefined;
  image: string;
  instructions: Instruction[];
}

export function parseDockerfile(text: string): Stage[] {
  const stages: Stage[] = [];
  for (const instruction of logicalLines(text)) {
    if (instruction.keyword === "FROM") {
      const [image = "", as, name] = instruction.args.split(/\s+/);
      stages.push({ image, name: as?.toUpperCase() === "AS" ? name : undefined, instructions: [] });
      continue;
    }
    const stage = stages.at(-1);
    if (!stage) throw new Error(`${instruction.keyword} before any FROM`);
    stage.instructions.push(instruction);
  }
  return stages;
}

function logicalLines(text: string): Instruction[] {
  const out: Instruction[] = [];
  let pending = "";
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (line.startsWith("#") || (line === "" && pending === "")) continue;
    if (line.endsWith("\\")) {
      pending += `${line.slice(0, -1)} `;
      continue;
    }
    const whole = (pending + line).trim();
    pending = "";
    const match = /^(\S+)\s*(.*)$/s.exec(whole);
    if (match?.[1]) out.push({ keyword: match[1].toUpperCase(), args: match[2] ?? "" });
  }
  return out;
}

export function instructions(stage: Stage, keyword: string): Instruction[] {
  return stage.instructions.filter((i) => i.keyword === keyword);
}

/** The JSON (exec) form, e.g. CMD ["node", "dist/main.js"]; anything else is an error here. */
export function execForm(args: string): string[] {
  const parsed: unknown = JSON.parse(args);
  if (!Array.isArray(parsed) || !parsed.every((part) => typeof part === "string")) {
    throw new Error(`not an exec-form array: ${args}`);
  }
  return parsed;
}

/** ENV instructions in both forms (KEY=value … and KEY value), later ones winning. */
export function environment(stage: Stage): Record<string, string> {
  const env: Record<string, string> = {};
  for (const { args } of instructions(stage, "ENV")) {
    if (!args.includes("=")) {
      const [key = "", ...rest] = args.split(/\s+/);
      env[key] = rest.join(" ");
      continue;
    }
    for (const pair of args.split(/\s+/).filter(Boolean)) {
      const at = pair.indexOf("=");
      env[pair.slice(0, at)] = pair.slice(at + 1);
    }
  }
  return env;
}

export interface Copy {
  from: string | undefined;
  sources: string[];
  destination: string;
}

export function copies(stage: Stage): Copy[] {
  return instructions(stage, "COPY").map(({ args }) => {
    const words = args.split(/\s+/).filter(Boolean);
    const flags = words.filter((w) => w.startsWith("--"));
    const paths = words.filter((w) => !w.startsWith("--"));
    const from = flags.find((f) => f.startsWith("--from="))?.slice("--from=".length);
    return { from, sources: paths.slice(0, -1), destination: paths.at(-1) ?? "" };
  });
}

/** The HEALTHCHECK's command, past its --options. */
export function healthcheckCommand(stage: Stage): string[] {
  const [check] = instructions(stage, "HEALTHCHECK");
  if (!check) throw new Error("no HEALTHCHECK");
  const match = /(?:^|\s)CMD\s+(\[.*\])\s*$/s.exec(check.args);
  if (!match?.[1]) throw new Error(`HEALTHCHECK without an exec-form CMD: ${check.args}`);
  return execForm(match[1]);
}
