/**
 * Roles and the one wording of a role requirement (src/modules/auth), called
 * directly: the rank order, requireRole's two refusals, and the schema's gate
 * for one role, several, or none. role-gates.test.ts checks the same gates
 * through the built schema.
 */
import { roleGate } from "../../src/modules/auth/auth-checker";
import { requireRole, roleNeeded } from "../../src/modules/auth/require-role";
import { atLeast, Role } from "../../src/modules/auth/role";
import type { Viewer } from "../../src/modules/auth/viewer";

const ORDER = [Role.WRITER, Role.EDITOR, Role.ADMIN];
const viewer = (role: Role): Viewer => ({ authorId: 7, role, tokenId: 9 });
const refusal = (fn: () => unknown): string => {
  try {
    const result = fn();
    return `ok ${result === true ? "true" : (result as Viewer).role}`;
  } catch (error) {
    return `${(error as { extensions: { code: string } }).extensions.code}: ${(error as Error).message}`;
  }
};

test("the enum's values are their names", () => {
  expect([Role.WRITER, Role.EDITOR, Role.ADMIN]).toEqual(["WRITER", "EDITOR", "ADMIN"]);
});

test("atLeast: WRITER < EDITOR < ADMIN, and every role is at least itself", () => {
  for (const [i, role] of ORDER.entries()) {
    for (const [j, least] of ORDER.entries())
      expect([role, least, atLeast(role, least)]).toEqual([role, least, i >= j]);
  }
});

test("the wording of a requirement", () => {
  expect(roleNeeded(Role.EDITOR)).toBe("This needs the EDITOR role or better");
  expect(roleNeeded(Role.ADMIN, "Archiving")).toBe("Archiving needs the ADMIN role or better");
});

test("requireRole: anonymous is UNAUTHENTICATED, a lower role FORBIDDEN, the role or better gets the viewer back", () => {
  expect(refusal(() => requireRole(null, Role.WRITER))).toBe("UNAUTHENTICATED: This needs the WRITER role or better");
  expect(refusal(() => requireRole(viewer(Role.WRITER), Role.EDITOR))).toBe(
    "FORBIDDEN: This needs the EDITOR role or better",
  );
  expect(refusal(() => requireRole(viewer(Role.EDITOR), Role.ADMIN))).toBe(
    "FORBIDDEN: This needs the ADMIN role or better",
  );
  const editor = viewer(Role.EDITOR);
  expect(requireRole(editor, Role.EDITOR)).toBe(editor);
  expect(requireRole(editor, Role.WRITER)).toBe(editor);
});

test("the gate: several roles mean the lowest of them, in any order; none means any token", () => {
  const gate = (who: Viewer | null, roles: Role[]) =>
    refusal(() => roleGate({ context: { viewer: who }, root: undefined, args: {}, info: undefined as never }, roles));
  expect(gate(viewer(Role.WRITER), [Role.ADMIN, Role.EDITOR])).toBe("FORBIDDEN: This needs the EDITOR role or better");
  expect(gate(viewer(Role.WRITER), [Role.EDITOR, Role.ADMIN])).toBe("FORBIDDEN: This needs the EDITOR role or better");
  expect(gate(viewer(Role.EDITOR), [Role.ADMIN, Role.EDITOR])).toBe("ok true");
  expect(gate(viewer(Role.EDITOR), [Role.ADMIN])).toBe("FORBIDDEN: This needs the ADMIN role or better");
  expect(gate(viewer(Role.WRITER), [Role.ADMIN, Role.WRITER, Role.EDITOR])).toBe("ok true");
  expect(gate(null, [Role.ADMIN])).toBe("UNAUTHENTICATED: This needs the ADMIN role or better");
  expect(gate(null, [])).toBe("UNAUTHENTICATED: This needs the WRITER role or better");
  expect(gate(viewer(Role.WRITER), [])).toBe("ok true");
});
