import { Column, Entity, Index, PrimaryGeneratedColumn } from "typeorm";
import { Field, ID, ObjectType } from "type-graphql";
import { Node } from "../../shared/node.type";
import { NodeType, toGlobalId } from "../../shared/node-id";

@Entity("topics")
@Index("topics_name_idx", ["name", "dbId"])
@ObjectType({ implements: Node, simpleResolvers: true })
export class Topic implements Node {
  /** Its GraphQL type name (see nodeTypeOf). */
  static readonly nodeType: NodeType = "Topic";

  @PrimaryGeneratedColumn({ name: "id" })
  dbId: number;

  @Field(() => ID, { name: "id" })
  get id(): string {
    return toGlobalId(Topic.nodeType, this.dbId);
  }

  @Column({ unique: true })
  @Field()
  slug: string;

  @Column()
  @Field()
  name: string;

  @Column({ type: "text", nullable: true })
  @Field(() => String, { nullable: true })
  description: string | null;

  /** Kept by triggers on the join table (see the migration MaintainPublishedCounts); read by ArticleService.publishedCounts. */
  @Column({ type: "int", name: "published_article_count", default: 0, select: false, insert: false, update: false })
  publishedArticleCount?: number;
}
