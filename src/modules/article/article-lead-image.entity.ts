import { Column, Entity, Index, JoinColumn, ManyToOne, OneToOne, PrimaryColumn } from "typeorm";
import { Image } from "../image/image.entity";
import { Article } from "./article.entity";

/**
 * An article's lead image, with what belongs to this use of the picture (alt text, caption,
 * credit). A table of its own, one row per article at most: the article row stays as it was, and
 * an image used by several articles can carry other words in each.
 */
@Entity("article_lead_images")
@Index("article_lead_images_image_idx", ["imageId"])
export class ArticleLeadImage {
  @PrimaryColumn()
  articleId: number;

  @Column()
  imageId: number;

  @Column({ type: "varchar", length: 300 })
  alt: string;

  @Column({ type: "varchar", length: 1000, nullable: true })
  caption: string | null;

  @Column({ type: "varchar", length: 200, nullable: true })
  credit: string | null;

  @OneToOne(() => Article, { onDelete: "CASCADE" })
  @JoinColumn({ name: "article_id" })
  article?: Article;

  // An image in use cannot go (there is no image deletion yet; this keeps it so when there is).
  @ManyToOne(() => Image, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "image_id" })
  image?: Image;
}
