/**
 * The input guards (src/shared/input-guard.ts) on documents parsed here, no
 * schema needed: a NUL in a string literal or a variable is BAD_USER_INPUT
 * naming the innermost field, a variable nested past 32 levels is refused
 * (however deep: no stack overflow), and subscriptions are refused over HTTP.
 */
import { parse } from "graphql";
import { MAX_VARIABLE_DEPTH, rejectNulCharacters, rejectSubscriptionOverHttp } from "../../src/shared/input-guard";

/** The refusal as `code field: message`, or "ok". */
const outcome = (fn: () => void): string => {
  try {
    fn();
    return "ok";
  } catch (error) {
    const { code, fields } = (error as { extensions: { code: string; fields?: Record<string, string> } }).extensions;
    const [field, message] = Object.entries(fields ?? {})[0] ?? ["-", (error as Error).message];
    return `${code} ${field}: ${message}`;
  }
};
const nul = (field: string) => `BAD_USER_INPUT ${field}: must not contain NUL characters`;
const deep = (field: string) => `BAD_USER_INPUT ${field}: nested more than 32 levels deep`;
const check = (query: string, variables?: Record<string, unknown> | null) =>
  outcome(() => rejectNulCharacters(parse(query), variables));
/** A list nested `levels` deep around `inner`, built without recursion. */
const nested = (levels: number, inner: unknown = "x") => {
  let value: unknown = inner;
  for (let i = 0; i < levels; i++) value = [value];
  return value;
};

describe("NUL in a literal", () => {
  test("names the argument, or the innermost input field that holds it", () => {
    expect(check('{ f(a: "x\\u0000y") }')).toBe(nul("a"));
    expect(check('{ f(a: "fine", b: ["ok", "\\u0000"]) }')).toBe(nul("b"));
    expect(check('{ f(a: [{ inner: "a\\u0000" }]) }')).toBe(nul("inner"));
    expect(check('{ f(a: [{ outer: { inner: "a\\u0000" } }]) }')).toBe(nul("inner"));
    // Leaving an input object forgets its fields: a NUL after it belongs to the enclosing owner.
    expect(check('{ f(a: [{ outer: { inner: "ok" } }, "\\u0000"]) }')).toBe(nul("a"));
    expect(check('{ f(a: [{ outer: { inner: "ok" }, next: "\\u0000" }]) }')).toBe(nul("next"));
    // The first NUL is the one named.
    expect(check('{ f(a: [{ first: "\\u0000" }, { second: "\\u0000" }]) }')).toBe(nul("first"));
  });

  test("anywhere in the document: nested fields, fragments, directives", () => {
    expect(check('{ a { b(c: "\\u0000") } }')).toBe(nul("c"));
    expect(check('{ ...F } fragment F on Query { b(d: "\\u0000") }')).toBe(nul("d"));
    expect(check('{ a @include(if: "\\u0000") }')).toBe(nul("if"));
  });

  test("a block string with a NUL counts as well; text without one passes", () => {
    expect(check('{ f(a: """x\u0000y""") }')).toBe(nul("a"));
    expect(check('{ f(a: "x", b: 1, c: [1, 2], d: ENUM, e: null, g: true) }')).toBe("ok");
  });

  test("an input object argument is left to the service, which validates all its fields at once", () => {
    expect(check('{ f(input: { body: "\\u0000" }) }')).toBe("ok");
  });
});

describe("NUL in a variable", () => {
  const q = "query Q($v: String) { f(a: $v) }";

  test("a string, or a list holding one at any depth, names the variable", () => {
    expect(check(q, { v: "x\u0000" })).toBe(nul("v"));
    expect(check(q, { ok: "fine", v: ["a", "b\u0000"] })).toBe(nul("v"));
    expect(check(q, { v: [["a"], ["b", ["\u0000"]]] })).toBe(nul("v"));
    expect(check(q, { v: [{ inner: "\u0000" }] })).toBe(nul("v"));
    // Every field of an object in a list is looked at, not only the first.
    expect(check(q, { v: [{ first: "fine", second: "b\u0000" }] })).toBe(nul("v"));
  });

  test("values without NUL pass, and so do no variables at all", () => {
    expect(check(q, { v: "x", w: ["a", 1, null, true], n: 5, z: null })).toBe("ok");
    expect(check(q, { v: [{ inner: "fine" }] })).toBe("ok");
    expect(check(q, {})).toBe("ok");
    expect(check(q, null)).toBe("ok");
    expect(check(q, undefined)).toBe("ok");
  });

  test("an input object variable is left to the service", () => {
    expect(check(q, { v: { body: "\u0000" } })).toBe("ok");
  });
});

describe("variable depth", () => {
  const q = "query Q($v: String) { f(a: $v) }";

  test("32 levels of lists or objects pass; 33 are refused, naming the variable", () => {
    expect(MAX_VARIABLE_DEPTH).toBe(32);
    expect(check(q, { v: nested(32) })).toBe("ok");
    expect(check(q, { v: nested(33) })).toBe(deep("v"));
    let object: unknown = "x";
    for (let i = 0; i < 32; i++) object = { next: object };
    expect(check(q, { v: object })).toBe("ok");
    expect(check(q, { v: { next: object } })).toBe(deep("v"));
  });

  test("depth is the deepest branch, not the first", () => {
    expect(check(q, { v: [["shallow"], nested(32)] })).toBe(deep("v"));
    expect(check(q, { v: { a: 1, b: nested(31), c: [nested(32)] } })).toBe(deep("v"));
    expect(check(q, { v: [[], nested(31)] })).toBe("ok");
  });

  test("however deep, the answer is BAD_USER_INPUT (the walk stops past the cap)", () => {
    expect(check(q, { v: nested(200_000) })).toBe(deep("v"));
    expect(check(q, { v: [nested(200_000), "x"] })).toBe(deep("v"));
  });

  test("a deep input object is refused although its NULs are left to the service", () => {
    let object: unknown = "\u0000";
    for (let i = 0; i < 40; i++) object = { next: object };
    expect(check(q, { v: object })).toBe(deep("v"));
  });

  test("an empty list or object adds a level", () => {
    expect(check(q, { v: nested(32, []) })).toBe(deep("v"));
    expect(check(q, { v: nested(31, {}) })).toBe("ok");
  });
});

describe("subscriptions over HTTP", () => {
  const refuse = (query: string, operationName?: string | null) =>
    outcome(() => rejectSubscriptionOverHttp(parse(query), operationName));
  const refused = "BAD_USER_INPUT -: Subscriptions run over WebSocket (graphql-transport-ws) at /graphql";

  test("the operation that would run is the one checked", () => {
    const doc = "query Q { a } subscription S { b }";
    expect(refuse(doc, "S")).toBe(refused);
    expect(refuse(doc, "Q")).toBe("ok");
    expect(refuse(doc)).toBe("ok");
    expect(refuse(doc, null)).toBe("ok");
    expect(refuse("subscription S { b } query Q { a }")).toBe(refused);
    expect(refuse("subscription { b }")).toBe(refused);
    expect(refuse("{ a }")).toBe("ok");
    expect(refuse("mutation M { a }")).toBe("ok");
    expect(refuse(doc, "Missing")).toBe("ok");
    // An operation name that matches nothing, with an anonymous operation beside it: nothing to refuse (no crash).
    expect(refuse("{ a }", "Q")).toBe("ok");
    expect(refuse("subscription { b }", "S")).toBe("ok");
  });

  test("fragments are not operations", () => {
    expect(refuse("fragment F on Subscription { b } subscription S { ...F }")).toBe(refused);
    expect(refuse("fragment F on Query { a } query Q { ...F }")).toBe("ok");
  });

  test("the refusal is a 400", () => {
    try {
      rejectSubscriptionOverHttp(parse("subscription { b }"), undefined);
    } catch (error) {
      expect((error as { extensions: { http?: unknown } }).extensions.http).toEqual({ status: 400 });
      return;
    }
    throw new Error("not refused");
  });
});

test("NUL and depth refusals are 400s with the field named in the message", () => {
  for (const [fn, message] of [
    [() => rejectNulCharacters(parse('{ f(a: "\\u0000") }'), {}), "a: must not contain NUL characters"],
    [() => rejectNulCharacters(parse("{ f }"), { v: nested(40) }), "v: nested more than 32 levels deep"],
  ] as const) {
    try {
      fn();
    } catch (error) {
      expect((error as Error).message).toBe(message);
      expect((error as { extensions: { http?: unknown } }).extensions.http).toEqual({ status: 400 });
      continue;
    }
    throw new Error(`not refused: ${message}`);
  }
});
