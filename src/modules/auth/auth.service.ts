import { createHash, randomBytes } from "node:crypto";
import type { Database } from "../../db/database";
import { Params } from "../../db/sql";
import type { Bus } from "../../pubsub";
import { BusTopic } from "../../pubsub";
import { AppError } from "../../shared/errors";
import type { Role } from "./role";
import type { Viewer } from "./viewer";

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
  /** With a bus, a revocation is announced to every instance so that open WebSockets holding the token close. */
  constructor(
    private readonly db: Database,
    private readonly bus?: Bus,
  ) {}

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
    // The UPDATE has committed (one statement, no transaction). A lost message only delays the
    // close until the sockets' periodic re-check, so a bus failure does not fail the revocation.
    if (rows.length) await this.bus?.publish(BusTopic.TOKEN_CHANGED, { tokenId: id }).catch(() => undefined);
    return rows.length > 0;
  }

  /** The role of each of these tokens that is still live (absent: revoked or deleted). */
  async liveRoles(ids: readonly number[]): Promise<Map<number, Role>> {
    if (!ids.length) return new Map();
    const q = new Params();
    const rows = await this.db.query<{ id: number; role: Role }>(
      `SELECT id, role FROM api_tokens WHERE revoked_at IS NULL AND id IN (${ids.map((id) => q.p(id)).join(", ")})`,
      q.values,
    );
    return new Map(rows.map((r) => [r.id, r.role]));
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
