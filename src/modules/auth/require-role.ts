import { forbidden, unauthenticated } from "../../shared/errors";
import type { Role } from "./role";
import { atLeast } from "./role";
import type { Viewer } from "./viewer";

/**
 * The one wording of a role requirement, for anonymous callers (UNAUTHENTICATED) and
 * lower roles (FORBIDDEN) alike, over HTTP and WebSocket alike.
 */
export const roleNeeded = (least: Role, what = "This") => `${what} needs the ${least} role or better`;

/**
 * The viewer, when it holds `least` or better: UNAUTHENTICATED for anonymous callers, FORBIDDEN below the role.
 * Behind the schema's @Authorized gates (auth-checker.ts); the services call it too, for callers that do not
 * come through the schema (tests, scripts, a CLI) and because their data-dependent rules need the viewer.
 */
export function requireRole(viewer: Viewer | null, least: Role): Viewer {
  if (!viewer) throw unauthenticated(roleNeeded(least));
  if (!atLeast(viewer.role, least)) throw forbidden(roleNeeded(least));
  return viewer;
}
