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

/**
 * A demo article that was corrected after it went live: its revision 1 is its text with each `was`
 * replacement undone, revision 2 (its text as in articles.json) carries the correction note.
 */
export interface DemoCorrection {
  /** Slug of an article in articles.json. */
  article: string;
  /** Author slug of who made the correction. */
  editor: string;
  /** Hours after publication that the correction went live. */
  hoursAfter: number;
  text: string;
  /** What the first version said instead: in `field`, `was` where the article now has `now`. */
  was: { field: "title" | "standfirst" | "body"; now: string; was: string }[];
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
