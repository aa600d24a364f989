import { Field, ID, InterfaceType } from "type-graphql";

/** Relay's Node: anything with a global id that node(id:) resolves. */
@InterfaceType({ resolveType: (value: object) => value.constructor.name })
export abstract class Node {
  @Field(() => ID)
  readonly id: string;
}
