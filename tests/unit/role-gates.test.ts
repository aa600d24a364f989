/**
 * The role gates at the schema edge (@Authorized and the schema's authChecker),
 * without a server: each gated root field refuses anonymous callers
 * (UNAUTHENTICATED) and lower roles (FORBIDDEN) with the one role wording
 * before its resolver, or a subscription's subscribe, reaches the service;
 * callers with the role get through. Subscriptions go through sharedSubscribe,
 * the function graphql-ws calls.
 */
import type { ExecutionResult, GraphQLSchema } from "graphql";
import { execute, parse } from "graphql";
import { buildSchema } from "../../src/schema";
import { roleGate } from "../../src/modules/auth/auth-checker";
import { Role } from "../../src/modules/auth/role";
import type { Viewer } from "../../src/modules/auth/viewer";
import { sharedSubscribe } from "../../src/modules/feed/shared-execution";
import { toGlobalId } from "../../src/shared/node-id";

const article = toGlobalId("Article", 1);
const comment = toGlobalId("Comment", 1);

/** Each gated root field, the service method behind it, and the least role it takes. */
const MUTATIONS: [string, string, Role, string][] = [
  [
    "publishArticle",
    "articleEditor.publish",
    Role.EDITOR,
    `mutation { publishArticle(id: "${article}") { __typename } }`,
  ],
  [
    "unpublishArticle",
    "articleEditor.unpublish",
    Role.EDITOR,
    `mutation { unpublishArticle(id: "${article}") { __typename } }`,
  ],
  [
    "archiveArticle",
    "articleEditor.archive",
    Role.EDITOR,
    `mutation { archiveArticle(id: "${article}") { __typename } }`,
  ],
  [
    "moderateComment",
    "commentWrite.moderate",
    Role.EDITOR,
    `mutation { moderateComment(id: "${comment}", status: APPROVED) { __typename } }`,
  ],
  [
    "createArticle",
    "articleEditor.create",
    Role.WRITER,
    `mutation { createArticle(input: { title: "T", body: "B" }) { __typename } }`,
  ],
  [
    "updateArticle",
    "articleEditor.update",
    Role.WRITER,
    `mutation { updateArticle(id: "${article}", input: { title: "T" }) { __typename } }`,
  ],
];

const viewerWith = (role: Role): Viewer => ({ authorId: 7, role, tokenId: 9 });
const callers: [string, Viewer | null][] = [
  ["anonymous", null],
  ["WRITER", viewerWith(Role.WRITER)],
  ["EDITOR", viewerWith(Role.EDITOR)],
  ["ADMIN", viewerWith(Role.ADMIN)],
];
const RANK = { WRITER: 1, EDITOR: 2, ADMIN: 3 } as const;

/** A context whose services are spies: what reached them is what the gate let through. */
function contextFor(viewer: Viewer | null) {
  const calls: string[] = [];
  const spy = (name: string, value: () => unknown) => () => {
    calls.push(name);
    return value();
  };
  const row = () => Promise.resolve({ dbId: 1 });
  const stream = () => Promise.resolve((async function* () {})());
  const services = {
    articleEditor: Object.fromEntries(
      ["publish", "unpublish", "archive", "create", "update"].map((m) => [m, spy(`articleEditor.${m}`, row)]),
    ),
    commentWrite: { moderate: spy("commentWrite.moderate", row) },
    feed: { moderationQueue: spy("feed.moderationQueue", stream) },
  };
  return { context: { viewer, services }, calls };
}

const refusal = (least: Role, viewer: Viewer | null) => [
  [viewer ? "FORBIDDEN" : "UNAUTHENTICATED", `This needs the ${least} role or better`],
];
const errorsOf = (result: ExecutionResult) =>
  (result.errors ?? []).map((e) => [e.extensions.code, e.message] as [unknown, string]);

let schema: GraphQLSchema;
beforeAll(async () => {
  schema = await buildSchema();
});

describe.each(MUTATIONS)("%s", (field, method, least, query) => {
  test.each(callers)("%s", async (_who, viewer) => {
    const { context, calls } = contextFor(viewer);
    const result = await execute({ schema, document: parse(query), contextValue: context });
    if (viewer && RANK[viewer.role] >= RANK[least]) {
      expect(errorsOf(result)).toEqual([]);
      expect(calls).toEqual([method]);
    } else {
      expect(errorsOf(result)).toEqual(refusal(least, viewer));
      expect(result.errors![0]!.path).toEqual([field]);
      expect(calls).toEqual([]);
    }
  });
});

describe("moderationQueue, subscribed as graphql-ws does", () => {
  test.each(callers)("%s", async (_who, viewer) => {
    const { context, calls } = contextFor(viewer);
    const result = await sharedSubscribe({
      schema,
      document: parse("subscription { moderationQueue { __typename } }"),
      contextValue: context,
    });
    if (viewer && RANK[viewer.role] >= RANK[Role.EDITOR]) {
      expect(Symbol.asyncIterator in result).toBe(true);
      expect(calls).toEqual(["feed.moderationQueue"]);
    } else {
      const refused = result as ExecutionResult;
      expect(errorsOf(refused)).toEqual(refusal(Role.EDITOR, viewer));
      expect(refused.errors![0]!.path).toEqual(["moderationQueue"]);
      expect(calls).toEqual([]);
    }
  });
});

test("@Authorized with several roles means the lowest of them or better; with none, any token", () => {
  const gate = (viewer: Viewer | null, roles: Role[]) => {
    try {
      return roleGate({ context: { viewer }, root: undefined, args: {}, info: undefined as never }, roles);
    } catch (error) {
      return `${(error as { extensions: { code: string } }).extensions.code}: ${(error as Error).message}`;
    }
  };
  expect(gate(viewerWith(Role.WRITER), [Role.ADMIN, Role.EDITOR])).toBe(
    "FORBIDDEN: This needs the EDITOR role or better",
  );
  expect(gate(viewerWith(Role.EDITOR), [Role.ADMIN, Role.EDITOR])).toBe(true);
  expect(gate(null, [])).toBe("UNAUTHENTICATED: This needs the WRITER role or better");
  expect(gate(viewerWith(Role.WRITER), [])).toBe(true);
});
