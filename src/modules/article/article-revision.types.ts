import { Field, Int, ObjectType, registerEnumType } from "type-graphql";
import { connectionType } from "../../shared/pagination";
import { ArticleRevision } from "./article-revision.entity";

@ObjectType({ simpleResolvers: true, description: "A correction note published with an edit of a live article." })
export class Correction {
  @Field({ description: "What was corrected, as the newsroom wrote it." })
  text: string;

  @Field(() => Date, { description: "When the corrected version went live." })
  createdAt: Date;

  @Field(() => Int, { description: "The number of the revision that carried it (see articleRevisions)." })
  revision: number;
}

export enum DiffChunkKind {
  ADDED = "ADDED",
  REMOVED = "REMOVED",
  UNCHANGED = "UNCHANGED",
}
registerEnumType(DiffChunkKind, {
  name: "DiffChunkKind",
  description: "What a piece of a diff is.",
  valuesConfig: {
    ADDED: { description: "Only in the later (`to`) revision." },
    REMOVED: { description: "Only in the earlier (`from`) revision." },
    UNCHANGED: { description: "In both." },
  },
});

@ObjectType({ simpleResolvers: true, description: "A piece of text of a diff; the pieces in order spell both texts." })
export class DiffChunk {
  @Field(() => DiffChunkKind, { description: "Added, removed or unchanged." })
  kind: DiffChunkKind;

  @Field({ description: "The text, whitespace included." })
  text: string;
}

@ObjectType({
  simpleResolvers: true,
  description:
    "How an article changed between two of its revisions, field by field. Joining the UNCHANGED and REMOVED " +
    "chunks gives the `from` text; UNCHANGED and ADDED, the `to` text.",
})
export class ArticleRevisionDiff {
  @Field(() => Int, { description: "The earlier revision's number, as asked." })
  from: number;

  @Field(() => Int, { description: "The later revision's number, as asked." })
  to: number;

  @Field(() => [DiffChunk], { description: "The headline, word by word." })
  title: DiffChunk[];

  @Field(() => [DiffChunk], { description: "The standfirst, word by word (a missing one counts as empty)." })
  standfirst: DiffChunk[];

  @Field(() => [DiffChunk], {
    description:
      "The Markdown body, word by word; line by line when a word diff would take too long, and as one removal " +
      "and one addition when even that would.",
  })
  body: DiffChunk[];
}

export const ArticleRevisionConnection = connectionType(ArticleRevision, "ArticleRevision");
