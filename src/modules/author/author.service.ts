import type { Database } from "../../db/database";
import type { RowMapper } from "../../db/sql";
import type { Page, PageRequest } from "../../shared/pagination";
import { NamedListQuery, namedCursor } from "../../db/named-list";
import { Author } from "./author.entity";

export const AUTHOR_CURSOR = namedCursor("au");

/** Read side of authors. Bylines are public, so authors are visible to everyone. */
export class AuthorService {
  private readonly named: NamedListQuery<Author>;

  constructor(db: Database, rows: RowMapper) {
    this.named = new NamedListQuery(db, rows, Author, "authors", AUTHOR_CURSOR);
  }

  byIds(ids: readonly number[]): Promise<(Author | null)[]> {
    return this.named.byKeys("id", ids);
  }

  bySlugs(slugs: readonly string[]): Promise<(Author | null)[]> {
    return this.named.byKeys("slug", slugs);
  }

  /** All authors by name. */
  list(page: PageRequest): Promise<Page<Author>> {
    return this.named.list(page);
  }
}
