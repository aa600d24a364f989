import type { DocumentNode, GraphQLCompositeType, GraphQLSchema, SelectionSetNode } from "graphql";
import { Kind, getNamedType, isCompositeType } from "graphql";

/**
 * Cache hints by type and field, in seconds: how long a CDN may keep an
 * anonymous response (s-maxage). A response's age is the smallest hint of
 * what it selects. The server's own cache is purged exactly on writes, so it
 * may keep entries longer (RESPONSE_CACHE_TTL_SECONDS).
 */
export const CACHE_HINTS: Record<string, number> = {
  "Query.article": 60,
  "Query.articles": 30,
  "Query.search": 60,
  "Query.node": 60,
  "Query.author": 300,
  "Query.authors": 300,
  "Query.topic": 300,
  "Query.topics": 300,
  "Query.viewer": 0,
  // A position, not content: a cached one would make a stream replay what the reader already has.
  "Query.feedCursor": 0,
  "Query.pendingComments": 0,
  // A draft preview is read for its token's holder only, and must stop the moment it is revoked.
  "Query.articlePreview": 0,
  "Query.articlePreviews": 0,
  // Live blogs change by the minute; the server's own cache is purged on every entry write.
  LiveEntry: 10,
  "Article.liveEntries": 10,
  "Article.pinnedEntry": 10,
  Comment: 30,
  "Article.comments": 30,
  "Article.commentCount": 30,
};
export const DEFAULT_MAX_AGE = 60;

/** The max-age of an operation's response: the minimum hint over its selected types and fields. */
export function maxAgeOf(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
): number {
  const fragments = new Map(
    document.definitions.flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d] as const] : [])),
  );
  const operation = document.definitions.find(
    (d) => d.kind === Kind.OPERATION_DEFINITION && (!operationName || d.name?.value === operationName),
  );
  if (!operation || operation.kind !== Kind.OPERATION_DEFINITION || operation.operation !== "query") return 0;
  let age = DEFAULT_MAX_AGE;
  const seen = new Set<string>();
  const walk = (set: SelectionSetNode, parent: GraphQLCompositeType) => {
    for (const sel of set.selections) {
      if (sel.kind === Kind.FIELD) {
        if (sel.name.value.startsWith("__") || !("getFields" in parent)) continue;
        const field = parent.getFields()[sel.name.value];
        if (!field) continue;
        const hint = CACHE_HINTS[`${parent.name}.${field.name}`];
        if (hint !== undefined) age = Math.min(age, hint);
        const type = getNamedType(field.type);
        const typeHint = CACHE_HINTS[type.name];
        if (typeHint !== undefined) age = Math.min(age, typeHint);
        if (sel.selectionSet && isCompositeType(type)) walk(sel.selectionSet, type);
      } else if (sel.kind === Kind.INLINE_FRAGMENT) {
        const type = sel.typeCondition ? schema.getType(sel.typeCondition.name.value) : parent;
        walk(sel.selectionSet, (type && isCompositeType(type) ? type : parent) as GraphQLCompositeType);
      } else {
        const fragment = fragments.get(sel.name.value);
        if (!fragment || seen.has(sel.name.value)) continue;
        seen.add(sel.name.value);
        const type = schema.getType(fragment.typeCondition.name.value);
        walk(fragment.selectionSet, (type && isCompositeType(type) ? type : parent) as GraphQLCompositeType);
      }
    }
  };
  walk(operation.selectionSet, schema.getQueryType()!);
  return age;
}
