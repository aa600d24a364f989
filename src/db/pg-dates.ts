import type { CustomTypesConfig } from "pg";
import pg from "pg";

/** PostgreSQL's type oid of `timestamp with time zone`. */
const TIMESTAMPTZ = 1184;

const parseDate = pg.types.getTypeParser(TIMESTAMPTZ, "text") as (value: string) => Date | number | null;

const digit = (s: string, i: number): number => {
  const d = s.charCodeAt(i) - 48;
  return d >= 0 && d <= 9 ? d : NaN;
};
const two = (s: string, i: number): number => digit(s, i) * 10 + digit(s, i + 1);

/**
 * pg's parser of `timestamptz` text (postgres-date), with a fast path for the
 * form PostgreSQL sends with DateStyle ISO: `2026-12-03 04:02:11.557+00`, an
 * offset of `+HH` or `+HH:MM`. A page reads hundreds of timestamps, and
 * postgres-date's three regular expressions per value were 4% of a front page's
 * server CPU. Anything else (infinity, BC, years below 100 or past 9999, offsets
 * with seconds, another DateStyle) goes to postgres-date, and the fast path
 * gives the same instant as postgres-date wherever it applies
 * (tests/unit/pg-dates.test.ts).
 */
export function parseTimestamptz(s: string): Date | number | null {
  const n = s.length;
  if (
    n < 22 ||
    s.charCodeAt(4) !== 45 || // -
    s.charCodeAt(7) !== 45 ||
    s.charCodeAt(10) !== 32 || // space
    s.charCodeAt(13) !== 58 || // :
    s.charCodeAt(16) !== 58
  ) {
    return parseDate(s);
  }
  const year = two(s, 0) * 100 + two(s, 2);
  const month = two(s, 5);
  const day = two(s, 8);
  const hour = two(s, 11);
  const minute = two(s, 14);
  const second = two(s, 17);
  let i = 19;
  let ms = 0;
  if (s.charCodeAt(i) === 46) {
    // .f to .ffffff: the milliseconds computed as postgres-date computes them
    let j = i + 1;
    while (j < n && j - i <= 6 && !Number.isNaN(digit(s, j))) j++;
    if (j === i + 1) return parseDate(s);
    ms = 1000 * parseFloat(s.slice(i, j));
    i = j;
  }
  const sign = s.charCodeAt(i);
  if (sign !== 43 && sign !== 45) return parseDate(s); // + or -
  let offsetMinutes: number;
  if (n === i + 3) offsetMinutes = two(s, i + 1) * 60;
  else if (n === i + 6 && s.charCodeAt(i + 3) === 58) offsetMinutes = two(s, i + 1) * 60 + two(s, i + 4);
  else return parseDate(s);
  const utc = Date.UTC(year, month - 1, day, hour, minute, second, ms);
  // NaN: a character that is not a digit where one belongs; years below 100 are read as 19xx by Date.UTC.
  if (Number.isNaN(utc) || Number.isNaN(offsetMinutes) || year < 100) return parseDate(s);
  return new Date(utc - (sign === 45 ? -offsetMinutes : offsetMinutes) * 60_000);
}

/** Type parsers for a pg client: pg's own, but `timestamptz` read by parseTimestamptz. */
export const pgTypes: CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: "text" | "binary") =>
    oid === TIMESTAMPTZ && format !== "binary"
      ? parseTimestamptz
      : pg.types.getTypeParser(oid, format ?? "text")) as CustomTypesConfig["getTypeParser"],
};
