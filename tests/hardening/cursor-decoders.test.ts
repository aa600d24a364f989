/**
 * Property tests (fast-check) of every cursor decoder: any string, and any
 * valid base64url of crafted contents, either decodes to values PostgreSQL
 * accepts for the statement that uses them, or throws BadInputError. What
 * "accepts" means is restated here independently of the decoders: a
 * timestamp of year 1 to 9999 that is a real calendar instant, an id of int4
 * (1 and up), a rank that float4 holds, text without NUL, an event id of
 * bigint (0 and up). No database: the integration side is in
 * crafted-input.test.ts and the fuzz test.
 */
import "reflect-metadata";
import fc from "fast-check";
import { namedCursor } from "../../src/db/named-list";
import { ARTICLE_CURSOR, SEARCH_CURSOR } from "../../src/modules/article/article.service";
import { AUTHOR_CURSOR } from "../../src/modules/author/author.service";
import { COMMENT_CURSOR } from "../../src/modules/comment/comment.service";
import { decodePosition, encodePosition } from "../../src/modules/feed/feed-position";
import { TOPIC_CURSOR } from "../../src/modules/topic/topic.service";
import { BadInputError } from "../../src/shared/errors";
import type { CursorKind, KeyType } from "../../src/shared/pagination";
import { decodeCursor, encodeCursor } from "../../src/shared/pagination";
import { forgedCursor, forgedSince } from "../support/forged-input";

const KINDS: CursorKind[] = [ARTICLE_CURSOR, SEARCH_CURSOR, COMMENT_CURSOR, TOPIC_CURSOR, AUTHOR_CURSOR];
const RUNS = 3000;

/** What PostgreSQL takes for each key type: timestamptz, int (ids are serial), real, text. */
const acceptable: Record<KeyType, (v: unknown) => boolean> = {
  timestamp: (v) => {
    if (typeof v !== "string") return false;
    const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\.(\d{3})Z$/.exec(v);
    if (!m) return false;
    const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as number[];
    const d = new Date(v);
    return (
      year! >= 1 &&
      d.getUTCFullYear() === year &&
      d.getUTCMonth() + 1 === month &&
      d.getUTCDate() === day &&
      d.getUTCHours() === hour &&
      d.getUTCMinutes() === minute &&
      d.getUTCSeconds() === second
    );
  },
  id: (v) => typeof v === "number" && Number.isInteger(v) && v >= 1 && v <= 2 ** 31 - 1,
  // float4: its largest value, and a nonzero value must not round to zero (PostgreSQL refuses both).
  rank: (v) => typeof v === "number" && (v === 0 || (Math.abs(v) >= 1e-45 && Math.abs(v) <= 3.4028234e38)),
  text: (v) => typeof v === "string" && !v.includes("\u0000"),
};

/** Decodes, and says whether the result is acceptable; a BadInputError is fine, any other throw is not. */
function decodesSafely(cursor: string, kind: CursorKind): boolean {
  let keys: readonly unknown[];
  try {
    keys = decodeCursor(cursor, kind, "after");
  } catch (error) {
    if (error instanceof BadInputError) {
      expect(error.extensions).toMatchObject({ code: "BAD_USER_INPUT", fields: { after: expect.any(String) } });
      return true;
    }
    throw error;
  }
  return keys.length === kind.keys.length && keys.every((k, i) => acceptable[kind.keys[i]!](k));
}

function positionDecodesSafely(since: string): boolean {
  let id: bigint;
  try {
    id = decodePosition(since).id;
  } catch (error) {
    if (error instanceof BadInputError) return true;
    throw error;
  }
  return typeof id === "bigint" && id >= 0n && id <= 9223372036854775807n;
}

describe.each(KINDS.map((k) => [k.name, k] as const))("list cursor %s", (_name, kind) => {
  test("any string decodes to acceptable values or is BAD_USER_INPUT", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.stringMatching(/^[A-Za-z0-9_-]{0,80}$/)), (s) => decodesSafely(s, kind)),
      { numRuns: RUNS },
    );
  });

  test("valid base64url of crafted contents decodes to acceptable values or is BAD_USER_INPUT", () => {
    fc.assert(
      fc.property(forgedCursor, (s) => decodesSafely(s, kind)),
      { numRuns: RUNS },
    );
  });

  test("what the server encodes decodes to itself", () => {
    const sample: Record<KeyType, fc.Arbitrary<unknown>> = {
      timestamp: fc
        .date({ min: new Date("0001-01-01T00:00:00Z"), max: new Date("9999-12-31T23:59:59.999Z"), noInvalidDate: true })
        .map((d) => d.toISOString()),
      id: fc.integer({ min: 1, max: 2 ** 31 - 1 }),
      rank: fc.oneof(fc.constant(0), fc.float({ min: Math.fround(1e-20), max: 1e6, noNaN: true })),
      text: fc.string().filter((s) => !s.includes("\u0000")),
    };
    fc.assert(
      fc.property(fc.tuple(...kind.keys.map((t) => sample[t])), (keys) => {
        const cursor = encodeCursor(kind, keys as (string | number)[]);
        expect(decodeCursor(cursor, kind, "after")).toEqual(keys);
      }),
      { numRuns: 500 },
    );
  });
});

describe("crafted values the decoders used to pass to PostgreSQL", () => {
  const craft = (kind: CursorKind, ...keys: unknown[]) =>
    Buffer.from(JSON.stringify([kind.name, ...keys])).toString("base64url");
  const T = "2024-05-01T10:00:00.000Z";
  test.each([
    ["an id of 1e10", craft(ARTICLE_CURSOR, T, 1e10)],
    ["an id of 1.5", craft(COMMENT_CURSOR, T, 1.5)],
    ["a negative id", craft(namedCursor("t"), "Climate", -1)],
    ["an id past int4", craft(AUTHOR_CURSOR, "Jo", 2_147_483_648)],
    ["a rank of 1e300", craft(SEARCH_CURSOR, T, 1, 1e300, 1)],
    ["a rank that rounds to zero in real", craft(SEARCH_CURSOR, T, 1, 1e-300, 1)],
    ["a negative rank", craft(SEARCH_CURSOR, T, 1, -1, 1)],
    ["year 0 (PostgreSQL has none)", craft(ARTICLE_CURSOR, "0000-01-01T00:00:00.000Z", 1)],
    ["30 February", craft(COMMENT_CURSOR, "2020-02-30T00:00:00.000Z", 1)],
    ["a six-digit year", craft(ARTICLE_CURSOR, "+275760-09-13T00:00:00.000Z", 1)],
    ["a date without a time", craft(ARTICLE_CURSOR, "2024-05-01", 1)],
    ["a NUL in a name", craft(TOPIC_CURSOR, "a\u0000b", 1)],
    ["a key too many", craft(ARTICLE_CURSOR, T, 1, 1)],
  ])("%s is BAD_USER_INPUT", (_what, cursor) => {
    const kind = [ARTICLE_CURSOR, SEARCH_CURSOR, COMMENT_CURSOR, TOPIC_CURSOR, AUTHOR_CURSOR].find(
      (k) => JSON.parse(Buffer.from(cursor, "base64url").toString())[0] === k.name,
    )!;
    expect(() => decodeCursor(cursor, kind, "after")).toThrow(BadInputError);
  });

  test.each(["e:9223372036854775808", "e:9999999999999999999", "e:-1", "e:1.5", "e:"])(
    "the feed position %s is BAD_USER_INPUT",
    (inside) => {
      expect(() => decodePosition(Buffer.from(inside).toString("base64url"))).toThrow(BadInputError);
    },
  );
});

describe("feed positions (since)", () => {
  test("any string decodes to an event id of bigint or is BAD_USER_INPUT", () => {
    fc.assert(fc.property(fc.string(), positionDecodesSafely), { numRuns: RUNS });
  });

  test("valid base64url of crafted contents decodes to an event id of bigint or is BAD_USER_INPUT", () => {
    fc.assert(fc.property(forgedSince, positionDecodesSafely), { numRuns: RUNS });
  });

  test("every bigint position the server encodes decodes to itself", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 9223372036854775807n }), (id) => {
        expect(decodePosition(encodePosition({ id })).id).toBe(id);
      }),
      { numRuns: 1000 },
    );
  });
});
