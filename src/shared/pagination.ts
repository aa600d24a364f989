import { ClassType, Field, Int, ObjectType } from "type-graphql";
import { BadInputError } from "./errors";

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

/** The docs of every list's `first` and `after` arguments, so that each list states the same rules. */
export const FIRST_ARG = `How many items: ${DEFAULT_PAGE_SIZE} when not given, 0 to ${MAX_PAGE_SIZE} (more is BAD_USER_INPUT).`;
export const AFTER_ARG =
  "Continue after this cursor: the previous page's pageInfo.endCursor (or an edge's cursor) from this same " +
  "list; a malformed or foreign cursor is BAD_USER_INPUT.";

/** Keyset position: the sort key values of the last row seen, then its id. */
export type KeyValue = string | number;
export type Keyset = readonly KeyValue[];

/** What a keyset query needs: how many rows, and where to start (exclusive). */
export interface PageRequest {
  first: number;
  after: Keyset | null;
}

/**
 * What each key of a cursor holds, so that a decoded cursor carries only values its statement
 * accepts: a forged one that PostgreSQL would refuse (a date it cannot hold, an id past int4, a rank
 * past real) is BAD_USER_INPUT, never a failed statement.
 */
export type KeyType = "timestamp" | "id" | "rank" | "text";

/** A kind of cursor: its name (which ties a cursor to the list it came from) and its keys. */
export interface CursorKind {
  readonly name: string;
  readonly keys: readonly KeyType[];
}

export const cursorKind = (name: string, ...keys: KeyType[]): CursorKind => ({ name, keys });

const INT4_MAX = 2_147_483_647;
/** The largest float4 (PostgreSQL real); a nonzero value below 1e-45 rounds to 0, which real refuses. */
const REAL_MAX = 3.4028234e38;
const REAL_MIN = 1e-45;
/** What Date.toISOString() writes for years 1 to 9999 (PostgreSQL has no year 0). */
const ISO_TIMESTAMP = /^(?!0000)\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

const validKey: Record<KeyType, (value: unknown) => boolean> = {
  timestamp: (v) => typeof v === "string" && ISO_TIMESTAMP.test(v) && new Date(v).toISOString() === v,
  id: (v) => Number.isInteger(v) && (v as number) >= 1 && (v as number) <= INT4_MAX,
  rank: (v) => typeof v === "number" && (v === 0 || (v >= REAL_MIN && v <= REAL_MAX)),
  text: (v) => typeof v === "string" && !v.includes("\u0000"),
};

/** Validates Relay forward-pagination arguments. `kind` ties a cursor to the list it came from. */
export function pageRequest(
  first: number | null | undefined,
  after: string | null | undefined,
  kind: CursorKind,
): PageRequest {
  const size = first ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(size) || size < 0) throw new BadInputError({ first: "must be 0 or more" });
  if (size > MAX_PAGE_SIZE) throw new BadInputError({ first: `must be at most ${MAX_PAGE_SIZE}` });
  return { first: size, after: after == null ? null : decodeCursor(after, kind, "after") };
}

export function encodeCursor(kind: CursorKind, keys: Keyset): string {
  return Buffer.from(JSON.stringify([kind.name, ...keys])).toString("base64url");
}

/** Decodes a cursor of the given kind, every key checked against its type, or throws BAD_USER_INPUT naming `field`. */
export function decodeCursor(cursor: string, kind: CursorKind, field: string): Keyset {
  const bad = () => new BadInputError({ [field]: "malformed or foreign cursor" });
  if (cursor.length > 512 || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw bad();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    throw bad();
  }
  if (!Array.isArray(parsed) || parsed[0] !== kind.name || parsed.length !== kind.keys.length + 1) throw bad();
  const keys = parsed.slice(1);
  if (!keys.every((k, i) => validKey[kind.keys[i]!](k))) throw bad();
  return keys as Keyset;
}

/** The shared, storage-independent result of a keyset query. */
export interface Page<T> {
  nodes: T[];
  cursors: string[];
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  totalCount: () => Promise<number>;
  /**
   * About how many: a figure that costs no scan of the matches (search: the planner's estimate).
   * Absent: the exact count serves (lists whose count is cheap).
   */
  estimatedCount?: () => Promise<number>;
}

/**
 * Builds a Page from rows fetched with LIMIT first + 1: the extra row only says
 * whether there is a next page.
 */
export function toPage<T>(
  rows: T[],
  request: PageRequest,
  kind: CursorKind,
  keyOf: (row: T) => Keyset,
  totalCount: () => Promise<number>,
  estimatedCount?: () => Promise<number>,
): Page<T> {
  const nodes = rows.slice(0, request.first);
  return {
    nodes,
    cursors: nodes.map((n) => encodeCursor(kind, keyOf(n))),
    hasNextPage: rows.length > request.first,
    hasPreviousPage: request.after !== null,
    totalCount,
    ...(estimatedCount ? { estimatedCount } : {}),
  };
}

/**
 * An estimate kept consistent with what the page itself shows: a first page that is the whole list
 * is its exact size (no estimate asked), and no estimate is below the items the page proves exist.
 */
export async function boundedEstimate<T>(page: Page<T>): Promise<number> {
  const shown = page.nodes.length + (page.hasNextPage ? 1 : 0);
  if (!page.hasPreviousPage && !page.hasNextPage) return page.nodes.length;
  const estimate = await (page.estimatedCount ?? page.totalCount)();
  return Math.max(estimate, shown);
}

@ObjectType({ simpleResolvers: true, description: "Where a page sits in its list (Relay cursor connections)." })
export class PageInfo {
  @Field({ description: "True when more items follow: ask again with `after: endCursor`." })
  hasNextPage: boolean;

  @Field({ description: "True when the page was asked for with `after`. Lists page forward only." })
  hasPreviousPage: boolean;

  @Field(() => String, { nullable: true, description: "The cursor of the page's first item; null when it is empty." })
  startCursor: string | null;

  @Field(() => String, {
    nullable: true,
    description: "The cursor of the page's last item, to pass as `after`; null when the page is empty.",
  })
  endCursor: string | null;
}

export interface Connection<T> {
  edges: { cursor: string; node: T }[];
  nodes: T[];
  pageInfo: PageInfo;
  readonly totalCount: Promise<number>;
}

/** Creates the `XConnection` and `XEdge` object types of the Relay spec for a node type. */
export function connectionType<T extends object>(
  node: ClassType<T>,
  name: string,
): new (page: Page<T>) => Connection<T> {
  const noun = name.toLowerCase();
  @ObjectType(`${name}Edge`, { simpleResolvers: true, description: `One ${noun} of a page, with its cursor.` })
  class Edge {
    @Field({ description: "Pass as `after` to continue after this item." })
    cursor: string;

    @Field(() => node, { description: `The ${noun}.` })
    node: T;
  }

  @ObjectType(`${name}Connection`, {
    simpleResolvers: true,
    description: `A page of ${noun}s (a Relay connection), in the order the list states.`,
  })
  class ConnectionImpl implements Connection<T> {
    @Field(() => [Edge], { description: "The page's items, each with its cursor." })
    edges: Edge[];

    @Field(() => [node], { description: "The page's items, without cursors: the same as edges' nodes." })
    nodes: T[];

    @Field(() => PageInfo, { description: "Whether more follow, and the cursors to continue." })
    pageInfo: PageInfo;

    /** Counted only when asked for. */
    @Field(() => Int, {
      description: "How many items the whole list holds, across every page (counted only when selected).",
    })
    get totalCount(): Promise<number> {
      return this.page.totalCount();
    }

    @Field(() => Int, {
      description:
        'About how many items the whole list holds, for a label such as "about 24,000 results": for search, ' +
        "PostgreSQL's estimate from its statistics, which reads no matching row (fast on any archive; it can be " +
        "off, most for rare words); exact for the other lists. Never below what the page shows; exact when one " +
        "page holds the whole list. totalCount is always exact.",
    })
    get estimatedTotalCount(): Promise<number> {
      return boundedEstimate(this.page);
    }

    constructor(private readonly page: Page<T>) {
      this.nodes = page.nodes;
      this.edges = page.nodes.map((n, i) => ({ cursor: page.cursors[i]!, node: n }));
      this.pageInfo = {
        hasNextPage: page.hasNextPage,
        hasPreviousPage: page.hasPreviousPage,
        startCursor: page.cursors[0] ?? null,
        endCursor: page.cursors[page.cursors.length - 1] ?? null,
      };
    }
  }
  return ConnectionImpl;
}
