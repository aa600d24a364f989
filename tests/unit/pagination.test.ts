/**
 * Relay pagination without a database (src/shared/pagination.ts): the
 * `first`/`after` rules, the cursor format (written out here by hand: base64url
 * of a JSON array of the kind's name and the keys), what each key type
 * accepts, and how a page of first + 1 rows becomes a connection.
 */
import "reflect-metadata";
import fc from "fast-check";
import { planRows } from "../../src/db/sql";
import {
  boundedEstimate,
  connectionType,
  cursorKind,
  decodeCursor,
  DEFAULT_PAGE_SIZE,
  encodeCursor,
  MAX_PAGE_SIZE,
  pageRequest,
  toPage,
  type KeyType,
} from "../../src/shared/pagination";

const byHand = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
const KIND = cursorKind("a", "timestamp", "id");
const ALL = cursorKind("z", "timestamp", "id", "rank", "text");
const WHEN = "2024-05-01T10:00:00.000Z";

/** The BAD_USER_INPUT a call throws, as `{ field: message }`, or "ok". */
const outcome = (fn: () => unknown): Record<string, string> | "ok" => {
  try {
    fn();
    return "ok";
  } catch (error) {
    const { code, fields } = (error as { extensions: { code: string; fields: Record<string, string> } }).extensions;
    if (code !== "BAD_USER_INPUT") throw error;
    return fields;
  }
};
const foreign = { after: "malformed or foreign cursor" };

describe("pageRequest", () => {
  test("first defaults to 20 and may be 0 to 100", () => {
    expect(DEFAULT_PAGE_SIZE).toBe(20);
    expect(MAX_PAGE_SIZE).toBe(100);
    expect(pageRequest(undefined, undefined, KIND)).toEqual({ first: 20, after: null });
    expect(pageRequest(null, null, KIND)).toEqual({ first: 20, after: null });
    for (const first of [0, 1, 37, 99, 100]) expect(pageRequest(first, null, KIND)).toEqual({ first, after: null });
  });

  test("first that is not a whole number of 0 or more is 'must be 0 or more'; above 100 is 'must be at most 100'", () => {
    for (const first of [-1, -100, 0.5, 1.5, NaN, Infinity, -Infinity]) {
      expect(outcome(() => pageRequest(first, null, KIND))).toEqual({ first: "must be 0 or more" });
    }
    for (const first of [101, 1000, 2 ** 31]) {
      expect(outcome(() => pageRequest(first, null, KIND))).toEqual({ first: "must be at most 100" });
    }
  });

  test("the error message names the field and the rule", () => {
    expect(() => pageRequest(-1, null, KIND)).toThrow("first: must be 0 or more");
    expect(() => pageRequest(101, null, KIND)).toThrow("first: must be at most 100");
  });

  test("after is decoded against the list's kind, and a bad one is named `after`", () => {
    expect(pageRequest(5, byHand(["a", WHEN, 7]), KIND)).toEqual({ first: 5, after: [WHEN, 7] });
    expect(outcome(() => pageRequest(5, byHand(["c", WHEN, 7]), KIND))).toEqual(foreign);
    expect(outcome(() => pageRequest(5, "", KIND))).toEqual(foreign);
  });
});

describe("cursors", () => {
  test("a cursor is base64url of [kind, ...keys], and decodes to the keys", () => {
    const keys = [WHEN, 42, 0.5, "Climate"] as const;
    expect(encodeCursor(ALL, keys)).toBe(byHand(["z", ...keys]));
    expect(decodeCursor(byHand(["z", ...keys]), ALL, "after")).toEqual(keys);
  });

  test("the field named in the error is the caller's", () => {
    expect(() => decodeCursor("!", KIND, "before")).toThrow(
      expect.objectContaining({
        message: "before: malformed or foreign cursor",
        extensions: expect.objectContaining({
          code: "BAD_USER_INPUT",
          fields: { before: "malformed or foreign cursor" },
        }),
      }),
    );
  });

  test("up to 512 characters of base64url; longer, or any other character, is refused", () => {
    // A text key long enough that the cursor is exactly 512 characters (384 bytes of JSON).
    const kind = cursorKind("n", "text");
    const text = "x".repeat(384 - JSON.stringify(["n", ""]).length);
    const longest = byHand(["n", text]);
    expect(longest).toHaveLength(512);
    expect(decodeCursor(longest, kind, "after")).toEqual([text]);
    const tooLong = byHand(["n", text + "xxx"]);
    expect(tooLong).toHaveLength(516);
    expect(outcome(() => decodeCursor(tooLong, kind, "after"))).toEqual(foreign);

    const good = byHand(["a", WHEN, 7]);
    // Node's base64 decoder skips characters outside the alphabet (and stops at "="), so "!" or "." before
    // a good cursor would decode to it: the alphabet check must hold from the first character.
    const stray = [`!${good}`, `.${good}`, `${good}!`];
    for (const bad of [
      "",
      `${good}=`,
      `=${good}`,
      `${good}==`,
      `${good.slice(0, 10)}+${good.slice(10)}`,
      `${good}/`,
      ...stray,
    ]) {
      expect(outcome(() => decodeCursor(bad, KIND, "after"))).toEqual(foreign);
    }
    // Base64url with `-` and `_` (what `+` and `/` become) is accepted.
    const dashed = byHand(["n", "\u00fb\u00ff?>"]);
    expect(dashed).toMatch(/[-_]/);
    expect(decodeCursor(dashed, kind, "after")).toEqual(["\u00fb\u00ff?>"]);
  });

  test("contents that are not a JSON array of the kind's name and its number of keys are refused", () => {
    const contents = [
      Buffer.from("not json").toString("base64url"),
      Buffer.from('["a", "2024-').toString("base64url"),
      byHand({ 0: "a", 1: WHEN, 2: 7, length: 3 }),
      byHand("a"),
      byHand(null),
      byHand(["c", WHEN, 7]),
      byHand(["A", WHEN, 7]),
      byHand([WHEN, 7]),
      byHand(["a", WHEN]),
      byHand(["a", WHEN, 7, 8]),
      byHand(["a"]),
      byHand([]),
    ];
    for (const cursor of contents) expect(outcome(() => decodeCursor(cursor, KIND, "after"))).toEqual(foreign);
  });

  /** Whether a key value is accepted for a key of that type. */
  const accepts = (type: KeyType, value: unknown) =>
    outcome(() => decodeCursor(byHand(["k", value]), cursorKind("k", type), "after")) === "ok";

  test("timestamp keys: Date.toISOString() of years 1 to 9999 that are real instants", () => {
    for (const ok of [WHEN, "0001-01-01T00:00:00.000Z", "9999-12-31T23:59:59.999Z", "2024-02-29T00:00:00.000Z"]) {
      expect([ok, accepts("timestamp", ok)]).toEqual([ok, true]);
    }
    for (const bad of [
      "0000-01-01T00:00:00.000Z",
      "2023-02-29T00:00:00.000Z",
      "2024-05-01T24:00:00.000Z",
      "2024-05-01T10:00:00Z",
      "2024-05-01",
      " 2024-05-01T10:00:00.000Z",
      "2024-05-01T10:00:00.000Z ",
      "x2024-05-01T10:00:00.000Z",
      "2024-05-01T10:00:00.000Zx",
      "+275760-09-13T00:00:00.000Z",
      "-000001-01-01T00:00:00.000Z",
      Date.parse(WHEN),
      null,
    ]) {
      expect([bad, accepts("timestamp", bad)]).toEqual([bad, false]);
    }
  });

  test("id keys: whole numbers of int4 from 1", () => {
    for (const ok of [1, 2, 2_147_483_647]) expect([ok, accepts("id", ok)]).toEqual([ok, true]);
    for (const bad of [0, -1, 1.5, 2_147_483_648, 1e20, "1", null, true]) {
      expect([bad, accepts("id", bad)]).toEqual([bad, false]);
    }
  });

  test("rank keys: 0, or a float4 between its smallest nonzero value and its largest", () => {
    for (const ok of [0, 1e-45, 0.1, 1, 3.4028234e38]) expect([ok, accepts("rank", ok)]).toEqual([ok, true]);
    for (const bad of [1e-46, 5e-324, -0.1, -1, 3.5e38, 1e300, "0.5", null, true]) {
      expect([bad, accepts("rank", bad)]).toEqual([bad, false]);
    }
  });

  test("text keys: any string without NUL", () => {
    for (const ok of ["", "Climate", "x".repeat(300), "\u00e9"]) expect([ok, accepts("text", ok)]).toEqual([ok, true]);
    for (const bad of ["\u0000", "a\u0000b", 5, null, ["a"]]) expect([bad, accepts("text", bad)]).toEqual([bad, false]);
  });

  test("every key is checked against its own type, not just the first", () => {
    expect(outcome(() => decodeCursor(byHand(["z", WHEN, 1, 0.5, "t"]), ALL, "after"))).toBe("ok");
    expect(outcome(() => decodeCursor(byHand(["z", WHEN, 0, 0.5, "t"]), ALL, "after"))).toEqual(foreign);
    expect(outcome(() => decodeCursor(byHand(["z", WHEN, 1, -1, "t"]), ALL, "after"))).toEqual(foreign);
    expect(outcome(() => decodeCursor(byHand(["z", WHEN, 1, 0.5, "\u0000"]), ALL, "after"))).toEqual(foreign);
    expect(outcome(() => decodeCursor(byHand(["z", 1, WHEN, 0.5, "t"]), ALL, "after"))).toEqual(foreign);
  });

  test("property: whatever keys a list writes, its cursor reads back the same keys", () => {
    const keys = fc.tuple(
      fc.date({
        min: new Date("0001-01-01T00:00:00.000Z"),
        max: new Date("9999-12-31T23:59:59.999Z"),
        noInvalidDate: true,
      }),
      fc.integer({ min: 1, max: 2 ** 31 - 1 }),
      fc.oneof(fc.constant(0), fc.float({ min: Math.fround(1e-45), max: Math.fround(3.4e38), noNaN: true })),
      fc.string({ maxLength: 40 }).filter((s) => !s.includes("\u0000")),
    );
    fc.assert(
      fc.property(keys, ([date, id, rank, text]) => {
        const written = [date.toISOString(), id, rank, text];
        const cursor = encodeCursor(ALL, written);
        expect(cursor).toBe(byHand(["z", ...written]));
        expect(decodeCursor(cursor, ALL, "after")).toEqual(written);
      }),
      { numRuns: 300 },
    );
  });
});

describe("pages", () => {
  const rows = (n: number) => Array.from({ length: n }, (_, i) => ({ id: i + 1, at: WHEN }));
  const keyOf = (row: { id: number; at: string }) => [row.at, row.id] as const;
  const count = () => Promise.resolve(1234);

  test("first + 1 rows: a full page and a next page; first rows or fewer: no next page", () => {
    const full = toPage(rows(4), { first: 3, after: null }, KIND, keyOf, count);
    expect(full.nodes.map((r) => r.id)).toEqual([1, 2, 3]);
    expect(full.cursors).toEqual([1, 2, 3].map((id) => byHand(["a", WHEN, id])));
    expect([full.hasNextPage, full.hasPreviousPage]).toEqual([true, false]);
    expect(full.totalCount).toBe(count);

    const exact = toPage(rows(3), { first: 3, after: [WHEN, 9] }, KIND, keyOf, count);
    expect(exact.nodes.map((r) => r.id)).toEqual([1, 2, 3]);
    expect([exact.hasNextPage, exact.hasPreviousPage]).toEqual([false, true]);

    const short = toPage(rows(1), { first: 3, after: null }, KIND, keyOf, count);
    expect(short.nodes.map((r) => r.id)).toEqual([1]);
    expect(short.hasNextPage).toBe(false);

    const none = toPage(rows(1), { first: 0, after: null }, KIND, keyOf, count);
    expect([none.nodes, none.cursors, none.hasNextPage]).toEqual([[], [], true]);
  });

  class Item {
    constructor(readonly id: number) {}
  }
  const ItemConnection = connectionType(Item, "Item");

  test("a connection: edges pair each node with its cursor; pageInfo has the first and last cursors", async () => {
    const nodes = [new Item(1), new Item(2), new Item(3)];
    let counted = 0;
    const connection = new ItemConnection({
      nodes,
      cursors: ["c1", "c2", "c3"],
      hasNextPage: true,
      hasPreviousPage: false,
      totalCount: () => Promise.resolve(++counted * 10),
    });
    expect(connection.nodes).toEqual(nodes);
    expect(connection.edges).toEqual([
      { cursor: "c1", node: nodes[0] },
      { cursor: "c2", node: nodes[1] },
      { cursor: "c3", node: nodes[2] },
    ]);
    expect(connection.pageInfo).toEqual({
      hasNextPage: true,
      hasPreviousPage: false,
      startCursor: "c1",
      endCursor: "c3",
    });
    // Counted only when asked for, and each time it is.
    expect(counted).toBe(0);
    expect(await connection.totalCount).toBe(10);
    expect(await connection.totalCount).toBe(20);
  });

  test("an empty connection has null cursors", () => {
    const connection = new ItemConnection({
      nodes: [],
      cursors: [],
      hasNextPage: false,
      hasPreviousPage: true,
      totalCount: () => Promise.resolve(0),
    });
    expect(connection.edges).toEqual([]);
    expect(connection.pageInfo).toEqual({
      hasNextPage: false,
      hasPreviousPage: true,
      startCursor: null,
      endCursor: null,
    });
  });
});

describe("estimatedTotalCount", () => {
  const page = (shown: number, hasNextPage: boolean, hasPreviousPage: boolean, estimate?: number) => {
    const asked = { estimate: 0, exact: 0 };
    return {
      asked,
      page: {
        nodes: Array.from({ length: shown }, (_, i) => i),
        cursors: [],
        hasNextPage,
        hasPreviousPage,
        totalCount: async () => (asked.exact++, 777),
        ...(estimate === undefined ? {} : { estimatedCount: async () => (asked.estimate++, estimate) }),
      },
    };
  };

  test("a first page that is the whole list is its exact size, and asks nothing", async () => {
    const p = page(7, false, false, 500);
    expect(await boundedEstimate(p.page)).toBe(7);
    expect(p.asked).toEqual({ estimate: 0, exact: 0 });
  });

  test("otherwise the estimate, never below the items the page proves exist", async () => {
    const low = page(20, true, false, 3);
    expect(await boundedEstimate(low.page)).toBe(21);
    expect(low.asked).toEqual({ estimate: 1, exact: 0 });
    expect(await boundedEstimate(page(20, true, false, 24_000).page)).toBe(24_000);
    // A last page after others: at least what it shows.
    expect(await boundedEstimate(page(5, false, true, 0).page)).toBe(5);
  });

  test("a list without an estimate gives its exact count", async () => {
    const p = page(20, true, false);
    expect(await boundedEstimate(p.page)).toBe(777);
    expect(p.asked).toEqual({ estimate: 0, exact: 1 });
  });

  test("planRows reads EXPLAIN (FORMAT JSON), parsed or as text, and refuses anything else", () => {
    const plan = [{ Plan: { "Node Type": "Bitmap Heap Scan", "Plan Rows": 24031.6 } }];
    expect(planRows(plan)).toBe(24032);
    expect(planRows(JSON.stringify(plan))).toBe(24032);
    for (const bad of [
      undefined,
      [],
      [{ Plan: {} }],
      [{ Plan: { "Plan Rows": -1 } }],
      [{ Plan: { "Plan Rows": "9" } }],
    ]) {
      expect(() => planRows(bad)).toThrow("EXPLAIN gave no row estimate");
    }
  });
});
