import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from "typeorm";
import { Field, Int, ObjectType } from "type-graphql";
import { Author } from "../author/author.entity";
import { Article } from "./article.entity";

/**
 * One published state of an article: written in the transaction that
 * publishes it, and in every edit of it while published that changes its
 * title, standfirst or body or carries a correction note. Numbered 1, 2, ...
 * per article under the article's row lock; the unique index is the second wall.
 */
@Entity("article_revisions")
@Index("article_revisions_number_idx", ["articleId", "number"], { unique: true })
@ObjectType({
  simpleResolvers: true,
  description: "A published state of an article, kept for its history (editors and the byline author only).",
})
export class ArticleRevision {
  /** Not a Node (no global id, no `dbId`): a revision is named by its article and number, and read only uncached. */
  @PrimaryGeneratedColumn()
  id: number;

  @Column()
  articleId: number;

  @Column({ type: "int" })
  @Field(() => Int, { description: "1 for the first publication, then one more for each revision of the article." })
  number: number;

  @Column({ type: "text" })
  @Field({ description: "The headline as it was." })
  title: string;

  @Column({ type: "text", nullable: true })
  @Field(() => String, { nullable: true, description: "The standfirst as it was." })
  standfirst: string | null;

  @Column({ type: "text" })
  @Field({ description: "The Markdown body as it was." })
  body: string;

  /** Who made it (the token's author); null when the scheduler published it or a migration backfilled it. */
  @Column({ type: "int", nullable: true })
  editorId: number | null;

  @Column({ type: "text", nullable: true })
  @Field(() => String, {
    nullable: true,
    description: "The correction note published with it; null for a silent fix (and for the first publication).",
  })
  correction: string | null;

  @Column({ type: "timestamptz", precision: 3 })
  @Field(() => Date, { description: "When it went live." })
  createdAt: Date;

  @ManyToOne(() => Article, { onDelete: "CASCADE" })
  @JoinColumn({ name: "article_id" })
  article?: Article;

  @ManyToOne(() => Author, { onDelete: "SET NULL" })
  @JoinColumn({ name: "editor_id" })
  editedBy?: Author;
}
