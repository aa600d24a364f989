import { registerEnumType } from "type-graphql";

export enum Role {
  WRITER = "WRITER",
  EDITOR = "EDITOR",
  ADMIN = "ADMIN",
}
registerEnumType(Role, { name: "Role" });

const RANK: Record<Role, number> = { WRITER: 1, EDITOR: 2, ADMIN: 3 };

/** True when `role` is `least` or ranks above it. */
export function atLeast(role: Role, least: Role): boolean {
  return RANK[role] >= RANK[least];
}
