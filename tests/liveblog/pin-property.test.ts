/**
 * Concurrent pins, as a property: two editors (and a byline writer) issue random rounds of
 * pinLiveEntry, unpinLiveEntry and deleteLiveEntry, each round's calls at once. Afterwards:
 * - every call answered with data, or NOT_FOUND for an entry deleted before it (never an
 *   internal error: the one-pinned index is never what stops a second pin);
 * - at most one entry of the blog is pinned, and a fresh query's pinnedEntry is that one;
 * - the liveBlog stream's events, both as a subscriber saw them live and as they are replayed
 *   from before the blog's first entry, reduce to that same pinned state; the replay is exactly
 *   the log's events (compacted for deleted entries) in log order.
 */
import fc from "fast-check";
import {
  LiveAddDocument,
  LiveBlogPageDocument,
  LiveBlogStreamDocument,
  LiveDeleteDocument,
  LiveFeedCursorDocument,
  LivePinDocument,
  LiveStartDocument,
  LiveUnpinDocument,
  type LiveBlogStreamSubscription,
} from "../generated/graphql";
import { toGlobalId } from "../../src/shared/node-id";
import type { Stream } from "../support/feed-client";
import { ClientPool, waitFor, waitForListeners } from "../support/feed-client";
import { codes, dbId, ok, publishedArticle } from "../support/feed-fixtures";
import type { TestServer } from "../support/server";
import { startTestServer } from "../support/server";

let server: TestServer;
let pool: ClientPool;
let actors: string[];

beforeAll(async () => {
  server = await startTestServer({ commentRateLimit: 100_000 });
  pool = new ClientPool(() => server.url);
  actors = [
    await server.token("pin-editor-1", "EDITOR"),
    await server.token("pin-editor-2", "EDITOR"),
    await server.token("pin-writer", "WRITER"),
  ];
});
afterEach(() => pool.closeAll(server));
afterAll(() => server?.stop());

const ENTRIES = 4;
const op = fc.record({
  actor: fc.integer({ min: 0, max: 2 }),
  kind: fc.constantFrom("pin", "pin", "pin", "unpin", "delete"),
  entry: fc.integer({ min: 0, max: ENTRIES - 1 }),
});
const rounds = fc.array(fc.array(op, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 5 });

type Event = LiveBlogStreamSubscription["liveBlog"];

/** The pinned entry the events leave (PINNED sets it; UNPINNED or DELETED of it clears it). */
function reduce(events: Event[]): string | null {
  let pinned: string | null = null;
  for (const e of events) {
    if (e.kind === "PINNED") pinned = e.entryId;
    else if ((e.kind === "UNPINNED" || e.kind === "DELETED") && pinned === e.entryId) pinned = null;
  }
  return pinned;
}

/** The stream's values up to (without) the ADDED of `sentinel`, once it arrived. */
async function until(stream: Stream<LiveBlogStreamSubscription>, sentinel: string): Promise<Event[]> {
  await waitFor(
    () => stream.values.some((v) => v.liveBlog.entryId === sentinel),
    () => `the sentinel ${sentinel}; ${stream.summary()}`,
  );
  const values = stream.values.map((v) => v.liveBlog);
  const at = values.findIndex((v) => v.entryId === sentinel);
  expect(values[at]!.kind).toBe("ADDED");
  return values.slice(0, at);
}

test("random interleavings of pin, unpin and delete leave at most one pinned entry, and the stream agrees", async () => {
  await fc.assert(
    fc.asyncProperty(rounds, async (plan) => {
      const article = await publishedArticle(server, actors[0]!, { authorSlugs: ["pin-writer"] });
      ok(await server.request(LiveStartDocument, { articleId: article.id }, { token: actors[0] }));
      const start = ok(await server.request(LiveFeedCursorDocument, {})).feedCursor;
      const entries: string[] = [];
      for (let i = 0; i < ENTRIES; i++) {
        const res = await server.request(
          LiveAddDocument,
          { input: { articleId: article.id, body: `Candidate ${i}` } },
          { token: actors[i % 2] },
        );
        entries.push(ok(res).addLiveEntry.id);
      }
      const live = pool.client().subscribe(LiveBlogStreamDocument, { articleId: article.id });
      await waitForListeners(server, 1);

      const deleted = new Set<string>();
      for (const round of plan) {
        const results = await Promise.all(
          round.map(({ actor, kind, entry }) => {
            const id = entries[entry]!;
            const token = actors[actor];
            // The byline writer deletes only their own entries (none here): it pins and unpins.
            if (kind === "pin") return server.request(LivePinDocument, { id }, { token });
            if (kind === "unpin") return server.request(LiveUnpinDocument, { id }, { token });
            return server.request(LiveDeleteDocument, { id }, { token: actors[actor % 2] });
          }),
        );
        round.forEach(({ kind, entry }, i) => {
          const res = results[i]!;
          const id = entries[entry]!;
          if (res.errors?.length) {
            // Refused only because the entry was deleted before (in an earlier round or this one).
            expect(codes(res)).toEqual(["NOT_FOUND"]);
            expect(deleted.has(id) || round.some((o) => o.kind === "delete" && o.entry === entry)).toBe(true);
          } else {
            expect(res.status).toBe(200);
          }
          if (kind === "delete" && !res.errors?.length) deleted.add(id);
        });
      }

      const pinnedRows = await server.db.query<{ id: number }>(
        "SELECT id FROM live_entries WHERE article_id = $1 AND is_pinned",
        [dbId(article.id)],
      );
      expect(pinnedRows.length).toBeLessThanOrEqual(1);
      const pinned = pinnedRows[0] ? toGlobalId("LiveEntry", pinnedRows[0].id) : null;
      const fresh = ok(await server.request(LiveBlogPageDocument, { id: article.id, first: 50 })).article!;
      expect(fresh.pinnedEntry?.id ?? null).toBe(pinned);
      expect(fresh.liveEntries.nodes.filter((n) => n.isPinned).map((n) => n.id)).toEqual(pinned ? [pinned] : []);

      const sentinel = ok(
        await server.request(
          LiveAddDocument,
          { input: { articleId: article.id, body: "Sentinel" } },
          { token: actors[0] },
        ),
      ).addLiveEntry.id;
      expect(reduce(await until(live, sentinel))).toBe(pinned);

      const replayStream = pool.client().subscribe(LiveBlogStreamDocument, { articleId: article.id, since: start });
      const replay = await until(replayStream, sentinel);
      expect(replay.every((e) => e.replayed)).toBe(true);
      expect(reduce(replay)).toBe(pinned);
      // Exactly the log's events of this blog, in order, with those of deleted entries compacted to the DELETED.
      const log = await server.db.query<{ kind: string; entry_id: number; deleted: boolean }>(
        `SELECT e.kind, e.entry_id, l.deleted_at IS NOT NULL AS deleted FROM feed_events e
         JOIN live_entries l ON l.id = e.entry_id
         WHERE e.article_id = $1 AND e.entry_id IS NOT NULL AND l.id <> $2 ORDER BY e.id`,
        [dbId(article.id), dbId(sentinel)],
      );
      const expected = log
        .filter((r) => r.kind === "LIVE_ENTRY_DELETED" || !r.deleted)
        .map((r) => [r.kind.replace("LIVE_ENTRY_", ""), toGlobalId("LiveEntry", r.entry_id)]);
      expect(replay.map((e) => [e.kind, e.entryId])).toEqual(expected);
      await pool.closeAll(server);
    }),
    { numRuns: 12 },
  );
}, 300_000);
