import { Field, ID, InterfaceType } from "type-graphql";
import { nodeTypeOf } from "./node-id";

export const NODE_ID = "Global id: opaque, unique across every type, and what `node(id:)` takes.";

/** Relay's Node: anything with a global id that node(id:) resolves. */
@InterfaceType({
  resolveType: (value: object) => nodeTypeOf(value),
  description: "An object with a global id, which `node(id:)` fetches.",
})
export abstract class Node {
  @Field(() => ID, { description: NODE_ID })
  readonly id: string;
}
