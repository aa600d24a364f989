import type { Database } from "../../db/database";
import type { RowMapper } from "../../db/sql";
import type { Page, PageRequest } from "../../shared/pagination";
import { NamedListQuery, namedCursor } from "../../db/named-list";
import { Topic } from "./topic.entity";

export const TOPIC_CURSOR = namedCursor("t");

/** Read side of topics. */
export class TopicService {
  private readonly named: NamedListQuery<Topic>;

  constructor(db: Database, rows: RowMapper) {
    this.named = new NamedListQuery(db, rows, Topic, "topics", TOPIC_CURSOR);
  }

  byIds(ids: readonly number[]): Promise<(Topic | null)[]> {
    return this.named.byKeys("id", ids);
  }

  bySlugs(slugs: readonly string[]): Promise<(Topic | null)[]> {
    return this.named.byKeys("slug", slugs);
  }

  /** All topics by name. */
  list(page: PageRequest): Promise<Page<Topic>> {
    return this.named.list(page);
  }
}
