import {
  DocumentNode,
  FieldNode,
  FragmentDefinitionNode,
  GraphQLSchema,
  Kind,
  Lexer,
  OperationDefinitionNode,
  SelectionSetNode,
  Source,
  TokenKind,
  getNamedType,
  isListType,
  isLeafType,
  getNullableType,
  valueFromAST,
  GraphQLArgument,
  GraphQLCompositeType,
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
}

export const DEFAULT_LIMITS: QueryLimits = {
  maxLength: 20_000,
  maxTokens: 2_000,
  maxDepth: 12,
  maxComplexity: 50_000,
  maxAliases: 30,
  maxDirectives: 20,
  maxSelections: 100,
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
 * tokens (counting stops past the limit), and the selections of each selection
 * set. A `{` outside parentheses opens a selection set (inside them it is an
 * input object); in it, each field name counts once (an alias and its field
 * once together), and each `...` (spread or inline fragment) once; directive
 * and type-condition names do not count.
 */
export function checkSource(query: string, limits: QueryLimits): void {
  if (query.length > limits.maxLength) throw tooComplex("length", limits.maxLength, query.length);
  const lexer = new Lexer(new Source(query));
  let tokens = 0;
  let parens = 0;
  const sets: number[] = []; // selections so far in each open selection set; input-object braces are -1
  let previous: { kind: TokenKind; value?: string } = { kind: TokenKind.SOF };
  let beforePrevious: { kind: TokenKind; value?: string } = { kind: TokenKind.SOF };
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
          sets.push(parens > 0 ? -1 : 0);
          break;
        case TokenKind.BRACE_R:
          sets.pop();
          break;
        case TokenKind.SPREAD:
          if (parens === 0) count();
          break;
        case TokenKind.NAME: {
          if (parens > 0) break;
          const afterSpread = previous.kind === TokenKind.SPREAD;
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
  }
}

/**
 * Measures the operation that will run, with its variables, before any
 * resolver runs: depth, complexity, aliases, directives. Throws
 * QUERY_TOO_COMPLEX naming the first limit exceeded.
 */
export function checkOperation(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Record<string, unknown> | null | undefined,
  limits: QueryLimits,
): void {
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

  let maxDepth = 0;
  const visiting = new Set<string>();

  /** Cost of a selection set on `parent`, at `depth`. */
  const measure = (set: SelectionSetNode, parent: GraphQLCompositeType, depth: number): number => {
    if (depth > maxDepth) maxDepth = depth;
    if (maxDepth > limits.maxDepth) throw tooComplex("depth", limits.maxDepth, maxDepth);
    let cost = 0;
    for (const sel of set.selections) {
      if (sel.kind === Kind.FIELD) {
        cost += fieldCost(sel, parent, depth);
      } else {
        const fragment = sel.kind === Kind.INLINE_FRAGMENT ? sel : fragments.get(sel.name.value);
        if (!fragment) continue;
        const key = sel.kind === Kind.FRAGMENT_SPREAD ? sel.name.value : "";
        if (key && visiting.has(key)) continue; // cycles are a validation error, reported elsewhere
        if (key) visiting.add(key);
        const typeName = fragment.typeCondition?.name.value;
        const type = (typeName ? schema.getType(typeName) : parent) as GraphQLCompositeType;
        cost += measure(fragment.selectionSet, type ?? parent, depth);
        if (key) visiting.delete(key);
      }
    }
    return cost;
  };

  const fieldCost = (field: FieldNode, parent: GraphQLCompositeType, depth: number): number => {
    const name = field.name.value;
    if (name.startsWith("__")) return 0; // introspection and __typename: bounded by the schema itself
    if (!("getFields" in parent)) return 0;
    const def = parent.getFields()[name];
    if (!def || !field.selectionSet) return 0;
    const type = getNamedType(def.type);
    if (isLeafType(type)) return 0;
    const children = measure(field.selectionSet, type as GraphQLCompositeType, depth + 1);
    const first = def.args.find((a) => a.name === "first");
    // A connection's edges and nodes are already counted by the `first` of the field that returned it.
    const multiplier = first
      ? sizeArgument(field, first, variables)
      : isListType(getNullableType(def.type)) && !parent.name.endsWith("Connection")
        ? UNSIZED_LIST
        : 1;
    return multiplier * (1 + children);
  };

  const complexity = measure(operation.selectionSet, root, 1);
  if (complexity > limits.maxComplexity) throw tooComplex("complexity", limits.maxComplexity, complexity);
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
