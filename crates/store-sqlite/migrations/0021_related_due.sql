-- Questions whose related list is due are found by when it was computed, from an
-- index, instead of by walking every question: a live question without a list has
-- a row computed at 0 (new, edited, undeleted, or made before this version), and a
-- deleted question has none. Such a row shows as no list on the question's page.
INSERT INTO related_lists (question_id, computed_at)
SELECT p.id, 0 FROM posts p
WHERE p.kind = 'question' AND p.deleted_at IS NULL AND p.category_id IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM related_lists l WHERE l.question_id = p.id);
DELETE FROM related_lists
WHERE question_id IN (SELECT id FROM posts WHERE deleted_at IS NOT NULL);
-- The rowid (question_id) follows computed_at in each entry.
CREATE INDEX related_lists_due_idx ON related_lists (computed_at);
