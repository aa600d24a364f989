import { DataDirInUseError } from "./data-dir-lock";

/**
 * One line saying why the database could not be opened and what to do about
 * it, for the errors an operator meets at the command line (a database not
 * created yet, PostgreSQL not running, a wrong user or password, an embedded
 * data directory in use); undefined for anything else. Never contains the
 * password of the URL.
 */
export function describeOpenError(error: unknown, databaseUrl: string | undefined): string | undefined {
  if (error instanceof DataDirInUseError) return error.message;
  if (!databaseUrl) return undefined;
  const e = error as { code?: unknown; message?: unknown } | null;
  const code = String(e?.code ?? "");
  const message = String(e?.message ?? "");
  let url: URL;
  try {
    url = new URL(databaseUrl);
  } catch {
    return undefined;
  }
  const host = `${url.hostname || "localhost"}:${url.port || "5432"}`;
  const database = decodeURIComponent(url.pathname.replace(/^\//, "")) || "postgres";
  const user = decodeURIComponent(url.username) || "postgres";
  const createdb = `createdb -h ${url.hostname || "localhost"} -p ${url.port || "5432"} -U ${user} ${database}`;
  switch (code) {
    case "3D000":
      return `database "${database}" does not exist on ${host}: create it with \`${createdb}\`, or fix DATABASE_URL`;
    case "28P01":
      return `PostgreSQL on ${host} refused the password of user "${user}": fix the user and password in DATABASE_URL`;
    case "28000":
      return `PostgreSQL on ${host} refused user "${user}" (${message}): fix the user in DATABASE_URL, or create the role`;
    case "ECONNREFUSED":
      return `cannot connect to PostgreSQL on ${host} (connection refused): start it, or fix the host and port in DATABASE_URL`;
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return `cannot resolve the host "${url.hostname}" of DATABASE_URL: fix the host`;
    case "ETIMEDOUT":
      return `no answer from PostgreSQL on ${host}: check that it runs and that the network lets you reach it`;
  }
  if (/timeout exceeded when trying to connect/i.test(message)) {
    return `no answer from PostgreSQL on ${host} within 5 s: check that it runs and that the network lets you reach it`;
  }
  return undefined;
}
