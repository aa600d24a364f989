import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from "typeorm";
import { Field, ID, ObjectType } from "type-graphql";
import { NODE_ID, Node } from "../../shared/node.type";
import { NodeType, toGlobalId } from "../../shared/node-id";

/** A person in bylines. Writers, editors and admins are authors with API tokens. */
@Entity("authors")
@Index("authors_name_idx", ["name", "dbId"])
@ObjectType({
  implements: Node,
  simpleResolvers: true,
  description: "A person in bylines, visible to everyone. Writers, editors and admins are authors with API tokens.",
})
export class Author implements Node {
  /** Its GraphQL type name (see nodeTypeOf). */
  static readonly nodeType: NodeType = "Author";

  @PrimaryGeneratedColumn({ name: "id" })
  dbId: number;

  @Field(() => ID, { name: "id", description: NODE_ID })
  get id(): string {
    return toGlobalId(Author.nodeType, this.dbId);
  }

  @Column({ unique: true })
  @Field({ description: "The author's name in URLs, unique across authors." })
  slug: string;

  @Column()
  @Field({ description: "The name shown in bylines." })
  name: string;

  @Column({ type: "text", nullable: true })
  @Field(() => String, { nullable: true, description: "A short biography, when there is one." })
  bio: string | null;

  @Column({ type: "text", nullable: true })
  @Field(() => String, { nullable: true, description: "The URL of a portrait, when there is one." })
  avatarUrl: string | null;

  @CreateDateColumn({ type: "timestamptz", precision: 3 })
  createdAt: Date;

  /** Kept by triggers on the join table (see the migration MaintainPublishedCounts); read by ArticleService.publishedCounts. */
  @Column({ type: "int", name: "published_article_count", default: 0, select: false, insert: false, update: false })
  publishedArticleCount?: number;
}
