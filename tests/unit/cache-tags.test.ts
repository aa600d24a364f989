/**
 * The tag a cached response gets for an entity it read must be the tag a write
 * purges: writes name the entity by its GraphQL type ("Article:7"), so the read
 * side must name it the same way whatever its class is called. Every entity
 * that is a GraphQL object type is checked, through Context.tagged (what the
 * resolvers call) and the Node interface's resolveType (what node(id:) uses).
 */
import "reflect-metadata";
import type { GraphQLInterfaceType, GraphQLResolveInfo } from "graphql";
import { GraphQLObjectType } from "graphql";
import { getMetadataStorage } from "type-graphql";
import { getMetadataArgsStorage } from "typeorm";
import { articleVisibilityChanged, commentVisibilityChanged, liveBlogChanged, Tags } from "../../src/cache/cache-tags";
import { Context } from "../../src/context";
import { entities } from "../../src/modules";
import type { Services } from "../../src/modules/services";
import { buildSchema } from "../../src/schema";
import type { NodeType } from "../../src/shared/node-id";

type EntityClass = new () => object;

/** The entities with a dbId that the schema shows as object types, with their GraphQL names. */
async function taggedEntities(): Promise<{ entity: EntityClass; typeName: string }[]> {
  const schema = await buildSchema();
  const columns = getMetadataArgsStorage().columns;
  return (entities as EntityClass[])
    .filter((entity) => columns.some((c) => c.target === entity && c.propertyName === "dbId"))
    .flatMap((entity) => {
      const meta = getMetadataStorage().objectTypes.find((o) => o.target === entity);
      return meta && schema.getType(meta.name) instanceof GraphQLObjectType ? [{ entity, typeName: meta.name }] : [];
    });
}

function tagsOf(value: unknown): string[] {
  const ctx = new Context({} as Services, null);
  ctx.startTagging();
  ctx.tagged(value);
  return [...ctx.tags!];
}

const withId = (entity: EntityClass, dbId: number) => Object.assign(new entity(), { dbId });

test("the entities checked are the six Node types", async () => {
  expect((await taggedEntities()).map((e) => e.typeName).sort()).toEqual([
    "Article",
    "Author",
    "Comment",
    "Image",
    "LiveEntry",
    "Topic",
  ]);
});

test("every tagged entity is tagged with its GraphQL type name, alone, in a list or in a page", async () => {
  for (const { entity, typeName } of await taggedEntities()) {
    expect(tagsOf(withId(entity, 7))).toEqual([`${typeName}:7`]);
    expect(tagsOf([withId(entity, 1), withId(entity, 2)])).toEqual([`${typeName}:1`, `${typeName}:2`]);
    expect(tagsOf({ nodes: [withId(entity, 3)] })).toEqual([`${typeName}:3`]);
    expect(tagsOf(withId(entity, 7))).toEqual([Tags.entity(typeName as NodeType, 7)]);
  }
});

test("what an article or comment read is tagged with is what its writes purge", async () => {
  const byName = new Map((await taggedEntities()).map((e) => [e.typeName, e.entity]));
  expect(articleVisibilityChanged(7, "a-slug")).toEqual(
    expect.arrayContaining(tagsOf(withId(byName.get("Article")!, 7))),
  );
  expect(commentVisibilityChanged(7, 9)).toEqual(expect.arrayContaining(tagsOf(withId(byName.get("Comment")!, 9))));
  expect(liveBlogChanged(7, 11)).toEqual(expect.arrayContaining(tagsOf(withId(byName.get("LiveEntry")!, 11))));
  // Hiding an article hides its live blog: the entries' lists go with it.
  expect(articleVisibilityChanged(7, "a-slug")).toContain(Tags.liveBlog(7));
});

test("node(id:) resolves each entity to its GraphQL type", async () => {
  const schema = await buildSchema();
  const node = schema.getType("Node") as GraphQLInterfaceType;
  for (const { entity, typeName } of await taggedEntities()) {
    expect(await node.resolveType!(withId(entity, 1), {}, {} as GraphQLResolveInfo, node)).toBe(typeName);
  }
});
