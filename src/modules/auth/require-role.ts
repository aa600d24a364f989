import { forbidden, unauthenticated } from "../../shared/errors";
import { Role, atLeast } from "./role";
import { Viewer } from "./viewer";

/** The viewer, when it holds `least` or better: UNAUTHENTICATED for anonymous callers, FORBIDDEN below the role. */
export function requireRole(viewer: Viewer | null, least: Role): Viewer {
  if (!viewer) throw unauthenticated(`This needs a ${least} token or better`);
  if (!atLeast(viewer.role, least)) throw forbidden(`This needs the ${least} role or better`);
  return viewer;
}
