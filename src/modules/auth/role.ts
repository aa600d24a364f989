import { registerEnumType } from "type-graphql";

export enum Role {
  WRITER = "WRITER",
  EDITOR = "EDITOR",
  ADMIN = "ADMIN",
}
registerEnumType(Role, {
  name: "Role",
  description: "What a token may do: WRITER, then EDITOR, then ADMIN, each with every right of the roles below it.",
  valuesConfig: {
    WRITER: {
      description: "Creates drafts, edits their own drafts, and sees the unpublished articles in their byline.",
    },
    EDITOR: { description: "Also edits, publishes, unpublishes and archives any article, and moderates comments." },
    ADMIN: { description: "Everything an editor may do." },
  },
});

const RANK: Record<Role, number> = { WRITER: 1, EDITOR: 2, ADMIN: 3 };

/** True when `role` is `least` or ranks above it. */
export function atLeast(role: Role, least: Role): boolean {
  return RANK[role] >= RANK[least];
}
