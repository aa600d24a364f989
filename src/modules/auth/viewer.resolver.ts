import { Ctx, Field, ObjectType, Query, Resolver } from "type-graphql";
import type { Context } from "../../context";
import { Author } from "../author/author.entity";
import { Role } from "./role";

@ObjectType("Viewer", { description: "Who is calling: the author a token belongs to, and its role." })
export class ViewerType {
  @Field(() => Author, { description: "The author the token belongs to." })
  author: Author;

  @Field(() => Role, { description: "The token's role: what the caller may do." })
  role: Role;
}

@Resolver()
export class ViewerResolver {
  @Query(() => ViewerType, { nullable: true, description: "The authenticated author; null for anonymous callers." })
  async viewer(@Ctx() ctx: Context): Promise<ViewerType | null> {
    if (!ctx.viewer) return null;
    const author = await ctx.loaders.author.byId.load(ctx.viewer.authorId);
    return author ? { author, role: ctx.viewer.role } : null;
  }
}
