import type { DocumentNode } from "graphql";
import { Kind, visit } from "graphql";
import { AppError } from "./errors";

const NUL = "\u0000";
/**
 * Deepest nesting of lists and objects in a variable. No input type of the schema nests more than a
 * few levels; the cap keeps every walk over variables (this guard, the response cache's key) shallow.
 */
export const MAX_VARIABLE_DEPTH = 32;

const nulError = (field: string) =>
  new AppError("BAD_USER_INPUT", `${field}: must not contain NUL characters`, {
    fields: { [field]: "must not contain NUL characters" },
    http: { status: 400 },
  });

const tooDeepError = (name: string) =>
  new AppError("BAD_USER_INPUT", `${name}: nested more than ${MAX_VARIABLE_DEPTH} levels deep`, {
    fields: { [name]: `nested more than ${MAX_VARIABLE_DEPTH} levels deep` },
    http: { status: 400 },
  });

/**
 * Checks what no resolver can store or query: PostgreSQL text cannot hold
 * U+0000, so a NUL anywhere in a string literal or variable is BAD_USER_INPUT
 * (naming the variable or argument), before any resolver runs. A variable
 * nested deeper than MAX_VARIABLE_DEPTH is BAD_USER_INPUT as well (it would
 * overflow the stack of any recursive walk, this one's included).
 */
export function rejectNulCharacters(
  document: DocumentNode,
  variables: Record<string, unknown> | null | undefined,
): void {
  for (const [name, value] of Object.entries(variables ?? {})) {
    if (depthOf(value) > MAX_VARIABLE_DEPTH) throw tooDeepError(name);
    // Input objects go to services that validate every field and report all problems at once.
    if (isInputObject(value)) continue;
    const field = fieldWithNul(value, name);
    if (field) throw nulError(field);
  }
  visit(document, {
    Argument(node) {
      if (node.value.kind === Kind.OBJECT) return;
      // Name the innermost input field that holds the NUL, as every other input error does.
      let field: string | null = null;
      const owners: string[] = [node.name.value];
      visit(node.value, {
        ObjectField: { enter: (f) => void owners.push(f.name.value), leave: () => void owners.pop() },
        StringValue(str) {
          if (str.value.includes(NUL)) field ??= owners[owners.length - 1]!;
        },
      });
      if (field) throw nulError(field);
    },
  });
}

/** Whether any variable nests deeper than MAX_VARIABLE_DEPTH (a walk of bounded depth: it never overflows). */
export const variablesTooDeep = (variables: Record<string, unknown>): boolean =>
  Object.values(variables).some((value) => depthOf(value) > MAX_VARIABLE_DEPTH);

/** How deep lists and objects nest in a JSON value, counting no further than MAX_VARIABLE_DEPTH + 1. */
function depthOf(value: unknown, depth = 0): number {
  if (!value || typeof value !== "object") return depth;
  if (depth > MAX_VARIABLE_DEPTH) return depth;
  let deepest = depth + 1;
  for (const inner of Object.values(value)) {
    deepest = Math.max(deepest, depthOf(inner, depth + 1));
    if (deepest > MAX_VARIABLE_DEPTH) break;
  }
  return deepest;
}

const isInputObject = (value: unknown) => !!value && typeof value === "object" && !Array.isArray(value);

/** The name of the innermost field (or the variable itself) whose string holds a NUL, or null. */
function fieldWithNul(value: unknown, name: string): string | null {
  if (typeof value === "string") return value.includes(NUL) ? name : null;
  if (Array.isArray(value)) return value.some((v) => fieldWithNul(v, name) !== null) ? name : null;
  if (value && typeof value === "object") {
    for (const [key, inner] of Object.entries(value)) {
      const found = fieldWithNul(inner, key);
      if (found) return found;
    }
  }
  return null;
}

/** Subscriptions are streams: over HTTP they have nothing to stream, so they are refused. */
export function rejectSubscriptionOverHttp(document: DocumentNode, operationName: string | null | undefined): void {
  const operation = document.definitions.find(
    (d) => d.kind === Kind.OPERATION_DEFINITION && (!operationName || d.name?.value === operationName),
  );
  if (operation?.kind === Kind.OPERATION_DEFINITION && operation.operation === "subscription") {
    throw new AppError("BAD_USER_INPUT", "Subscriptions run over WebSocket (graphql-transport-ws) at /graphql", {
      http: { status: 400 },
    });
  }
}
