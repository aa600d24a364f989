import { Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from "typeorm";
import { Field, ID, Int, ObjectType } from "type-graphql";
import { NODE_ID, Node } from "../../shared/node.type";
import { NodeType, toGlobalId } from "../../shared/node-id";
import { Author } from "../author/author.entity";

/**
 * An uploaded picture: the original as sent (in the image storage, under `key`) and its renditions,
 * made on first request. The URLs carry the random key, not the id, so an upload cannot be found by
 * counting. alt, caption and credit belong to a use of the image (an article's lead image), not to
 * the file: they are set when the image is read through that use.
 */
@Entity("images")
@ObjectType({
  implements: Node,
  simpleResolvers: true,
  description:
    "A picture with its renditions: `url(width, format)` for one size, `srcset` for all. Read through " +
    "Article.leadImage (anyone who may see the article), or node(id) (writers and better).",
})
export class Image implements Node {
  /** Its GraphQL type name (see nodeTypeOf). */
  static readonly nodeType: NodeType = "Image";

  @PrimaryGeneratedColumn({ name: "id" })
  dbId: number;

  @Field(() => ID, { name: "id", description: NODE_ID })
  get id(): string {
    return toGlobalId(Image.nodeType, this.dbId);
  }

  /** The storage key of the original and the renditions (random, URL-safe). */
  @Column({ type: "varchar", length: 32, unique: true })
  key: string;

  /** The original's format as detected from its bytes: jpeg, png, webp or avif. */
  @Column({ type: "varchar", length: 8 })
  format: string;

  @Column({ type: "int" })
  @Field(() => Int, { description: "Width of the original in pixels (as displayed: EXIF orientation applied)." })
  width: number;

  @Column({ type: "int" })
  @Field(() => Int, { description: "Height of the original in pixels (as displayed: EXIF orientation applied)." })
  height: number;

  /** Size of the original in bytes. */
  @Column({ type: "int" })
  bytes: number;

  @Column()
  uploadedBy: number;

  @ManyToOne(() => Author, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "uploaded_by" })
  uploader?: Author;

  @CreateDateColumn({ type: "timestamptz", precision: 3 })
  createdAt: Date;

  @Field(() => String, {
    nullable: true,
    description: "The text that stands for the picture (screen readers, no images); null outside an article.",
  })
  alt: string | null = null;

  @Field(() => String, { nullable: true, description: "The caption shown under the picture, if any." })
  caption: string | null = null;

  @Field(() => String, { nullable: true, description: "Who made the picture (photographer, agency), if given." })
  credit: string | null = null;
}
