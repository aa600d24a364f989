/**
 * Cursors of liveBlog and commentThread are resumable across instances (PostgreSQL only: PGlite
 * serves one process). Two server processes share one database and a private Redis, with the
 * poll timer off (they hear of each other's writes only through Redis). A reader of instance A
 * disconnects; edits, deletions and rejections are made through instance B; the reader resumes
 * on B with the cursor A gave it and receives exactly what it missed, then live events written
 * through A.
 */
import { execFile } from "node:child_process";
import { join } from "node:path";
import {
  FeedAddCommentDocument,
  FeedModerateCommentDocument,
  LiveAddDocument,
  LiveBlogStreamDocument,
  LiveCommentThreadDocument,
  LiveDeleteDocument,
  LiveFeedCursorDocument,
  LiveStartDocument,
  LiveUpdateDocument,
} from "../generated/graphql";
import { ClientPool } from "../support/feed-client";
import type { Requester } from "../support/feed-fixtures";
import { commentInput, httpRequester, ok, postComment } from "../support/feed-fixtures";
import type { TwoInstances } from "../support/feed-processes";
import { startTwoInstances } from "../support/feed-processes";
import { toGlobalId } from "../../src/shared/node-id";

const describeOnPostgres = process.env.DATABASE_URL ? describe : describe.skip;

/** Runs the built CLI on the shared database; its stdout. */
function cli(env: Record<string, string>, args: string[]): Promise<string> {
  const root = join(__dirname, "..", "..");
  return new Promise((resolve, reject) =>
    execFile(
      process.execPath,
      [join(root, "dist", "src", "cli", "index.js"), ...args],
      { cwd: root, env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...env } },
      (error, stdout, stderr) => (error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout.trim())),
    ),
  );
}

/** A new author with an EDITOR token. */
async function editorToken(env: Record<string, string>): Promise<string> {
  await cli(env, ["author", "create", "--slug", "lb-instances-editor", "--name", "Instances Editor"]);
  return cli(env, ["token", "create", "--author", "lb-instances-editor", "--role", "EDITOR"]);
}

describeOnPostgres("liveBlog and commentThread across two instances", () => {
  let two: TwoInstances;
  let apiA: Requester;
  let apiB: Requester;
  let poolA: ClientPool;
  let poolB: ClientPool;
  let articleId: string;
  let editor: string;

  beforeAll(async () => {
    two = await startTwoInstances();
    apiA = httpRequester(() => two.a.url);
    apiB = httpRequester(() => two.b.url);
    poolA = new ClientPool(() => two.a.url);
    poolB = new ClientPool(() => two.b.url);
    articleId = toGlobalId("Article", two.articleDbId);
    editor = await editorToken(two.env);
    ok(await apiA.request(LiveStartDocument, { articleId }, { token: editor }));
  }, 300_000);
  afterEach(async () => {
    await poolA.closeAll();
    await poolB.closeAll();
  });
  afterAll(() => two?.stop(), 60_000);

  const head = async (api: Requester) => ok(await api.request(LiveFeedCursorDocument, {})).feedCursor;
  const add = async (api: Requester, body: string) =>
    ok(await api.request(LiveAddDocument, { input: { articleId, body } }, { token: editor })).addLiveEntry;

  test("a liveBlog cursor of instance A resumes on instance B with the edits and deletions missed", async () => {
    // Live on A: the probe written through A reaches it (replayed or live).
    const kept = await add(apiA, "Kept");
    const doomed = await add(apiA, "Doomed");
    const clientA = poolA.client();
    // From the head of the log, so the probe reaches it whether it went live before or after the write.
    const onA = clientA.subscribe(LiveBlogStreamDocument, { articleId, since: await head(apiA) });
    const probe = await add(apiA, "Probe");
    const [seen] = (await onA.take(1, 30_000)).map((v) => v.liveBlog);
    expect(seen!.entryId).toBe(probe.id);
    clientA.terminate();

    const added = await add(apiB, "Added on B");
    ok(
      await apiB.request(LiveUpdateDocument, { id: kept.id, input: { body: "Kept, edited on B" } }, { token: editor }),
    );
    ok(await apiB.request(LiveUpdateDocument, { id: doomed.id, input: { body: "Edited" } }, { token: editor }));
    ok(await apiB.request(LiveDeleteDocument, { id: doomed.id }, { token: editor }));

    const onB = poolB.client().subscribe(LiveBlogStreamDocument, { articleId, since: seen!.cursor });
    const replay = (await onB.take(3, 30_000)).map((v) => v.liveBlog);
    expect(replay.map((e) => [e.kind, e.entryId, e.replayed])).toEqual([
      ["ADDED", added.id, true],
      ["EDITED", kept.id, true],
      ["DELETED", doomed.id, true],
    ]);
    expect(replay[1]!.entry!.body).toBe("Kept, edited on B");
    // Then live, written through the other instance: B hears of it through Redis.
    const live = await add(apiA, "Live through A");
    const next = (await onB.take(4, 30_000))[3]!.liveBlog;
    expect([next.kind, next.entryId]).toEqual(["ADDED", live.id]);
    expect(onB.values.map((v) => v.liveBlog.entryId)).toEqual([added.id, kept.id, doomed.id, live.id]);
  }, 120_000);

  test("a commentThread cursor of instance A resumes on instance B with the removals missed", async () => {
    const first = await postComment(apiA, articleId, { body: "Will be rejected" });
    const clientA = poolA.client();
    const onA = clientA.subscribe(LiveCommentThreadDocument, { articleId, since: await head(apiA) });
    const probe = await postComment(apiA, articleId, { body: "Thread probe" });
    const [seen] = (await onA.take(1, 30_000)).map((v) => v.commentThread);
    expect(seen!.commentId).toBe(probe.id);
    clientA.terminate();

    ok(await apiB.request(FeedModerateCommentDocument, { id: first.id, status: "REJECTED" }, { token: editor }));
    const onB2 = ok(await apiB.request(FeedAddCommentDocument, { input: commentInput(articleId, { body: "On B" }) }))
      .addComment.comment;
    ok(await apiB.request(FeedModerateCommentDocument, { id: probe.id, status: "SPAM" }, { token: editor }));

    const onB = poolB.client().subscribe(LiveCommentThreadDocument, { articleId, since: seen!.cursor });
    const replay = (await onB.take(3, 30_000)).map((v) => v.commentThread);
    expect(replay.map((e) => [e.kind, e.commentId, e.replayed])).toEqual([
      ["REMOVED", first.id, true],
      ["ADDED", onB2.id, true],
      ["REMOVED", probe.id, true],
    ]);
    const live = await postComment(apiA, articleId, { body: "Live comment through A" });
    const next = (await onB.take(4, 30_000))[3]!.commentThread;
    expect([next.kind, next.commentId, next.replayed]).toEqual(["ADDED", live.id, false]);
  }, 120_000);
});
