/**
 * Global ids (src/shared/node-id.ts): base64url of "Type:id", written out by
 * hand here; anything else, and ids outside int4, are not ours.
 */
import fc from "fast-check";
import { expectGlobalId, nodeTypeOf, parseGlobalId, toGlobalId, type NodeType } from "../../src/shared/node-id";

const TYPES: NodeType[] = ["Article", "Author", "Comment", "Topic"];
const b64 = (s: string) => Buffer.from(s).toString("base64url");

test("an id is base64url of Type:id, and parses back, for every type and every int4 id from 1", () => {
  fc.assert(
    fc.property(fc.constantFrom(...TYPES), fc.integer({ min: 1, max: 2 ** 31 - 1 }), (type, id) => {
      expect(toGlobalId(type, id)).toBe(b64(`${type}:${id}`));
      expect(parseGlobalId(b64(`${type}:${id}`))).toEqual({ type, id });
      expect(expectGlobalId(type, b64(`${type}:${id}`), "id")).toBe(id);
    }),
  );
  expect(parseGlobalId(b64("Topic:2147483647"))).toEqual({ type: "Topic", id: 2147483647 });
  expect(parseGlobalId(b64("Article:1"))).toEqual({ type: "Article", id: 1 });
});

test("padded base64 of an id is accepted too (up to two `=`)", () => {
  const twice = Buffer.from("Article:12").toString("base64");
  const once = Buffer.from("Article:123").toString("base64");
  expect(twice).toMatch(/[^=]==$/);
  expect(once).toMatch(/[^=]=$/);
  expect(parseGlobalId(twice)).toEqual({ type: "Article", id: 12 });
  expect(parseGlobalId(once)).toEqual({ type: "Article", id: 123 });
});

test("anything else is null: other types, ids outside 1..2^31-1, extra parts, other characters, too long", () => {
  const notOurs = [
    "",
    b64("Article"),
    b64("Article:"),
    b64("Article:0"),
    b64("Article:01"),
    b64("Article:-1"),
    b64("Article:1.5"),
    b64("Article:1e3"),
    b64("Article: 1"),
    b64("Article:1 "),
    b64("Article:2147483648"),
    b64("Article:99999999999"),
    b64("Article:1:2"),
    b64("article:1"),
    b64("Viewer:1"),
    b64(":1"),
    b64("Article:x1"),
    b64("Article:1x"),
    `${b64("Article:1")}===`,
    `=${b64("Article:1")}`,
    `${b64("Article:1")}!`,
    `!${b64("Article:1")}`,
    "A".repeat(65),
  ];
  for (const id of notOurs) expect([id, parseGlobalId(id)]).toEqual([id, null]);
});

test("expectGlobalId: another type's id, or not an id, is BAD_USER_INPUT naming the argument", () => {
  for (const bad of [toGlobalId("Comment", 3), "nope", b64("Article:0")]) {
    expect(() => expectGlobalId("Article", bad, "articleId")).toThrow(
      expect.objectContaining({
        message: "articleId: not a valid Article id",
        extensions: expect.objectContaining({
          code: "BAD_USER_INPUT",
          fields: { articleId: "not a valid Article id" },
        }),
      }),
    );
  }
});

test("nodeTypeOf reads the class's static nodeType, and nothing else", () => {
  class Tagged {
    static readonly nodeType: NodeType = "Topic";
  }
  class Plain {}
  expect(nodeTypeOf(new Tagged())).toBe("Topic");
  expect(nodeTypeOf(new Plain())).toBeUndefined();
  expect(nodeTypeOf({ nodeType: "Article" })).toBeUndefined();
});
