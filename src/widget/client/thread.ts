import { formatTime, h, safeHttpUrl, timeValue } from "./dom";
import type { NewItemsPill } from "./pill";
import type { CommentData, Connection } from "./queries";

/** Replies nest at most this deep below a top-level comment (the server's MAX_REPLY_DEPTH). */
const MAX_REPLY_DEPTH = 5;

interface Entry {
  data: CommentData;
  el: HTMLElement;
  repliesEl: HTMLElement;
  moreEl: HTMLElement;
  actionsEl: HTMLElement;
  pendingEl: HTMLElement | null;
  depth: number;
  parentId: string | null;
}

export interface ThreadHooks {
  /** "Reply" was clicked on this comment. */
  reply(comment: CommentData, slot: HTMLElement): void;
  /** "Show more" was clicked: load the next page of this parent's replies (null: top-level comments). */
  loadMore(parentId: string | null, after: string | null): Promise<void>;
  /** A comment became public since the page was loaded (live, or the reader's own). */
  counted(): void;
}

/**
 * The comments thread: one element per comment id, whatever path it came by
 * (the page query, a catch-up query, a live or replayed event, the writer's own
 * submission), kept in created order under its parent.
 */
export class Thread {
  readonly el: HTMLElement;
  readonly list: HTMLElement;
  private readonly topMore: HTMLElement;
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly hooks: ThreadHooks,
    readonly pill: NewItemsPill,
  ) {
    this.list = h("ol", { class: "ngw-comments" });
    this.topMore = h("div", { class: "ngw-more" });
    this.el = h("div", { class: "ngw-thread" }, this.list, this.topMore);
  }

  has(id: string): boolean {
    return this.entries.has(id);
  }

  isPending(id: string): boolean {
    return !!this.entries.get(id)?.pendingEl;
  }

  element(id: string): HTMLElement | undefined {
    return this.entries.get(id)?.el;
  }

  /**
   * Withdraws a comment (rejected, or spam after approval) with its replies shown under it.
   * Returns how many public comments left the page (0 if it was not shown).
   */
  remove(id: string): number {
    const entry = this.entries.get(id);
    if (!entry) return 0;
    let removed = 0;
    for (const [otherId, other] of [...this.entries]) {
      if (other === entry || entry.el.contains(other.el)) {
        this.entries.delete(otherId);
        if (!other.pendingEl) removed++;
      }
    }
    entry.el.remove();
    return removed;
  }

  /** Merges a page of comments (with their nested replies) under `parentId`. */
  merge(conn: Connection<CommentData> | undefined, parentId: string | null, live: boolean): void {
    if (!conn) return;
    for (const node of conn.nodes ?? []) this.upsert(node, parentId, { live });
    this.updateMore(parentId, conn);
  }

  /**
   * Adds a comment unless it is there already. A comment shown to its writer as
   * awaiting moderation becomes a normal one when it arrives approved.
   */
  upsert(
    c: CommentData,
    parentId: string | null,
    opts: { live?: boolean; pending?: boolean; own?: boolean } = {},
  ): void {
    const existing = this.entries.get(c.id);
    if (existing) {
      if (existing.pendingEl && !opts.pending) {
        existing.pendingEl.remove();
        existing.pendingEl = null;
        existing.el.classList.remove("ngw-pending");
        this.addReplyButton(existing);
        this.hooks.counted();
      }
      if (c.replies) this.merge(c.replies, c.id, !!opts.live);
      return;
    }
    const parent = parentId ? this.entries.get(parentId) : undefined;
    const entry = this.render(c, parent, parentId, !!opts.pending);
    insertByTime(parent ? parent.repliesEl : this.list, entry.el, c.createdAt);
    this.entries.set(c.id, entry);
    if (!opts.pending && (opts.live || opts.own)) this.hooks.counted();
    if (c.replies) this.merge(c.replies, c.id, !!opts.live);
    if (opts.live && !opts.own) this.pill.track(entry.el);
  }

  private render(c: CommentData, parent: Entry | undefined, parentId: string | null, pending: boolean): Entry {
    const href = safeHttpUrl(c.website);
    const name = href
      ? h("a", { class: "ngw-author", href, rel: "nofollow ugc noopener", target: "_blank" }, c.authorName)
      : h("span", { class: "ngw-author" }, c.authorName);
    const pendingEl = pending ? h("p", { class: "ngw-awaiting" }, "Your comment is awaiting moderation.") : null;
    // A reply whose parent is not on the page (e.g. beyond the loaded pages) shows at top level, saying so.
    const orphanNote =
      parentId && !parent && c.parent?.authorName
        ? h("span", { class: "ngw-inreply" }, ` in reply to ${c.parent.authorName}`)
        : null;
    const repliesEl = h("ol", { class: "ngw-replies" });
    const moreEl = h("div", { class: "ngw-more" });
    const actionsEl = h("div", { class: "ngw-actions" });
    const el = h(
      "li",
      {
        class: `ngw-comment${pending ? " ngw-pending" : ""}${orphanNote ? " ngw-orphan" : ""}`,
        id: `ngw-comment-${c.id}`,
        "data-comment-id": c.id,
        "data-created-at": c.createdAt,
        tabindex: -1,
      },
      h(
        "article",
        { class: "ngw-comment-main" },
        h(
          "header",
          { class: "ngw-comment-head" },
          name,
          orphanNote,
          " ",
          h("time", { class: "ngw-time", datetime: c.createdAt }, formatTime(c.createdAt)),
        ),
        pendingEl,
        h("p", { class: "ngw-comment-body" }, c.body),
        actionsEl,
      ),
      repliesEl,
      moreEl,
    );
    const entry: Entry = {
      data: c,
      el,
      repliesEl,
      moreEl,
      actionsEl,
      pendingEl,
      depth: parent ? parent.depth + 1 : 0,
      parentId,
    };
    if (!pending) this.addReplyButton(entry);
    return entry;
  }

  private addReplyButton(entry: Entry): void {
    if (entry.depth >= MAX_REPLY_DEPTH || entry.actionsEl.childElementCount) return;
    entry.actionsEl.appendChild(
      h(
        "button",
        { type: "button", class: "ngw-link", onclick: () => this.hooks.reply(entry.data, entry.actionsEl) },
        "Reply",
      ),
    );
  }

  /** Shows "Show N more replies" / "Load more comments" while the server has more than the page shows. */
  private updateMore(parentId: string | null, conn: Connection<CommentData>): void {
    const parent = parentId ? this.entries.get(parentId) : undefined;
    if (parentId && !parent) return;
    const container = parent ? parent.repliesEl : this.list;
    const slot = parent ? parent.moreEl : this.topMore;
    const shown = container.querySelectorAll(":scope > .ngw-comment:not(.ngw-pending):not(.ngw-orphan)").length;
    const remaining = conn.totalCount - shown;
    slot.textContent = "";
    if (remaining <= 0) return;
    const after = conn.nodes?.length ? (conn.pageInfo?.endCursor ?? null) : null;
    const label = parent
      ? `Show ${remaining} more ${remaining === 1 ? "reply" : "replies"}`
      : `Load ${remaining} more ${remaining === 1 ? "comment" : "comments"}`;
    const button = h(
      "button",
      {
        type: "button",
        class: "ngw-link",
        onclick: () => {
          button.disabled = true;
          this.hooks.loadMore(parentId, after).catch(() => {
            button.disabled = false;
          });
        },
      },
      label,
    );
    slot.appendChild(button);
  }
}

/** Inserts `el` among its siblings in created order (oldest first); equal times keep arrival order. */
function insertByTime(container: HTMLElement, el: HTMLElement, createdAt: string): void {
  const t = timeValue(createdAt);
  let before: Element | null = null;
  for (let child = container.lastElementChild; child; child = child.previousElementSibling) {
    if (timeValue((child as HTMLElement).dataset.createdAt) <= t) break;
    before = child;
  }
  container.insertBefore(el, before);
}
