import { CommentForm } from "./comment-form";
import { append, formatTime, h, joinNames, timeValue } from "./dom";
import { NewItemsPill } from "./pill";
import { articleFragment } from "./safe-html";
import type { ArticleData, CommentData, CommentEventData, Connection } from "./queries";
import { ARTICLE_QUERY, ARTICLE_REFRESH, ARTICLE_UPDATED, COMMENT_ADDED, COMMENTS_PAGE, REPLIES_PAGE } from "./queries";
import { cursorKey, load, pendingKey, save } from "./storage";
import { Thread } from "./thread";
import type { GqlError, Live } from "./transport";
import { httpRequest } from "./transport";
import { StatusLine } from "./status-line";

interface PendingComment extends CommentData {
  parentId: string | null;
}

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
  private readonly heading = h("h1", { class: "ngw-title" });
  private readonly standfirst = h("p", { class: "ngw-standfirst" });
  private readonly byline = h("p", { class: "ngw-byline" });
  private readonly body = h("div", { class: "ngw-body" });
  private readonly updatedNote = h("p", { class: "ngw-updated", role: "status", "aria-live": "polite" });
  private readonly countEl = h("span", { class: "ngw-count" });
  private readonly closedNote = h("p", { class: "ngw-closed", hidden: true }, "Comments are closed.");
  private variables: { articleId: string; since: string | null } | null = null;
  private stopComments: (() => void) | null = null;
  private count = 0;

  constructor(
    private readonly root: HTMLElement,
    private readonly slug: string,
    private readonly options: WidgetOptions,
  ) {
    this.status = new StatusLine(options.live);
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
      h(
        "article",
        { class: "ngw-story" },
        h("header", { class: "ngw-story-head" }, this.heading, this.standfirst, this.byline, this.updatedNote),
        this.options.showBody ? this.body : null,
      ),
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
    this.heading.textContent = a.title;
    this.standfirst.textContent = a.standfirst ?? "";
    this.standfirst.hidden = !a.standfirst;
    const names = a.authors.map((author) => author.name);
    this.byline.replaceChildren();
    append(
      this.byline,
      names.length ? h("span", { class: "ngw-authors" }, `By ${joinNames(names)}`) : null,
      a.publishedAt ? h("time", { class: "ngw-time", datetime: a.publishedAt }, formatTime(a.publishedAt)) : null,
    );
    // bodyHtml is rendered and sanitised by the server when the article is written; articleFragment
    // keeps only what that sanitiser allows, so a bad row still cannot run script here.
    if (this.options.showBody && (!previous || previous.bodyHtml !== a.bodyHtml || !updated)) {
      this.body.replaceChildren(articleFragment(a.bodyHtml));
    }
    const edited = timeValue(a.updatedAt) - timeValue(a.publishedAt) > 60_000;
    this.updatedNote.textContent = edited ? `Updated ${formatTime(a.updatedAt)}` : "";
    this.updatedNote.hidden = !edited;
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
    const articleId = this.article!.id;
    const key = cursorKey(`article:${articleId}`);
    const variables = { articleId, since: load<string | null>(key, null) };
    this.variables = variables;
    this.stopComments?.();
    this.stopComments = this.options.live.subscribe<CommentEventData>(COMMENT_ADDED, variables, {
      next: ({ commentAdded: event }) => {
        // Updating the payload in place: a resubscription after a reconnect resumes from here.
        variables.since = event.cursor;
        save(key, event.cursor);
        const comment = event.comment;
        const own = this.thread.isPending(comment.id);
        this.thread.upsert(comment, comment.parent?.id ?? null, { live: true, own });
        if (own) this.forgetPending(comment.id);
      },
      error: (errors) => this.onCommentsError(errors, key),
    });
    if (!variables.since) this.fetchRecent();
  }

  private onCommentsError(errors: GqlError[], key: string): void {
    const code = errors[0]?.extensions?.code;
    if (code === "BAD_USER_INPUT" && errors.some((e) => e.extensions?.fields?.since)) {
      // The cursor is unknown to the server (e.g. the feed log was reset): start afresh and catch up by query.
      save(key, null);
      this.subscribeComments();
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
      const pending = load<PendingComment[]>(pendingKey(this.article!.id), []);
      if (!pending.some((p) => p.id === comment.id)) pending.push({ ...comment, parentId });
      save(pendingKey(this.article!.id), pending);
      this.thread.upsert(comment, parentId, { pending: true, own: true });
    }
    this.thread.element(comment.id)?.scrollIntoView({ block: "nearest" });
  }

  /** The writer's comments still awaiting moderation, kept in this tab only. */
  private restorePending(): void {
    const key = pendingKey(this.article!.id);
    const pending = load<PendingComment[]>(key, []);
    const still = pending.filter((p) => !this.thread.has(p.id));
    if (still.length !== pending.length) save(key, still.length ? still : null);
    for (const p of still) this.thread.upsert(p, p.parentId, { pending: true, own: true });
  }

  private forgetPending(id: string): void {
    const key = pendingKey(this.article!.id);
    const pending = load<PendingComment[]>(key, []).filter((p) => p.id !== id);
    save(key, pending.length ? pending : null);
  }
}
