/** Thrown for a wrong command line: printed with the usage, exit code 64. */
export class UsageError extends Error {}

/** A well-formed command that cannot be done (an author that exists, a token already revoked): one line, exit 65. */
export class CommandError extends Error {}

/** A service the command needs (the database, a running server) cannot be reached: one line, exit 69. */
export class UnavailableError extends Error {}
