/**
 * Forged cursors, feed positions and variables: valid base64url whose decoded
 * contents are crafted (values PostgreSQL would refuse: a date it cannot hold,
 * ids past int4 or not whole, a rank past real, an event id past bigint,
 * negatives, NULs), for the decoder property tests and the fuzz test.
 */
import fc from "fast-check";

const b64 = (s: string) => Buffer.from(s).toString("base64url");

/** The cursor kinds of the lists (src: ARTICLE_CURSOR, SEARCH_CURSOR, COMMENT_CURSOR, namedCursor). */
export const CURSOR_KINDS = ["a", "s", "c", "t", "au"] as const;

const DATES = [
  "2024-05-01T10:00:00.000Z",
  "0001-01-01T00:00:00.000Z",
  "9999-12-31T23:59:59.999Z",
  "0000-01-01T00:00:00.000Z",
  "2020-02-30T00:00:00.000Z",
  "+275760-09-13T00:00:00.000Z",
  "-000001-01-01T00:00:00.000Z",
  "2024-05-01",
  "2024-05-01T10:00:00Z",
  "2024-05-01 10:00:00+99",
  "infinity",
  "epoch",
];
const NUMBERS = [0, 1, -1, 1.5, 1e10, 2_147_483_647, 2_147_483_648, -2_147_483_649, Number.MAX_SAFE_INTEGER + 2];
const RANKS = [0, 0.1, -1, 1e300, -1e300, 1e-300, 5e-324, 3.5e38, 1e-45];
const TEXTS = ["", "Climate", "\u0000", "a\u0000b", "\ud800", "x".repeat(300)];
const OTHERS: unknown[] = [null, true, [], {}];

/** Values at and past the edges of what each key type (timestamp, int4 id, real rank, text) holds. */
type Slot = "timestamp" | "id" | "rank" | "text";
const slotValue: Record<Slot, fc.Arbitrary<unknown>> = {
  timestamp: fc.oneof(
    fc.constantFrom(...DATES),
    fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
  ),
  id: fc.oneof(fc.constantFrom(...NUMBERS), fc.integer(), fc.double()),
  rank: fc.oneof(fc.constantFrom(...RANKS), fc.double()),
  text: fc.oneof(fc.constantFrom(...TEXTS), fc.string({ maxLength: 20 })),
};
/** Any key at all: another slot's value, or any JSON. */
const anyKey = fc.oneof(...Object.values(slotValue), fc.constantFrom(...OTHERS), fc.jsonValue({ maxDepth: 2 }));

/** The keys of each kind's cursors (src: ARTICLE_CURSOR, SEARCH_CURSOR, COMMENT_CURSOR, namedCursor). */
const SLOTS: Record<(typeof CURSOR_KINDS)[number], Slot[]> = {
  a: ["timestamp", "id"],
  s: ["timestamp", "id", "rank", "id"],
  c: ["timestamp", "id"],
  t: ["text", "id"],
  au: ["text", "id"],
};

/** The list fields of the schema and the kind of their cursors. */
export const CURSOR_KIND_OF_FIELD: Record<string, (typeof CURSOR_KINDS)[number]> = {
  articles: "a",
  search: "s",
  comments: "c",
  replies: "c",
  topics: "t",
  authors: "au",
};

/**
 * A cursor of `kind` whose base64url is valid and whose contents are crafted: usually the kind's own
 * keys, each of its own type but at or past the edge of what that type holds (so that only a value is
 * wrong); sometimes 1 to 5 keys of anything; now and then any JSON at all.
 */
export function forgedCursorOf(kind: (typeof CURSOR_KINDS)[number]): fc.Arbitrary<string> {
  const keys = fc.oneof(
    {
      weight: 6,
      arbitrary: fc.tuple(
        ...SLOTS[kind].map((slot) =>
          fc.oneof({ weight: 5, arbitrary: slotValue[slot] }, { weight: 1, arbitrary: anyKey }),
        ),
      ),
    },
    { weight: 1, arbitrary: fc.array(anyKey, { minLength: 1, maxLength: 5 }) },
  );
  return fc
    .oneof(
      { weight: 8, arbitrary: keys.map((k) => JSON.stringify([kind, ...k])) },
      { weight: 1, arbitrary: fc.jsonValue().map((v) => JSON.stringify(v)) },
      { weight: 1, arbitrary: fc.string({ maxLength: 40 }) },
    )
    .map(b64);
}

/** A forged cursor of any kind. */
export const forgedCursor: fc.Arbitrary<string> = fc.constantFrom(...CURSOR_KINDS).chain(forgedCursorOf);

/** The inside of a feed position ("e:<event id>"), at and past the edges of bigint. */
const positionText = fc.oneof(
  fc.constantFrom(
    "e:0",
    "e:1",
    "e:-1",
    "e:1.5",
    "e:1e3",
    "e:9223372036854775807",
    "e:9223372036854775808",
    "e:9999999999999999999",
    "e:99999999999999999999",
    "e:00000000000000000001",
    "e:",
    "e: 1",
    "e:1\u0000",
    "x:1",
  ),
  fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }).map((n) => `e:${n}`),
  fc.stringMatching(/^e:[0-9]{1,25}$/),
  fc.string({ maxLength: 30 }),
);

/** A `since` value: valid base64url of a crafted position. */
export const forgedSince: fc.Arbitrary<string> = positionText.map(b64);

/** A value nested `depth` levels deep (lists and objects alternating), a string at the bottom. */
export function nested(depth: number, leaf: unknown = "x"): unknown {
  let value = leaf;
  for (let i = 0; i < depth; i++) value = i % 2 ? { a: value } : [value];
  return value;
}

/**
 * The JSON text of nested(depth, leaf), written without JSON.stringify (whose recursion a few
 * thousand levels exhaust in the test process too).
 */
export function nestedJson(depth: number, leaf: unknown = "x"): string {
  let open = "";
  let close = "";
  for (let i = depth - 1; i >= 0; i--) {
    open += i % 2 ? '{"a":' : "[";
    close = (i % 2 ? "}" : "]") + close;
  }
  return open + JSON.stringify(leaf) + close;
}
