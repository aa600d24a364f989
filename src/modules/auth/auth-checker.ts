import type { AuthCheckerFn } from "type-graphql";
import { requireRole } from "./require-role";
import { Role, atLeast } from "./role";
import type { Viewer } from "./viewer";

/**
 * The schema's authChecker, behind `@Authorized(Role.X)`: a gate that depends on
 * nothing but the caller's role, checked before the resolver (or a
 * subscription's subscribe) runs. It throws requireRole's errors rather than
 * answering false, so that a refusal has the one code and wording of every role
 * requirement, not type-graphql's own. Several roles mean the lowest of them
 * or better; none, any token.
 */
export const roleGate: AuthCheckerFn<{ viewer: Viewer | null }, Role> = ({ context }, roles) => {
  const least = roles.reduce((low, role) => (atLeast(role, low) ? low : role), roles[0] ?? Role.WRITER);
  requireRole(context.viewer, least);
  return true;
};
