import { CommentForm } from "./comment-form";
import { h } from "./dom";
import { NewItemsPill } from "./pill";
import { LiveBlogView } from "./live-blog";
import type {
  ArticleData,
  CommentData,
  CommentEventData,
  CommentThreadEventData,
  Connection,
  LiveBlogEventData,
  LiveEntryData,
  LivePageData,
} from "./queries";
import {
  ARTICLE_QUERY,
  ARTICLE_REFRESH,
  ARTICLE_UPDATED,
  COMMENT_ADDED,
  COMMENT_THREAD,
  COMMENTS_PAGE,
  FEED_CURSOR,
  LIVE_BLOG,
  LIVE_OLDER,
  LIVE_PAGE,
  REPLIES_PAGE,
} from "./queries";
import { sessionCursorStore } from "./resumable";
import { forgetPending, pendingComments, rememberPending } from "./pending-comments";
import { cursorKey, load, save } from "./storage";
import { Thread } from "./thread";
import type { GqlError, Live } from "./transport";
import { httpRequest } from "./transport";
import { StatusLine } from "./status-line";
import { StoryView } from "./story";

export interface WidgetOptions {
  endpoint: string;
  live: Live;
  showBody: boolean;
}

/**
 * Article mode: headline, standfirst, byline (and body), the approved thread
 * with replies nested, and the comment form; new comments and edits arrive live.
 *
 * No gap, no duplicate: the page is rendered from a query, then the thread
 * subscribes with the last cursor this tab saw (sessionStorage), which replays
 * everything after it. Without a cursor (first visit) a catch-up query is sent
 * on the socket right after the subscription, so a comment made between the
 * page query and the subscription is still fetched. Every path dedupes by id.
 */
export class ArticleWidget {
  private article: ArticleData | null = null;
  private readonly thread: Thread;
  private readonly form: CommentForm;
  private readonly pill = new NewItemsPill(["comment", "comments"], "↓");
  private readonly status: StatusLine;
  private readonly story: StoryView;
  private readonly countEl = h("span", { class: "ngw-count" });
  private readonly closedNote = h("p", { class: "ngw-closed", hidden: true }, "Comments are closed.");
  private variables: { articleId: string; since: string | null } | null = null;
  private stopComments: (() => void) | null = null;
  private count = 0;
  /** The live blog, for an article that is or was one (else null: the comment stream of before). */
  private liveView: LiveBlogView | null = null;
  private readonly liveSlot = h("div", { class: "ngw-live-slot" });
  private stopLive: (() => void) | null = null;
  /** Where the feed stood just before the page's data was read (a gap-free `since`). */
  private startCursor: string | null = null;
  /** startCursor was read just now, after the server refused a cursor as unknown. */
  private freshCursor = false;

  constructor(
    private readonly root: HTMLElement,
    private readonly slug: string,
    private readonly options: WidgetOptions,
  ) {
    this.status = new StatusLine(options.live);
    this.story = new StoryView(options.endpoint, options.showBody);
    this.thread = new Thread(
      {
        reply: (comment, slot) => this.form.replyTo(comment, slot),
        loadMore: (parentId, after) => this.loadMore(parentId, after),
        counted: () => this.setCount(this.count + 1),
      },
      this.pill,
    );
    this.form = new CommentForm({
      endpoint: options.endpoint,
      articleId: () => this.article!.id,
      posted: (comment, parentId) => this.posted(comment, parentId),
    });
  }

  async start(): Promise<void> {
    this.root.classList.add("ngw", "ngw-article-mode");
    this.root.replaceChildren(h("p", { class: "ngw-loading" }, "Loading…"));
    let article: ArticleData | null;
    try {
      // Read before the article (and its live blog and thread): subscribing with it misses nothing.
      this.startCursor = await this.feedCursor();
      article = (
        await httpRequest<{ article: ArticleData | null }>(this.options.endpoint, ARTICLE_QUERY, { slug: this.slug })
      ).article;
    } catch {
      this.root.replaceChildren(
        h(
          "p",
          { class: "ngw-error" },
          "This article could not be loaded. ",
          h("button", { type: "button", class: "ngw-link", onclick: () => void this.start() }, "Try again"),
        ),
      );
      return;
    }
    if (!article) {
      this.root.replaceChildren(h("p", { class: "ngw-error" }, "Article not found."));
      return;
    }
    this.article = article;
    this.root.replaceChildren(
      h("article", { class: "ngw-story" }, ...this.story.elements, this.liveSlot),
      h(
        "section",
        { class: "ngw-discussion", "aria-label": "Comments" },
        h(
          "div",
          { class: "ngw-discussion-head" },
          h("h2", { class: "ngw-comments-title" }, this.countEl),
          this.status.el,
        ),
        this.thread.el,
        this.closedNote,
        this.form.container,
      ),
      this.pill.el,
    );
    this.showArticle(article, false);
    this.setCount(article.commentCount);
    this.thread.merge(article.comments, null, false);
    this.restorePending();

    if (isLiveBlog(article)) await this.startLiveBlog(true);
    this.subscribeComments();
    this.options.live.subscribe<{ articleUpdated: ArticleData }>(
      ARTICLE_UPDATED,
      { articleId: article.id },
      { next: (data) => this.showArticle(data.articleUpdated, true), error: () => undefined },
    );
    this.options.live.onReconnect(() => this.catchUp());
  }

  private showArticle(a: ArticleData, updated: boolean): void {
    const previous = this.article;
    this.article = { ...a, comments: undefined };
    this.story.show(a, previous, updated);
    this.liveView?.setState(!!a.isLive, a.liveUntil);
    // An article that becomes a live blog while open: its live blog starts (comments stay as they are).
    if (updated && !this.liveView && isLiveBlog(a)) void this.startLiveBlog(false);
    this.closedNote.hidden = a.commentsOpen;
    this.form.container.hidden = !a.commentsOpen;
    if (updated) {
      this.root.classList.remove("ngw-flash");
      void this.root.offsetWidth;
      this.root.classList.add("ngw-flash");
    }
  }

  private setCount(n: number): void {
    this.count = n;
    this.countEl.textContent = n === 0 ? "Comments" : `${n} ${n === 1 ? "comment" : "comments"}`;
  }

  private subscribeComments(): void {
    if (this.liveView) {
      this.subscribeThread();
      return;
    }
    const articleId = this.article!.id;
    const key = cursorKey(`article:${articleId}`);
    // From the stored cursor (a reload resumes), else from where the feed stood before the page was
    // read: the replay covers whatever the subscription's set-up on the server would otherwise miss.
    const variables = { articleId, since: load<string | null>(key, null) ?? this.startCursor };
    this.variables = variables;
    this.stopComments?.();
    this.stopComments = this.options.live.subscribe<CommentEventData>(COMMENT_ADDED, variables, {
      next: ({ commentAdded: event }) => {
        // Updating the payload in place: a resubscription after a reconnect resumes from here.
        variables.since = event.cursor;
        save(key, event.cursor);
        this.upsertLive(event.comment);
      },
      error: (errors) => this.onCommentsError(errors, key),
    });
    if (!variables.since) this.fetchRecent();
  }

  /**
   * A live blog's thread on commentThread: comments becoming public are added, withdrawn ones
   * (rejected, spam) removed. Resumes from the stored cursor, else from where the feed stood
   * before the page was read.
   */
  private subscribeThread(): void {
    const articleId = this.article!.id;
    const key = cursorKey(`thread:${articleId}`);
    const variables = { articleId, since: load<string | null>(key, null) ?? this.startCursor };
    this.variables = variables;
    this.stopComments?.();
    this.stopComments = this.options.live.subscribe<CommentThreadEventData>(COMMENT_THREAD, variables, {
      next: ({ commentThread: event }) => {
        variables.since = event.cursor;
        save(key, event.cursor);
        if (event.kind === "REMOVED" || !event.comment) {
          const removed = this.thread.remove(event.commentId);
          if (removed) this.setCount(Math.max(0, this.count - removed));
          forgetPending(this.article!.id, event.commentId);
          return;
        }
        this.upsertLive(event.comment);
      },
      error: (errors) => this.onCommentsError(errors, key),
    });
    if (!variables.since) this.fetchRecent();
  }

  /** A comment from a live stream: added or updated in place; the writer's own is no longer pending. */
  private upsertLive(comment: CommentData): void {
    const own = this.thread.isPending(comment.id);
    this.thread.upsert(comment, comment.parent?.id ?? null, { live: true, own });
    if (own) forgetPending(this.article!.id, comment.id);
  }

  private async feedCursor(): Promise<string | null> {
    try {
      return (await httpRequest<{ feedCursor: string | null }>(this.options.endpoint, FEED_CURSOR, {})).feedCursor;
    } catch {
      return null;
    }
  }

  /**
   * Shows the live blog: its first page read after `startCursor` (on a restart: a fresh one), then
   * liveBlog from the stored cursor (a reload resumes) or from `startCursor`.
   */
  private async startLiveBlog(first: boolean): Promise<void> {
    const articleId = this.article!.id;
    if (!first) this.startCursor = await this.feedCursor();
    let page: LivePageData | null;
    try {
      page = (await httpRequest<{ article: LivePageData | null }>(this.options.endpoint, LIVE_PAGE, { id: articleId }))
        .article;
    } catch {
      window.setTimeout(() => void this.startLiveBlog(false), 3000);
      return;
    }
    if (!page) return;
    if (!this.liveView) {
      this.liveView = new LiveBlogView({ loadOlder: (after) => this.loadOlderEntries(after) });
      this.liveSlot.replaceChildren(this.liveView.el);
    }
    this.liveView.load(page);
    this.stopLive?.();
    const store = sessionCursorStore(`live:${articleId}`);
    if (!store.load() && this.startCursor) store.save(this.startCursor);
    const subscription = this.options.live.resumable<LiveBlogEventData>(
      { query: LIVE_BLOG, variables: { articleId }, since: this.startCursor, store },
      {
        next: ({ liveBlog: event }) => this.liveView?.apply(event),
        error: (errors) => {
          const code = Array.isArray(errors) ? (errors as GqlError[])[0]?.extensions?.code : undefined;
          // A cursor the server no longer knows was cleared from the store: start afresh.
          if (code === "BAD_USER_INPUT") void this.startLiveBlog(false);
          else if (code === "NOT_FOUND") this.status.fail("This live blog is no longer available.");
          else window.setTimeout(() => void this.startLiveBlog(false), 3000);
        },
      },
    );
    this.stopLive = () => subscription.unsubscribe();
  }

  private async loadOlderEntries(after: string | null): Promise<Connection<LiveEntryData> | undefined> {
    const data = await httpRequest<{ article: { liveEntries: Connection<LiveEntryData> } | null }>(
      this.options.endpoint,
      LIVE_OLDER,
      { id: this.article!.id, after },
    );
    return data.article?.liveEntries;
  }

  private onCommentsError(errors: GqlError[], key: string): void {
    const code = errors[0]?.extensions?.code;
    if (code === "BAD_USER_INPUT" && errors.some((e) => e.extensions?.fields?.since)) {
      // The cursor is unknown to the server (e.g. the feed log was reset, and the page's start cursor may
      // be from before that): subscribe from a fresh one, read before the catch-up query, so that neither
      // a comment between the two nor one during the subscription's set-up is missed.
      // A fresh cursor refused as well: subscribe from now, caught up by query, rather than loop.
      save(key, null);
      const refusedFresh = this.freshCursor;
      this.startCursor = null;
      this.freshCursor = false;
      if (refusedFresh) {
        this.subscribeComments();
        return;
      }
      void this.feedCursor().then((cursor) => {
        this.startCursor = cursor;
        this.freshCursor = cursor !== null;
        this.subscribeComments();
        if (cursor) this.fetchRecent();
      });
      return;
    }
    if (code === "NOT_FOUND") {
      this.status.fail("Live updates are unavailable.");
      return;
    }
    window.setTimeout(() => this.subscribeComments(), 3000);
  }

  /** Catch-up query on the socket, after the subscription: anything public by now that the page lacks. */
  private fetchRecent(): void {
    const id = this.article!.id;
    this.options.live
      .query<{ article: { comments: Connection<CommentData> } | null }>(COMMENTS_PAGE, { id, after: null })
      .then((data) => this.thread.merge(data.article?.comments, null, true))
      .catch(() => undefined);
  }

  /** After a reconnect: articleUpdated has no `since`, so re-read the article; comments resume by cursor. */
  private catchUp(): void {
    if (!this.article) return;
    httpRequest<{ article: ArticleData | null }>(this.options.endpoint, ARTICLE_REFRESH, { id: this.article.id })
      .then((data) => {
        if (data.article && data.article.updatedAt !== this.article?.updatedAt) this.showArticle(data.article, true);
      })
      .catch(() => undefined);
    if (!this.variables?.since) this.fetchRecent();
  }

  private async loadMore(parentId: string | null, after: string | null): Promise<void> {
    if (parentId === null) {
      const data = await httpRequest<{ article: { comments: Connection<CommentData> } | null }>(
        this.options.endpoint,
        COMMENTS_PAGE,
        { id: this.article!.id, after },
      );
      this.thread.merge(data.article?.comments, null, false);
    } else {
      const data = await httpRequest<{ node: { replies: Connection<CommentData> } | null }>(
        this.options.endpoint,
        REPLIES_PAGE,
        { id: parentId, after },
      );
      this.thread.merge(data.node?.replies, parentId, false);
    }
  }

  private posted(comment: CommentData, parentId: string | null): void {
    if (comment.status === "APPROVED") {
      this.thread.upsert(comment, parentId, { own: true });
    } else {
      rememberPending(this.article!.id, comment, parentId);
      this.thread.upsert(comment, parentId, { pending: true, own: true });
    }
    this.thread.element(comment.id)?.scrollIntoView({ block: "nearest" });
  }

  /** The writer's comments still awaiting moderation, kept in this tab only. */
  private restorePending(): void {
    for (const p of pendingComments(this.article!.id, (id) => this.thread.has(id))) {
      this.thread.upsert(p, p.parentId, { pending: true, own: true });
    }
  }
}

/** An article that is a live blog, or was one (its entries stay readable after the end). */
const isLiveBlog = (a: ArticleData) => !!a.isLive || !!a.liveSince;
