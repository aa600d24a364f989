/**
 * The text checks every write uses (src/shared/validation.ts): text PostgreSQL cannot store as sent is
 * refused, naming the field, before any SQL runs.
 */
import fc from "fast-check";
import { BadInputError } from "../../src/shared/errors";
import { InputErrors, hasLoneSurrogate, isHttpUrl, unstorableText } from "../../src/shared/validation";

const fieldsOf = (errors: InputErrors): Record<string, string> => {
  try {
    errors.throwIfAny();
    return {};
  } catch (error) {
    expect(error).toBeInstanceOf(BadInputError);
    return (error as BadInputError).extensions.fields as Record<string, string>;
  }
};

describe("hasLoneSurrogate", () => {
  test.each([
    ["\ud800", true],
    ["a\udbffb", true],
    ["\udc00", true],
    ["x\udfff", true],
    ["\ude00\ud83d", true], // the halves in the wrong order
    ["\ud83d\ude00", false], // a pair: 😀
    ["🦩 e\u0301 \u200f\u202e", false],
    ["", false],
    ["plain", false],
  ])("%j: %s", (value, expected) => {
    expect(hasLoneSurrogate(value)).toBe(expected);
  });

  test("well-formed text never has one; the same text with a half cut off always has one", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme" }), fc.integer({ min: 0xd800, max: 0xdfff }), (text, half) => {
        expect(hasLoneSurrogate(text)).toBe(false);
        expect(hasLoneSurrogate(text + String.fromCharCode(half))).toBe(true);
        expect(hasLoneSurrogate(String.fromCharCode(half) + text)).toBe(true);
      }),
    );
  });
});

describe("unstorableText", () => {
  test("NUL, then a lone surrogate, each with its own message; well-formed text is storable", () => {
    expect(unstorableText("a\u0000b")).toBe("must not contain NUL characters");
    expect(unstorableText("a\u0000\ud800")).toBe("must not contain NUL characters");
    expect(unstorableText("a\ud800b")).toBe("must not contain unpaired surrogates (invalid Unicode)");
    expect(unstorableText("\ud83d\ude00 \u200f")).toBeNull();
  });

  test("InputErrors.text refuses a lone surrogate, naming the field, as it refuses a NUL", () => {
    const errors = new InputErrors();
    errors.text("Headline \ud800", "title", 1, 300);
    errors.text("Stand\u0000first", "standfirst", 0, 1000);
    errors.text("Fine 🦩", "body", 1, 1000);
    expect(fieldsOf(errors)).toEqual({
      title: "must not contain unpaired surrogates (invalid Unicode)",
      standfirst: "must not contain NUL characters",
    });
  });

  test("a URL with a lone surrogate is not an http(s) URL", () => {
    expect(isHttpUrl("https://example.test/a")).toBe(true);
    expect(isHttpUrl("https://example.test/\ud800")).toBe(false);
  });
});
