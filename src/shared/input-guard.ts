import { DocumentNode, Kind, visit } from "graphql";
import { AppError } from "./errors";

const NUL = "\u0000";

const nulError = (field: string) =>
  new AppError("BAD_USER_INPUT", `${field}: must not contain NUL characters`, {
    fields: { [field]: "must not contain NUL characters" },
    http: { status: 400 },
  });

/**
 * Checks what no resolver can store or query: PostgreSQL text cannot hold
 * U+0000, so a NUL anywhere in a string literal or variable is BAD_USER_INPUT
 * (naming the variable or argument), before any resolver runs.
 */
export function rejectNulCharacters(
  document: DocumentNode,
  variables: Record<string, unknown> | null | undefined,
): void {
  for (const [name, value] of Object.entries(variables ?? {})) {
    if (containsNul(value)) throw nulError(name);
  }
  visit(document, {
    Argument(node) {
      let found = false;
      visit(node.value, {
        StringValue(s) {
          if (s.value.includes(NUL)) found = true;
        },
      });
      if (found) throw nulError(node.name.value);
    },
  });
}

function containsNul(value: unknown): boolean {
  if (typeof value === "string") return value.includes(NUL);
  if (Array.isArray(value)) return value.some(containsNul);
  if (value && typeof value === "object") return Object.values(value).some(containsNul);
  return false;
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
