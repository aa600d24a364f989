/**
 * Writes that cause live-feed events, through the public API (so that they go
 * through the same transactions and feed_events rows as production traffic).
 */
import { print } from "graphql";
import type { Queryable } from "../../src/db/database";
import type { Position } from "../../src/modules/feed/feed-position";
import { parseGlobalId } from "../../src/shared/node-id";
import {
  FeedAddCommentDocument,
  FeedCreateArticleDocument,
  FeedPublishArticleDocument,
  type AddCommentInput,
  type CreateArticleInput,
} from "../generated/graphql";
import { waitFor } from "./feed-client";
import type { GraphQLResult, RequestOptions } from "./server";
import type { TypedDocumentNode } from "@graphql-typed-document-node/core";

/** Anything that runs typed operations over HTTP: a TestServer, or a client of a server process. */
export interface Requester {
  request<R, V>(doc: TypedDocumentNode<R, V>, variables?: V, options?: RequestOptions): Promise<GraphQLResult<R>>;
}

let sequence = 0;
/** A value nobody else in this process has used. */
export function unique(prefix: string): string {
  sequence += 1;
  return `${prefix}-${process.pid}-${sequence}`;
}

/** Asserts a successful response and returns its data. */
export function ok<R>(res: GraphQLResult<R>): R {
  if (res.errors?.length) throw new Error(`unexpected errors: ${JSON.stringify(res.errors)}`);
  expect(res.status).toBe(200);
  return res.data!;
}

/** The error codes of a response, in order. */
export const codes = (res: { errors?: { extensions?: Record<string, any> }[] }) =>
  (res.errors ?? []).map((e) => e.extensions?.code);

/** The database id inside a global id. */
export function dbId(globalId: string): number {
  const parsed = parseGlobalId(globalId);
  if (!parsed) throw new Error(`not a global id: ${globalId}`);
  return parsed.id;
}

/** A valid addComment input with a unique body and email (identical repeats would be held as spam). */
export function commentInput(articleId: string, overrides: Partial<AddCommentInput> = {}): AddCommentInput {
  const tag = unique("c");
  return {
    articleId,
    authorName: `Reader ${tag}`,
    email: `${tag}@example.com`,
    body: `Comment ${tag}`,
    ...overrides,
  };
}

/** Posts a comment (anonymously) and returns it; fails on any error. */
export async function postComment(api: Requester, articleId: string, overrides: Partial<AddCommentInput> = {}) {
  return ok(await api.request(FeedAddCommentDocument, { input: commentInput(articleId, overrides) })).addComment
    .comment;
}

/** A DRAFT created by the editor. */
export async function draftArticle(api: Requester, editorToken: string, input: Partial<CreateArticleInput> = {}) {
  const tag = unique("a");
  return ok(
    await api.request(
      FeedCreateArticleDocument,
      { input: { title: `Feed article ${tag}`, body: `Body of ${tag}.`, ...input } },
      { token: editorToken },
    ),
  ).createArticle;
}

/** A draft published at once by the editor (this emits articlePublished). */
export async function publishedArticle(api: Requester, editorToken: string, input: Partial<CreateArticleInput> = {}) {
  const article = await draftArticle(api, editorToken, input);
  const published = ok(
    await api.request(FeedPublishArticleDocument, { id: article.id }, { token: editorToken }),
  ).publishArticle;
  expect(published.status).toBe("PUBLISHED");
  return article;
}

/** Rows of feed_events as the feed log stores them. */
export interface FeedLogRow {
  id: string;
  kind: string;
  article_id: number;
  comment_id: number | null;
}

/** The feed_events rows about a comment (by global id), in log order. */
export async function feedRowsOfComment(db: Queryable, commentId: string): Promise<FeedLogRow[]> {
  return db.query<FeedLogRow>(
    `SELECT e.id::text AS id, e.kind, e.article_id, e.comment_id FROM feed_events e WHERE e.comment_id = $1 ORDER BY e.id`,
    [dbId(commentId)],
  );
}

/** The feed_events rows about an article itself (not its comments), in log order. */
export async function feedRowsOfArticle(db: Queryable, articleId: string): Promise<FeedLogRow[]> {
  return db.query<FeedLogRow>(
    `SELECT e.id::text AS id, e.kind, e.article_id, e.comment_id FROM feed_events e
     WHERE e.article_id = $1 AND e.comment_id IS NULL ORDER BY e.id`,
    [dbId(articleId)],
  );
}

/*
 * Cursors and positions are computed here, not with src/modules/feed/feed-position.ts: an oracle that uses the
 * implementation's encode, decode or compare shares its bugs (a lexicographic compare would order the expected
 * values the same wrong way). A cursor is base64url of "e:<feed_events.id>"; ids compare as integers.
 */

/** The position of a feed_events row. */
export const positionOf = (row: { id: string }): Position => ({ id: BigInt(row.id) });

/** The cursor the server issues for a feed_events row. */
export const cursorOf = (row: { id: string }) => Buffer.from(`e:${BigInt(row.id)}`).toString("base64url");

/** The feed_events id a cursor names. */
export function eventIdOf(cursor: string): bigint {
  const match = /^e:(\d+)$/.exec(Buffer.from(cursor, "base64url").toString("utf8"));
  if (!match || Buffer.from(`e:${match[1]}`).toString("base64url") !== cursor)
    throw new Error(`not a cursor: ${cursor}`);
  return BigInt(match[1]!);
}

/** Compares two cursors in log order (negative when a comes first), as integers. */
export const compareCursors = (a: string, b: string) => {
  const [x, y] = [eventIdOf(a), eventIdOf(b)];
  return x === y ? 0 : x < y ? -1 : 1;
};

/** Waits until the server's dispatcher has read past a feed_events row (waking it while it has not). */
export async function dispatchedPast(
  server: { services: { feedDispatcher: { position: Position; wake(): Promise<void> } } },
  row: { id: string },
): Promise<void> {
  const target = positionOf(row);
  await waitFor(
    async () => {
      if (server.services.feedDispatcher.position.id >= target.id) return true;
      await server.services.feedDispatcher.wake();
      return server.services.feedDispatcher.position.id >= target.id;
    },
    () => `the dispatcher to read past event ${row.id}`,
  );
}

/** Typed operations over HTTP against any server URL (e.g. a server process). */
export function httpRequester(url: () => string): Requester {
  return {
    async request(doc, variables, options = {}) {
      const res = await fetch(url(), {
        method: "POST",
        headers: {
          "content-type": "application/json",
          accept: "application/graphql-response+json, application/json",
          ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
          ...options.headers,
        },
        body: JSON.stringify({ query: print(doc), variables }),
      });
      const json = (await res.json()) as { data?: any; errors?: any };
      return { status: res.status, data: json.data, errors: json.errors, headers: res.headers };
    },
  };
}

/** A `pg` client as a Queryable (rows only). */
export const queryable = (client: { query(sql: string, params?: unknown[]): Promise<{ rows: any[] }> }): Queryable => ({
  query: async (sql, params) => (await client.query(sql, params)).rows,
});

/**
 * Waits until the dispatcher is not reading. (It reads the private `running`
 * promise: wake() cannot tell, since calling it during a read queues another.)
 */
export async function dispatcherIdle(server: { services: { feedDispatcher: object } }): Promise<void> {
  const dispatcher = server.services.feedDispatcher as { running?: Promise<void> };
  await waitFor(
    () => dispatcher.running === undefined,
    () => "the feed dispatcher to finish reading",
  );
}

/** The body of the i-th (1-based) comment written by bulkPublicComments under `label`: sorts as text and as a number. */
export const bulkBody = (label: string, i: number) => `${label} #${String(i).padStart(6, "0")}`;

/**
 * Writes `count` approved comments on an article and appends one COMMENT_PUBLIC
 * event for each, in body order, all in ONE transaction (a single DO block)
 * and without waking any dispatcher: a reader then finds them all at once,
 * more than one read batch of them. Test data only: production writes go
 * through the services. The expected order is the bodies', computed by the
 * test, never by the implementation's position code.
 */
export async function bulkPublicComments(db: Queryable, articleDbId: number, count: number, label: string) {
  if (!/^[A-Za-z0-9 -]+$/.test(label) || !Number.isInteger(articleDbId) || !Number.isInteger(count)) {
    throw new Error("bulkPublicComments: plain labels and integers only (they are inlined into the DO block)");
  }
  await db.query(`DO $$
    DECLARE c integer;
    BEGIN
      FOR i IN 1..${count} LOOP
        INSERT INTO comments (article_id, author_name, email, body, status)
          VALUES (${articleDbId}, 'Bulk reader', 'bulk-reader@example.com', '${label} #' || lpad(i::text, 6, '0'), 'APPROVED')
          RETURNING id INTO c;
        PERFORM newsgraph_feed_append('COMMENT_PUBLIC', ${articleDbId}, c);
      END LOOP;
    END $$`);
  return Array.from({ length: count }, (_, i) => bulkBody(label, i + 1));
}

/** The log's highest event id, as the database says it (0 when empty). */
export async function logHead(db: Queryable): Promise<bigint> {
  const [row] = await db.query<{ head: string }>("SELECT coalesce(max(e.id), 0)::text AS head FROM feed_events e");
  return BigInt(row!.head);
}

/** feed_events ids and comment bodies of an article's comment events, ordered by the bigint id. */
export async function commentEventIds(db: Queryable, articleDbId: number) {
  return db.query<{ id: string; body: string }>(
    `SELECT e.id::text AS id, c.body FROM feed_events e JOIN comments c ON c.id = e.comment_id
     WHERE e.article_id = $1 AND e.kind = 'COMMENT_PUBLIC' ORDER BY e.id`,
    [articleDbId],
  );
}
