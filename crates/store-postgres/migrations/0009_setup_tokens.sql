-- One-time links that make a site's first administrator, printed to the log at
-- start while the site has none; any of them works until an administrator exists.
-- Only their hashes are kept.
CREATE TABLE setup_tokens (
    token_hash TEXT PRIMARY KEY,
    created_at BIGINT NOT NULL
);
