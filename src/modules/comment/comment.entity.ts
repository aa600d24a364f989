import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from "typeorm";
import { Field, ID, ObjectType, registerEnumType } from "type-graphql";
import { NODE_ID, Node } from "../../shared/node.type";
import { NodeType, toGlobalId } from "../../shared/node-id";
import { Article } from "../article/article.entity";

export enum CommentStatus {
  PENDING = "PENDING",
  APPROVED = "APPROVED",
  REJECTED = "REJECTED",
  SPAM = "SPAM",
}
registerEnumType(CommentStatus, {
  name: "CommentStatus",
  description: "Where a comment is in moderation; only APPROVED comments are public.",
  valuesConfig: {
    PENDING: { description: "Waiting for an editor, in the moderation queue." },
    APPROVED: { description: "Public." },
    REJECTED: { description: "Turned down by an editor." },
    SPAM: { description: "Marked as spam by an editor." },
  },
});

@Entity("comments")
@Index("comments_thread_idx", ["articleId", "createdAt", "dbId"], {
  where: `status = 'APPROVED' AND parent_id IS NULL`,
})
@Index("comments_replies_idx", ["parentId", "createdAt", "dbId"], { where: `status = 'APPROVED'` })
@Index("comments_article_status_idx", ["articleId", "status"])
@Index("comments_parent_idx", ["parentId"])
@Index("comments_queue_idx", ["status", "createdAt"])
@Index("comments_sender_idx", ["senderKey", "createdAt"])
@Index("comments_idempotency_idx", ["articleId", "idempotencyKey"], {
  unique: true,
  where: "idempotency_key IS NOT NULL",
})
@ObjectType({
  implements: Node,
  simpleResolvers: true,
  description:
    "A reader's comment on an article. Readers see the approved comments of the articles they may see; " +
    "editors and admins every comment.",
})
export class Comment implements Node {
  /** Its GraphQL type name (see nodeTypeOf). */
  static readonly nodeType: NodeType = "Comment";

  @PrimaryGeneratedColumn({ name: "id" })
  dbId: number;

  @Field(() => ID, { name: "id", description: NODE_ID })
  get id(): string {
    return toGlobalId(Comment.nodeType, this.dbId);
  }

  @Column()
  articleId: number;

  @Column({ type: "int", nullable: true })
  parentId: number | null;

  /** 0 for a top-level comment; replies nest at most MAX_REPLY_DEPTH deep (comment-write.service.ts). */
  @Column({ type: "smallint", default: 0 })
  depth: number;

  @Column({ length: 80 })
  @Field({ description: "The name the commenter gave." })
  authorName: string;

  /**
   * Stored as submitted, and read back by no code: never a GraphQL field (moderators do not see it
   * either), never selected by read queries. The per-email limit and senderKey hash the input instead.
   */
  @Column({ length: 254, select: false })
  email: string;

  @Column({ type: "text", nullable: true })
  @Field(() => String, { nullable: true, description: "The commenter's website, when given." })
  website: string | null;

  @Column({ type: "text" })
  @Field({ description: "Plain text as submitted (no HTML is ever interpreted)." })
  body: string;

  @Column({ type: "varchar", length: 16 })
  @Field(() => CommentStatus, { description: "Where it is in moderation." })
  status: CommentStatus;

  @CreateDateColumn({ type: "timestamptz", precision: 3 })
  @Field(() => Date, { description: "When it was posted." })
  createdAt: Date;

  /**
   * Who sent it, for the repeated-body rule only: a hash of the normalised email and the client
   * address together (see comment-email.ts). Never selected by read queries.
   */
  @Column({ type: "varchar", length: 64, nullable: true, select: false })
  senderKey: string | null;

  /** A client's retry key, unique per article so that racing retries store one comment. */
  @Column({ type: "varchar", length: 128, nullable: true, select: false })
  idempotencyKey: string | null;

  @ManyToOne(() => Article, { onDelete: "CASCADE" })
  @JoinColumn({ name: "article_id" })
  article?: Article;

  @ManyToOne(() => Comment, { onDelete: "CASCADE", nullable: true })
  @JoinColumn({ name: "parent_id" })
  parent?: Comment;
}
