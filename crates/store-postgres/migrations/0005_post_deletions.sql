-- Who deleted a post and why, so that an author cannot undo a moderator's deletion.
-- Posts deleted before this migration have no record (NULL, 0): their authors may
-- undelete them as before. deleted_by names a user (users are never removed, only
-- marked deleted); no foreign key, so that adding it scans no table.
ALTER TABLE posts ADD COLUMN deleted_by BIGINT;
ALTER TABLE posts ADD COLUMN deleted_by_moderator BIGINT NOT NULL DEFAULT 0;
ALTER TABLE posts ADD COLUMN deletion_reason TEXT NOT NULL DEFAULT '';
