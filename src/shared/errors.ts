import { GraphQLError } from "graphql";

/** The codes of the public contract (extensions.code) that describe the client's request. */
export const CLIENT_ERROR_CODES = [
  "BAD_USER_INPUT",
  "UNAUTHENTICATED",
  "FORBIDDEN",
  "NOT_FOUND",
  "RATE_LIMITED",
  "CONFLICT",
  "QUERY_TOO_COMPLEX",
] as const;

/** The error codes of the public contract (extensions.code). */
export type ErrorCode = (typeof CLIENT_ERROR_CODES)[number] | "INTERNAL_SERVER_ERROR";

/** An error meant for the client: its message and extensions are shown as they are. */
export class AppError extends GraphQLError {
  constructor(code: ErrorCode, message: string, extensions: Record<string, unknown> = {}) {
    super(message, { extensions: { ...extensions, code } });
    this.name = "AppError";
  }
}

/** Invalid input; `fields` maps each offending input field to what is wrong with it. */
export class BadInputError extends AppError {
  constructor(fields: Record<string, string>, message?: string) {
    super(
      "BAD_USER_INPUT",
      message ??
        Object.entries(fields)
          .map(([f, m]) => `${f}: ${m}`)
          .join("; "),
      { fields },
    );
  }
}

export const unauthenticated = (message = "Authentication required") => new AppError("UNAUTHENTICATED", message);
export const forbidden = (message = "Not allowed") => new AppError("FORBIDDEN", message);
export const notFound = (what: string) => new AppError("NOT_FOUND", `${what} not found`);
export const conflict = (message: string, fields?: Record<string, string>) =>
  new AppError("CONFLICT", message, fields ? { fields } : {});
export const rateLimited = (retryAfterSeconds: number) =>
  new AppError("RATE_LIMITED", `Too many requests; retry in ${retryAfterSeconds} s`, { retryAfterSeconds });
