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
