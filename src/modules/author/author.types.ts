import { connectionType } from "../../shared/pagination";
import { Author } from "./author.entity";

export const AuthorConnection = connectionType(Author, "Author");
