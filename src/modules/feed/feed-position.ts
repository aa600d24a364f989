import { BadInputError } from "../../shared/errors";

/**
 * A place in the feed log: the writing transaction's id (xid8), then the row's
 * id. Both are 64-bit, so they travel as decimal strings.
 */
export interface Position {
  tx: bigint;
  id: bigint;
}

export const ORIGIN: Position = { tx: 0n, id: 0n };

export function compare(a: Position, b: Position): number {
  if (a.tx !== b.tx) return a.tx < b.tx ? -1 : 1;
  if (a.id !== b.id) return a.id < b.id ? -1 : 1;
  return 0;
}

export const max = (a: Position, b: Position): Position => (compare(a, b) >= 0 ? a : b);

/** The opaque cursor a client keeps to resume. */
export function encodePosition(p: Position): string {
  return Buffer.from(`e:${p.tx}:${p.id}`).toString("base64url");
}

/** Decodes a cursor, or throws BAD_USER_INPUT naming `field`. */
export function decodePosition(cursor: string, field = "since"): Position {
  const bad = () => new BadInputError({ [field]: "malformed feed cursor" });
  if (cursor.length > 100 || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw bad();
  const match = /^e:(\d{1,20}):(\d{1,20})$/.exec(Buffer.from(cursor, "base64url").toString("utf8"));
  if (!match) throw bad();
  return { tx: BigInt(match[1]!), id: BigInt(match[2]!) };
}
