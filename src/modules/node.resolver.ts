import { Arg, Ctx, ID, Query, Resolver } from "type-graphql";
import type { Context } from "../context";
import { Tags } from "../cache/cache-tags";
import { BadInputError } from "../shared/errors";
import { Node } from "../shared/node.type";
import { parseGlobalId } from "../shared/node-id";

@Resolver()
export class NodeResolver {
  @Query(() => Node, {
    nullable: true,
    description: "Any object by its global id; null when it does not exist or the caller may not see it.",
  })
  async node(
    @Ctx() ctx: Context,
    @Arg("id", () => ID, { description: "A global id (the `id` of any Node); a malformed one is BAD_USER_INPUT." })
    id: string,
  ): Promise<Node | null> {
    const parsed = parseGlobalId(id);
    if (!parsed) throw new BadInputError({ id: "not a valid node id" });
    const { loaders } = ctx;
    // Tagged even when null: publishing or approving it later must purge the "not found".
    ctx.tag(Tags.entity(parsed.type, parsed.id));
    switch (parsed.type) {
      case "Article":
        return loaders.article.byId.load(parsed.id);
      case "Author":
        return loaders.author.byId.load(parsed.id);
      case "Comment": {
        const comment = await loaders.comment.byId.load(parsed.id);
        // Visible only with its article: a found one goes when the article does; a hidden one may
        // appear when any article is (re)published.
        ctx.tag(comment ? Tags.comments(comment.articleId) : Tags.articleLists);
        return comment;
      }
      case "LiveEntry": {
        const entry = await loaders.liveEntry.byId.load(parsed.id);
        // As for comments: visible only with its article, and gone when deleted.
        ctx.tag(entry ? Tags.liveBlog(entry.articleId) : Tags.articleLists);
        return entry;
      }
      case "Topic":
        return loaders.topic.byId.load(parsed.id);
      case "Image":
        // Unpublished pictures stay out of sight: newsroom tokens only (readers get them through articles).
        return ctx.viewer ? loaders.image.byId.load(parsed.id) : null;
    }
  }
}
