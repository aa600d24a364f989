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
