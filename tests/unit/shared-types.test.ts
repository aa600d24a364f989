/**
 * The GraphQL types the shared modules give every list (src/shared/pagination.ts)
 * and the Role enum (src/modules/auth/role.ts), in a schema of their own: the
 * SDL a list of some node type gets, its docs written out here, and a page
 * served through it. (schema-emitted.test.ts compares the whole schema.)
 */
import "reflect-metadata";
import { execute, lexicographicSortSchema, parse, printSchema, type GraphQLSchema } from "graphql";
import { Arg, buildSchema, Field, ID, Int, ObjectType, Query, Resolver } from "type-graphql";
import { Role } from "../../src/modules/auth/role";
import { AFTER_ARG, connectionType, FIRST_ARG } from "../../src/shared/pagination";

@ObjectType({ description: "A probe." })
class Probe {
  @Field(() => ID, { description: "Its id." })
  id: string;
}
const ProbeConnection = connectionType(Probe, "Probe");

@Resolver()
class ProbeResolver {
  @Query(() => ProbeConnection, { description: "Probes." })
  probes(
    @Arg("first", () => Int, { nullable: true, description: FIRST_ARG }) first?: number | null,
    @Arg("after", () => String, { nullable: true, description: AFTER_ARG }) after?: string | null,
  ): InstanceType<typeof ProbeConnection> {
    const nodes = [{ id: "p1" }, { id: "p2" }].slice(0, first ?? 20);
    return new ProbeConnection({
      nodes,
      cursors: nodes.map((n) => `c-${n.id}`),
      hasNextPage: after == null,
      hasPreviousPage: after != null,
      totalCount: () => Promise.resolve(2),
    });
  }

  @Query(() => Role, { description: "A role." })
  role(): Role {
    return Role.EDITOR;
  }
}

let schema: GraphQLSchema;
beforeAll(async () => {
  schema = await buildSchema({ resolvers: [ProbeResolver], validate: false });
});

test("a list's connection, edge and page info types, with their docs", () => {
  expect(printSchema(lexicographicSortSchema(schema)))
    .toBe(`"""Where a page sits in its list (Relay cursor connections)."""
type PageInfo {
  """
  The cursor of the page's last item, to pass as \`after\`; null when the page is empty.
  """
  endCursor: String

  """True when more items follow: ask again with \`after: endCursor\`."""
  hasNextPage: Boolean!

  """
  True when the page was asked for with \`after\`. Lists page forward only.
  """
  hasPreviousPage: Boolean!

  """The cursor of the page's first item; null when it is empty."""
  startCursor: String
}

"""A probe."""
type Probe {
  """Its id."""
  id: ID!
}

"""A page of probes (a Relay connection), in the order the list states."""
type ProbeConnection {
  """The page's items, each with its cursor."""
  edges: [ProbeEdge!]!

  """
  About how many items the whole list holds, for a label such as "about 24,000 results": for search, PostgreSQL's estimate from its statistics, which reads no matching row (fast on any archive; it can be off, most for rare words); exact for the other lists. Never below what the page shows; exact when one page holds the whole list. totalCount is always exact.
  """
  estimatedTotalCount: Int!

  """The page's items, without cursors: the same as edges' nodes."""
  nodes: [Probe!]!

  """Whether more follow, and the cursors to continue."""
  pageInfo: PageInfo!

  """
  How many items the whole list holds, across every page (counted only when selected).
  """
  totalCount: Int!
}

"""One probe of a page, with its cursor."""
type ProbeEdge {
  """Pass as \`after\` to continue after this item."""
  cursor: String!

  """The probe."""
  node: Probe!
}

type Query {
  """Probes."""
  probes(
    """
    Continue after this cursor: the previous page's pageInfo.endCursor (or an edge's cursor) from this same list; a malformed or foreign cursor is BAD_USER_INPUT.
    """
    after: String

    """How many items: 20 when not given, 0 to 100 (more is BAD_USER_INPUT)."""
    first: Int
  ): ProbeConnection!

  """A role."""
  role: Role!
}

"""
What a token may do: WRITER, then EDITOR, then ADMIN, each with every right of the roles below it.
"""
enum Role {
  """Everything an editor may do."""
  ADMIN

  """
  Also edits, publishes, unpublishes and archives any article, and moderates comments.
  """
  EDITOR

  """
  Creates drafts, edits their own drafts, and sees the unpublished articles in their byline.
  """
  WRITER
}`);
});

test("a page served through the types", async () => {
  const result = await execute({
    schema,
    document: parse(`{
      first: probes(first: 1) { edges { cursor node { id } } nodes { id } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } totalCount }
      next: probes(after: "c-p1") { pageInfo { hasNextPage hasPreviousPage } }
      role
    }`),
  });
  expect(result).toEqual({
    data: {
      first: {
        edges: [{ cursor: "c-p1", node: { id: "p1" } }],
        nodes: [{ id: "p1" }],
        pageInfo: { hasNextPage: true, hasPreviousPage: false, startCursor: "c-p1", endCursor: "c-p1" },
        totalCount: 2,
      },
      next: { pageInfo: { hasNextPage: false, hasPreviousPage: true } },
      role: "EDITOR",
    },
  });
});
