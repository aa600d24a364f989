import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from "typeorm";
import { Field, ID, Int, ObjectType, registerEnumType } from "type-graphql";
import { Node } from "../../shared/node.type";
import { NodeType, toGlobalId } from "../../shared/node-id";

export enum ArticleStatus {
  DRAFT = "DRAFT",
  SCHEDULED = "SCHEDULED",
  PUBLISHED = "PUBLISHED",
  ARCHIVED = "ARCHIVED",
}
registerEnumType(ArticleStatus, { name: "ArticleStatus" });

const WORDS_PER_MINUTE = 230;

@Entity("articles")
@Index("articles_published_sort_idx", ["sortAt", "dbId"], { where: `status = 'PUBLISHED'` })
@Index("articles_status_sort_idx", ["status", "sortAt", "dbId"])
@Index("articles_scheduled_idx", ["publishedAt"], { where: `status = 'SCHEDULED'` })
// GIN over the generated tsvector; TypeORM cannot describe GIN, so the migration owns it.
@Index("articles_search_idx", { synchronize: false })
@ObjectType({ implements: Node, simpleResolvers: true })
export class Article implements Node {
  /** Its GraphQL type name (see nodeTypeOf). */
  static readonly nodeType: NodeType = "Article";

  @PrimaryGeneratedColumn({ name: "id" })
  dbId: number;

  @Field(() => ID, { name: "id" })
  get id(): string {
    return toGlobalId(Article.nodeType, this.dbId);
  }

  @Column({ unique: true })
  @Field()
  slug: string;

  @Column()
  @Field()
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
  @Field(() => ArticleStatus)
  status: ArticleStatus;

  /** When it went (or, while SCHEDULED, will go) live. */
  @Column({ type: "timestamptz", precision: 3, nullable: true })
  @Field(() => Date, { nullable: true })
  publishedAt: Date | null;

  @CreateDateColumn({ type: "timestamptz", precision: 3 })
  createdAt: Date;

  @UpdateDateColumn({ type: "timestamptz", precision: 3 })
  @Field(() => Date)
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

  @Column({ default: true })
  @Field()
  commentsOpen: boolean;

  @Column({ type: "int", default: 0 })
  @Field(() => Int)
  wordCount: number;

  @Field(() => Int)
  get readingTimeMinutes(): number {
    return Math.max(1, Math.ceil(this.wordCount / WORDS_PER_MINUTE));
  }
}
