import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from "typeorm";
import { Article } from "./article.entity";
import { Author } from "../author/author.entity";
import { Topic } from "../topic/topic.entity";

/*
 * Join tables. Each carries `published_at`, copied from the article by a trigger
 * while the article is PUBLISHED and NULL otherwise, so that "a topic's (or an
 * author's) published articles, newest first" is one index range scan at any
 * depth, with no join before the LIMIT.
 */

@Entity("article_authors")
@Index("article_authors_feed_idx", ["authorId", "publishedAt", "articleId"], { where: "published_at IS NOT NULL" })
@Index("article_authors_author_idx", ["authorId", "articleId"])
export class ArticleAuthor {
  @PrimaryColumn()
  articleId: number;

  @PrimaryColumn()
  authorId: number;

  /** Byline order, from 0. */
  @Column({ type: "smallint" })
  position: number;

  @Column({ type: "timestamptz", precision: 3, nullable: true })
  publishedAt: Date | null;

  @ManyToOne(() => Article, { onDelete: "CASCADE" })
  @JoinColumn({ name: "article_id" })
  article?: Article;

  @ManyToOne(() => Author, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "author_id" })
  author?: Author;
}

@Entity("article_topics")
@Index("article_topics_feed_idx", ["topicId", "publishedAt", "articleId"], { where: "published_at IS NOT NULL" })
@Index("article_topics_topic_idx", ["topicId", "articleId"])
export class ArticleTopic {
  @PrimaryColumn()
  articleId: number;

  @PrimaryColumn()
  topicId: number;

  @Column({ type: "timestamptz", precision: 3, nullable: true })
  publishedAt: Date | null;

  @ManyToOne(() => Article, { onDelete: "CASCADE" })
  @JoinColumn({ name: "article_id" })
  article?: Article;

  @ManyToOne(() => Topic, { onDelete: "CASCADE" })
  @JoinColumn({ name: "topic_id" })
  topic?: Topic;
}
