-- A small list (a category's, a tag's) reads its own questions and sorts them (see
-- store-sql/queries.rs): one index led by the category now holds every order's
-- columns and the answer count, in place of one index per order.
DROP INDEX IF EXISTS posts_questions_category_newest_idx;
DROP INDEX IF EXISTS posts_questions_category_score_idx;
DROP INDEX IF EXISTS posts_questions_category_unanswered_idx;
CREATE INDEX IF NOT EXISTS posts_questions_category_idx
 ON posts (category_id, last_activity_at, created_at, score, answer_count)
 WHERE kind = 'question' AND deleted_at IS NULL;

-- Whether the site has an administrator, asked by the home page until it has one:
-- found in an index of the administrators rather than by reading every member.
CREATE INDEX IF NOT EXISTS users_administrators_idx ON users (id)
 WHERE role = 'admin' AND deleted_at IS NULL;
