import type { CommentModeration } from "../../config";
import type { Database, Queryable } from "../../db/database";
import type { RowMapper } from "../../db/sql";
import { Params } from "../../db/sql";
import type { Bus } from "../../pubsub";
import type { Purger } from "../../cache/cache-tags";
import { commentVisibilityChanged, noPurge } from "../../cache/cache-tags";
import type { Clock } from "../../shared/clock";
import { BadInputError, conflict, forbidden, notFound, rateLimited } from "../../shared/errors";
import { expectGlobalId } from "../../shared/node-id";
import type { RateLimiter } from "../../shared/rate-limiter";
import { InputErrors, isEmail, isHttpUrl, unstorableText } from "../../shared/validation";
import { Role } from "../auth/role";
import { requireRole } from "../auth/require-role";
import type { Viewer } from "../auth/viewer";
import { visibleArticleSql } from "../article/article.visibility";
import { FeedEventKind, recordFeedEvent } from "../../db/outbox";
import { Comment, CommentStatus } from "./comment.entity";
import type { AddCommentInput } from "./comment-write.inputs";
import type { SpamRules } from "./spam-rules";
import { holdReason } from "./spam-rules";
import { emailCounterKey, senderKey } from "./comment-email";

/** Replies nest at most this deep below a top-level comment (depth 0). */
export const MAX_REPLY_DEPTH = 5;
export const MAX_AUTHOR_NAME = 80;
export const MAX_COMMENT_BODY = 5000;
export const MAX_WEBSITE = 2048;
export const MAX_IDEMPOTENCY_KEY = 128;

export interface CommentPolicy extends SpamRules {
  moderation: CommentModeration;
  rateLimit: number;
  rateWindowSeconds: number;
}

export interface Commenter {
  viewer: Viewer | null;
  clientIp: string;
}

interface Submission {
  articleId: number;
  parentId: number | null;
  authorName: string;
  email: string;
  website: string | null;
  body: string;
  key: string | null;
}

/** Comments from readers, and their moderation. */
export class CommentWriteService {
  constructor(
    private readonly db: Database,
    private readonly rows: RowMapper,
    private readonly bus: Bus,
    private readonly clock: Clock,
    private readonly limiter: RateLimiter,
    private readonly policy: CommentPolicy,
    private readonly cache: Purger = noPurge,
  ) {}

  /** Submissions with an idempotency key being handled here now, by article and key. */
  private readonly inFlight = new Map<string, Promise<Comment>>();

  /**
   * Validates, rate-limits and stores a comment: APPROVED at once in post
   * moderation unless a spam rule holds it, PENDING in pre moderation. A retry
   * with the same idempotency key returns the first comment and stores nothing.
   */
  async add(who: Commenter, input: AddCommentInput): Promise<Comment> {
    const s = this.validate(input);
    if (!s.key) return this.charged(who, s, input);
    // Retries of one key take turns on this instance, so that racing retries are charged once: the
    // first is stored (or refused), and the rest find it. Across instances each may be charged.
    const turn = `${s.articleId}:${s.key}`;
    for (let busy = this.inFlight.get(turn); busy; busy = this.inFlight.get(turn)) await busy.catch(() => undefined);
    const attempt = (async () => (await this.byKey(this.db, s)) ?? this.charged(who, s, input))();
    this.inFlight.set(turn, attempt);
    try {
      return await attempt;
    } finally {
      this.inFlight.delete(turn);
    }
  }

  /**
   * Charges the address and the commenter, then stores. Nothing that depends on the
   * email runs before the charge, and a refused attempt leaves nothing behind: its
   * retry is charged again, like any new comment.
   */
  private async charged(who: Commenter, s: Submission, input: AddCommentInput): Promise<Comment> {
    for (const key of [`comment:ip:${who.clientIp}`, `comment:email:${emailCounterKey(s.email)}`]) {
      const decision = await this.limiter.hit(key, this.policy.rateLimit, this.policy.rateWindowSeconds);
      if (!decision.allowed) throw rateLimited(decision.retryAfterSeconds);
    }
    return this.db.transaction(async (tx) => {
      const article = await this.commentableArticle(tx, who.viewer, s.articleId);
      let depth = 0;
      if (s.parentId !== null) {
        const [parent] = await tx.query(
          "SELECT depth FROM comments WHERE id = $1 AND article_id = $2 AND status = 'APPROVED'",
          [s.parentId, article],
        );
        if (!parent) throw new BadInputError({ parentId: "is not an approved comment of this article" });
        if (parent.depth >= MAX_REPLY_DEPTH) {
          throw new BadInputError({ parentId: `replies nest at most ${MAX_REPLY_DEPTH} deep` });
        }
        depth = parent.depth + 1;
      }
      const sender = senderKey(s.email, who.clientIp);
      const status = await this.initialStatus(tx, s, sender, input.honeypot ?? null);
      const inserted = await tx.query(
        `INSERT INTO comments (article_id, parent_id, depth, author_name, email, website, body, status, created_at,
           idempotency_key, sender_key)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
         ON CONFLICT (article_id, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
         RETURNING id`,
        [
          s.articleId,
          s.parentId,
          depth,
          s.authorName,
          s.email,
          s.website,
          s.body,
          status,
          this.clock.now(),
          s.key,
          sender,
        ],
      );
      if (!inserted.length) {
        // A concurrent retry with the same key committed first: answer as it did.
        return (await this.byKey(tx, s))!;
      }
      const id: number = inserted[0].id;
      const kind = status === CommentStatus.APPROVED ? FeedEventKind.COMMENT_PUBLIC : FeedEventKind.COMMENT_PENDING;
      recordFeedEvent(tx, this.bus, kind, s.articleId, id);
      if (status === CommentStatus.APPROVED) {
        tx.afterCommit(() => this.cache.purge(commentVisibilityChanged(s.articleId, id)));
      }
      return this.load(tx, id);
    });
  }

  /** EDITOR or ADMIN: moves a comment between PENDING, APPROVED, REJECTED and SPAM. */
  async moderate(viewer: Viewer | null, id: number, status: CommentStatus): Promise<Comment> {
    requireRole(viewer, Role.EDITOR);
    return this.db.transaction(async (tx) => {
      const [current] = await tx.query("SELECT status, article_id FROM comments WHERE id = $1 FOR UPDATE", [id]);
      if (!current) throw notFound("Comment");
      if (current.status !== status) {
        await tx.query("UPDATE comments SET status = $1 WHERE id = $2", [status, id]);
        const kind =
          status === CommentStatus.APPROVED
            ? FeedEventKind.COMMENT_PUBLIC
            : status === CommentStatus.PENDING
              ? FeedEventKind.COMMENT_PENDING
              : current.status === CommentStatus.APPROVED
                ? FeedEventKind.COMMENT_HIDDEN
                : null;
        if (kind) recordFeedEvent(tx, this.bus, kind, current.article_id, id);
        if (status === CommentStatus.APPROVED || current.status === CommentStatus.APPROVED) {
          tx.afterCommit(() => this.cache.purge(commentVisibilityChanged(current.article_id, id)));
        }
      }
      return this.load(tx, id);
    });
  }

  private validate(input: AddCommentInput): Submission {
    const errors = new InputErrors();
    let articleId = 0;
    let parentId: number | null = null;
    try {
      articleId = expectGlobalId("Article", input.articleId, "articleId");
    } catch {
      errors.add("articleId", "is not an article id");
    }
    if (input.parentId != null) {
      try {
        parentId = expectGlobalId("Comment", input.parentId, "parentId");
      } catch {
        errors.add("parentId", "is not a comment id");
      }
    }
    const authorName = errors.text(input.authorName, "authorName", 1, MAX_AUTHOR_NAME);
    const email = input.email.trim();
    if (!email) errors.add("email", "is required");
    else if (unstorableText(email)) errors.add("email", unstorableText(email)!);
    else errors.check(isEmail(email), "email", "is not a valid email address");
    let website: string | null = null;
    if (input.website != null && input.website.trim() !== "") {
      website = input.website.trim();
      errors.check(website.length <= MAX_WEBSITE && isHttpUrl(website), "website", "must be an http(s) URL");
    }
    const body = errors.text(input.body, "body", 1, MAX_COMMENT_BODY);
    const key = input.idempotencyKey ?? null;
    if (key !== null) {
      const ok = key.length >= 1 && key.length <= MAX_IDEMPOTENCY_KEY && !unstorableText(key);
      errors.check(ok, "idempotencyKey", `must be 1 to ${MAX_IDEMPOTENCY_KEY} characters`);
    }
    errors.throwIfAny();
    return { articleId, parentId, authorName, email, website, body, key };
  }

  /**
   * The comment stored under this submission's key, if any; CONFLICT when the key was used for
   * something else. The email is not compared: the answer must not tell whether a guessed address
   * is the one the comment was sent with (the key, chosen by the client, already identifies it).
   */
  private async byKey(conn: Queryable, s: Submission): Promise<Comment | null> {
    const [row] = await conn.query(
      `SELECT ${this.rows.columns(Comment, "c")} FROM comments c WHERE c.article_id = $1 AND c.idempotency_key = $2`,
      [s.articleId, s.key],
    );
    if (!row) return null;
    const same =
      row.body === s.body &&
      row.author_name === s.authorName &&
      (row.parent_id ?? null) === s.parentId &&
      (row.website ?? null) === s.website;
    if (!same) throw conflict("This idempotencyKey was used for a different comment", { idempotencyKey: "reused" });
    return this.rows.hydrate(Comment, row);
  }

  /** Checks the article takes comments from this caller; returns its id. */
  private async commentableArticle(conn: Queryable, viewer: Viewer | null, id: number): Promise<number> {
    const q = new Params();
    const [row] = await conn.query(
      `SELECT a.id, a.status, a.comments_open FROM articles a WHERE a.id = ${q.p(id)} AND ${visibleArticleSql(viewer, q)}
       FOR SHARE`,
      q.values,
    );
    if (!row) throw notFound("Article");
    if (row.status !== "PUBLISHED") throw forbidden("Comments open when the article is published");
    if (!row.comments_open) throw forbidden("Comments are closed on this article");
    return row.id;
  }

  private async initialStatus(
    conn: Queryable,
    s: Submission,
    sender: string,
    honeypot: string | null,
  ): Promise<CommentStatus> {
    if (this.policy.moderation === "pre") return CommentStatus.PENDING;
    if (holdReason(this.policy, s.body, honeypot)) return CommentStatus.PENDING;
    // The same body from the same sender: email and client address, so that copying a public comment
    // with a guessed address, from anywhere else, is held or not alike whoever the address belongs to.
    const [repeat] = await conn.query(
      `SELECT 1 FROM comments WHERE sender_key = $1 AND body = $2 AND created_at > $3::timestamptz - interval '24 hours'
       LIMIT 1`,
      [sender, s.body, this.clock.now()],
    );
    return repeat ? CommentStatus.PENDING : CommentStatus.APPROVED;
  }

  private async load(conn: Queryable, id: number): Promise<Comment> {
    const [row] = await conn.query(`SELECT ${this.rows.columns(Comment, "c")} FROM comments c WHERE c.id = $1`, [id]);
    return this.rows.hydrate(Comment, row);
  }
}
