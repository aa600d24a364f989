import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Resolver, Root } from "type-graphql";
import type { Context } from "../../context";
import { Tags } from "../../cache/cache-tags";
import { expectGlobalId, toGlobalId } from "../../shared/node-id";
import { AFTER_ARG, FIRST_ARG, pageRequest } from "../../shared/pagination";
import { Role } from "../auth/role";
import { Article } from "../article/article.entity";
import { Author } from "../author/author.entity";
import { LiveEntry } from "./live-entry.entity";
import { LIVE_ENTRY_CURSOR } from "./live-entry.service";
import { LiveEntryConnection } from "./live-entry.types";
import { AddLiveEntryInput, UpdateLiveEntryInput } from "./live-blog.inputs";

const ARTICLE_ID = { description: "The article's global id; NOT_FOUND when the caller may not see it." };
const ENTRY_ID = {
  description: "The entry's global id; NOT_FOUND when it is deleted, unknown, or its article hidden.",
};

// An article's live blog joins two modules, so it lives in the higher one (docs/architecture.md).
@Resolver(() => Article)
export class ArticleLiveBlogResolver {
  @FieldResolver(() => LiveEntryConnection, {
    description:
      "The live blog's entries, newest first by first publication (an edit never moves an entry); deleted " +
      "entries are gone. Empty for an article that never was a live blog.",
  })
  async liveEntries(
    @Root() article: Article,
    @Ctx() ctx: Context,
    @Arg("first", () => Int, { nullable: true, description: FIRST_ARG }) first?: number | null,
    @Arg("after", () => String, { nullable: true, description: AFTER_ARG }) after?: string | null,
    @Arg("keyEventsOnly", () => Boolean, {
      nullable: true,
      defaultValue: false,
      description: "Only the key events: the timeline of key moments.",
    })
    keyEventsOnly?: boolean | null,
  ): Promise<InstanceType<typeof LiveEntryConnection>> {
    const page = pageRequest(first, after, LIVE_ENTRY_CURSOR);
    const entries = ctx.loaders.liveEntry;
    const result = await (keyEventsOnly ? entries.keyEvents : entries.page)(article.dbId, page);
    return new LiveEntryConnection(ctx.tagged(result, Tags.liveBlog(article.dbId)));
  }

  @FieldResolver(() => LiveEntry, {
    nullable: true,
    description: "The entry shown above all others, if one is pinned.",
  })
  async pinnedEntry(@Root() article: Article, @Ctx() ctx: Context): Promise<LiveEntry | null> {
    ctx.tag(Tags.liveBlog(article.dbId));
    return ctx.tagged(await ctx.loaders.liveEntry.pinned.load(article.dbId));
  }
}

@Resolver(() => LiveEntry)
export class LiveEntryResolver {
  @FieldResolver(() => Article, { description: "The live blog it belongs to." })
  async article(@Root() entry: LiveEntry, @Ctx() ctx: Context): Promise<Article> {
    const article = ctx.previewedArticle(entry.articleId) ?? (await ctx.loaders.article.byId.load(entry.articleId));
    // Every path to an entry passes through a check that its article is visible to the caller.
    if (!article) throw new Error(`LiveEntry ${entry.dbId}: its article ${entry.articleId} is not visible`);
    return ctx.tagged(article);
  }

  @FieldResolver(() => [Author], { description: "The entry's byline, in order; defaults to the author who posted it." })
  async authors(@Root() entry: LiveEntry, @Ctx() ctx: Context): Promise<Author[]> {
    const authors = await ctx.loaders.author.byId.loadMany(entry.authorIds);
    return ctx.tagged(authors.filter((a): a is Author => a instanceof Author));
  }
}

@Resolver(() => LiveEntry)
export class LiveBlogWriteResolver {
  @Authorized(Role.EDITOR)
  @Mutation(() => Article, {
    description:
      "EDITOR or ADMIN: the published article becomes a live blog (FORBIDDEN if it is not published). Reaches " +
      "articleUpdated. A blog that had ended goes live again, keeping liveSince.",
  })
  startLiveBlog(@Ctx() ctx: Context, @Arg("articleId", () => ID, ARTICLE_ID) articleId: string): Promise<Article> {
    return ctx.services.liveBlogWrite.start(ctx.viewer, expectGlobalId("Article", articleId, "articleId"));
  }

  @Authorized(Role.EDITOR)
  @Mutation(() => Article, {
    description:
      "EDITOR or ADMIN: live coverage ends; entries stay readable and no new ones are accepted. Reaches " +
      "articleUpdated. FORBIDDEN for an article that never was a live blog.",
  })
  endLiveBlog(@Ctx() ctx: Context, @Arg("articleId", () => ID, ARTICLE_ID) articleId: string): Promise<Article> {
    return ctx.services.liveBlogWrite.end(ctx.viewer, expectGlobalId("Article", articleId, "articleId"));
  }

  @Authorized(Role.WRITER)
  @Mutation(() => LiveEntry, {
    description:
      "The article's byline authors, and EDITOR or ADMIN. The article must be published and live (else " +
      "FORBIDDEN). Reaches liveBlog as ADDED.",
  })
  addLiveEntry(
    @Ctx() ctx: Context,
    @Arg("input", () => AddLiveEntryInput, { description: "The entry." }) input: AddLiveEntryInput,
  ): Promise<LiveEntry> {
    return ctx.services.liveBlogWrite.add(ctx.viewer, input);
  }

  @Authorized(Role.WRITER)
  @Mutation(() => LiveEntry, {
    description:
      "A writer edits only the entries they posted (else FORBIDDEN); editors any. Sets editedAt; the entry " +
      "keeps its place. Reaches liveBlog as EDITED.",
  })
  updateLiveEntry(
    @Ctx() ctx: Context,
    @Arg("id", () => ID, ENTRY_ID) id: string,
    @Arg("input", () => UpdateLiveEntryInput, { description: "What changes." }) input: UpdateLiveEntryInput,
  ): Promise<LiveEntry> {
    return ctx.services.liveBlogWrite.update(ctx.viewer, id, input);
  }

  @Authorized(Role.WRITER)
  @Mutation(() => ID, {
    description:
      "Returns the id of the deleted entry. Who may: as for updateLiveEntry. The entry is gone from every read " +
      "and cache; liveBlog replays DELETED to readers who were away.",
  })
  async deleteLiveEntry(@Ctx() ctx: Context, @Arg("id", () => ID, ENTRY_ID) id: string): Promise<string> {
    const dbId = await ctx.services.liveBlogWrite.delete(ctx.viewer, expectGlobalId("LiveEntry", id, "id"));
    return toGlobalId("LiveEntry", dbId);
  }

  @Authorized(Role.WRITER)
  @Mutation(() => LiveEntry, {
    description:
      "Pins this entry and unpins any other entry of the same live blog, in one transaction (liveBlog: " +
      "UNPINNED, then PINNED). The article's byline authors and EDITOR or ADMIN.",
  })
  pinLiveEntry(@Ctx() ctx: Context, @Arg("id", () => ID, ENTRY_ID) id: string): Promise<LiveEntry> {
    return ctx.services.liveBlogWrite.pin(ctx.viewer, expectGlobalId("LiveEntry", id, "id"));
  }

  @Authorized(Role.WRITER)
  @Mutation(() => LiveEntry, {
    description: "Unpins the entry (an entry not pinned is returned as it is). Who may: as for pinLiveEntry.",
  })
  unpinLiveEntry(@Ctx() ctx: Context, @Arg("id", () => ID, ENTRY_ID) id: string): Promise<LiveEntry> {
    return ctx.services.liveBlogWrite.unpin(ctx.viewer, expectGlobalId("LiveEntry", id, "id"));
  }
}
