// Worst cases of the query checks within (and just past) every default limit: how long the text checks,
// parsing, graphql-js validation and the operation walk take, one core, no server. Prints figures only.
// Run: npm run bench:limits  (builds first)
import { readFileSync } from "node:fs";
import { buildSchema, parse, validate } from "graphql";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const { checkOperation, checkSource, DEFAULT_LIMITS } = require("../dist/src/shared/query-limits.js");
const schema = buildSchema(readFileSync(new URL("../schema/schema.graphql", import.meta.url), "utf8"));
const D = DEFAULT_LIMITS;

const bomb = (levels, fanout = 4, on = "Query", leaf = "__typename") =>
  `query Bomb { ...F0 } ` +
  Array.from({ length: levels }, (_, i) => `fragment F${i} on ${on} { ${`...F${i + 1} `.repeat(fanout)}}`).join(" ") +
  ` fragment F${levels} on ${on} { ${leaf} }`;
const chain = (n) =>
  `query Chain { ...C0 } ` +
  Array.from({ length: n }, (_, i) => `fragment C${i} on Query { __typename ...C${i + 1} }`).join(" ") +
  ` fragment C${n} on Query { __typename }`;
const wide = (n) => `{ articles(first: 1) { nodes { ${Array.from({ length: n }, () => "id").join(" ")} } } }`;
const nested = (depth) => {
  let inner = "id";
  for (let i = 3; i < depth; i++) inner = `relatedArticles(first: 1) { ${inner} }`;
  return `{ articles(first: 1) { nodes { ${inner} } } }`;
};

const cases = [
  ["fourfold fragments, 4 levels (341 expansions)", bomb(4)],
  ["fragment chain within the token limit", chain(Math.floor(D.maxTokens / 9) - 2)],
  ["100 repeated fields (selections limit)", wide(D.maxSelections)],
  ["depth 12 of related articles", nested(D.maxDepth)],
  ["fourfold fragments, 12 levels (refused: fragmentSpreads)", bomb(12)],
  ["fourfold fragments, 140 levels (refused: fragmentSpreads)", bomb(140)],
];

const time = (fn) => {
  const t = process.hrtime.bigint();
  let outcome = "ok";
  try {
    fn();
  } catch (error) {
    outcome = `refused: ${error.extensions?.limit ?? error.message}`;
  }
  return { ms: Number(process.hrtime.bigint() - t) / 1e6, outcome };
};

console.log(`node ${process.version}; defaults: ${JSON.stringify(D)}`);
for (const [name, query] of cases) {
  const runs = [];
  let outcome = "";
  for (let i = 0; i < 30; i++) {
    const r = time(() => {
      checkSource(query, D);
      const document = parse(query);
      const errors = validate(schema, document);
      if (errors.length) throw new Error(errors[0].message);
      checkOperation(schema, document, undefined, {}, D);
    });
    runs.push(r.ms);
    outcome = r.outcome;
  }
  runs.sort((a, b) => a - b);
  console.log(
    `${name.padEnd(58)} ${String(query.length).padStart(6)} chars  median ${runs[15].toFixed(2).padStart(7)} ms  max ${runs[29]
      .toFixed(2)
      .padStart(7)} ms  ${outcome}`,
  );
}
