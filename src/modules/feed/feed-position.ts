import { BadInputError } from "../../shared/errors";

/** A place in the feed log: an event id (64-bit, so a bigint). */
export interface Position {
  id: bigint;
}

export function compare(a: Position, b: Position): number {
  return a.id === b.id ? 0 : a.id < b.id ? -1 : 1;
}

export const max = (a: Position, b: Position): Position => (compare(a, b) >= 0 ? a : b);

/** The opaque cursor a client keeps to resume. */
export function encodePosition(p: Position): string {
  return Buffer.from(`e:${p.id}`).toString("base64url");
}

const BIGINT_MAX = 9_223_372_036_854_775_807n;

/** Decodes a cursor, or throws BAD_USER_INPUT naming `field`. */
export function decodePosition(cursor: string, field = "since"): Position {
  const bad = () => new BadInputError({ [field]: "malformed feed cursor" });
  if (cursor.length > 100 || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw bad();
  const match = /^e:(\d{1,19})$/.exec(Buffer.from(cursor, "base64url").toString("utf8"));
  if (!match) throw bad();
  const id = BigInt(match[1]!);
  // feed_events.id is a bigint: 19 digits can still be past its largest value.
  if (id > BIGINT_MAX) throw bad();
  return { id };
}
