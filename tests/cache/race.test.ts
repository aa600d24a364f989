/**
 * A read that started before a write committed may have read the old data. The
 * response cache must not store it after the write's purge, or the purge would be
 * undone until the entry expires. Made deterministic by holding a service call of
 * the read (after it has read) until the write has committed and purged.
 */
import { randomBytes } from "node:crypto";
import {
  CacheAddCommentDocument,
  CacheArticleDocument,
  CacheCreateArticleDocument,
  CacheFrontPageDocument,
  CachePublishArticleDocument,
  CacheUpdateArticleDocument,
} from "../generated/graphql";
import type { GraphQLResult, TestServer } from "../support/server";
import { startTestServer } from "../support/server";
import {
  dataOf,
  gate,
  NO_RATE_LIMIT,
  PurgeWatch,
  STORES,
  unique,
  withForeignPurgeRetry,
  xCache,
} from "./cache-helpers";

/**
 * Replaces `target[method]` so that its next call runs, then signals `read` and
 * waits for `release` before returning; later calls run unchanged. Returns the
 * two controls and a restore function.
 */
function holdNextCall<T extends object, K extends keyof T>(target: T, method: K) {
  const original = target[method] as unknown as (...args: unknown[]) => Promise<unknown>;
  const read = gate();
  const release = gate();
  let held = false;
  (target as Record<K, unknown>)[method] = async function (this: unknown, ...args: unknown[]) {
    const result = await original.apply(this, args);
    if (!held) {
      held = true;
      read.release();
      await release.promise;
    }
    return result;
  };
  return {
    read: read.promise,
    release: release.release,
    restore: () => ((target as Record<K, unknown>)[method] = original as unknown as T[K]),
  };
}

describe.each(STORES)("response cache, %s: a read racing a write", (_name, store) => {
  let server: TestServer;
  let watch: PurgeWatch;
  let editor: string;

  beforeAll(async () => {
    server = await startTestServer({ ...store, ...NO_RATE_LIMIT, feedPollMs: 0 });
    watch = new PurgeWatch(server);
    watch.track(server);
    editor = await server.token("cache-race-editor", "EDITOR");
  });
  afterAll(async () => {
    await watch?.close();
    await server?.stop();
  });

  async function createDraft(title: string) {
    const res = await server.request(
      CacheCreateArticleDocument,
      { input: { title, body: `${title}.`, topicSlugs: ["transport"] } },
      { token: editor },
    );
    return dataOf(res).createArticle;
  }

  /** Next request: a MISS with fresh data; then a HIT (retried only after another run's purge on the shared Redis). */
  async function freshThenCached<R>(run: () => Promise<GraphQLResult<R>>): Promise<R> {
    const fresh = await run();
    expect(xCache(fresh)).toBe("MISS");
    const data = dataOf(fresh);
    let attempt = 0;
    await withForeignPurgeRetry(watch, async () => {
      if (attempt++ > 0) await run();
      const again = await run();
      if (xCache(again) !== "HIT") return false;
      expect(again.data).toEqual(data);
      return true;
    });
    return data;
  }

  test("a front page read before a publish commits is not stored after the purge: the next request is a fresh MISS", async () => {
    const draft = await createDraft("Ferry fares cut for students");
    const front = unique(CacheFrontPageDocument);
    const hold = holdNextCall(server.services.article, "list");
    try {
      const slow = server.request(front, { first: 20 });
      await hold.read; // it has read the front page, without the article
      const published = await server.request(CachePublishArticleDocument, { id: draft.id }, { token: editor });
      expect(dataOf(published).publishArticle.status).toBe("PUBLISHED");
      hold.release();
      const old = await slow;
      // The slow request itself answers what it read, marked a MISS.
      expect(xCache(old)).toBe("MISS");
      expect(dataOf(old).articles.nodes.map((n) => n.id)).not.toContain(draft.id);
    } finally {
      hold.release();
      hold.restore();
    }
    const fresh = await freshThenCached(() => server.request(front, { first: 20 }));
    expect(fresh.articles.nodes[0]!.id).toBe(draft.id);
  });

  test("an article page read before an edit commits is not stored: the next request shows the new title", async () => {
    const draft = await createDraft("Bridge lift times change");
    await server.request(CachePublishArticleDocument, { id: draft.id }, { token: editor });
    const page = unique(CacheArticleDocument);
    const hold = holdNextCall(server.services.article, "bySlugs");
    try {
      const slow = server.request(page, { slug: draft.slug });
      await hold.read;
      await server.request(
        CacheUpdateArticleDocument,
        { id: draft.id, input: { title: "Bridge lift times change again" } },
        { token: editor },
      );
      hold.release();
      expect(dataOf(await slow).article!.title).toBe("Bridge lift times change");
    } finally {
      hold.release();
      hold.restore();
    }
    const fresh = await freshThenCached(() => server.request(page, { slug: draft.slug }));
    expect(fresh.article!.title).toBe("Bridge lift times change again");
  });

  test("a comment thread read before a comment commits is not stored: the next request shows the comment", async () => {
    const draft = await createDraft("Harbour swim returns");
    await server.request(CachePublishArticleDocument, { id: draft.id }, { token: editor });
    const page = unique(CacheArticleDocument);
    const hold = holdNextCall(server.services.comment, "approvedPages");
    const body = `First! ${randomBytes(4).toString("hex")}`;
    try {
      const slow = server.request(page, { slug: draft.slug });
      await hold.read;
      const posted = await server.request(CacheAddCommentDocument, {
        input: { articleId: draft.id, authorName: "Reader", email: "race@example.com", body },
      });
      expect(dataOf(posted).addComment.comment.status).toBe("APPROVED");
      hold.release();
      expect(dataOf(await slow).article!.comments.nodes).toEqual([]);
    } finally {
      hold.release();
      hold.restore();
    }
    const fresh = await freshThenCached(() => server.request(page, { slug: draft.slug }));
    expect(fresh.article!.commentCount).toBe(1);
    expect(fresh.article!.comments.nodes.map((c) => c.body)).toEqual([body]);
  });

  test("control: without a write in between, the slow read is stored as usual", async () => {
    const front = unique(CacheFrontPageDocument);
    const hold = holdNextCall(server.services.article, "list");
    let data: unknown;
    try {
      const slow = server.request(front, { first: 5 });
      await hold.read;
      hold.release();
      data = dataOf(await slow);
    } finally {
      hold.release();
      hold.restore();
    }
    let attempt = 0;
    await withForeignPurgeRetry(watch, async () => {
      if (attempt++ > 0) await server.request(front, { first: 5 });
      const again = await server.request(front, { first: 5 });
      if (xCache(again) !== "HIT") return false;
      expect(again.data).toEqual(data);
      return true;
    });
  });
});
