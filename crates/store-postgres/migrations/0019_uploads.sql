-- Images members uploaded for posts: stored under their content's hash (the same
-- picture sent twice is one file), each member's own for their quota.
CREATE TABLE uploads (
    name         TEXT NOT NULL,
    owner_id     BIGINT NOT NULL REFERENCES users (id),
    bytes        BIGINT NOT NULL,
    content_type TEXT NOT NULL,
    created_at   BIGINT NOT NULL,
    PRIMARY KEY (name, owner_id)
);
CREATE INDEX uploads_by_owner ON uploads (owner_id);
