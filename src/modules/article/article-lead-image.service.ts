import type { Database, Queryable } from "../../db/database";
import type { RowMapper } from "../../db/sql";
import { BadInputError } from "../../shared/errors";
import { parseGlobalId } from "../../shared/node-id";
import type { InputErrors } from "../../shared/validation";
import { Image } from "../image/image.entity";
import type { LeadImageInput } from "./article-lead-image.inputs";
import { MAX_ALT, MAX_CAPTION, MAX_CREDIT } from "./article-lead-image.inputs";

/** A lead image input once checked: null clears it. */
export type LeadImageChange = { imageId: number; alt: string; caption: string | null; credit: string | null } | null;

/** Articles' lead images: read in one statement per page, written inside the article's transaction. */
export class ArticleLeadImageService {
  constructor(
    private readonly db: Database,
    private readonly rows: RowMapper,
  ) {}

  /** Each article's lead image (with its alt, caption and credit), or null; one statement for all. */
  async byArticleIds(articleIds: readonly number[]): Promise<(Image | null)[]> {
    if (!articleIds.length) return [];
    const rows = await this.db.query(
      `SELECT l.article_id AS lead_article_id, l.alt AS lead_alt, l.caption AS lead_caption,
         l.credit AS lead_credit, ${this.rows.columns(Image, "i")}
       FROM article_lead_images l JOIN images i ON i.id = l.image_id WHERE l.article_id = ANY($1::int[])`,
      [[...articleIds]],
    );
    const byArticle = new Map<number, Image>();
    for (const row of rows) {
      const image = this.rows.hydrate(Image, row);
      image.alt = row.lead_alt;
      image.caption = row.lead_caption;
      image.credit = row.lead_credit;
      byArticle.set(row.lead_article_id, image);
    }
    return articleIds.map((id) => byArticle.get(id) ?? null);
  }

  /**
   * Checks the input's shape into `errors` (field names `leadImage.*`); undefined means "leave it",
   * null "clear it". The image's existence is checked in the transaction (`write`).
   */
  check(errors: InputErrors, input: LeadImageInput | null | undefined): LeadImageChange | undefined {
    if (input === undefined) return undefined;
    if (input === null) return null;
    const parsed = parseGlobalId(input.imageId);
    if (!parsed || parsed.type !== "Image") errors.add("leadImage.imageId", "not a valid Image id");
    const alt = input.alt == null ? "" : input.alt;
    if (!alt.trim()) errors.add("leadImage.alt", "is required when an image is set (what the picture shows)");
    const checkedAlt = errors.text(alt, "leadImage.alt", 0, MAX_ALT);
    const optional = (value: string | null | undefined, field: string, max: number) =>
      value == null ? null : errors.text(value, field, 0, max) || null;
    return {
      imageId: parsed?.id ?? 0,
      alt: checkedAlt,
      caption: optional(input.caption, "leadImage.caption", MAX_CAPTION),
      credit: optional(input.credit, "leadImage.credit", MAX_CREDIT),
    };
  }

  /** Sets or clears the article's lead image; an unknown image is BAD_USER_INPUT (the transaction rolls back). */
  async write(conn: Queryable, articleId: number, change: LeadImageChange): Promise<void> {
    if (change === null) {
      await conn.query("DELETE FROM article_lead_images WHERE article_id = $1", [articleId]);
      return;
    }
    // FOR KEY SHARE: the image cannot be deleted under us before the commit.
    const found = await conn.query("SELECT 1 FROM images WHERE id = $1 FOR KEY SHARE", [change.imageId]);
    if (!found.length) throw new BadInputError({ "leadImage.imageId": "no such image" });
    await conn.query(
      `INSERT INTO article_lead_images (article_id, image_id, alt, caption, credit) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (article_id) DO UPDATE SET image_id = $2, alt = $3, caption = $4, credit = $5`,
      [articleId, change.imageId, change.alt, change.caption, change.credit],
    );
  }
}
