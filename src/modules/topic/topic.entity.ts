import { Column, Entity, Index, PrimaryGeneratedColumn } from "typeorm";
import { Field, ID, ObjectType } from "type-graphql";
import { NODE_ID, Node } from "../../shared/node.type";
import { NodeType, toGlobalId } from "../../shared/node-id";

@Entity("topics")
@Index("topics_name_idx", ["name", "dbId"])
@ObjectType({ implements: Node, simpleResolvers: true, description: "A subject that articles are tagged with." })
export class Topic implements Node {
  /** Its GraphQL type name (see nodeTypeOf). */
  static readonly nodeType: NodeType = "Topic";

  @PrimaryGeneratedColumn({ name: "id" })
  dbId: number;

  @Field(() => ID, { name: "id", description: NODE_ID })
  get id(): string {
    return toGlobalId(Topic.nodeType, this.dbId);
  }

  @Column({ unique: true })
  @Field({ description: "The topic's name in URLs, unique across topics." })
  slug: string;

  @Column()
  @Field({ description: "The topic's display name." })
  name: string;

  @Column({ type: "text", nullable: true })
  @Field(() => String, { nullable: true, description: "What the topic covers, when described." })
  description: string | null;

  /** Kept by triggers on the join table (see the migration MaintainPublishedCounts); read by ArticleService.publishedCounts. */
  @Column({ type: "int", name: "published_article_count", default: 0, select: false, insert: false, update: false })
  publishedArticleCount?: number;
}
