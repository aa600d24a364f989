/**
 * The per-email rate limit's notion of one commenter (src/modules/comment/comment-email.ts),
 * as properties over generated addresses: plus-tags, letter case and full-width
 * (NFKC) forms fold together; dots and everything else that tells people apart stay.
 */
import fc from "fast-check";
import { emailCounterKey, emailIdentity } from "../../src/modules/comment/comment-email";

const localChar = fc.constantFrom(..."abcdefghijklmnopqrstuvwxyz0123456789._-'".split(""));
const local = fc.string({ unit: localChar, minLength: 1, maxLength: 20 }).filter((l) => /[a-z0-9]/.test(l[0]!));
const label = fc.string({
  unit: fc.constantFrom(..."abcdefghijklmnopqrstuvwxyz0123456789".split("")),
  minLength: 1,
  maxLength: 10,
});
const domain = fc.tuple(label, label).map(([a, b]) => `${a}.${b}`);
const tag = fc.string({ unit: localChar, maxLength: 12 });
/** Full-width forms of printable ASCII (U+FF01..U+FF5E). */
const fullWidth = (s: string) => [...s].map((c) => String.fromCodePoint(c.codePointAt(0)! + 0xfee0)).join("");
const mixCase = (s: string, mask: boolean[]) =>
  [...s].map((c, i) => (mask[i % mask.length] ? c.toUpperCase() : c)).join("");

test("a plus-tag, letter case and full-width letters do not make another commenter", () => {
  fc.assert(
    fc.property(local, domain, tag, fc.array(fc.boolean(), { minLength: 1 }), (l, d, t, mask) => {
      const plain = emailIdentity(`${l}@${d}`);
      expect(plain).toBe(`${l}@${d}`);
      expect(emailIdentity(`${l}+${t}@${d}`)).toBe(plain);
      expect(emailIdentity(mixCase(`${l}+${t}@${d}`, mask))).toBe(plain);
      expect(emailIdentity(`${fullWidth(l)}＋${fullWidth(t)}@${d}`)).toBe(plain);
      expect(emailIdentity(` ${l}@${mixCase(d, mask)} `)).toBe(plain);
      expect(emailCounterKey(mixCase(`${l}+${t}@${d}`, mask))).toBe(emailCounterKey(`${l}@${d}`));
    }),
  );
});

test("different people stay different: other local parts, other domains, dots", () => {
  fc.assert(
    fc.property(local, local, domain, domain, (a, b, d, e) => {
      fc.pre(a !== b || d !== e);
      expect(emailIdentity(`${a}@${d}`)).not.toBe(emailIdentity(`${b}@${e}`));
      expect(emailCounterKey(`${a}@${d}`)).not.toBe(emailCounterKey(`${b}@${e}`));
    }),
  );
  expect(emailIdentity("ada.lovelace@example.com")).not.toBe(emailIdentity("adalovelace@example.com"));
});

test("folding is idempotent on any string, and the counter key never holds the address", () => {
  fc.assert(
    fc.property(fc.string({ unit: "grapheme" }), (s) => {
      const once = emailIdentity(s);
      expect(emailIdentity(once)).toBe(once);
      const key = emailCounterKey(s);
      expect(key).toMatch(/^[A-Za-z0-9_-]{32}$/);
    }),
  );
  expect(emailCounterKey("someone@example.com")).not.toContain("someone");
});
