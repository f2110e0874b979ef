-- The question lists at any size.
--
-- How many live questions each list holds, and how many of them have no answer: the
-- site's, each category's own (a category's page adds its subtree's), each tag's and
-- each author's. A list's page reads its total here instead of counting its
-- questions on every view, which at a million questions took longer than the page.
-- Triggers on posts and post_tags keep the figures, whichever write path asks,
-- answers, deletes, moves or retags a question; bulk loads recount them.
CREATE TABLE question_counts (
    scope      TEXT NOT NULL CHECK (scope IN ('site', 'category', 'tag', 'author')),
    scope_id   INTEGER NOT NULL,
    questions  INTEGER NOT NULL DEFAULT 0,
    unanswered INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (scope, scope_id)
) WITHOUT ROWID;

INSERT INTO question_counts (scope, scope_id, questions, unanswered)
SELECT 'site', 0, count(*), coalesce(sum(answer_count = 0), 0) FROM posts
 WHERE kind = 'question' AND deleted_at IS NULL
UNION ALL
SELECT 'category', category_id, count(*), sum(answer_count = 0) FROM posts
 WHERE kind = 'question' AND deleted_at IS NULL GROUP BY category_id
UNION ALL
SELECT 'author', author_id, count(*), sum(answer_count = 0) FROM posts
 WHERE kind = 'question' AND deleted_at IS NULL GROUP BY author_id
UNION ALL
SELECT 'tag', pt.tag_id, count(*), sum(p.answer_count = 0) FROM post_tags pt JOIN posts p ON p.id = pt.post_id
 WHERE p.kind = 'question' AND p.deleted_at IS NULL GROUP BY pt.tag_id;

-- The lists' pages are found in indexes alone, either way round (see
-- store-sql/queries.rs, which chooses by the counters above): a list holding a good part
-- of the site walks the site's order and keeps its own questions, so each order's
-- index holds the whole order (the id breaks ties) and then the category; a small
-- list reads its own questions and sorts them, so each order has an index led by the
-- category. The unanswered have indexes of their own: from the newest questions'
-- index the list skipped the answered row by row, which on a deep page meant reading
-- most of the site.
DROP INDEX IF EXISTS posts_questions_active_idx;
CREATE INDEX posts_questions_active_idx ON posts (last_activity_at, id, category_id)
 WHERE kind = 'question' AND deleted_at IS NULL;
DROP INDEX IF EXISTS posts_questions_newest_idx;
CREATE INDEX posts_questions_newest_idx ON posts (created_at, id, category_id)
 WHERE kind = 'question' AND deleted_at IS NULL;
DROP INDEX IF EXISTS posts_questions_score_idx;
CREATE INDEX posts_questions_score_idx ON posts (score, created_at, id, category_id)
 WHERE kind = 'question' AND deleted_at IS NULL;
CREATE INDEX posts_questions_unanswered_idx ON posts (created_at, id, category_id)
 WHERE kind = 'question' AND deleted_at IS NULL AND answer_count = 0;
CREATE INDEX posts_questions_category_newest_idx ON posts (category_id, created_at)
 WHERE kind = 'question' AND deleted_at IS NULL;
CREATE INDEX posts_questions_category_score_idx ON posts (category_id, score, created_at)
 WHERE kind = 'question' AND deleted_at IS NULL;
CREATE INDEX posts_questions_category_unanswered_idx ON posts (category_id, created_at)
 WHERE kind = 'question' AND deleted_at IS NULL AND answer_count = 0;

-- A question counts in its site, category, author and tags while it is live; each
-- trigger adds what the new row counts in and takes away what the old one did.
CREATE TRIGGER question_counts_post_insert AFTER INSERT ON posts
WHEN NEW.kind = 'question' AND NEW.deleted_at IS NULL
BEGIN
    INSERT INTO question_counts (scope, scope_id, questions, unanswered)
    SELECT scope, scope_id, questions, unanswered FROM (
        SELECT 'site' AS scope, 0 AS scope_id, 1 AS questions, NEW.answer_count = 0 AS unanswered
        UNION ALL SELECT 'category', NEW.category_id, 1, NEW.answer_count = 0
        UNION ALL SELECT 'author', NEW.author_id, 1, NEW.answer_count = 0
        UNION ALL SELECT 'tag', tag_id, 1, NEW.answer_count = 0 FROM post_tags WHERE post_id = NEW.id
    ) WHERE true
    ON CONFLICT (scope, scope_id) DO UPDATE SET questions = questions + excluded.questions,
        unanswered = unanswered + excluded.unanswered;
END;

CREATE TRIGGER question_counts_post_delete AFTER DELETE ON posts
WHEN OLD.kind = 'question' AND OLD.deleted_at IS NULL
BEGIN
    UPDATE question_counts SET questions = questions - 1, unanswered = unanswered - (OLD.answer_count = 0)
     WHERE (scope = 'site' AND scope_id = 0);
    UPDATE question_counts SET questions = questions - 1, unanswered = unanswered - (OLD.answer_count = 0)
     WHERE (scope = 'category' AND scope_id = OLD.category_id);
    UPDATE question_counts SET questions = questions - 1, unanswered = unanswered - (OLD.answer_count = 0)
     WHERE (scope = 'author' AND scope_id = OLD.author_id);
    UPDATE question_counts SET questions = questions - 1, unanswered = unanswered - (OLD.answer_count = 0)
     WHERE scope = 'tag' AND scope_id IN (SELECT tag_id FROM post_tags WHERE post_id = OLD.id);
END;

CREATE TRIGGER question_counts_post_update
AFTER UPDATE OF kind, deleted_at, answer_count, category_id, author_id ON posts
WHEN (OLD.kind = 'question' OR NEW.kind = 'question')
 AND ((OLD.deleted_at IS NULL) <> (NEW.deleted_at IS NULL)
      OR (OLD.answer_count = 0) <> (NEW.answer_count = 0)
      OR OLD.category_id IS NOT NEW.category_id
      OR OLD.author_id <> NEW.author_id
      OR OLD.kind <> NEW.kind)
BEGIN
    INSERT INTO question_counts (scope, scope_id, questions, unanswered)
    SELECT scope, scope_id, sum(questions), sum(unanswered) FROM (
        SELECT 'site' AS scope, 0 AS scope_id, -1 AS questions, -(OLD.answer_count = 0) AS unanswered
         WHERE OLD.kind = 'question' AND OLD.deleted_at IS NULL
        UNION ALL SELECT 'category', OLD.category_id, -1, -(OLD.answer_count = 0)
         WHERE OLD.kind = 'question' AND OLD.deleted_at IS NULL
        UNION ALL SELECT 'author', OLD.author_id, -1, -(OLD.answer_count = 0)
         WHERE OLD.kind = 'question' AND OLD.deleted_at IS NULL
        UNION ALL SELECT 'tag', tag_id, -1, -(OLD.answer_count = 0) FROM post_tags
         WHERE post_id = OLD.id AND OLD.kind = 'question' AND OLD.deleted_at IS NULL
        UNION ALL SELECT 'site', 0, 1, NEW.answer_count = 0
         WHERE NEW.kind = 'question' AND NEW.deleted_at IS NULL
        UNION ALL SELECT 'category', NEW.category_id, 1, NEW.answer_count = 0
         WHERE NEW.kind = 'question' AND NEW.deleted_at IS NULL
        UNION ALL SELECT 'author', NEW.author_id, 1, NEW.answer_count = 0
         WHERE NEW.kind = 'question' AND NEW.deleted_at IS NULL
        UNION ALL SELECT 'tag', tag_id, 1, NEW.answer_count = 0 FROM post_tags
         WHERE post_id = NEW.id AND NEW.kind = 'question' AND NEW.deleted_at IS NULL
    ) WHERE true GROUP BY scope, scope_id
    ON CONFLICT (scope, scope_id) DO UPDATE SET questions = questions + excluded.questions,
        unanswered = unanswered + excluded.unanswered;
END;

CREATE TRIGGER question_counts_tag_insert AFTER INSERT ON post_tags
BEGIN
    INSERT INTO question_counts (scope, scope_id, questions, unanswered)
    SELECT 'tag', NEW.tag_id, 1, answer_count = 0 FROM posts
     WHERE id = NEW.post_id AND kind = 'question' AND deleted_at IS NULL
    ON CONFLICT (scope, scope_id) DO UPDATE SET questions = questions + excluded.questions,
        unanswered = unanswered + excluded.unanswered;
END;

CREATE TRIGGER question_counts_tag_delete AFTER DELETE ON post_tags
BEGIN
    UPDATE question_counts
       SET questions = questions - 1,
           unanswered = unanswered - (SELECT answer_count = 0 FROM posts WHERE id = OLD.post_id)
     WHERE scope = 'tag' AND scope_id = OLD.tag_id
       AND EXISTS (SELECT 1 FROM posts WHERE id = OLD.post_id AND kind = 'question' AND deleted_at IS NULL);
END;

CREATE TRIGGER question_counts_tag_update AFTER UPDATE OF post_id, tag_id ON post_tags
BEGIN
    UPDATE question_counts
       SET questions = questions - 1,
           unanswered = unanswered - (SELECT answer_count = 0 FROM posts WHERE id = OLD.post_id)
     WHERE scope = 'tag' AND scope_id = OLD.tag_id
       AND EXISTS (SELECT 1 FROM posts WHERE id = OLD.post_id AND kind = 'question' AND deleted_at IS NULL);
    INSERT INTO question_counts (scope, scope_id, questions, unanswered)
    SELECT 'tag', NEW.tag_id, 1, answer_count = 0 FROM posts
     WHERE id = NEW.post_id AND kind = 'question' AND deleted_at IS NULL
    ON CONFLICT (scope, scope_id) DO UPDATE SET questions = questions + excluded.questions,
        unanswered = unanswered + excluded.unanswered;
END;
