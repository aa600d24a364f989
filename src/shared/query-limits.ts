import type {
  DocumentNode,
  FieldNode,
  FragmentDefinitionNode,
  GraphQLSchema,
  OperationDefinitionNode,
  SelectionSetNode,
  GraphQLArgument,
  GraphQLCompositeType,
} from "graphql";
import {
  Kind,
  Lexer,
  Source,
  TokenKind,
  getNamedType,
  isListType,
  isLeafType,
  getNullableType,
  valueFromAST,
} from "graphql";
import { AppError } from "./errors";

export interface QueryLimits {
  /** Characters of the query text. */
  maxLength: number;
  /** Lexical tokens of the query text. */
  maxTokens: number;
  /** Nesting of selection sets below the operation (introspection excepted). */
  maxDepth: number;
  /** Cost: every object a query may return counts 1, multiplied by the `first` of the lists around it. */
  maxComplexity: number;
  maxAliases: number;
  maxDirectives: number;
  /**
   * Selections (fields, fragment spreads, inline fragments) in one selection
   * set. Checked on the raw text, before validation: graphql-js's
   * overlapping-fields rule is quadratic in them (2,000 repeated fields take
   * over half a second of CPU).
   */
  maxSelections: number;
  /**
   * Fragment spreads an operation expands into, counting a spread inside a
   * fragment once for every time that fragment is spread: fragments that
   * spread each other fourfold grow 4^n while the text grows by n.
   */
  maxFragmentSpreads: number;
}

export const DEFAULT_LIMITS: QueryLimits = {
  maxLength: 20_000,
  maxTokens: 2_000,
  maxDepth: 12,
  maxComplexity: 50_000,
  maxAliases: 30,
  maxDirectives: 20,
  maxSelections: 100,
  maxFragmentSpreads: 500,
};

/** Multiplier of a list field without an explicit `first` (bylines, topic lists: small by nature). */
const UNSIZED_LIST = 5;

export function tooComplex(limit: keyof QueryLimits | string, max: number, actual: number): AppError {
  return new AppError("QUERY_TOO_COMPLEX", `Query exceeds the ${limit} limit (${actual} > ${max})`, {
    limit,
    max,
    actual,
    http: { status: 400 },
  });
}

/**
 * Checks the raw text before anything parses or validates it: length, then
 * tokens (counting stops past the limit), the selections of each selection
 * set, and the fragment expansions of the whole document. A `{` outside
 * parentheses opens a selection set (inside them it is an input object); in
 * it, each field name counts once (an alias and its field once together), and
 * each `...` (spread or inline fragment) once; directive and type-condition
 * names do not count. Everything here is one pass over the tokens plus one
 * memoised walk of the fragment graph: linear in the text.
 */
export function checkSource(query: string, limits: QueryLimits): void {
  if (query.length > limits.maxLength) throw tooComplex("length", limits.maxLength, query.length);
  const lexer = new Lexer(new Source(query));
  let tokens = 0;
  let parens = 0;
  const sets: number[] = []; // selections so far in each open selection set; input-object braces are -1
  let previous: { kind: TokenKind; value?: string } = { kind: TokenKind.SOF };
  let beforePrevious: { kind: TokenKind; value?: string } = { kind: TokenKind.SOF };
  // The fragment graph: which fragments each definition spreads (operations under keys no fragment can have).
  const spreads = new Map<string, string[]>();
  let definitions = 0;
  let owner: string[] | undefined;
  let fragmentName: string | undefined;
  const count = () => {
    const top = sets.length - 1;
    if (top < 0 || sets[top]! < 0) return;
    if (++sets[top]! > limits.maxSelections) throw tooComplex("selections", limits.maxSelections, sets[top]!);
  };
  try {
    for (let token = lexer.advance(); token.kind !== TokenKind.EOF; token = lexer.advance()) {
      if (++tokens > limits.maxTokens) throw tooComplex("tokens", limits.maxTokens, tokens);
      switch (token.kind) {
        case TokenKind.PAREN_L:
          parens++;
          break;
        case TokenKind.PAREN_R:
          parens--;
          break;
        case TokenKind.BRACE_L:
          if (sets.length === 0 && parens === 0) {
            // A definition's own selection set: a fragment's (named just before) or an operation's.
            owner = [];
            spreads.set(fragmentName ?? ` operation ${definitions++}`, owner);
            fragmentName = undefined;
          }
          sets.push(parens > 0 ? -1 : 0);
          break;
        case TokenKind.BRACE_R:
          sets.pop();
          break;
        case TokenKind.SPREAD:
          if (parens === 0) count();
          break;
        case TokenKind.NAME: {
          if (sets.length === 0) {
            if (previous.kind === TokenKind.NAME && previous.value === "fragment" && parens === 0) {
              fragmentName = token.value;
            }
            break;
          }
          if (parens > 0) break;
          const afterSpread = previous.kind === TokenKind.SPREAD;
          // `...Name` spreads a fragment; `... on Type` is an inline fragment (no fragment may be named `on`).
          if (afterSpread && token.value !== "on") owner?.push(token.value);
          const typeCondition = previous.value === "on" && beforePrevious.kind === TokenKind.SPREAD;
          if (previous.kind !== TokenKind.COLON && previous.kind !== TokenKind.AT && !afterSpread && !typeCondition) {
            count();
          }
          break;
        }
      }
      beforePrevious = previous;
      previous = { kind: token.kind, value: token.value };
    }
  } catch (error) {
    if (error instanceof AppError) throw error;
    // A syntax error: the parser will report it properly.
    return;
  }
  checkFragmentExpansions(spreads, limits.maxFragmentSpreads);
}

/**
 * Fragment spreads the document's operations expand into, a spread inside a
 * fragment counted once per expansion of that fragment; each fragment's count
 * is memoised, so the walk is linear however the fragments nest. Unknown
 * fragments and cycles count nothing here: validation reports them.
 */
function checkFragmentExpansions(spreads: Map<string, string[]>, max: number): void {
  const memo = new Map<string, number>();
  const visiting = new Set<string>();
  const expansions = (name: string): number => {
    const known = memo.get(name);
    if (known !== undefined) return known;
    const targets = spreads.get(name);
    if (!targets || visiting.has(name)) return 0;
    visiting.add(name);
    let n = 0;
    for (const target of targets) n += 1 + expansions(target);
    visiting.delete(name);
    memo.set(name, n);
    return n;
  };
  let total = 0;
  for (const name of spreads.keys()) {
    if (!name.startsWith(" operation ")) continue;
    total += expansions(name);
    if (total > max) throw tooComplex("fragmentSpreads", max, total);
  }
}

/** What checkOperation measured of an operation that passed. */
export interface OperationMeasure {
  complexity: number;
  depth: number;
  fragmentSpreads: number;
  /** Selection sets the walk measured: at most the number in the document (each fragment once). */
  selectionSetsMeasured: number;
}

/**
 * Measures the operation that will run, with its variables, before any
 * resolver runs: depth, complexity, aliases, directives, in time linear in the
 * document (fragment expansions were counted on the text by checkSource). Throws QUERY_TOO_COMPLEX naming the first
 * limit exceeded.
 */
export function checkOperation(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Record<string, unknown> | null | undefined,
  limits: QueryLimits,
): OperationMeasure | undefined {
  const fragments = new Map<string, FragmentDefinitionNode>();
  const operations: OperationDefinitionNode[] = [];
  let aliases = 0;
  let directives = 0;
  for (const def of document.definitions) {
    if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);
    if (def.kind === Kind.OPERATION_DEFINITION) operations.push(def);
  }
  // Aliases and directives are counted over the whole document text, as written.
  const countIn = (node: unknown): void => {
    if (!node || typeof node !== "object") return;
    const n = node as { kind?: string; alias?: unknown; directives?: unknown[] };
    if (n.kind === Kind.FIELD && n.alias) aliases++;
    if (Array.isArray(n.directives)) directives += n.directives.length;
    for (const value of Object.values(node)) {
      if (Array.isArray(value)) value.forEach(countIn);
      else if (value && typeof value === "object" && "kind" in value) countIn(value);
    }
  };
  document.definitions.forEach(countIn);
  if (aliases > limits.maxAliases) throw tooComplex("aliases", limits.maxAliases, aliases);
  if (directives > limits.maxDirectives) throw tooComplex("directives", limits.maxDirectives, directives);

  const operation = operationName ? operations.find((o) => o.name?.value === operationName) : operations[0];
  if (!operation) return; // Apollo / graphql-ws report the missing operation themselves.
  const root =
    operation.operation === "query"
      ? schema.getQueryType()
      : operation.operation === "mutation"
        ? schema.getMutationType()
        : schema.getSubscriptionType();
  if (!root) return;

  // Every selection set is measured once: a named fragment's summary is memoised and reused at each of
  // its spreads, so a document whose fragments spread each other fourfold a dozen levels down costs a
  // walk of its text, not of its 4^12 expansions (which checkSource has already capped). A fragment's summary does not depend on where it is
  // spread (its type condition fixes the type; depth is added by the caller), so the memo is exact.
  const summaries = new Map<string, Summary>();
  const visiting = new Set<string>();
  const zero: Summary = { cost: 0, height: 0, expansions: 0 };

  /** Cost, height (selection-set levels below this one) and fragment expansions of a set on `parent`. */
  let measured = 0;
  const measure = (set: SelectionSetNode, parent: GraphQLCompositeType): Summary => {
    measured++;
    let cost = 0;
    let height = 0;
    let expansions = 0;
    for (const sel of set.selections) {
      let inner: Summary;
      if (sel.kind === Kind.FIELD) {
        inner = fieldSummary(sel, parent);
      } else if (sel.kind === Kind.INLINE_FRAGMENT) {
        inner = measure(sel.selectionSet, conditionType(sel.typeCondition?.name.value, parent));
      } else {
        inner = spreadSummary(sel.name.value, parent);
        expansions += 1;
      }
      cost += inner.cost;
      expansions += inner.expansions;
      if (inner.height > height) height = inner.height;
    }
    // Checked as the sums grow, so a hostile document stops at the first level that crosses a limit.
    if (height >= limits.maxDepth) throw tooComplex("depth", limits.maxDepth, height + 1);
    return { cost, height, expansions };
  };

  const conditionType = (typeName: string | undefined, parent: GraphQLCompositeType) =>
    ((typeName ? schema.getType(typeName) : parent) as GraphQLCompositeType | undefined) ?? parent;

  const spreadSummary = (name: string, parent: GraphQLCompositeType): Summary => {
    const known = summaries.get(name);
    if (known) return known;
    const fragment = fragments.get(name);
    // Unknown fragments and cycles are validation errors, reported by graphql-js.
    if (!fragment || visiting.has(name)) return zero;
    visiting.add(name);
    const summary = measure(fragment.selectionSet, conditionType(fragment.typeCondition.name.value, parent));
    visiting.delete(name);
    summaries.set(name, summary);
    return summary;
  };

  const fieldSummary = (field: FieldNode, parent: GraphQLCompositeType): Summary => {
    const name = field.name.value;
    if (name.startsWith("__")) return zero; // introspection and __typename: bounded by the schema itself
    if (!("getFields" in parent)) return zero;
    const def = parent.getFields()[name];
    if (!def || !field.selectionSet) return zero;
    const type = getNamedType(def.type);
    if (isLeafType(type)) return zero;
    const children = measure(field.selectionSet, type as GraphQLCompositeType);
    const first = def.args.find((a) => a.name === "first");
    // A connection's edges and nodes are already counted by the `first` of the field that returned it.
    const multiplier = first
      ? sizeArgument(field, first, variables)
      : isListType(getNullableType(def.type)) && !parent.name.endsWith("Connection")
        ? UNSIZED_LIST
        : 1;
    return { cost: multiplier * (1 + children.cost), height: children.height + 1, expansions: children.expansions };
  };

  const { cost: complexity, height, expansions } = measure(operation.selectionSet, root);
  if (complexity > limits.maxComplexity) throw tooComplex("complexity", limits.maxComplexity, complexity);
  return { complexity, depth: height + 1, fragmentSpreads: expansions, selectionSetsMeasured: measured };
}

/** What one selection set adds up to, wherever it is spread. */
interface Summary {
  /** Objects it may return (see maxComplexity). */
  cost: number;
  /** Selection-set levels below it: a set at depth d reaches depth d + height. */
  height: number;
  /** Fragment spreads it expands into, a spread inside a fragment counted once per expansion of that fragment. */
  expansions: number;
}

/** The page size a field will use: its `first` argument, variable, or default (20 for connections). */
function sizeArgument(field: FieldNode, arg: GraphQLArgument, variables: Record<string, unknown> | null | undefined) {
  const node = field.arguments?.find((a) => a.name.value === "first");
  let value: unknown = undefined;
  if (node) value = valueFromAST(node.value, arg.type, variables ?? undefined);
  if (value === undefined || value === null) value = arg.defaultValue ?? 20;
  const n = Number(value);
  return Number.isFinite(n) && n > 0 ? n : 1;
}
