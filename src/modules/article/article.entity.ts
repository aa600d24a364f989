import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from "typeorm";
import { Field, ID, Int, ObjectType, registerEnumType } from "type-graphql";
import { NODE_ID, Node } from "../../shared/node.type";
import { NodeType, toGlobalId } from "../../shared/node-id";

export enum ArticleStatus {
  DRAFT = "DRAFT",
  SCHEDULED = "SCHEDULED",
  PUBLISHED = "PUBLISHED",
  ARCHIVED = "ARCHIVED",
}
registerEnumType(ArticleStatus, {
  name: "ArticleStatus",
  description: "Where an article is in the editorial workflow.",
  valuesConfig: {
    DRAFT: { description: "Being written: seen only by its byline and editors. New articles start here." },
    SCHEDULED: { description: "Set to go live by itself at publishedAt; seen only by its byline and editors." },
    PUBLISHED: { description: "Live: seen by everyone, in lists, search and the feed." },
    ARCHIVED: {
      description: "Withdrawn from every list and page, kept on record; seen only by its byline and editors.",
    },
  },
});

const WORDS_PER_MINUTE = 230;

@Entity("articles")
@Index("articles_published_sort_idx", ["sortAt", "dbId"], { where: `status = 'PUBLISHED'` })
@Index("articles_status_sort_idx", ["status", "sortAt", "dbId"])
@Index("articles_scheduled_idx", ["publishedAt"], { where: `status = 'SCHEDULED'` })
@Index("articles_updated_idx", ["updatedAt"])
// GIN over the generated tsvector; TypeORM cannot describe GIN, so the migration owns it.
@Index("articles_search_idx", { synchronize: false })
@ObjectType({
  implements: Node,
  simpleResolvers: true,
  description:
    "A news article. Anonymous readers see PUBLISHED articles; writers also those in their own byline; " +
    "editors and admins every article.",
})
export class Article implements Node {
  /** Its GraphQL type name (see nodeTypeOf). */
  static readonly nodeType: NodeType = "Article";

  @PrimaryGeneratedColumn({ name: "id" })
  dbId: number;

  @Field(() => ID, { name: "id", description: NODE_ID })
  get id(): string {
    return toGlobalId(Article.nodeType, this.dbId);
  }

  @Column({ unique: true })
  @Field({ description: "The article's name in URLs, unique across articles: lowercase words joined by hyphens." })
  slug: string;

  @Column()
  @Field({ description: "The headline." })
  title: string;

  @Column({ type: "text", nullable: true })
  @Field(() => String, { nullable: true, description: "The opening summary shown under the headline." })
  standfirst: string | null;

  /**
   * Markdown source, and its HTML (rendered and sanitised when the body is
   * written, never per read). Not in the default select list: lists, related
   * blocks and feed payloads rarely need them, and they are most of an
   * article's bytes, so ArticleResolver loads them by id when asked.
   */
  @Column({ type: "text", select: false })
  body?: string;

  @Column({ type: "text", select: false })
  bodyHtml?: string;

  @Column({ type: "varchar", length: 16, default: ArticleStatus.DRAFT })
  @Field(() => ArticleStatus, { description: "Where it is in the editorial workflow." })
  status: ArticleStatus;

  /** When it went (or, while SCHEDULED, will go) live. */
  @Column({ type: "timestamptz", precision: 3, nullable: true })
  @Field(() => Date, {
    nullable: true,
    description: "When it went live (while SCHEDULED: when it will); null for drafts, kept when archived.",
  })
  publishedAt: Date | null;

  @CreateDateColumn({ type: "timestamptz", precision: 3 })
  createdAt: Date;

  @UpdateDateColumn({ type: "timestamptz", precision: 3 })
  @Field(() => Date, { description: "When it was last edited or changed status." })
  updatedAt: Date;

  /** The keyset sort key of article lists: publication time, or creation time for drafts. */
  @Column({
    type: "timestamptz",
    precision: 3,
    generatedType: "STORED",
    asExpression: "COALESCE(published_at, created_at)",
    insert: false,
    update: false,
  })
  sortAt: Date;

  @Column({
    type: "tsvector",
    generatedType: "STORED",
    asExpression:
      "setweight(to_tsvector('english', title), 'A') || " +
      "setweight(to_tsvector('english', COALESCE(standfirst, '')), 'B') || " +
      "setweight(to_tsvector('english', body), 'C')",
    select: false,
    insert: false,
    update: false,
  })
  search: string;

  /** When live coverage started (startLiveBlog); kept after it ends. */
  @Column({ type: "timestamptz", precision: 3, nullable: true })
  @Field(() => Date, {
    nullable: true,
    description: "When live coverage started; null if the article never was a live blog.",
  })
  liveSince: Date | null;

  @Column({ type: "timestamptz", precision: 3, nullable: true })
  @Field(() => Date, {
    nullable: true,
    description: "When live coverage ended; null while it is live or if it never was.",
  })
  liveUntil: Date | null;

  @Field({ description: "True while the newsroom covers the story live (between startLiveBlog and endLiveBlog)." })
  get isLive(): boolean {
    return this.liveSince !== null && this.liveUntil === null;
  }

  /**
   * The title and description for search engines and link previews (Article.seo); null: the
   * headline and standfirst. Not in the default select list: read by id (ArticleService.metas).
   */
  @Column({ type: "varchar", length: 120, nullable: true, select: false })
  metaTitle?: string | null;

  @Column({ type: "varchar", length: 320, nullable: true, select: false })
  metaDescription?: string | null;

  @Column({ default: true })
  @Field({ description: "Whether readers may comment (on published articles only)." })
  commentsOpen: boolean;

  @Column({ type: "int", default: 0 })
  @Field(() => Int, { description: "Words in the rendered body." })
  wordCount: number;

  @Field(() => Int, { description: `Estimated reading time at ${WORDS_PER_MINUTE} words a minute; at least 1.` })
  get readingTimeMinutes(): number {
    return Math.max(1, Math.ceil(this.wordCount / WORDS_PER_MINUTE));
  }
}
