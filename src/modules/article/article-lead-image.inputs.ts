import { Field, ID, InputType } from "type-graphql";

export const MAX_ALT = 300;
export const MAX_CAPTION = 1000;
export const MAX_CREDIT = 200;

@InputType({ description: "The picture at the top of an article (upload it first: POST /images)." })
export class LeadImageInput {
  @Field(() => ID, {
    description: "The Image's global id, from the upload's answer; an unknown one is BAD_USER_INPUT.",
  })
  imageId: string;

  @Field(() => String, {
    nullable: true,
    description: `Required: what the picture shows, for readers who cannot see it; 1 to ${MAX_ALT} characters.`,
  })
  alt?: string | null;

  @Field(() => String, { nullable: true, description: `Shown under the picture; up to ${MAX_CAPTION} characters.` })
  caption?: string | null;

  @Field(() => String, { nullable: true, description: `The photographer or agency; up to ${MAX_CREDIT} characters.` })
  credit?: string | null;
}
