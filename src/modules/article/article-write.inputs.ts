import { Field, InputType } from "type-graphql";
import { MAX_SLUG_LENGTH } from "../../shared/validation";
import { MAX_BODY, MAX_META_DESCRIPTION, MAX_META_TITLE, MAX_STANDFIRST, MAX_TITLE } from "./article-editor.service";
import { LeadImageInput } from "./article-lead-image.inputs";
import { MAX_CORRECTION } from "./article-revision.service";

const n = (value: number) => value.toLocaleString("en");

const SLUG_RULES =
  `lowercase words joined by hyphens, at most ${MAX_SLUG_LENGTH} characters. Taken by an article you can see: ` +
  "CONFLICT; taken by one you cannot: the first free `slug-N` instead.";

@InputType({ description: "A new article, created as a DRAFT." })
export class CreateArticleInput {
  @Field(() => String, { description: `The headline: 1 to ${n(MAX_TITLE)} characters, trimmed.` })
  title: string;

  @Field(() => String, {
    nullable: true,
    description: `Generated from the title (and made unique) when not given. Given: ${SLUG_RULES}`,
  })
  slug?: string | null;

  @Field(() => String, {
    nullable: true,
    description: `The summary under the headline: up to ${n(MAX_STANDFIRST)} characters; empty means none.`,
  })
  standfirst?: string | null;

  @Field(() => String, {
    description: `Markdown, up to ${n(MAX_BODY)} characters. May be empty in a draft; publishing needs one.`,
  })
  body: string;

  @Field(() => [String], {
    nullable: true,
    description: "Topics to tag it with, by slug; an unknown slug is BAD_USER_INPUT.",
  })
  topicSlugs?: string[] | null;

  @Field(() => [String], {
    nullable: true,
    description:
      "Byline; defaults to the caller. Author slugs in byline order, none twice; writers must include " +
      "themselves (only editors write bylines for others).",
  })
  authorSlugs?: string[] | null;

  @Field(() => Boolean, {
    nullable: true,
    description: "Whether readers may comment once it is published; true when not given.",
  })
  commentsOpen?: boolean | null;

  @Field(() => String, {
    nullable: true,
    description: `The title for search engines and link previews: up to ${n(MAX_META_TITLE)} characters; the headline when empty or not given.`,
  })
  metaTitle?: string | null;

  @Field(() => String, {
    nullable: true,
    description: `The description for search engines and link previews: up to ${n(MAX_META_DESCRIPTION)} characters; the standfirst when empty or not given.`,
  })
  metaDescription?: string | null;
  @Field(() => LeadImageInput, { nullable: true, description: "The picture at the top; none when not given." })
  leadImage?: LeadImageInput | null;
}

const KEEP = "Leave it out to keep it; null is BAD_USER_INPUT.";

/** Only the fields given change; standfirst: null clears it. */
@InputType({ description: "Changes to an article: only the fields given change." })
export class UpdateArticleInput {
  @Field(() => String, { nullable: true, description: `The headline: 1 to ${n(MAX_TITLE)} characters. ${KEEP}` })
  title?: string | null;

  @Field(() => String, { nullable: true, description: `A new slug: ${SLUG_RULES} ${KEEP}` })
  slug?: string | null;

  @Field(() => String, {
    nullable: true,
    description: `The summary, up to ${n(MAX_STANDFIRST)} characters; null or empty clears it.`,
  })
  standfirst?: string | null;

  @Field(() => String, { nullable: true, description: `Markdown, up to ${n(MAX_BODY)} characters. ${KEEP}` })
  body?: string | null;

  @Field(() => [String], { nullable: true, description: `Replaces the topics, by slug. ${KEEP}` })
  topicSlugs?: string[] | null;

  @Field(() => [String], {
    nullable: true,
    description: `Replaces the byline, in order (rules as on create: writers must stay in it). ${KEEP}`,
  })
  authorSlugs?: string[] | null;

  @Field(() => Boolean, { nullable: true, description: `Opens or closes comments. ${KEEP}` })
  commentsOpen?: boolean | null;

  @Field(() => String, {
    nullable: true,
    description: `The title for search engines, up to ${n(MAX_META_TITLE)} characters; null or empty: the headline.`,
  })
  metaTitle?: string | null;

  @Field(() => String, {
    nullable: true,
    description: `The description for search engines, up to ${n(MAX_META_DESCRIPTION)} characters; null or empty: the standfirst.`,
  })
  metaDescription?: string | null;

  @Field(() => String, {
    nullable: true,
    description:
      `A correction note shown on the article with this edit (Article.corrections, articleUpdated): 1 to ` +
      `${n(MAX_CORRECTION)} characters, trimmed. Only for a PUBLISHED article (else BAD_USER_INPUT); leave it ` +
      "out (or null) for a silent fix, which still keeps a revision when the text changes.",
  })
  correction?: string | null;
  @Field(() => LeadImageInput, {
    nullable: true,
    description: "Sets (or replaces) the picture at the top; null removes it; left out, it stays.",
  })
  leadImage?: LeadImageInput | null;
}
