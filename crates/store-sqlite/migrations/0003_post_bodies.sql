-- Post bodies live in a table of their own, one row a post: the posts table keeps
-- what lists, counters and indexes read, so that a scan of it (an index built
-- after an import, a recount, a list page off its index) reads no text.
CREATE TABLE post_bodies (
    post_id       INTEGER PRIMARY KEY REFERENCES posts (id),
    body_markdown TEXT NOT NULL,
    body_html     TEXT NOT NULL
);
INSERT INTO post_bodies (post_id, body_markdown, body_html)
    SELECT id, body_markdown, body_html FROM posts;
ALTER TABLE posts DROP COLUMN body_markdown;
ALTER TABLE posts DROP COLUMN body_html;
