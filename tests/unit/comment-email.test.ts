/**
 * The per-email rate limit's notion of one commenter (src/modules/comment/comment-email.ts),
 * as properties over generated addresses: plus-tags, letter case and full-width
 * (NFKC) forms fold together; dots and everything else that tells people apart stay.
 */
import { createHash } from "node:crypto";
import fc from "fast-check";
import { emailCounterKey, emailIdentity, senderKey } from "../../src/modules/comment/comment-email";

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

const sha256 = (text: string, encoding: "hex" | "base64url") => createHash("sha256").update(text).digest(encoding);

test("the fold, step by step: NFKC, lower case, NFKC again, then the ends trimmed", () => {
  // Modifier letters fold to letters only by NFKC before lower-casing (ᴬ lower-cased is still ᴬ, then NFKC's A).
  expect(emailIdentity("ᴬᴰᴬ@example.com")).toBe("ada@example.com");
  // Lower-casing İ gives i + U+0307 ahead of a mark that canonical order puts first: only a second NFKC reorders.
  expect(emailIdentity("\u0130\u0316@example.com")).toBe("i\u0316\u0307@example.com");
  // U+FE49 becomes a space and a combining overline under NFKC: trimmed after the fold, at either end.
  expect(emailIdentity("\ufe49a@example.com")).toBe("\u0305a@example.com");
  expect(emailIdentity("\ta@example.com \n")).toBe("a@example.com");
  expect(emailIdentity("ＡＤＡ＠ＥＸＡＭＰＬＥ．ＣＯＭ")).toBe("ada@example.com");
});

test("only the local part's first plus-tag goes; an address that is not local@domain is only folded", () => {
  expect(emailIdentity("ada+news+more@example.com")).toBe("ada@example.com");
  // The last @ separates the domain; a + after it is the domain's.
  expect(emailIdentity("ada+x@b@example.com")).toBe("ada@example.com");
  expect(emailIdentity("ada@ex+ample.com")).toBe("ada@ex+ample.com");
  // A local part that starts with + keeps it: there is nothing before the tag.
  expect(emailIdentity("+news@example.com")).toBe("+news@example.com");
  expect(emailIdentity("@example.com")).toBe("@example.com");
  expect(emailIdentity("Ada+News")).toBe("ada+news");
  expect(emailIdentity("ada+news@")).toBe("ada@");
  expect(emailIdentity("")).toBe("");
});

test("the counter key is the first 32 characters of the identity's SHA-256 in base64url", () => {
  expect(emailCounterKey("Ada+News@Example.com")).toBe(sha256("ada@example.com", "base64url").slice(0, 32));
  expect(emailCounterKey("ada@example.com")).toHaveLength(32);
});

test("the sender key hashes identity and client address together: either one changing changes it", () => {
  expect(senderKey("Ada+News@Example.com", "203.0.113.7")).toBe(sha256("ada@example.com\n203.0.113.7", "hex"));
  expect(senderKey("ada@example.com", "203.0.113.7")).toBe(senderKey("ADA+x@example.com", "203.0.113.7"));
  expect(senderKey("ada@example.com", "203.0.113.7")).not.toBe(senderKey("ada@example.com", "203.0.113.8"));
  expect(senderKey("ada@example.com", "203.0.113.7")).not.toBe(senderKey("eve@example.com", "203.0.113.7"));
  expect(senderKey("ada@example.com", "203.0.113.7")).not.toContain("ada");
});
