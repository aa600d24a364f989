/**
 * Operations generated from the schema for the fuzz test (tests/hardening/fuzz.test.ts),
 * with fast-check's `gen` so that every choice is seeded and replayable.
 *
 * Each operation is one of three kinds: valid (every field, argument and
 * variable of the right type; values may still be absurd: negative or huge
 * page sizes, forged ids and cursors, NUL, unicode, 5,000-character strings),
 * invalid (wrong types, unknown fields and arguments, missing variables,
 * values that are not even of the right JSON type), or syntactically broken.
 * `after` and `since` are often forged (tests/support/forged-input.ts), and a
 * variable is sometimes nested thousands deep.
 */
import fc from "fast-check";
import type {
  GraphQLArgument,
  GraphQLCompositeType,
  GraphQLField,
  GraphQLInputType,
  GraphQLNamedType,
  GraphQLObjectType,
  GraphQLSchema,
} from "graphql";
import {
  getNamedType,
  isAbstractType,
  isEnumType,
  isInputObjectType,
  isLeafType,
  isListType,
  isNonNullType,
} from "graphql";
import { CURSOR_KIND_OF_FIELD, forgedCursor, forgedCursorOf, forgedSince, nested } from "./forged-input";

export interface FuzzPools {
  /** Real global ids (articles, comments, authors, topics, and the private ones). */
  ids: string[];
  /** Real cursors of every list. */
  cursors: string[];
  slugs: string[];
}

export type FuzzKind = "valid" | "invalid" | "broken";

export interface FuzzOperation {
  kind: FuzzKind;
  operationType: "query" | "mutation" | "subscription";
  query: string;
  variables: Record<string, unknown>;
  operationName?: string;
}

const b64 = (s: string) => Buffer.from(s).toString("base64url");
const WORDS = ["mars", "city", "Pelicanfuzz", "Draft", "science", "the", "embargoed", "", " ", "a"];
const NASTY_STRINGS = [
  "\u0000",
  "nul\u0000inside",
  "'; DROP TABLE articles; --",
  "<script>alert(1)</script>",
  "%00%ff",
  "\\",
  '"',
  "\ud83d\ude80 rocket",
  "e\u0301\u200b\u202e",
  "\uffff\ufffe",
  "x".repeat(5000),
  "${jndi:ldap://x}",
  "../../etc/passwd",
  "𝕬𝖗𝖙𝖎𝖈𝖑𝖊",
];
/** Int values inside 32 bits: absurd for page sizes but of the right type. */
const INTS = [0, 1, 2, 5, 20, 99, 100, 101, 1000, -1, -100, 2_147_483_647, -2_147_483_648];
/** Not Ints at all. */
const BAD_INTS = [2_147_483_648, -2_147_483_649, 1e10, 1.5, Number.MAX_SAFE_INTEGER + 2];

/** Builds one operation from the schema; every random choice goes through `g`. */
export class OperationBuilder {
  private varDefs: string[] = [];
  private variables: Record<string, unknown> = {};
  private fragments: string[] = [];
  private kind: FuzzKind = "valid";
  private aliases = 0;

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly pools: FuzzPools,
    private readonly g: fc.GeneratorValue,
  ) {}

  private chance(p: number): boolean {
    return this.g(fc.integer, { min: 0, max: 999 }) < p * 1000;
  }

  /** A chance that applies only to invalid operations. */
  private wrong(p: number): boolean {
    return this.kind === "invalid" && this.chance(p);
  }

  private pick<T>(items: readonly T[]): T {
    return items[this.g(fc.nat, { max: items.length - 1 })]!;
  }

  private randomString(): string {
    const kind = this.g(fc.nat, { max: 5 });
    if (kind === 0) return this.g(fc.string, { maxLength: 30 });
    // Any code point, lone surrogates included (JSON allows them escaped; GraphQL source does not).
    if (kind === 1 && this.kind !== "valid") return this.g(fc.string, { unit: "binary", maxLength: 30 });
    if (kind <= 2) return this.pick(NASTY_STRINGS);
    if (kind === 3) return this.pick(WORDS);
    if (kind === 4) return this.pick(this.pools.slugs);
    return this.g(fc.stringMatching, /^[a-z0-9-]{1,40}$/);
  }

  private randomId(): string {
    const kind = this.g(fc.nat, { max: 5 });
    if (kind <= 2) return this.pick(this.pools.ids);
    if (kind === 3)
      return b64(
        `${this.pick(["Article", "Comment", "Author", "Topic", "User"])}:${this.pick([...INTS, ...BAD_INTS])}`,
      );
    if (kind === 4) return this.pick(this.pools.cursors); // a cursor where an id goes
    return this.randomString();
  }

  /** Any JSON value: what a confused or hostile client sends for the wrong type. */
  private junk(depth = 0): unknown {
    const kind = this.g(fc.nat, { max: depth > 1 ? 4 : 6 });
    if (kind === 0) return null;
    if (kind === 1) return this.pick([...INTS, ...BAD_INTS]);
    if (kind === 2) return this.randomString();
    if (kind === 3) return this.chance(0.5);
    if (kind === 4) return this.g(fc.double, { noNaN: true, noDefaultInfinity: true });
    if (kind === 5) return [this.junk(depth + 1), this.junk(depth + 1)];
    return { [this.pick(["a", "title", "__proto__", "constructor"])]: this.junk(depth + 1) };
  }

  /** A value for `type`: of the right type in a valid operation; in an invalid one, sometimes not. */
  value(type: GraphQLInputType, depth = 0): unknown {
    if (this.wrong(0.2)) return this.junk();
    if (isNonNullType(type)) type = type.ofType as GraphQLInputType;
    else if (this.chance(0.08) || depth > 4) return null;
    if (isListType(type)) {
      const n = this.g(fc.nat, { max: 3 });
      return Array.from({ length: n }, () => this.value(type.ofType, depth + 1));
    }
    if (isEnumType(type)) return this.wrong(0.3) ? "NOT_A_VALUE" : this.pick(type.getValues()).name;
    if (isInputObjectType(type)) {
      const out: Record<string, unknown> = {};
      for (const field of Object.values(type.getFields())) {
        const required = isNonNullType(field.type) && field.defaultValue === undefined;
        if (required ? !this.wrong(0.1) : this.chance(0.4)) out[field.name] = this.value(field.type, depth + 1);
      }
      if (this.wrong(0.1)) out.unknownField = "x";
      return out;
    }
    switch (type.name) {
      case "ID":
        return this.randomId();
      case "Int":
        return this.wrong(0.3) ? this.pick(BAD_INTS) : this.pick(INTS);
      case "Float":
        return this.g(fc.double, { noNaN: true, noDefaultInfinity: true });
      case "Boolean":
        return this.chance(0.5);
      case "DateTime":
        return this.pick([
          new Date(this.g(fc.integer, { min: 0, max: 4_102_444_800_000 })).toISOString(),
          "2020-02-30T00:00:00Z",
          "yesterday",
          "9999-12-31T23:59:59.999Z",
          "",
        ]);
      default:
        return this.randomString();
    }
  }

  /** A GraphQL literal for a JS value (enum names bare where the type is an enum). */
  literal(value: unknown, type: GraphQLInputType | undefined): string {
    const named = type ? getNamedType(type) : undefined;
    if (value === null || value === undefined) return "null";
    if (Array.isArray(value)) {
      const inner = type && isNonNullType(type) ? type.ofType : type;
      const item = inner && isListType(inner) ? inner.ofType : inner;
      return `[${value.map((v) => this.literal(v, item)).join(", ")}]`;
    }
    if (typeof value === "object") {
      const fields = named && isInputObjectType(named) ? named.getFields() : {};
      return `{ ${Object.entries(value as Record<string, unknown>)
        .map(([k, v]) => `${k}: ${this.literal(v, fields[k]?.type)}`)
        .join(", ")} }`;
    }
    if (typeof value === "string" && named && isEnumType(named) && /^[_A-Za-z][_0-9A-Za-z]*$/.test(value)) return value;
    if (typeof value === "number") return Number.isFinite(value) ? String(value) : "1e999";
    return JSON.stringify(value);
  }

  /**
   * How deep to nest a variable: past the guard's cap, and into the thousands where a recursive walk
   * overflows the stack (a few thousand levels; the fuzz's own JSON.stringify manages 4,000).
   */
  private deepness(): number {
    return this.chance(0.5) ? this.pick([33, 100, 3001, 3999]) : this.g(fc.integer, { min: 30, max: 4000 });
  }

  /** For `after` and `since`: sometimes a real cursor, often a forged one (valid base64url, crafted inside). */
  private forged(field: GraphQLField<unknown, unknown>, arg: GraphQLArgument): string | undefined {
    if (arg.name === "after" && this.chance(0.6)) {
      if (this.chance(0.2)) return this.pick(this.pools.cursors);
      const kind = CURSOR_KIND_OF_FIELD[field.name];
      // Mostly of the list's own kind, so that the crafted values (not the kind) are what is wrong.
      return this.g(() => (kind && this.chance(0.8) ? forgedCursorOf(kind) : forgedCursor));
    }
    if (arg.name === "since" && this.chance(0.7)) return this.g(() => forgedSince);
    return undefined;
  }

  private args(field: GraphQLField<unknown, unknown>): string {
    const parts: string[] = [];
    for (const arg of field.args as readonly GraphQLArgument[]) {
      const required = isNonNullType(arg.type) && arg.defaultValue === undefined;
      if (!(required ? !this.wrong(0.1) : this.chance(0.45))) continue;
      const value = this.forged(field, arg) ?? this.value(arg.type);
      if (this.chance(0.3)) {
        const name = `v${this.varDefs.length}`;
        // The argument's own type; in an invalid operation sometimes a wrong one.
        const declared = this.wrong(0.2) ? this.pick(["String", "Int!", "[ID]", "Boolean"]) : String(arg.type);
        this.varDefs.push(`$${name}: ${declared}`);
        // Sometimes a variable is missing; sometimes it is nested thousands deep.
        if (!this.wrong(0.1)) this.variables[name] = this.chance(0.04) ? nested(this.deepness(), value) : value;
        parts.push(`${arg.name}: $${name}`);
      } else {
        parts.push(`${arg.name}: ${this.literal(value, arg.type)}`);
      }
    }
    if (this.wrong(0.05)) parts.push(`notAnArgument: 1`);
    return parts.length ? `(${parts.join(", ")})` : "";
  }

  private selection(type: GraphQLCompositeType, depth: number): string {
    if (isAbstractType(type)) {
      const chosen = this.schema.getPossibleTypes(type).filter(() => this.chance(0.4));
      const spreads = chosen.map((t) => `... on ${t.name} { ${this.fields(t, depth)} }`);
      return ["id", "__typename", ...spreads].join(" ");
    }
    return this.fields(type as GraphQLObjectType, depth);
  }

  private fields(type: GraphQLObjectType, depth: number): string {
    const all = Object.values(type.getFields());
    const leaves = all.filter((f) => isLeafType(getNamedType(f.type)));
    const candidates = depth >= 4 ? leaves : all;
    const count = 1 + this.g(fc.nat, { max: 3 });
    const out: string[] = [];
    // Distinct fields (the same field twice with other arguments would be a validation error).
    const chosen = new Set<GraphQLField<unknown, unknown>>();
    for (let i = 0; i < count && candidates.length; i++) chosen.add(this.pick(candidates));
    for (const f of chosen) out.push(this.field(f, depth));
    if (!out.length || this.chance(0.1)) out.push("__typename");
    if (this.wrong(0.05)) out.push("notAField");
    if (leaves.length && this.chance(0.05)) {
      const name = `F${this.fragments.length}`;
      this.fragments.push(`fragment ${name} on ${type.name} { ${this.pick(leaves).name} }`);
      out.push(`...${name}`);
    }
    return out.join(" ");
  }

  private field(field: GraphQLField<unknown, unknown>, depth: number): string {
    const alias = this.chance(0.1) ? `al${this.aliases++}: ` : "";
    const named = getNamedType(field.type) as GraphQLNamedType;
    const sub = isLeafType(named) ? "" : ` { ${this.selection(named as GraphQLCompositeType, depth + 1)} }`;
    return `${alias}${field.name}${this.args(field)}${sub}`;
  }

  build(): FuzzOperation {
    const roll = this.g(fc.nat, { max: 99 });
    this.kind = roll < 55 ? "valid" : roll < 90 ? "invalid" : "broken";
    const operationType = this.pick([
      "query",
      "query",
      "query",
      "query",
      "mutation",
      "mutation",
      "subscription",
    ] as const);
    const root =
      operationType === "query"
        ? this.schema.getQueryType()!
        : operationType === "mutation"
          ? this.schema.getMutationType()!
          : this.schema.getSubscriptionType()!;
    const fields = Object.values(root.getFields());
    const count = operationType === "query" ? 1 + this.g(fc.nat, { max: 2 }) : 1;
    const roots = new Set(Array.from({ length: count }, () => this.pick(fields)));
    const body = [...roots].map((f) => this.field(f, 1)).join(" ");
    const name = this.chance(0.5) ? `Fuzz${this.g(fc.nat, { max: 999 })}` : undefined;
    const head = `${operationType}${name ? ` ${name}` : ""}${this.varDefs.length ? `(${this.varDefs.join(", ")})` : ""}`;
    let query = `${head} { ${body} } ${this.fragments.join(" ")}`.trim();
    if (this.kind === "broken") query = this.breakIt(query);
    // Usually the document's own name; in an invalid operation sometimes one it does not have.
    const operationName = this.wrong(0.1) ? "NotInTheDocument" : name && this.chance(0.9) ? name : undefined;
    return { kind: this.kind, operationType, query, variables: this.variables, operationName };
  }

  /** Syntactically broken: truncated, a brace dropped, or junk spliced in. */
  private breakIt(query: string): string {
    const at = this.g(fc.nat, { max: Math.max(0, query.length - 1) });
    const how = this.g(fc.nat, { max: 3 });
    if (how === 0) return query.slice(0, at);
    if (how === 1) return query.replace("}", "");
    if (how === 2)
      return query.slice(0, at) + this.pick(["{", ")", '"', "$", "@", "...", "\u0000", "#"]) + query.slice(at);
    return query.slice(0, at) + this.randomString() + query.slice(at);
  }
}
