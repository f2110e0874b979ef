-- The site's questions each post links to, written with the post's body: the
-- "linked questions" beside a question read them both ways.
CREATE TABLE post_links (
    post_id     BIGINT NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    question_id BIGINT NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    PRIMARY KEY (post_id, question_id)
);
CREATE INDEX post_links_by_question ON post_links (question_id);
