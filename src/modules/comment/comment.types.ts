import { connectionType } from "../../shared/pagination";
import { Comment } from "./comment.entity";

export const CommentConnection = connectionType(Comment, "Comment");
