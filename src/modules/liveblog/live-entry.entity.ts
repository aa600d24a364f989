import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from "typeorm";
import { Field, ID, ObjectType } from "type-graphql";
import { NODE_ID, Node } from "../../shared/node.type";
import { NodeType, toGlobalId } from "../../shared/node-id";
import { Article } from "../article/article.entity";
import { Author } from "../author/author.entity";

/**
 * An entry of a live blog: a timestamped post by the newsroom, shown newest
 * first by first publication (an edit never moves it). A deleted entry keeps
 * its row (deleted_at set, body emptied) so that its id stays known to the
 * feed and an idempotent retry still finds it; every read path leaves it out.
 */
@Entity("live_entries")
@Index("live_entries_blog_idx", ["articleId", "publishedAt", "dbId"], { where: "deleted_at IS NULL" })
@Index("live_entries_key_events_idx", ["articleId", "publishedAt", "dbId"], {
  where: "deleted_at IS NULL AND is_key_event",
})
// The second wall behind the article lock that pinning takes: at most one pinned entry per live blog.
@Index("live_entries_one_pinned_idx", ["articleId"], { unique: true, where: "is_pinned AND deleted_at IS NULL" })
@Index("live_entries_idempotency_idx", ["articleId", "idempotencyKey"], {
  unique: true,
  where: "idempotency_key IS NOT NULL",
})
@ObjectType({
  implements: Node,
  simpleResolvers: true,
  description:
    "A post in a live blog, written by the newsroom (readers comment; they do not post entries). Seen by " +
    "whoever may see its article.",
})
export class LiveEntry implements Node {
  /** Its GraphQL type name (see nodeTypeOf). */
  static readonly nodeType: NodeType = "LiveEntry";

  @PrimaryGeneratedColumn({ name: "id" })
  dbId: number;

  @Field(() => ID, { name: "id", description: NODE_ID })
  get id(): string {
    return toGlobalId(LiveEntry.nodeType, this.dbId);
  }

  @Column()
  articleId: number;

  @Column({ type: "varchar", length: 200, nullable: true })
  @Field(() => String, { nullable: true, description: "An optional short headline for the entry." })
  title: string | null;

  @Column({ type: "text" })
  @Field({ description: "Markdown source." })
  body: string;

  @Column({ type: "text" })
  @Field({ description: "The body rendered to sanitised HTML (when written, like article bodies)." })
  bodyHtml: string;

  /** The byline, in order (author ids); read through the author loader. */
  @Column({ type: "int", array: true })
  authorIds: number[];

  /** Who posted it: a writer may edit and delete only the entries they posted. */
  @Column()
  postedBy: number;

  @Column({ default: false })
  @Field({ description: "Key events are listed in the live blog's timeline of key moments." })
  isKeyEvent: boolean;

  @Column({ default: false })
  @Field({ description: "At most one entry of a live blog is pinned." })
  isPinned: boolean;

  @Column({ type: "timestamptz", precision: 3 })
  @Field(() => Date, { description: "When it was first published; its place in the blog." })
  publishedAt: Date;

  @Column({ type: "timestamptz", precision: 3, nullable: true })
  @Field(() => Date, {
    nullable: true,
    description: "When it was last edited after publication; null if never edited.",
  })
  editedAt: Date | null;

  /** Set when deleted: the row stays for the feed and for idempotent retries, out of every read. */
  @Column({ type: "timestamptz", precision: 3, nullable: true })
  deletedAt: Date | null;

  /** A client's retry key, unique per live blog so that racing retries store one entry. */
  @Column({ type: "varchar", length: 128, nullable: true, select: false })
  idempotencyKey: string | null;

  @ManyToOne(() => Article, { onDelete: "CASCADE" })
  @JoinColumn({ name: "article_id" })
  article?: Article;

  @ManyToOne(() => Author, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "posted_by" })
  poster?: Author;
}
