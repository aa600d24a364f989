import { createHash, randomBytes } from "node:crypto";
import { Database } from "../../db/database";
import { AppError } from "../../shared/errors";
import { Role } from "./role";
import { Viewer } from "./viewer";

const TOKEN_PREFIX = "ng_";

const hash = (token: string) => createHash("sha256").update(token).digest("hex");

const unauthenticated = (message: string) => new AppError("UNAUTHENTICATED", message, { http: { status: 401 } });

export interface TokenInfo {
  id: number;
  authorSlug: string;
  role: Role;
  label: string | null;
  createdAt: Date;
  revokedAt: Date | null;
}

/** API tokens: issued by the CLI, presented as "Bearer <token>", stored only as a hash. */
export class AuthService {
  constructor(private readonly db: Database) {}

  /**
   * The viewer for an Authorization value. No value is an anonymous reader; a
   * malformed, unknown or revoked token is UNAUTHENTICATED, never silently anonymous.
   */
  async authenticate(authorization: string | undefined | null): Promise<Viewer | null> {
    if (authorization == null || authorization === "") return null;
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (!match) throw unauthenticated('Authorization must be "Bearer <token>"');
    const token = match[1]!;
    if (!token.startsWith(TOKEN_PREFIX) || token.length > 128) throw unauthenticated("Invalid or revoked token");
    const rows = await this.db.query<{ id: number; author_id: number; role: Role }>(
      "SELECT id, author_id, role FROM api_tokens WHERE token_hash = $1 AND revoked_at IS NULL",
      [hash(token)],
    );
    const row = rows[0];
    if (!row) throw unauthenticated("Invalid or revoked token");
    return { tokenId: row.id, authorId: row.author_id, role: row.role };
  }

  /** Issues a token for an author; returns the token, which is never stored or shown again. */
  async createToken(authorSlug: string, role: Role, label: string | null = null): Promise<string> {
    const token = TOKEN_PREFIX + randomBytes(32).toString("base64url");
    const rows = await this.db.query(
      `INSERT INTO api_tokens (author_id, role, token_hash, label)
       SELECT id, $2, $3, $4 FROM authors WHERE slug = $1 RETURNING id`,
      [authorSlug, role, hash(token), label],
    );
    if (!rows.length) throw new AppError("NOT_FOUND", `author "${authorSlug}" not found`);
    return token;
  }

  /** Revokes a token by id; returns false when there was no such live token. */
  async revokeToken(id: number): Promise<boolean> {
    const rows = await this.db.query(
      "UPDATE api_tokens SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL RETURNING id",
      [id],
    );
    return rows.length > 0;
  }

  async listTokens(authorSlug?: string): Promise<TokenInfo[]> {
    const rows = await this.db.query<{
      id: number;
      slug: string;
      role: Role;
      label: string | null;
      created_at: Date;
      revoked_at: Date | null;
    }>(
      `SELECT t.id, a.slug, t.role, t.label, t.created_at, t.revoked_at FROM api_tokens t
       JOIN authors a ON a.id = t.author_id WHERE $1::text IS NULL OR a.slug = $1 ORDER BY t.id`,
      [authorSlug ?? null],
    );
    return rows.map((r) => ({
      id: r.id,
      authorSlug: r.slug,
      role: r.role,
      label: r.label,
      createdAt: r.created_at,
      revokedAt: r.revoked_at,
    }));
  }
}
