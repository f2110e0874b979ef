-- Tags grow a wiki (Markdown and its HTML), kept in revisions like posts, and a
-- mark that only moderators may put them on questions. Synonyms name a master
-- tag: typed when asking, they become it, and their pages redirect to it; a tag
-- renamed or merged leaves its old name as a synonym.
ALTER TABLE tags ADD COLUMN wiki_markdown TEXT NOT NULL DEFAULT '';
ALTER TABLE tags ADD COLUMN wiki_html TEXT NOT NULL DEFAULT '';
ALTER TABLE tags ADD COLUMN moderator_only INTEGER NOT NULL DEFAULT 0;
CREATE TABLE tag_revisions (
    id            INTEGER PRIMARY KEY,
    tag_id        INTEGER NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
    editor_id     INTEGER NOT NULL REFERENCES users (id),
    description   TEXT NOT NULL,
    wiki_markdown TEXT NOT NULL,
    created_at    INTEGER NOT NULL
);
CREATE INDEX tag_revisions_tag_idx ON tag_revisions (tag_id, id);
CREATE TABLE tag_synonyms (
    name       TEXT PRIMARY KEY,
    tag_id     INTEGER NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL
);
CREATE INDEX tag_synonyms_tag_idx ON tag_synonyms (tag_id);
