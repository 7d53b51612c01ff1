/**
 * The rules `promtool check metrics` applies (client_golang's promlint), re-stated for tests
 * where promtool is not installed: help text, base units, _total only on counters, the
 * histogram/summary reserved suffixes and labels, no type in the name, no colons, snake_case,
 * no abbreviated units, and no duplicate series.
 */

export interface Family {
  name: string;
  type: string;
  help: string;
  series: { labels: string[]; key: string }[];
}

/** Families from Prometheus text exposition format. */
export function parseExposition(text: string): Family[] {
  const families = new Map<string, Family>();
  const family = (name: string) => {
    let found = families.get(name);
    if (!found) {
      found = { name, type: "untyped", help: "", series: [] };
      families.set(name, found);
    }
    return found;
  };
  for (const line of text.split("\n")) {
    const meta = /^# (HELP|TYPE) (\S+) ?(.*)$/.exec(line);
    if (meta) {
      const [, kind, name = "", rest = ""] = meta;
      if (kind === "HELP") family(name).help = rest;
      else family(name).type = rest;
      continue;
    }
    const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? /.exec(line);
    if (!sample?.[1]) continue;
    const sampleName = sample[1];
    const owner =
      [...families.values()].find(
        (f) => f.name === sampleName || /^(.*)_(bucket|count|sum)$/.exec(sampleName)?.[1] === f.name,
      ) ?? family(sampleName);
    const labels = [...(sample[3] ?? "").matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="/g)].map((m) => m[1] ?? "");
    owner.series.push({ labels, key: `${sampleName}{${sample[3] ?? ""}}` });
  }
  return [...families.values()];
}

const BASE_UNITS: Record<string, string> = {
  amperes: "amperes",
  bytes: "bytes",
  celsius: "celsius",
  grams: "grams",
  joules: "joules",
  kelvin: "kelvin",
  meters: "meters",
  metres: "metres",
  seconds: "seconds",
  volts: "volts",
  minutes: "seconds",
  hours: "seconds",
  days: "seconds",
  weeks: "seconds",
  kelvins: "kelvin",
  fahrenheit: "celsius",
  rankine: "celsius",
  inches: "meters",
  yards: "meters",
  miles: "meters",
  bits: "bytes",
  calories: "joules",
  pounds: "grams",
  ounces: "grams",
};
const PREFIXES = "pico nano micro milli centi deci deca hecto kilo kibi mega mibi giga gibi tera tebi peta pebi".split(
  " ",
);
const ABBREVIATIONS = "s ms us ns sec b kb mb gb tb pb m h d".split(" ");
const TYPES = ["counter", "gauge", "summary", "histogram", "gauge_histogram"];

function unitOf(name: string): [string, string] | undefined {
  for (const word of name.split("_")) {
    const base = BASE_UNITS[word];
    if (base) return [word, base];
    for (const prefix of PREFIXES) {
      const prefixed = word.startsWith(prefix) ? BASE_UNITS[word.slice(prefix.length)] : undefined;
      if (prefixed) return [word, prefixed];
    }
  }
  return undefined;
}

const hasPart = (name: string, part: string) => name.includes(`_${part}_`) || name.endsWith(`_${part}`);

export function lint(families: readonly Family[]): string[] {
  const problems: string[] = [];
  for (const f of families) {
    const say = (problem: string) => problems.push(`${f.name}: ${problem}`);
    const { name, type } = f;
    const lower = name.toLowerCase();
    if (f.help.trim() === "") say("no help text");
    const unit = unitOf(name);
    if (unit && unit[0] !== unit[1]) say(`use base unit "${unit[1]}" instead of "${unit[0]}"`);
    if (type === "counter" && !name.endsWith("_total")) say('counter metrics should have "_total" suffix');
    if (type !== "untyped" && type !== "counter" && name.endsWith("_total"))
      say('non-counter metrics should not have "_total" suffix');
    if (type !== "untyped" && type !== "gauge" && name.endsWith("_timestamp_seconds"))
      say('non-gauge metrics should not have "_timestamp_seconds" suffix');
    if (type !== "untyped") {
      if (type !== "histogram" && name.endsWith("_bucket"))
        say('non-histogram metrics should not have "_bucket" suffix');
      for (const suffix of ["_count", "_sum"]) {
        if (type !== "histogram" && type !== "summary" && name.endsWith(suffix))
          say(`non-histogram and non-summary metrics should not have "${suffix}" suffix`);
      }
      for (const series of f.series) {
        if (type !== "histogram" && series.labels.includes("le"))
          say('non-histogram metrics should not have "le" label');
        if (type !== "summary" && series.labels.includes("quantile"))
          say('non-summary metrics should not have "quantile" label');
      }
    }
    for (const t of TYPES) if (hasPart(lower, t)) say(`metric name should not include type '${t}'`);
    if (name.includes(":")) say("metric names should not contain ':'");
    if (/[a-z][A-Z]/.test(name)) say("metric names should be written in 'snake_case' not 'camelCase'");
    if (f.series.some((s) => s.labels.some((l) => /[a-z][A-Z]/.test(l))))
      say("label names should be written in 'snake_case' not 'camelCase'");
    for (const abbreviation of ABBREVIATIONS) {
      if (hasPart(lower, abbreviation)) say("metric names should not contain abbreviated units");
    }
    const keys = f.series.map((s) => s.key);
    for (const key of new Set(keys)) if (keys.indexOf(key) !== keys.lastIndexOf(key)) say(`metric not unique: ${key}`);
  }
  return problems;
}
