import { BadInputError } from "./errors";

/** Object types that have global ids. */
export type NodeType = "Article" | "Author" | "Comment" | "Image" | "LiveEntry" | "Topic";
const NODE_TYPES: readonly NodeType[] = ["Article", "Author", "Comment", "Image", "LiveEntry", "Topic"];

/**
 * The GraphQL type of an entity, as its class declares it (`static readonly nodeType`): cache tags,
 * their purges and node(id:) name entities by it, so that renaming a class cannot change them unseen.
 */
export function nodeTypeOf(value: object): NodeType | undefined {
  return (value.constructor as { nodeType?: NodeType }).nodeType;
}

/** Opaque, globally unique id: base64url("Type:123"). */
export function toGlobalId(type: NodeType, id: number): string {
  return Buffer.from(`${type}:${id}`).toString("base64url");
}

/** Decodes a global id, or returns null when it is not one of ours. */
export function parseGlobalId(globalId: string): { type: NodeType; id: number } | null {
  if (globalId.length > 64 || !/^[A-Za-z0-9_-]+={0,2}$/.test(globalId)) return null;
  const [type, raw, extra] = Buffer.from(globalId, "base64url").toString("utf8").split(":");
  const id = Number(raw);
  if (extra !== undefined || !NODE_TYPES.includes(type as NodeType)) return null;
  if (!/^[1-9][0-9]{0,9}$/.test(raw ?? "") || id > 2_147_483_647) return null;
  return { type: type as NodeType, id };
}

/** Decodes a global id of one type, or throws BAD_USER_INPUT naming the argument. */
export function expectGlobalId(type: NodeType, globalId: string, field: string): number {
  const parsed = parseGlobalId(globalId);
  if (!parsed || parsed.type !== type) throw new BadInputError({ [field]: `not a valid ${type} id` });
  return parsed.id;
}
