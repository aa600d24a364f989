START TRANSACTION;
SELECT a.id, a.status, a.comments_open FROM articles a WHERE a.id = $1 AND a.status = 'PUBLISHED' FOR SHARE;
SELECT 1 FROM comments WHERE sender_key = $1 AND body = $2 AND created_at > $3::timestamptz - interval '24 hours' LIMIT 1;
INSERT INTO comments (article_id, parent_id, depth, author_name, email, website, body, status, created_at, idempotency_key, sender_key) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT (article_id, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING RETURNING id;
SELECT c.id, c.article_id, c.parent_id, c.depth, c.author_name, c.website, c.body, c.status, c.created_at FROM comments c WHERE c.id = $1;
SELECT newsgraph_feed_append($1, $2, $3, $4)::text AS id;
COMMIT;
SELECT e.id::text AS position, e.kind, e.article_id, e.comment_id, e.entry_id FROM feed_events e WHERE e.id > $1::bigint ORDER BY e.id LIMIT $2;
