-- What an imported dump carries beyond the site's own model.
--
-- Votes: a dump names no voter (only for favourites and bounties), so its votes
-- cannot be the site's own; they are kept with their post, type and day so that
-- exports carry them and scores can be recomputed from them.
CREATE TABLE imported_votes (
    id         BIGINT PRIMARY KEY,
    post_id    BIGINT NOT NULL REFERENCES posts (id),
    vote_type  BIGINT NOT NULL,
    user_id    BIGINT,
    bounty     BIGINT,
    created_at BIGINT NOT NULL
);
CREATE INDEX imported_votes_post_idx ON imported_votes (post_id);

-- Badges: every award a dump holds is kept (one badge can be earned many times,
-- and dumps do not name the post), with whether it was a tag badge; the site's
-- own awards stay one per badge (and post).
ALTER TABLE badges ADD COLUMN tag_based BIGINT NOT NULL DEFAULT 0;
ALTER TABLE badges ADD COLUMN imported BIGINT NOT NULL DEFAULT 0;
DROP INDEX badges_once_key;
CREATE UNIQUE INDEX badges_once_key ON badges (user_id, name, coalesce(post_id, 0)) WHERE imported = 0;

-- Revisions: an import's keep the dump's RevisionGUID and which rows the dump
-- had for them (1 title, 2 body, 4 tags, 8 a rollback), so that an export writes
-- the same rows; the site's own have neither.
ALTER TABLE revisions ADD COLUMN dump_guid TEXT;
ALTER TABLE revisions ADD COLUMN dump_rows BIGINT;

-- Posts and comments whose author a dump names by display name alone (the
-- account is not in the dump): that name, shown instead of the placeholder's.
ALTER TABLE posts ADD COLUMN owner_name TEXT;
ALTER TABLE comments ADD COLUMN owner_name TEXT;
