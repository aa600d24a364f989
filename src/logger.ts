import type { DestinationStream, Logger } from "pino";
import pino from "pino";

/**
 * Properties of a failed statement's error that hold the values it was sent
 * with: TypeORM's `parameters`, PostgreSQL's `detail` ("Failing row contains
 * (...)", "Key (x)=(...)"). They may hold a commenter's email, so no log line
 * carries them; the statement itself (`query`, with placeholders) stays.
 */
const VALUE_CARRIERS = new Set(["parameters", "detail"]);

function withoutValues(value: unknown, depth = 0): unknown {
  if (!value || typeof value !== "object" || depth > 4) return value;
  if (Array.isArray(value)) return value.map((v) => withoutValues(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    out[key] = VALUE_CARRIERS.has(key) && v != null ? "[redacted]" : withoutValues(v, depth + 1);
  }
  return out;
}

/** pino's error serializer, minus the values a failed statement was sent with (also in causes and driver errors). */
export function serializeError(error: unknown): unknown {
  return withoutValues(error instanceof Error ? pino.stdSerializers.err(error) : error);
}

/** Structured JSON logs on stdout (or `destination`, for tests that read them). */
export function createLogger(level: string, name = "newsgraph", destination?: DestinationStream): Logger {
  const options = {
    name,
    level,
    base: { service: name },
    timestamp: pino.stdTimeFunctions.isoTime,
    serializers: { err: serializeError },
  };
  return destination ? pino(options, destination) : pino(options);
}

export type { Logger };
