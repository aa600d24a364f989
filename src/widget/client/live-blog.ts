import { formatTime, h, joinNames, timeValue } from "./dom";
import type { Connection, LiveBlogEventData, LiveEntryData, LivePageData } from "./queries";
import { articleFragment } from "./safe-html";

export interface LiveBlogHooks {
  /** "Show older updates": the next page of the connection after `after`. */
  loadOlder(after: string | null): Promise<Connection<LiveEntryData> | undefined>;
}

interface Shown {
  data: LiveEntryData;
  el: HTMLElement;
}

/** "just now", "4 min ago", "3 h ago"; older than a day: the absolute time. */
export function relativeTime(iso: string, now = Date.now()): string {
  const minutes = Math.floor((now - timeValue(iso)) / 60_000);
  if (minutes < 1) return "just now";
  if (minutes < 60) return `${minutes} min ago`;
  if (minutes < 24 * 60) return `${Math.floor(minutes / 60)} h ago`;
  return formatTime(iso);
}

/** "14:32" in the reader's locale. */
function clockTime(iso: string): string {
  try {
    return new Date(iso).toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit" });
  } catch {
    return formatTime(iso);
  }
}

/** An entry's label in the key-events timeline: its title, or the first words of its body. */
function keyEventLabel(e: LiveEntryData): string {
  if (e.title) return e.title;
  const words = (articleFragment(e.bodyHtml).textContent ?? "").trim().split(/\s+/);
  return words.length > 10 ? `${words.slice(0, 10).join(" ")}…` : words.join(" ");
}

/**
 * The live blog under an article: the LIVE badge (or "This live blog has
 * ended"), the key-events timeline, the pinned entry, then the entries newest
 * first, paged with "Show older updates".
 *
 * Every path (the page query, an older page, a live or replayed liveBlog event)
 * goes through `upsert`, which takes the entry as it is now: one element per
 * id, placed by publishedAt (the pinned one above all). New entries arriving
 * while the reader is scrolled down are held hidden behind an "N new updates"
 * banner, and "(N) " prefixes the tab's title, until the reader sees them.
 */
export class LiveBlogView {
  readonly el: HTMLElement;
  private readonly badge = h("span", { class: "ngw-live-badge", hidden: true }, "LIVE");
  private readonly ended = h("p", { class: "ngw-live-ended", hidden: true }, "This live blog has ended");
  private readonly timelineList = h("ol", { class: "ngw-keyevents-list" });
  private readonly timeline = h(
    "nav",
    { class: "ngw-keyevents", "aria-label": "Key events", hidden: true },
    h("h2", { class: "ngw-keyevents-title" }, "Key events"),
    this.timelineList,
  );
  private readonly banner = h("button", {
    type: "button",
    class: "ngw-live-banner",
    hidden: true,
    onclick: () => this.reveal(true),
  });
  private readonly pinnedSlot = h("div", { class: "ngw-live-pinned" });
  private readonly list = h("ol", { class: "ngw-live-entries", "aria-live": "off" });
  private readonly more = h("div", { class: "ngw-more ngw-live-more" });
  private readonly entries = new Map<string, Shown>();
  private readonly keyEvents = new Map<string, LiveEntryData>();
  /** New entries not seen yet (hidden until the reader is back at the top or clicks the banner). */
  private readonly held = new Set<string>();
  private baseTitle: string | null = null;
  /** Paging: where the next older page starts, and the oldest publishedAt the list covers. */
  private endCursor: string | null = null;
  private hasOlder = false;
  private floor = 0;
  private readonly ticker: number;

  constructor(private readonly hooks: LiveBlogHooks) {
    this.el = h(
      "section",
      { class: "ngw-live", "aria-label": "Live updates" },
      h("div", { class: "ngw-live-head" }, this.badge, this.ended),
      this.timeline,
      this.banner,
      this.pinnedSlot,
      this.list,
      this.more,
    );
    this.ticker = window.setInterval(() => this.tick(), 30_000);
    window.addEventListener("scroll", () => this.held.size && this.atTop() && this.reveal(false), { passive: true });
  }

  /** LIVE while live; "This live blog has ended" once it has. */
  setState(isLive: boolean, liveUntil: string | null | undefined): void {
    this.badge.hidden = !isLive;
    this.ended.hidden = isLive || !liveUntil;
    this.el.classList.toggle("ngw-live-on", isLive);
  }

  /** The first page (after a fresh feedCursor): replaces whatever is shown. */
  load(page: LivePageData): void {
    for (const id of [...this.entries.keys()]) this.drop(id);
    this.keyEvents.clear();
    this.setState(page.isLive, page.liveUntil);
    this.hasOlder = false;
    this.floor = 0;
    this.addPage(page.liveEntries);
    if (page.pinnedEntry) this.upsert(page.pinnedEntry, false);
    for (const e of page.keyEvents.nodes) this.keyEvents.set(e.id, e);
    this.renderTimeline();
  }

  /** An event of the liveBlog stream (live or replayed): the entry as it is now. */
  apply(event: LiveBlogEventData["liveBlog"]): void {
    if (event.kind === "DELETED" || !event.entry) this.drop(event.entryId);
    else this.upsert(event.entry, event.kind === "ADDED");
    this.renderTimeline();
  }

  /** The ids shown, in page order (pinned first). */
  shownIds(): string[] {
    return [...this.el.querySelectorAll<HTMLElement>(".ngw-entry")].map((el) => el.dataset.entryId!);
  }

  private addPage(conn: Connection<LiveEntryData>): void {
    const nodes = conn.nodes ?? [];
    this.hasOlder = !!conn.pageInfo?.hasNextPage;
    this.endCursor = conn.pageInfo?.endCursor ?? this.endCursor;
    this.floor = this.hasOlder && nodes.length ? timeValue(nodes[nodes.length - 1]!.publishedAt) : 0;
    for (const e of nodes) this.upsert(e, false);
    this.renderMore();
  }

  private renderMore(): void {
    this.more.replaceChildren();
    if (!this.hasOlder) return;
    const button = h(
      "button",
      {
        type: "button",
        class: "ngw-link ngw-live-older",
        onclick: () => {
          button.disabled = true;
          void this.older().finally(() => (button.disabled = false));
        },
      },
      "Show older updates",
    );
    this.more.appendChild(button);
  }

  private async older(): Promise<void> {
    const conn = await this.hooks.loadOlder(this.endCursor).catch(() => undefined);
    if (conn) this.addPage(conn);
    this.renderTimeline();
  }

  private upsert(e: LiveEntryData, added: boolean): void {
    if (e.isKeyEvent) this.keyEvents.set(e.id, e);
    else this.keyEvents.delete(e.id);
    const old = this.entries.get(e.id);
    // Older than the pages loaded so far (and not pinned): it comes with "Show older updates".
    if (!e.isPinned && this.hasOlder && timeValue(e.publishedAt) < this.floor) {
      if (old) this.drop(e.id);
      return;
    }
    const el = this.render(e);
    const held = this.held.has(e.id) || (!old && added && !this.atTop());
    if (old) old.el.remove();
    this.entries.set(e.id, { data: e, el });
    if (e.isPinned) {
      // At most one pinned: another one still shown as pinned goes back to its place.
      for (const other of [...this.entries.values()]) {
        if (other.data.id !== e.id && other.data.isPinned) this.upsert({ ...other.data, isPinned: false }, false);
      }
      this.pinnedSlot.replaceChildren(el);
    } else {
      this.insertByTime(el, timeValue(e.publishedAt));
    }
    if (held) {
      el.hidden = true;
      this.held.add(e.id);
      this.renderBanner();
    } else if (added && !old) {
      el.classList.add("ngw-new");
      window.setTimeout(() => el.classList.remove("ngw-new"), 4000);
    }
  }

  private drop(id: string): void {
    const shown = this.entries.get(id);
    this.keyEvents.delete(id);
    if (!shown) return;
    shown.el.remove();
    this.entries.delete(id);
    if (this.held.delete(id)) this.renderBanner();
  }

  /** Newest first; equal times keep arrival order. */
  private insertByTime(el: HTMLElement, t: number): void {
    let before: Element | null = null;
    for (let child = this.list.firstElementChild; child; child = child.nextElementSibling) {
      if (timeValue((child as HTMLElement).dataset.publishedAt) < t) {
        before = child;
        break;
      }
    }
    this.list.insertBefore(el, before);
  }

  private render(e: LiveEntryData): HTMLElement {
    const names = e.authors.map((a) => a.name);
    return h(
      e.isPinned ? "div" : "li",
      {
        class: `ngw-entry${e.isPinned ? " ngw-entry-pinned" : ""}${e.isKeyEvent ? " ngw-entry-key" : ""}`,
        id: `ngw-entry-${e.id}`,
        "data-entry-id": e.id,
        "data-published-at": e.publishedAt,
        tabindex: -1,
      },
      h(
        "header",
        { class: "ngw-entry-head" },
        e.isPinned ? h("span", { class: "ngw-entry-flag" }, "Pinned") : null,
        e.isKeyEvent ? h("span", { class: "ngw-entry-flag ngw-entry-flag-key" }, "Key event") : null,
        h(
          "time",
          { class: "ngw-rel", datetime: e.publishedAt, title: formatTime(e.publishedAt) },
          relativeTime(e.publishedAt),
        ),
        names.length ? h("span", { class: "ngw-entry-byline" }, joinNames(names)) : null,
      ),
      e.title ? h("h3", { class: "ngw-entry-title" }, e.title) : null,
      // bodyHtml is sanitised by the server on write; articleFragment rebuilds only what that sanitiser allows.
      h("div", { class: "ngw-entry-body" }, articleFragment(e.bodyHtml)),
      e.editedAt
        ? h("p", { class: "ngw-entry-updated", title: formatTime(e.editedAt) }, `Updated ${clockTime(e.editedAt)}`)
        : null,
    );
  }

  private renderTimeline(): void {
    const events = [...this.keyEvents.values()].sort((a, b) => timeValue(b.publishedAt) - timeValue(a.publishedAt));
    this.timeline.hidden = events.length === 0;
    this.timelineList.replaceChildren(
      ...events.map((e) =>
        h(
          "li",
          { class: "ngw-keyevent", "data-entry-id": e.id },
          h(
            "button",
            { type: "button", class: "ngw-link", onclick: () => void this.scrollToEntry(e.id) },
            h("time", { datetime: e.publishedAt, title: formatTime(e.publishedAt) }, clockTime(e.publishedAt)),
            " ",
            keyEventLabel(e),
          ),
        ),
      ),
    );
  }

  /** Scrolls to an entry, loading older pages until it is there. */
  private async scrollToEntry(id: string): Promise<void> {
    for (let pages = 0; !this.entries.has(id) && this.hasOlder && pages < 50; pages++) await this.older();
    if (this.held.has(id)) this.reveal(false);
    const el = this.entries.get(id)?.el;
    if (!el) return;
    el.scrollIntoView({ block: "start", behavior: "smooth" });
    el.focus({ preventScroll: true });
  }

  /** Whether the reader is at the top of the live blog (new entries can show where they are). */
  private atTop(): boolean {
    return this.list.getBoundingClientRect().top > -40;
  }

  /** Shows the held entries; with `scroll`, takes the reader to the newest. */
  private reveal(scroll: boolean): void {
    for (const id of this.held) {
      const el = this.entries.get(id)?.el;
      if (!el) continue;
      el.hidden = false;
      el.classList.add("ngw-new");
      window.setTimeout(() => el.classList.remove("ngw-new"), 4000);
    }
    this.held.clear();
    this.renderBanner();
    if (scroll) this.pinnedSlot.scrollIntoView({ block: "start", behavior: "smooth" });
  }

  private renderBanner(): void {
    const n = this.held.size;
    this.banner.hidden = n === 0;
    this.banner.textContent = `${n} new ${n === 1 ? "update" : "updates"}`;
    if (n > 0) {
      if (this.baseTitle === null) this.baseTitle = document.title;
      document.title = `(${n}) ${this.baseTitle}`;
    } else if (this.baseTitle !== null) {
      document.title = this.baseTitle;
      this.baseTitle = null;
    }
  }

  private tick(): void {
    if (!this.el.isConnected) return;
    this.el.querySelectorAll<HTMLTimeElement>("time.ngw-rel").forEach((t) => {
      t.textContent = relativeTime(t.dateTime);
    });
  }

  stop(): void {
    window.clearInterval(this.ticker);
  }
}
