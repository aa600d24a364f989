/**
 * The query checks' cost bounds, without a server: fragment expansions are
 * counted on the text before parsing, the operation walk measures every
 * selection set once however fragments nest, and both agree with a naive
 * expansion of the document on random fragment graphs.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { buildSchema, parse } from "graphql";
import { checkOperation, checkSource, DEFAULT_LIMITS } from "../../src/shared/query-limits";
import { fragmentBomb } from "../support/hardening-helpers";

const schema = buildSchema(readFileSync(join(__dirname, "../../schema/schema.graphql"), "utf8"));
const noCap = { ...DEFAULT_LIMITS, maxFragmentSpreads: Infinity, maxTokens: 1e9, maxLength: 1e9 };
const selectionSets = (query: string) => (query.match(/\{/g) ?? []).length;
const limitOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
    return undefined;
  } catch (error) {
    return (error as { extensions?: { limit?: string } }).extensions?.limit ?? String(error);
  }
};

describe("fragments that spread each other", () => {
  test.each([12, 40, 140])(
    "%i levels fourfold: the walk measures each selection set once, and the expansions are counted",
    (levels) => {
      const query = fragmentBomb(levels);
      const started = performance.now();
      const measure = checkOperation(schema, parse(query), undefined, {}, noCap)!;
      const ms = performance.now() - started;
      console.log(
        `limits walk of a ${levels}-level fourfold fragment bomb (${query.length} chars): ${ms.toFixed(2)} ms`,
      );
      expect(measure.selectionSetsMeasured).toBeLessThanOrEqual(selectionSets(query));
      // 1 + 4 + 4^2 + ... + 4^levels spreads (a float far past 2^53: compared relatively).
      const expected = (4 ** (levels + 1) - 1) / 3;
      expect(Math.abs(measure.fragmentSpreads - expected) / expected).toBeLessThan(1e-9);
      // The same count on the text, before parsing and validation; with the default cap it is refused there.
      expect(limitOf(() => checkSource(query, { ...noCap, maxFragmentSpreads: measure.fragmentSpreads }))).toBe(
        undefined,
      );
      expect(limitOf(() => checkSource(query, DEFAULT_LIMITS))).toBe("fragmentSpreads");
    },
  );

  test("a 140-level bomb fits every other default limit (so only the expansion cap stops it)", () => {
    const query = fragmentBomb(140);
    expect(limitOf(() => checkSource(query, { ...DEFAULT_LIMITS, maxFragmentSpreads: Infinity }))).toBe(undefined);
    expect(limitOf(() => checkSource(query, DEFAULT_LIMITS))).toBe("fragmentSpreads");
  });

  /** A random acyclic fragment graph: fragment i spreads only fragments j > i, each up to 3 times. */
  const graphs = fc.integer({ min: 1, max: 7 }).chain((n) =>
    fc.record({
      n: fc.constant(n),
      op: fc.array(fc.integer({ min: 0, max: n - 1 }), { minLength: 1, maxLength: 4 }),
      spreads: fc.tuple(
        ...Array.from({ length: n }, (_, i) =>
          fc.array(fc.integer({ min: i + 1, max: n }), { maxLength: i + 1 < n ? 4 : 0 }),
        ),
      ),
      inline: fc.boolean(),
      spaced: fc.boolean(),
    }),
  );

  test("on random fragment graphs, text count = walk count = naive expansion", () => {
    fc.assert(
      fc.property(graphs, ({ n, op, spreads, inline, spaced }) => {
        const ws = spaced ? "\n  " : " ";
        const name = (i: number) => (i === n ? "Leaf" : `G${i}`);
        const body = (targets: number[]) =>
          [...targets.map((t) => `...${name(t)}`), inline ? "... on Query { __typename }" : "__typename"].join(ws);
        const query =
          `query Random {${ws}${body(op)}${ws}}` +
          spreads
            .map((targets, i) => ` fragment ${name(i)} on Query @include(if: true) {${ws}${body(targets)} }`)
            .join("") +
          ` fragment Leaf on Query { __typename }`;
        const naive = (targets: number[]): number =>
          targets.reduce((sum, t) => sum + 1 + (t === n ? 0 : naive(spreads[t]!)), 0);
        const expected = naive(op);
        const measure = checkOperation(schema, parse(query), undefined, {}, noCap)!;
        expect(measure.fragmentSpreads).toBe(expected);
        expect(measure.selectionSetsMeasured).toBeLessThanOrEqual(selectionSets(query));
        expect(limitOf(() => checkSource(query, { ...noCap, maxFragmentSpreads: expected }))).toBe(undefined);
        expect(limitOf(() => checkSource(query, { ...noCap, maxFragmentSpreads: expected - 1 }))).toBe(
          "fragmentSpreads",
        );
      }),
      { numRuns: 300 },
    );
  });

  test("spreads inside operations with variables, defaults and directives are counted; inline fragments are not", () => {
    const query = `query Q($first: Int = 3, $filter: ArticleFilter = { topicSlugs: ["x"] }) @include(if: true) {
      articles(first: $first, filter: $filter) { nodes { ...A ... on Article { ...A } ... @include(if: true) { id } } }
    }
    fragment A on Article { id ...B }
    fragment B on Article { slug }`;
    // ...A twice (each 1 + its ...B) = 4.
    expect(limitOf(() => checkSource(query, { ...DEFAULT_LIMITS, maxFragmentSpreads: 4 }))).toBe(undefined);
    expect(limitOf(() => checkSource(query, { ...DEFAULT_LIMITS, maxFragmentSpreads: 3 }))).toBe("fragmentSpreads");
  });

  test("a fragment cycle counts nothing here (validation reports it) and does not loop", () => {
    const query = `{ ...A } fragment A on Query { ...B } fragment B on Query { ...A }`;
    expect(limitOf(() => checkSource(query, DEFAULT_LIMITS))).toBe(undefined);
  });
});
