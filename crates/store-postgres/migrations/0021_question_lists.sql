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
    scope_id   BIGINT NOT NULL,
    questions  BIGINT NOT NULL DEFAULT 0,
    unanswered BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (scope, scope_id)
);

INSERT INTO question_counts (scope, scope_id, questions, unanswered)
SELECT 'site', 0, count(*), count(*) FILTER (WHERE answer_count = 0) FROM posts
 WHERE kind = 'question' AND deleted_at IS NULL
UNION ALL
SELECT 'category', category_id, count(*), count(*) FILTER (WHERE answer_count = 0) FROM posts
 WHERE kind = 'question' AND deleted_at IS NULL GROUP BY category_id
UNION ALL
SELECT 'author', author_id, count(*), count(*) FILTER (WHERE answer_count = 0) FROM posts
 WHERE kind = 'question' AND deleted_at IS NULL GROUP BY author_id
UNION ALL
SELECT 'tag', pt.tag_id, count(*), count(*) FILTER (WHERE p.answer_count = 0) FROM post_tags pt
  JOIN posts p ON p.id = pt.post_id
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

-- Adds `sign` times what the question `q` counts in, if it is live: its site,
-- category, author and tags. Rows are changed in key order, so that two writers
-- lock the counters they share in the same order and cannot deadlock on them.
CREATE FUNCTION question_counts_move(q posts, sign BIGINT) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    unanswered BIGINT := CASE WHEN q.answer_count = 0 THEN sign ELSE 0 END;
BEGIN
    IF q.kind <> 'question' OR q.deleted_at IS NOT NULL THEN
        RETURN;
    END IF;
    INSERT INTO question_counts AS c (scope, scope_id, questions, unanswered)
    SELECT d.scope, d.scope_id, sign, unanswered FROM (
        SELECT 'site' AS scope, CAST(0 AS BIGINT) AS scope_id
        UNION ALL SELECT 'category', q.category_id
        UNION ALL SELECT 'author', q.author_id
        UNION ALL SELECT 'tag', pt.tag_id FROM post_tags pt WHERE pt.post_id = q.id
    ) d ORDER BY d.scope, d.scope_id
    ON CONFLICT (scope, scope_id) DO UPDATE SET questions = c.questions + excluded.questions,
        unanswered = c.unanswered + excluded.unanswered;
END $$;

CREATE FUNCTION question_counts_posts() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM question_counts_move(OLD, -1);
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') THEN
        PERFORM question_counts_move(NEW, 1);
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER question_counts_post_insert_delete AFTER INSERT OR DELETE ON posts
FOR EACH ROW EXECUTE FUNCTION question_counts_posts();

CREATE TRIGGER question_counts_post_update
AFTER UPDATE OF kind, deleted_at, answer_count, category_id, author_id ON posts
FOR EACH ROW
WHEN ((OLD.kind = 'question' OR NEW.kind = 'question')
  AND ((OLD.deleted_at IS NULL) <> (NEW.deleted_at IS NULL)
       OR (OLD.answer_count = 0) <> (NEW.answer_count = 0)
       OR OLD.category_id IS DISTINCT FROM NEW.category_id
       OR OLD.author_id <> NEW.author_id
       OR OLD.kind <> NEW.kind))
EXECUTE FUNCTION question_counts_posts();

-- A question's tag counts while the question is live.
CREATE FUNCTION question_counts_post_tags() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE question_counts c
           SET questions = c.questions - 1,
               unanswered = c.unanswered - CASE WHEN p.answer_count = 0 THEN 1 ELSE 0 END
          FROM posts p
         WHERE c.scope = 'tag' AND c.scope_id = OLD.tag_id
           AND p.id = OLD.post_id AND p.kind = 'question' AND p.deleted_at IS NULL;
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') THEN
        INSERT INTO question_counts AS c (scope, scope_id, questions, unanswered)
        SELECT 'tag', NEW.tag_id, 1, CASE WHEN p.answer_count = 0 THEN 1 ELSE 0 END FROM posts p
         WHERE p.id = NEW.post_id AND p.kind = 'question' AND p.deleted_at IS NULL
        ON CONFLICT (scope, scope_id) DO UPDATE SET questions = c.questions + excluded.questions,
            unanswered = c.unanswered + excluded.unanswered;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER question_counts_tag_insert_delete AFTER INSERT OR DELETE ON post_tags
FOR EACH ROW EXECUTE FUNCTION question_counts_post_tags();

CREATE TRIGGER question_counts_tag_update AFTER UPDATE OF post_id, tag_id ON post_tags
FOR EACH ROW EXECUTE FUNCTION question_counts_post_tags();
