import { connectionType } from "../../shared/pagination";
import { Article } from "./article.entity";

export const ArticleConnection = connectionType(Article, "Article");
