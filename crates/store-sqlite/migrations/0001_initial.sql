-- Ponder's schema on SQLite. Times are whole seconds since the Unix epoch, UTC.
-- Table and column names match the PostgreSQL migrations.

CREATE TABLE users (
    id              INTEGER PRIMARY KEY,
    handle          TEXT NOT NULL COLLATE NOCASE,
    display_name    TEXT NOT NULL,
    email           TEXT COLLATE NOCASE,
    email_verified_at INTEGER,
    password_hash   TEXT,
    role            TEXT NOT NULL DEFAULT 'user' CHECK (role IN ('user', 'moderator', 'admin')),
    about_markdown  TEXT NOT NULL DEFAULT '',
    about_html      TEXT NOT NULL DEFAULT '',
    reputation      INTEGER NOT NULL DEFAULT 1,
    created_at      INTEGER NOT NULL,
    last_seen_at    INTEGER,
    suspended_until INTEGER,
    suspension_reason TEXT NOT NULL DEFAULT '',
    deleted_at      INTEGER
);
CREATE UNIQUE INDEX users_handle_key ON users (lower(handle));
CREATE UNIQUE INDEX users_email_key ON users (lower(email)) WHERE email IS NOT NULL;

CREATE TABLE categories (
    id          INTEGER PRIMARY KEY,
    parent_id   INTEGER REFERENCES categories (id),
    slug        TEXT NOT NULL,
    name        TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    position    INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX categories_slug_key ON categories (coalesce(parent_id, 0), slug);

CREATE TABLE posts (
    id                 INTEGER PRIMARY KEY,
    kind               TEXT NOT NULL CHECK (kind IN ('question', 'answer')),
    parent_id          INTEGER REFERENCES posts (id),
    category_id        INTEGER REFERENCES categories (id),
    author_id          INTEGER NOT NULL REFERENCES users (id),
    title              TEXT NOT NULL DEFAULT '',
    body_markdown      TEXT NOT NULL,
    body_html          TEXT NOT NULL,
    score              INTEGER NOT NULL DEFAULT 0,
    answer_count       INTEGER NOT NULL DEFAULT 0,
    comment_count      INTEGER NOT NULL DEFAULT 0,
    view_count         INTEGER NOT NULL DEFAULT 0,
    accepted_answer_id INTEGER REFERENCES posts (id),
    created_at         INTEGER NOT NULL,
    edited_at          INTEGER,
    last_activity_at   INTEGER NOT NULL,
    deleted_at         INTEGER,
    -- set when spam or abuse flags hid the post (its author lost reputation for it)
    hidden_by_flags    INTEGER NOT NULL DEFAULT 0,
    closed_at          INTEGER,
    close_reason       TEXT NOT NULL DEFAULT '',
    duplicate_of       INTEGER REFERENCES posts (id),
    locked_at          INTEGER,
    protected_at       INTEGER,
    CHECK ((kind = 'question') = (parent_id IS NULL)),
    CHECK ((kind = 'question') = (category_id IS NOT NULL))
);
CREATE INDEX posts_answers_idx ON posts (parent_id) WHERE kind = 'answer';
CREATE INDEX posts_author_idx ON posts (author_id, kind, created_at);
CREATE INDEX posts_questions_active_idx ON posts (last_activity_at) WHERE kind = 'question' AND deleted_at IS NULL;
CREATE INDEX posts_questions_newest_idx ON posts (created_at) WHERE kind = 'question' AND deleted_at IS NULL;
CREATE INDEX posts_questions_score_idx ON posts (score, created_at) WHERE kind = 'question' AND deleted_at IS NULL;
CREATE INDEX posts_questions_category_idx ON posts (category_id, last_activity_at) WHERE kind = 'question' AND deleted_at IS NULL;

CREATE TABLE comments (
    id            INTEGER PRIMARY KEY,
    post_id       INTEGER NOT NULL REFERENCES posts (id),
    author_id     INTEGER NOT NULL REFERENCES users (id),
    body_markdown TEXT NOT NULL,
    body_html     TEXT NOT NULL,
    score         INTEGER NOT NULL DEFAULT 0,
    created_at    INTEGER NOT NULL,
    deleted_at    INTEGER
);
CREATE INDEX comments_post_idx ON comments (post_id, created_at);

CREATE TABLE tags (
    id             INTEGER PRIMARY KEY,
    name           TEXT NOT NULL UNIQUE,
    description    TEXT NOT NULL DEFAULT '',
    question_count INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE post_tags (
    post_id  INTEGER NOT NULL REFERENCES posts (id),
    tag_id   INTEGER NOT NULL REFERENCES tags (id),
    position INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (post_id, tag_id)
) WITHOUT ROWID;
CREATE INDEX post_tags_tag_idx ON post_tags (tag_id, post_id);

CREATE TABLE votes (
    id         INTEGER PRIMARY KEY,
    post_id    INTEGER NOT NULL REFERENCES posts (id),
    user_id    INTEGER NOT NULL REFERENCES users (id),
    value      INTEGER NOT NULL CHECK (value IN (-1, 1)),
    created_at INTEGER NOT NULL,
    UNIQUE (post_id, user_id)
);
CREATE INDEX votes_user_idx ON votes (user_id, created_at);

CREATE TABLE revisions (
    id            INTEGER PRIMARY KEY,
    post_id       INTEGER NOT NULL REFERENCES posts (id),
    editor_id     INTEGER NOT NULL REFERENCES users (id),
    title         TEXT NOT NULL DEFAULT '',
    body_markdown TEXT NOT NULL,
    tags          TEXT NOT NULL DEFAULT '',
    summary       TEXT NOT NULL DEFAULT '',
    created_at    INTEGER NOT NULL
);
CREATE INDEX revisions_post_idx ON revisions (post_id, id);

CREATE TABLE flags (
    id          INTEGER PRIMARY KEY,
    post_id     INTEGER REFERENCES posts (id),
    comment_id  INTEGER REFERENCES comments (id),
    user_id     INTEGER NOT NULL REFERENCES users (id),
    kind        TEXT NOT NULL,
    message     TEXT NOT NULL DEFAULT '',
    status      TEXT NOT NULL DEFAULT 'pending',
    handled_by  INTEGER REFERENCES users (id),
    handled_at  INTEGER,
    created_at  INTEGER NOT NULL
);
CREATE INDEX flags_status_idx ON flags (status, created_at);
CREATE UNIQUE INDEX flags_once_key ON flags (user_id, coalesce(post_id, 0), coalesce(comment_id, 0));

-- Votes to close or reopen a question; a question's votes of a kind are cleared
-- when it changes state, so each round starts afresh.
CREATE TABLE close_votes (
    post_id      INTEGER NOT NULL REFERENCES posts (id),
    user_id      INTEGER NOT NULL REFERENCES users (id),
    kind         TEXT NOT NULL CHECK (kind IN ('close', 'reopen')),
    reason       TEXT NOT NULL DEFAULT '',
    duplicate_of INTEGER REFERENCES posts (id),
    created_at   INTEGER NOT NULL,
    PRIMARY KEY (post_id, user_id, kind)
);

-- Every moderator action: who, what, to what, when and why.
CREATE TABLE moderation_log (
    id           INTEGER PRIMARY KEY,
    moderator_id INTEGER NOT NULL REFERENCES users (id),
    action       TEXT NOT NULL,
    target_kind  TEXT NOT NULL,
    target_id    INTEGER NOT NULL,
    reason       TEXT NOT NULL DEFAULT '',
    created_at   INTEGER NOT NULL
);
CREATE INDEX moderation_log_time_idx ON moderation_log (id);

-- The review queue: first posts of new users (suggested edits have their own table).
CREATE TABLE review_tasks (
    id          INTEGER PRIMARY KEY,
    post_id     INTEGER NOT NULL REFERENCES posts (id),
    status      TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected')),
    reviewer_id INTEGER REFERENCES users (id),
    reason      TEXT NOT NULL DEFAULT '',
    created_at  INTEGER NOT NULL,
    reviewed_at INTEGER
);
CREATE INDEX review_tasks_status_idx ON review_tasks (status, id);
CREATE TABLE review_skips (
    task_kind TEXT NOT NULL,
    task_id   INTEGER NOT NULL,
    user_id   INTEGER NOT NULL REFERENCES users (id),
    PRIMARY KEY (task_kind, task_id, user_id)
);

-- id is the SHA-256 of the cookie's value, so a copy of the database holds no live session.
CREATE TABLE sessions (
    id         TEXT PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id),
    csrf_token TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE INDEX sessions_user_idx ON sessions (user_id);
CREATE INDEX sessions_expiry_idx ON sessions (expires_at);

-- Single-use tokens mailed to users (email verification, password reset); only the
-- SHA-256 of each token is stored.
CREATE TABLE email_tokens (
    token_hash TEXT PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id),
    purpose    TEXT NOT NULL CHECK (purpose IN ('verify_email', 'reset_password')),
    email      TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at    INTEGER
);
CREATE INDEX email_tokens_user_idx ON email_tokens (user_id);

-- Uploaded avatars, decoded and re-encoded on upload; users without a row get an identicon.
CREATE TABLE avatars (
    user_id      INTEGER PRIMARY KEY REFERENCES users (id),
    content_type TEXT NOT NULL,
    bytes        BLOB NOT NULL,
    updated_at   INTEGER NOT NULL
);

CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users (id),
    token_hash   TEXT NOT NULL UNIQUE,
    name         TEXT NOT NULL,
    created_at   INTEGER NOT NULL,
    last_used_at INTEGER
);

CREATE TABLE notifications (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id),
    kind       TEXT NOT NULL,
    post_id    INTEGER REFERENCES posts (id),
    read_at    INTEGER,
    created_at INTEGER NOT NULL
);
CREATE INDEX notifications_user_idx ON notifications (user_id, created_at);

CREATE TABLE badges (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id),
    name       TEXT NOT NULL,
    class      TEXT NOT NULL,
    post_id    INTEGER REFERENCES posts (id),
    awarded_at INTEGER NOT NULL
);
CREATE INDEX badges_user_idx ON badges (user_id);
CREATE UNIQUE INDEX badges_once_key ON badges (user_id, name, coalesce(post_id, 0));

-- Every change to a user's reputation and why. users.reputation is the running
-- total; `ponder reputation recompute` replays this ledger to check it.
-- actor_id is who caused it (the voter, the asker who accepted).
CREATE TABLE reputation_events (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id),
    kind       TEXT NOT NULL,
    post_id    INTEGER REFERENCES posts (id),
    actor_id   INTEGER REFERENCES users (id),
    amount     INTEGER NOT NULL,
    day        INTEGER NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX reputation_events_user_idx ON reputation_events (user_id, id);
CREATE INDEX reputation_events_cap_idx ON reputation_events (user_id, day, kind);
CREATE INDEX reputation_events_post_idx ON reputation_events (post_id, actor_id);

CREATE TABLE comment_votes (
    comment_id INTEGER NOT NULL REFERENCES comments (id),
    user_id    INTEGER NOT NULL REFERENCES users (id),
    created_at INTEGER NOT NULL,
    PRIMARY KEY (comment_id, user_id)
) WITHOUT ROWID;

-- Edits of others' posts by users without the edit privilege wait here for the
-- author or an experienced user; at most one pending suggestion per post.
CREATE TABLE suggested_edits (
    id            INTEGER PRIMARY KEY,
    post_id       INTEGER NOT NULL REFERENCES posts (id),
    author_id     INTEGER NOT NULL REFERENCES users (id),
    base_revision INTEGER NOT NULL,
    title         TEXT NOT NULL DEFAULT '',
    body_markdown TEXT NOT NULL,
    tags          TEXT NOT NULL DEFAULT '',
    summary       TEXT NOT NULL DEFAULT '',
    status        TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected')),
    reviewer_id   INTEGER REFERENCES users (id),
    reason        TEXT NOT NULL DEFAULT '',
    created_at    INTEGER NOT NULL,
    reviewed_at   INTEGER
);
CREATE UNIQUE INDEX suggested_edits_pending_key ON suggested_edits (post_id) WHERE status = 'pending';
CREATE INDEX suggested_edits_status_idx ON suggested_edits (status, created_at);

CREATE TABLE changes (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    kind       TEXT NOT NULL,
    entity_id  INTEGER NOT NULL,
    created_at INTEGER NOT NULL
);
