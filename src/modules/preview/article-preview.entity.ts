import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from "typeorm";
import { Field, ID, ObjectType } from "type-graphql";
import { Article } from "../article/article.entity";
import { Author } from "../author/author.entity";
import { previewGlobalId } from "./preview-token";

/**
 * A preview link of one unpublished article. Only the SHA-256 of the token's random part is stored; the
 * token itself is shown once, by createArticlePreview. Rows stay after expiry and revocation (the link
 * then answers FORBIDDEN with its reason) and go with their article.
 */
@Entity("article_previews")
@Index("article_previews_article_idx", ["articleId", "expiresAt"])
@ObjectType({
  simpleResolvers: true,
  description:
    "A preview link of a DRAFT or SCHEDULED article (createArticlePreview): whoever has the link reads that one " +
    "article until it expires or is revoked. Seen by the article's byline and editors.",
})
export class ArticlePreview {
  /** Not `dbId`: a preview is no Node (it has no node id, no cache tag: it is never cached). */
  @PrimaryGeneratedColumn({ name: "id" })
  rowId: number;

  @Field(() => ID, { name: "id", description: "The preview's id, for revokeArticlePreview." })
  get id(): string {
    return previewGlobalId(this.rowId);
  }

  @Column()
  articleId: number;

  @Column({ type: "char", length: 64, unique: true })
  tokenHash: string;

  @Column({ name: "created_by" })
  creatorId: number;

  @CreateDateColumn({ type: "timestamptz", precision: 3 })
  @Field(() => Date, { description: "When the link was made." })
  createdAt: Date;

  @Column({ type: "timestamptz", precision: 3 })
  @Field(() => Date, { description: "When the link stops working." })
  expiresAt: Date;

  @Column({ type: "timestamptz", precision: 3, nullable: true })
  @Field(() => Date, { nullable: true, description: "When it was revoked; null while it is not." })
  revokedAt: Date | null;

  @ManyToOne(() => Article, { onDelete: "CASCADE" })
  @JoinColumn({ name: "article_id" })
  article?: Article;

  @ManyToOne(() => Author, { onDelete: "CASCADE" })
  @JoinColumn({ name: "created_by" })
  creator?: Author;
}
