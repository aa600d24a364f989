/** The shape of the demo content (a fictional newsroom), kept apart from the loader. */
export interface DemoAuthor {
  slug: string;
  name: string;
  bio: string;
  avatarUrl: string | null;
}

export interface DemoTopic {
  slug: string;
  name: string;
  description: string;
}

export interface DemoComment {
  /** Local key so that replies can point at it. */
  key: string;
  /** Key of the comment this replies to, if any. */
  replyTo?: string;
  authorName: string;
  email: string;
  website?: string;
  body: string;
  /** Minutes after the article went live. */
  minutesAfter: number;
}

export interface DemoArticle {
  slug: string;
  title: string;
  standfirst: string;
  /** Markdown, several paragraphs. */
  body: string;
  /** Byline, in order: author slugs. */
  authors: string[];
  topics: string[];
  /** Hours before "now" that it was published. */
  hoursAgo: number;
  commentsOpen?: boolean;
  comments: DemoComment[];
}

/** One entry of a demo live blog. */
export interface DemoLiveEntry {
  title?: string;
  /** Markdown. */
  body: string;
  /** Byline, in order: author slugs; the first is the poster. */
  authors: string[];
  /** Minutes after the live blog started (which is when its article was published). */
  minutesAfter: number;
  keyEvent?: boolean;
  /** At most one per live blog. */
  pinned?: boolean;
  /** Minutes after the start that the entry was last edited, if it was. */
  editedMinutesAfter?: number;
}

/** A demo article that is a running live blog, with its entries (oldest first). */
export interface DemoLiveBlog {
  /** Slug of an article in articles.json. */
  article: string;
  entries: DemoLiveEntry[];
}
