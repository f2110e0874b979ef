-- The inbox: what members follow, and the items the feed's inbox subscriber
-- writes for them. Unread items on one thing group: a second answer to the same
-- question counts into the unread item already there ("2 new answers"), which is
-- what the partial unique key on unread items is for. subject_id is the thing an
-- item groups on (the question, or the moderator's message).
ALTER TABLE notifications ADD COLUMN subject_id INTEGER NOT NULL DEFAULT 0;
ALTER TABLE notifications ADD COLUMN comment_id INTEGER REFERENCES comments (id);
ALTER TABLE notifications ADD COLUMN actor_id INTEGER REFERENCES users (id);
ALTER TABLE notifications ADD COLUMN detail TEXT NOT NULL DEFAULT '';
ALTER TABLE notifications ADD COLUMN item_count INTEGER NOT NULL DEFAULT 1;
ALTER TABLE notifications ADD COLUMN updated_at INTEGER NOT NULL DEFAULT 0;
UPDATE notifications SET updated_at = created_at;
CREATE UNIQUE INDEX notifications_unread_key ON notifications (user_id, kind, subject_id) WHERE read_at IS NULL;
CREATE INDEX notifications_recent_idx ON notifications (user_id, updated_at, id);

-- A member follows a question, a tag, a category or a user. level 'inbox' brings
-- new activity to the inbox, 'digest' only to the mailed digest.
CREATE TABLE follows (
    user_id     INTEGER NOT NULL REFERENCES users (id),
    target_kind TEXT NOT NULL CHECK (target_kind IN ('question', 'tag', 'category', 'user')),
    target_id   INTEGER NOT NULL,
    level       TEXT NOT NULL DEFAULT 'inbox' CHECK (level IN ('inbox', 'digest')),
    created_at  INTEGER NOT NULL,
    PRIMARY KEY (user_id, target_kind, target_id)
) WITHOUT ROWID;
CREATE INDEX follows_target_idx ON follows (target_kind, target_id, user_id);
