/**
 * What holds a comment for moderation in post-moderation mode
 * (src/modules/comment/spam-rules.ts): a filled honeypot, more links than the
 * limit, a banned word. The expected reasons are written out per body here;
 * the link and word counts are the ones a reader would make.
 */
import fc from "fast-check";
import { holdReason, type SpamRules } from "../../src/modules/comment/spam-rules";

const rules = (overrides: Partial<SpamRules> = {}): SpamRules => ({ bannedWords: [], maxLinks: 2, ...overrides });

describe("honeypot", () => {
  test("an absent or blank honeypot holds nothing; any text in it holds the comment", () => {
    expect(holdReason(rules(), "Hello", null)).toBeNull();
    expect(holdReason(rules(), "Hello", "")).toBeNull();
    expect(holdReason(rules(), "Hello", "  \t\n ")).toBeNull();
    expect(holdReason(rules(), "Hello", "x")).toBe("honeypot");
    expect(holdReason(rules(), "Hello", "  bot  ")).toBe("honeypot");
  });

  test("it is the reason given before links and banned words", () => {
    const body = "spam http://a.example http://b.example http://c.example";
    expect(holdReason(rules({ bannedWords: ["spam"] }), body, "filled")).toBe("honeypot");
    expect(holdReason(rules({ bannedWords: ["spam"] }), body, null)).toBe("links");
  });
});

describe("links", () => {
  const links = (body: string, maxLinks: number) => holdReason(rules({ maxLinks }), body, null);

  test("up to maxLinks links pass; one more holds the comment", () => {
    const body = (n: number) => Array.from({ length: n }, (_, i) => `see https://site${i}.example/page`).join(" and ");
    for (const max of [0, 1, 2, 5]) {
      expect(links(body(max), max)).toBeNull();
      expect(links(body(max + 1), max)).toBe("links");
    }
    expect(links("no links at all", 0)).toBeNull();
  });

  test("http://, https:// and www. count, in any letter case; other schemes and bare domains do not", () => {
    for (const link of ["http://a", "https://a.example/x?y=1", "www.example.com", "HTTPS://A.EXAMPLE", "Www.Example"]) {
      expect(links(`look ${link} here`, 0)).toBe("links");
    }
    for (const notALink of ["ftp://a.example", "example.com", "mailto:a@example.com", "wwwexample", "http:/a"]) {
      expect(links(`look ${notALink} here`, 0)).toBeNull();
    }
  });

  test("a link needs something after its prefix and must start a word", () => {
    expect(links("just http:// alone", 0)).toBeNull();
    expect(links("just www. alone", 0)).toBeNull();
    expect(links("xhttp://a.example", 0)).toBeNull();
    expect(links("(http://a.example)", 0)).toBe("links");
  });

  test("every link in the body counts, wherever it is; a run without spaces is one link", () => {
    expect(links("http://a http://b http://c", 2)).toBe("links");
    expect(links("http://a\nhttp://b\twww.c", 2)).toBe("links");
    expect(links("http://a http://b", 2)).toBeNull();
    expect(links("http://ahttp://bhttp://c", 0)).toBe("links");
    expect(links("http://ahttp://bhttp://c", 1)).toBeNull();
    // A link runs to the next space: what it holds is not read for more links.
    expect(links("https://a.example/?next=www.b.example&then=http://c.example", 1)).toBeNull();
    expect(links("https://a.example/?next=www.b.example&then=http://c.example", 0)).toBe("links");
  });

  test("property: held for links exactly when the body has more than maxLinks of them", () => {
    const word = fc.constantFrom("news", "ferry", "fare", "http", "www", "example.com", "https:", "//");
    const link = fc.constantFrom("http://a.example", "https://b.example/p", "www.c.example");
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            word.map((w) => [w, 0] as const),
            link.map((l) => [l, 1] as const),
          ),
        ),
        fc.nat(4),
        (parts, max) => {
          const body = parts.map(([text]) => text).join(" ");
          const count = parts.reduce((n, [, isLink]) => n + isLink, 0);
          expect(links(body, max)).toBe(count > max ? "links" : null);
        },
      ),
    );
  });
});

describe("banned words", () => {
  const banned = (body: string, bannedWords: string[]) => holdReason(rules({ bannedWords }), body, null);

  test("a banned word anywhere, in any letter case, holds the comment", () => {
    expect(banned("Buy cheap pills now", ["pills"])).toBe("banned word");
    expect(banned("PILLS!", ["pills"])).toBe("banned word");
    expect(banned("first line\nsecond: Pills.", ["pills"])).toBe("banned word");
    expect(banned("nothing to see", ["pills", "casino"])).toBeNull();
    expect(banned("the casino", ["pills", "casino"])).toBe("banned word");
  });

  test("only whole words count: a banned word inside a longer word does not", () => {
    expect(banned("spammer", ["spam"])).toBeNull();
    expect(banned("antispam", ["spam"])).toBeNull();
    expect(banned("spam-free", ["spam"])).toBe("banned word");
    // An apostrophe belongs to the word: "don't" is not "don".
    expect(banned("don't", ["don"])).toBeNull();
    expect(banned("don't", ["don't"])).toBe("banned word");
  });

  test("words are letters and digits of any script", () => {
    expect(banned("Un café noir", ["café"])).toBe("banned word");
    expect(banned("Un cafe noir", ["café"])).toBeNull();
    expect(banned("ВНИМАНИЕ всем", ["внимание"])).toBe("banned word");
    expect(banned("call 0800123 now", ["0800123"])).toBe("banned word");
    expect(banned("call 08001234 now", ["0800123"])).toBeNull();
  });

  test("no banned words, or a body without words, holds nothing", () => {
    expect(banned("any words at all", [])).toBeNull();
    expect(banned("", ["spam"])).toBeNull();
    expect(banned("?! ... -- !!", ["spam"])).toBeNull();
  });
});
