import pino, { Logger } from "pino";

/** Structured JSON logs on stdout. */
export function createLogger(level: string, name = "newsgraph"): Logger {
  return pino({ name, level, base: { service: name }, timestamp: pino.stdTimeFunctions.isoTime });
}

export type { Logger };
