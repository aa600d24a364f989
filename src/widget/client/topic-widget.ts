import { formatTime, h, joinNames, timeValue } from "./dom";
import { NewItemsPill } from "./pill";
import type { ArticleCard, ArticleEventData } from "./queries";
import { ARTICLE_PUBLISHED, TOPIC_QUERY } from "./queries";
import { StatusLine } from "./status-line";
import { cursorKey, load, save } from "./storage";
import type { GqlError, Live } from "./transport";
import { httpRequest } from "./transport";

interface TopicData {
  id: string;
  slug: string;
  name: string;
  description: string | null;
  articles: { nodes: ArticleCard[] };
}

export interface TopicOptions {
  endpoint: string;
  live: Live;
  /** Link for an article; "{slug}" is replaced. */
  linkTemplate: string;
  /** An article never listed (the one being read, on an article page's sidebar). */
  excludeSlug?: string | null;
}

/**
 * Topic mode: the topic's latest articles, newest first; newly published ones
 * appear live at the top. Same resume rules as article mode (cursor in
 * sessionStorage, catch-up query without one, dedupe by id).
 */
export class TopicWidget {
  private readonly list = h("ol", { class: "ngw-cards" });
  private readonly cards = new Map<string, HTMLElement>();
  private readonly pill = new NewItemsPill(["article", "articles"], "↑");
  private readonly status: StatusLine;
  private variables: { topicSlugs: string[]; since: string | null } | null = null;

  constructor(
    private readonly root: HTMLElement,
    private readonly slug: string,
    private readonly options: TopicOptions,
  ) {
    this.status = new StatusLine(options.live);
  }

  async start(): Promise<void> {
    this.root.classList.add("ngw", "ngw-topic-mode");
    this.root.replaceChildren(h("p", { class: "ngw-loading" }, "Loading…"));
    let topic: TopicData | null;
    try {
      topic = (await httpRequest<{ topic: TopicData | null }>(this.options.endpoint, TOPIC_QUERY, { slug: this.slug }))
        .topic;
    } catch {
      this.root.replaceChildren(
        h(
          "p",
          { class: "ngw-error" },
          "This topic could not be loaded. ",
          h("button", { type: "button", class: "ngw-link", onclick: () => void this.start() }, "Try again"),
        ),
      );
      return;
    }
    if (!topic) {
      this.root.replaceChildren(h("p", { class: "ngw-error" }, "Topic not found."));
      return;
    }
    this.root.replaceChildren(
      h(
        "section",
        { class: "ngw-topic", "aria-label": topic.name },
        h("div", { class: "ngw-discussion-head" }, h("h2", { class: "ngw-topic-title" }, topic.name), this.status.el),
        topic.description ? h("p", { class: "ngw-topic-description" }, topic.description) : null,
        this.list,
      ),
      this.pill.el,
    );
    for (const card of topic.articles.nodes) this.upsert(card, false);
    this.subscribe();
    this.options.live.onReconnect(() => {
      if (!this.variables?.since) this.fetchRecent();
    });
  }

  private subscribe(): void {
    const key = cursorKey(`topic:${this.slug}`);
    const variables = { topicSlugs: [this.slug], since: load<string | null>(key, null) };
    this.variables = variables;
    this.options.live.subscribe<ArticleEventData>(ARTICLE_PUBLISHED, variables, {
      next: ({ articlePublished: event }) => {
        variables.since = event.cursor;
        save(key, event.cursor);
        this.upsert(event.article, true);
      },
      error: (errors: GqlError[]) => {
        if (errors.some((e) => e.extensions?.fields?.since)) save(key, null);
        window.setTimeout(() => this.subscribe(), errors.some((e) => e.extensions?.fields?.since) ? 0 : 3000);
      },
    });
    if (!variables.since) this.fetchRecent();
  }

  private fetchRecent(): void {
    this.options.live
      .query<{ topic: TopicData | null }>(TOPIC_QUERY, { slug: this.slug })
      .then((data) => data.topic?.articles.nodes.forEach((card) => this.upsert(card, true)))
      .catch(() => undefined);
  }

  private upsert(a: ArticleCard, live: boolean): void {
    if (a.slug === this.options.excludeSlug) return;
    const existing = this.cards.get(a.id);
    const el = this.render(a);
    if (existing) {
      existing.replaceChildren(...el.childNodes);
      return;
    }
    this.cards.set(a.id, el);
    // Newest first by publication time.
    const t = timeValue(a.publishedAt);
    let before: Element | null = null;
    for (let child = this.list.firstElementChild; child; child = child.nextElementSibling) {
      if (timeValue((child as HTMLElement).dataset.publishedAt) < t) {
        before = child;
        break;
      }
    }
    this.list.insertBefore(el, before);
    if (live) this.pill.track(el);
  }

  private render(a: ArticleCard): HTMLElement {
    const href = this.options.linkTemplate.replace("{slug}", encodeURIComponent(a.slug));
    const names = a.authors.map((author) => author.name);
    return h(
      "li",
      { class: "ngw-card", "data-article-id": a.id, "data-published-at": a.publishedAt ?? "", tabindex: -1 },
      h("h3", { class: "ngw-card-title" }, h("a", { href }, a.title)),
      a.standfirst ? h("p", { class: "ngw-card-standfirst" }, a.standfirst) : null,
      h(
        "p",
        { class: "ngw-meta" },
        names.length ? `By ${joinNames(names)}` : null,
        names.length && a.publishedAt ? " · " : null,
        a.publishedAt ? h("time", { class: "ngw-time", datetime: a.publishedAt }, formatTime(a.publishedAt)) : null,
      ),
    );
  }
}
