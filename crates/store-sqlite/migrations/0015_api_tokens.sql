-- Personal access tokens for the API: what a token may do (read, or read and
-- write), when it stops working, and when its member revoked it. The table has
-- been there since the first migration; only its hash of the token is kept.
ALTER TABLE api_tokens ADD COLUMN scope TEXT NOT NULL DEFAULT 'read' CHECK (scope IN ('read', 'write'));
ALTER TABLE api_tokens ADD COLUMN expires_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE api_tokens ADD COLUMN revoked_at INTEGER;
CREATE INDEX api_tokens_user_idx ON api_tokens (user_id, created_at);
