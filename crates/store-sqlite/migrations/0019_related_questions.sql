-- Each question's related questions as last computed from the search index, so a
-- page shows them without asking the index on every view. A list is dropped when
-- its question is edited, and computed again when older than the site's period.
CREATE TABLE related_lists (
    question_id INTEGER PRIMARY KEY REFERENCES posts (id) ON DELETE CASCADE,
    computed_at INTEGER NOT NULL
);
CREATE TABLE related_questions (
    question_id INTEGER NOT NULL REFERENCES related_lists (question_id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    related_id  INTEGER NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    PRIMARY KEY (question_id, position)
);
CREATE INDEX related_questions_by_related ON related_questions (related_id);
