import { Field, ObjectType } from "type-graphql";
import { Article } from "../article/article.entity";
import { Comment } from "../comment/comment.entity";

@ObjectType({ description: "A comment as a feed event: keep `cursor` to resume after a disconnect." })
export class CommentEvent {
  @Field()
  cursor: string;

  @Field(() => Comment)
  comment: Comment;

  @Field({ description: "True while the server is replaying events missed since the given cursor." })
  replayed: boolean;
}

@ObjectType({ description: "An article as a feed event: keep `cursor` to resume after a disconnect." })
export class ArticleEvent {
  @Field()
  cursor: string;

  @Field(() => Article)
  article: Article;

  @Field()
  replayed: boolean;
}
