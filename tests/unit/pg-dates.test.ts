/**
 * The timestamptz parser's fast path (src/db/pg-dates.ts) against two oracles:
 * the instant the text was written from (formatted here by hand, as PostgreSQL
 * prints it with DateStyle ISO), and postgres-date, pg's own parser, which it
 * replaces and must agree with on every input, fast path or not.
 */
import fc from "fast-check";
import pg from "pg";
import { parseTimestamptz, pgTypes } from "../../src/db/pg-dates";

/** pg's own timestamptz parser (postgres-date): what every timestamp was read with before. */
const postgresDate = pg.types.getTypeParser(1184, "text") as (text: string) => Date | number | null;

const pad = (n: number, width: number) => String(n).padStart(width, "0");

/**
 * `instant` (plus `micros` microseconds, for timestamp(6) columns) as PostgreSQL prints it in a session whose
 * zone is `offsetMinutes` east of UTC.
 */
function pgText(instant: number, micros: number, offsetMinutes: number, offsetForm: "short" | "long"): string {
  const local = new Date(instant + offsetMinutes * 60_000);
  // PostgreSQL prints up to six digits of the fraction and drops its trailing zeros (and the point with them).
  const fraction = ("." + pad(local.getUTCMilliseconds(), 3) + pad(micros, 3)).replace(/\.?0+$/, "");
  const abs = Math.abs(offsetMinutes);
  const sign = offsetMinutes < 0 ? "-" : "+";
  const zone =
    abs % 60 === 0 && offsetForm === "short"
      ? `${sign}${pad(abs / 60, 2)}`
      : `${sign}${pad(Math.floor(abs / 60), 2)}:${pad(abs % 60, 2)}`;
  return (
    `${pad(local.getUTCFullYear(), 4)}-${pad(local.getUTCMonth() + 1, 2)}-${pad(local.getUTCDate(), 2)} ` +
    `${pad(local.getUTCHours(), 2)}:${pad(local.getUTCMinutes(), 2)}:${pad(local.getUTCSeconds(), 2)}${fraction}${zone}`
  );
}

const asTime = (v: Date | number | null) => (v instanceof Date ? v.getTime() : v);

// Years 100 to 9999, millisecond precision (the schema's timestamp(3)); the edges of months, years and leap days
// come with the range, and the offsets cover both signs, half hours and the widest zones.
const instants = fc.oneof(
  fc.integer({ min: Date.UTC(100, 0, 2), max: Date.UTC(9999, 11, 30) }),
  fc.integer({ min: Date.UTC(1969, 11, 31), max: Date.UTC(2100, 0, 1) }),
  fc.constantFrom(0, -1, 1, Date.UTC(2000, 1, 29, 23, 59, 59, 999), Date.UTC(2026, 11, 31, 23, 59, 59, 999)),
);
const offsets = fc.constantFrom(0, 60, -60, 330, -210, 345, 600, -600, 840, -720, 765);

test("the fast path reads the instant PostgreSQL printed, as postgres-date does", () => {
  fc.assert(
    fc.property(
      instants,
      offsets,
      fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 999 })),
      fc.constantFrom("short" as const, "long" as const),
      (instant, offset, micros, form) => {
        const text = pgText(instant, micros, offset, form);
        const parsed = parseTimestamptz(text);
        expect(parsed).toBeInstanceOf(Date);
        // a Date holds milliseconds: the microseconds are dropped, as postgres-date drops them
        expect(asTime(parsed)).toBe(instant);
        expect(asTime(parsed)).toBe(asTime(postgresDate(text)));
      },
    ),
    { numRuns: 5000 },
  );
});

test("texts the fast path does not take give what postgres-date gives", () => {
  const others = [
    "infinity",
    "-infinity",
    "2026-12-03 04:02:11.557+00 BC",
    "0044-03-15 12:00:00+00 BC",
    "0050-06-01 00:00:00+00",
    "0099-12-31 23:59:59.999+00",
    "12026-12-03 04:02:11+00",
    "1883-11-18 12:03:58-04:56:02",
    "2026-12-03 04:02:11.1234567+00",
    "2026-12-03 04:02:11.+00",
    "2026-12-03 04:02:11",
    "2026-12-03",
    "2026-12-03T04:02:11Z",
    "2026-1x-03 04:02:11+00",
    "2026-12-03 04:02:11+0x",
    "2026-12-03 04:02:11+05:3x",
    "2026-12-03 04:02:11+05:30:00",
  ];
  for (const text of others) expect([text, asTime(parseTimestamptz(text))]).toEqual([text, asTime(postgresDate(text))]);
  // and the fast path's own texts, checked by hand
  expect(asTime(parseTimestamptz("2026-12-03 04:02:11.557+00"))).toBe(Date.UTC(2026, 11, 3, 4, 2, 11, 557));
  expect(asTime(parseTimestamptz("2026-12-03 09:32:11.5+05:30"))).toBe(Date.UTC(2026, 11, 3, 4, 2, 11, 500));
  expect(asTime(parseTimestamptz("2026-12-02 23:02:11-05"))).toBe(Date.UTC(2026, 11, 3, 4, 2, 11));
});

test("the client's type parsers read timestamptz with it and leave every other type to pg", () => {
  expect(pgTypes.getTypeParser(1184, "text")).toBe(parseTimestamptz);
  // timestamp without time zone, int8 and json keep pg's parsers
  const int8 = pgTypes.getTypeParser(20, "text") as (v: string) => unknown;
  expect(int8("9007199254740993")).toBe("9007199254740993");
  const json = pgTypes.getTypeParser(114, "text") as (v: string) => unknown;
  expect(json('{"a":1}')).toEqual({ a: 1 });
  const plain = pgTypes.getTypeParser(1114, "text") as (v: string) => unknown;
  expect(plain).not.toBe(parseTimestamptz);
  expect(pgTypes.getTypeParser(1184, "binary")).not.toBe(parseTimestamptz);
});
