import { Writable } from "node:stream";
import type { LevelWithSilent } from "pino";
import { createLogger, type Logger, SecretScrubber } from "../../src/log.ts";

/** A real pino logger writing into memory, so tests can read every line (and prove what is absent). */
export function memoryLogger(level: LevelWithSilent = "trace", secrets: string[] = []) {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).split("\n").filter(Boolean));
      done();
    },
  });
  const scrubber = new SecretScrubber();
  scrubber.add(...secrets);
  const { logger } = createLogger({ level, destination, scrubber });
  return {
    logger: logger as Logger,
    scrubber,
    lines,
    text: () => lines.join("\n"),
    records: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}
