import { Arg, Ctx, Int, Query, Resolver } from "type-graphql";
import type { Context } from "../../context";
import { Tags } from "../../cache/cache-tags";
import { AFTER_ARG, FIRST_ARG, pageRequest } from "../../shared/pagination";
import { Author } from "./author.entity";
import { AUTHOR_CURSOR } from "./author.service";
import { AuthorConnection } from "./author.types";

@Resolver(() => Author)
export class AuthorResolver {
  @Query(() => Author, { nullable: true, description: "The author with this slug; null when there is none." })
  async author(
    @Ctx() ctx: Context,
    @Arg("slug", () => String, { description: "The author's slug." }) slug: string,
  ): Promise<Author | null> {
    return ctx.tagged(await ctx.loaders.author.bySlug.load(slug), Tags.authors);
  }

  @Query(() => AuthorConnection, { description: "Every author, by name." })
  async authors(
    @Ctx() ctx: Context,
    @Arg("first", () => Int, { nullable: true, description: FIRST_ARG }) first?: number | null,
    @Arg("after", () => String, { nullable: true, description: AFTER_ARG }) after?: string | null,
  ): Promise<InstanceType<typeof AuthorConnection>> {
    return new AuthorConnection(
      ctx.tagged(await ctx.services.author.list(pageRequest(first, after, AUTHOR_CURSOR)), Tags.authors),
    );
  }
}
