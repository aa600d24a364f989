/**
 * Feed positions: 64-bit event ids that travel as opaque cursors. The oracle
 * here is BigInt arithmetic and the cursor format written out by hand, never
 * the module's own helpers.
 */
import fc from "fast-check";
import { compare, decodePosition, encodePosition, max } from "../../src/modules/feed/feed-position";

const BIGINT_MAX = 2n ** 63n - 1n;
const ids = fc.oneof(
  fc.bigInt({ min: 0n, max: BIGINT_MAX }),
  // The edges where text and number orders part: 9/10, 99/100, 999/1000, ..., 2^53.
  fc.integer({ min: 1, max: 18 }).chain((k) => fc.bigInt({ min: 10n ** BigInt(k) - 3n, max: 10n ** BigInt(k) + 3n })),
  fc.bigInt({ min: 2n ** 53n - 3n, max: 2n ** 53n + 3n }),
);
const byHand = (id: bigint) => Buffer.from(`e:${id}`).toString("base64url");

test("a cursor is base64url of e:<decimal id> and decodes to the same id", () => {
  fc.assert(
    fc.property(ids, (id) => {
      expect(encodePosition({ id })).toBe(byHand(id));
      expect(decodePosition(byHand(id)).id).toBe(id);
    }),
    { numRuns: 2000 },
  );
});

test("compare and max follow the numbers, not their text", () => {
  fc.assert(
    fc.property(ids, ids, (a, b) => {
      const expected = a < b ? -1 : a > b ? 1 : 0;
      expect(Math.sign(compare({ id: a }, { id: b }))).toBe(expected);
      expect(max({ id: a }, { id: b }).id).toBe(a > b ? a : b);
    }),
    { numRuns: 2000 },
  );
  expect(compare({ id: 999n }, { id: 1000n })).toBeLessThan(0);
  expect(compare({ id: 9n }, { id: 10n })).toBeLessThan(0);
});

test("anything that is not such a cursor is BAD_USER_INPUT naming the argument", () => {
  const bad = [
    "",
    "e:1",
    byHand(-1n).replace(/=/g, ""),
    Buffer.from("x:1").toString("base64url"),
    "a".repeat(101),
    "é",
  ];
  for (const cursor of bad) {
    expect(() => decodePosition(cursor, "since")).toThrow(
      expect.objectContaining({ extensions: expect.objectContaining({ code: "BAD_USER_INPUT" }) }),
    );
  }
});

test("a refused cursor names its field (since unless told) with the reason, whatever is wrong with it", () => {
  const refused = (cursor: string, field?: string) => {
    try {
      if (field === undefined) decodePosition(cursor);
      else decodePosition(cursor, field);
    } catch (error) {
      return (error as { extensions?: unknown }).extensions;
    }
    return "accepted";
  };
  const cursor = byHand(10n);
  const cases = [
    // Node's base64 decoder skips characters outside the alphabet, so the alphabet check must hold end to end.
    `${cursor}!`,
    `!${cursor}`,
    `${cursor}.`,
    // The decoded text must be e:<digits> and nothing around it.
    Buffer.from("xe:10").toString("base64url"),
    Buffer.from("e:10x").toString("base64url"),
    Buffer.from("e:10\n").toString("base64url"),
    // 19 digits can still be past the largest bigint; 20 are never read.
    byHand(BIGINT_MAX + 1n),
    byHand(10n ** 19n),
    byHand(99999999999999999999n),
  ];
  for (const c of cases) {
    expect([c, refused(c)]).toEqual([c, { code: "BAD_USER_INPUT", fields: { since: "malformed feed cursor" } }]);
    expect([c, refused(c, "after")]).toEqual([
      c,
      { code: "BAD_USER_INPUT", fields: { after: "malformed feed cursor" } },
    ]);
  }
  expect(decodePosition(byHand(BIGINT_MAX)).id).toBe(BIGINT_MAX);
  expect(decodePosition(cursor).id).toBe(10n);
});
