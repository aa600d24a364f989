import { Database } from "../db/database";
import { RowMapper } from "../db/sql";
import { ArticleService } from "./article/article.service";
import { AuthService } from "./auth/auth.service";
import { AuthorService } from "./author/author.service";
import { CommentService } from "./comment/comment.service";
import { TopicService } from "./topic/topic.service";

/** The application-wide services; one set per server, shared by all requests. */
export interface Services {
  db: Database;
  article: ArticleService;
  auth: AuthService;
  author: AuthorService;
  topic: TopicService;
  comment: CommentService;
}

export function createServices(db: Database): Services {
  const rows = new RowMapper(db.dataSource);
  return {
    db,
    article: new ArticleService(db, rows),
    auth: new AuthService(db),
    author: new AuthorService(db, rows),
    topic: new TopicService(db, rows),
    comment: new CommentService(db, rows),
  };
}
