import "reflect-metadata";
import type { GraphQLSchema } from "graphql";
import { lexicographicSortSchema, printSchema } from "graphql";
import { GraphQLDateTime } from "graphql-scalars";
import { buildSchema as buildTypeGraphQLSchema } from "type-graphql";
import { resolvers } from "./modules";
import { roleGate } from "./modules/auth/auth-checker";

let cached: GraphQLSchema | undefined;

/** Builds the executable schema from the modules' resolvers (once per process). */
export async function buildSchema(): Promise<GraphQLSchema> {
  cached ??= await buildTypeGraphQLSchema({
    resolvers: [...resolvers],
    scalarsMap: [{ type: Date, scalar: GraphQLDateTime }],
    // Input rules live in the services, which answer BAD_USER_INPUT with a per-field map.
    validate: false,
    // @Authorized(Role.X): role gates that depend on nothing else; data-dependent rules live in the services.
    authChecker: roleGate,
    // Every subscription brings its own `subscribe` (modules/feed); type-graphql still insists on a pubSub.
    pubSub: {
      publish: () => {
        throw new Error("subscriptions are fed by modules/feed, not by type-graphql's pubSub");
      },
      subscribe: () => {
        throw new Error("subscriptions are fed by modules/feed, not by type-graphql's pubSub");
      },
    },
  });
  return cached;
}

/** The schema as SDL, sorted so that the committed file diffs cleanly. */
export async function printSortedSchema(): Promise<string> {
  return printSchema(lexicographicSortSchema(await buildSchema())) + "\n";
}
