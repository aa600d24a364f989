import { Field, ID, InterfaceType } from "type-graphql";
import { nodeTypeOf } from "./node-id";

/** Relay's Node: anything with a global id that node(id:) resolves. */
@InterfaceType({ resolveType: (value: object) => nodeTypeOf(value) })
export abstract class Node {
  @Field(() => ID)
  readonly id: string;
}
