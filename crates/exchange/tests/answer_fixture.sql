-- An Apache Answer site's database, as Answer's schema lays it out (its xorm
-- entity definitions: question, answer, comment, user, tag, tag_rel, revision,
-- activity, config, badge, badge_award, question_link), in SQL both SQLite and
-- PostgreSQL run. Ids of questions, answers, comments, tags, badges and awards
-- come from Answer's shared sequence: 1, the object type in three digits (001
-- question, 002 answer, 003 tag, 007 comment, 009 badge, 010 badge award), the
-- number in thirteen. Times are written as Answer writes them.

CREATE TABLE "user" (
    id BIGINT NOT NULL PRIMARY KEY,
    created_at TIMESTAMP NULL,
    updated_at TIMESTAMP NULL,
    suspended_at TIMESTAMP NULL,
    suspended_until TIMESTAMP NULL,
    deleted_at TIMESTAMP NULL,
    last_login_date TIMESTAMP NULL,
    username VARCHAR(50) NOT NULL DEFAULT '' UNIQUE,
    pass VARCHAR(255) NOT NULL DEFAULT '',
    e_mail VARCHAR(100) NOT NULL,
    mail_status SMALLINT NOT NULL DEFAULT 2,
    notice_status INT NOT NULL DEFAULT 2,
    follow_count INT NOT NULL DEFAULT 0,
    answer_count INT NOT NULL DEFAULT 0,
    question_count INT NOT NULL DEFAULT 0,
    "rank" INT NOT NULL DEFAULT 0,
    status INT NOT NULL DEFAULT 1,
    authority_group INT NOT NULL DEFAULT 1,
    display_name VARCHAR(30) NOT NULL DEFAULT '',
    avatar TEXT NOT NULL,
    mobile VARCHAR(20) NOT NULL,
    bio TEXT NOT NULL,
    bio_html TEXT NOT NULL,
    website VARCHAR(255) NOT NULL DEFAULT '',
    location VARCHAR(100) NOT NULL DEFAULT '',
    ip_info VARCHAR(255) NOT NULL DEFAULT '',
    is_admin BOOL NOT NULL DEFAULT false,
    language VARCHAR(100) NOT NULL DEFAULT '',
    color_scheme VARCHAR(100) NOT NULL DEFAULT ''
);

CREATE TABLE site_info (
    id INT NOT NULL PRIMARY KEY,
    created_at TIMESTAMP NULL,
    updated_at TIMESTAMP NULL,
    type VARCHAR(64) NOT NULL,
    content TEXT NOT NULL,
    status INT NOT NULL DEFAULT 1
);

CREATE TABLE user_role_rel (
    id INT NOT NULL PRIMARY KEY,
    created_at TIMESTAMP NULL,
    updated_at TIMESTAMP NULL,
    user_id BIGINT NOT NULL DEFAULT 0,
    role_id INT NOT NULL DEFAULT 0
);

CREATE TABLE tag (
    id BIGINT NOT NULL PRIMARY KEY,
    created_at TIMESTAMP NULL,
    updated_at TIMESTAMP NULL,
    main_tag_id BIGINT NOT NULL DEFAULT 0,
    main_tag_slug_name VARCHAR(35) NOT NULL DEFAULT '',
    slug_name VARCHAR(35) NOT NULL DEFAULT '' UNIQUE,
    display_name VARCHAR(35) NOT NULL DEFAULT '',
    original_text TEXT NOT NULL,
    parsed_text TEXT NOT NULL,
    follow_count INT NOT NULL DEFAULT 0,
    question_count INT NOT NULL DEFAULT 0,
    status INT NOT NULL DEFAULT 1,
    recommend BOOL NOT NULL DEFAULT false,
    reserved BOOL NOT NULL DEFAULT false,
    revision_id BIGINT NOT NULL DEFAULT 0,
    user_id BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE tag_rel (
    id BIGINT NOT NULL PRIMARY KEY,
    created_at TIMESTAMP NULL,
    updated_at TIMESTAMP NULL,
    object_id BIGINT NOT NULL,
    tag_id BIGINT NOT NULL,
    status INT NOT NULL DEFAULT 1,
    UNIQUE (object_id, tag_id)
);

CREATE TABLE question (
    id BIGINT NOT NULL PRIMARY KEY,
    created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMP NULL,
    user_id BIGINT NOT NULL DEFAULT 0,
    invite_user_id TEXT NULL,
    last_edit_user_id BIGINT NOT NULL DEFAULT 0,
    title VARCHAR(150) NOT NULL DEFAULT '',
    original_text TEXT NOT NULL,
    parsed_text TEXT NOT NULL,
    pin INT NOT NULL DEFAULT 1,
    show INT NOT NULL DEFAULT 1,
    status INT NOT NULL DEFAULT 1,
    view_count INT NOT NULL DEFAULT 0,
    unique_view_count INT NOT NULL DEFAULT 0,
    vote_count INT NOT NULL DEFAULT 0,
    answer_count INT NOT NULL DEFAULT 0,
    hot_score INT NOT NULL DEFAULT 0,
    collection_count INT NOT NULL DEFAULT 0,
    follow_count INT NOT NULL DEFAULT 0,
    accepted_answer_id BIGINT NOT NULL DEFAULT 0,
    last_answer_id BIGINT NOT NULL DEFAULT 0,
    post_update_time TIMESTAMP NULL,
    revision_id BIGINT NOT NULL DEFAULT 0,
    linked_count INT NOT NULL DEFAULT 0
);

CREATE TABLE answer (
    id BIGINT NOT NULL PRIMARY KEY,
    created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMP NULL,
    question_id BIGINT NOT NULL DEFAULT 0,
    user_id BIGINT NOT NULL DEFAULT 0,
    last_edit_user_id BIGINT NOT NULL DEFAULT 0,
    original_text TEXT NOT NULL,
    parsed_text TEXT NOT NULL,
    status INT NOT NULL DEFAULT 1,
    adopted INT NOT NULL DEFAULT 1,
    comment_count INT NOT NULL DEFAULT 0,
    vote_count INT NOT NULL DEFAULT 0,
    revision_id BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE comment (
    id BIGINT NOT NULL PRIMARY KEY,
    created_at TIMESTAMP NULL,
    updated_at TIMESTAMP NULL,
    user_id BIGINT NOT NULL DEFAULT 0,
    reply_user_id BIGINT NULL,
    reply_comment_id BIGINT NULL,
    object_id BIGINT NOT NULL DEFAULT 0,
    question_id BIGINT NOT NULL DEFAULT 0,
    vote_count INT NOT NULL DEFAULT 0,
    status SMALLINT NOT NULL DEFAULT 0,
    original_text TEXT NOT NULL,
    parsed_text TEXT NOT NULL
);

CREATE TABLE revision (
    id BIGINT NOT NULL PRIMARY KEY,
    created_at TIMESTAMP NULL,
    updated_at TIMESTAMP NULL,
    user_id BIGINT NOT NULL DEFAULT 0,
    object_type INT NOT NULL DEFAULT 0,
    object_id BIGINT NOT NULL DEFAULT 0,
    title VARCHAR(255) NOT NULL DEFAULT '',
    content TEXT NOT NULL,
    log VARCHAR(255) NULL,
    status INT NOT NULL DEFAULT 1,
    review_user_id BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE config (
    id INT NOT NULL PRIMARY KEY,
    "key" VARCHAR(128) NULL UNIQUE,
    value TEXT NULL
);

CREATE TABLE activity (
    id BIGINT NOT NULL PRIMARY KEY,
    created_at TIMESTAMP NULL,
    updated_at TIMESTAMP NULL,
    cancelled_at TIMESTAMP NULL,
    user_id BIGINT NOT NULL,
    trigger_user_id BIGINT NOT NULL DEFAULT 0,
    object_id BIGINT NOT NULL DEFAULT 0,
    original_object_id BIGINT NOT NULL DEFAULT 0,
    activity_type INT NOT NULL,
    cancelled SMALLINT NOT NULL DEFAULT 0,
    "rank" INT NOT NULL DEFAULT 0,
    has_rank SMALLINT NOT NULL DEFAULT 0,
    revision_id BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE badge (
    id BIGINT NOT NULL PRIMARY KEY,
    created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    name VARCHAR(256) NOT NULL DEFAULT '',
    icon VARCHAR(1024) NOT NULL DEFAULT '',
    award_count INT NOT NULL DEFAULT 0,
    description TEXT NOT NULL,
    status INT NOT NULL DEFAULT 1,
    badge_group_id BIGINT NOT NULL DEFAULT 0,
    level SMALLINT NOT NULL DEFAULT 1,
    single SMALLINT NOT NULL DEFAULT 1,
    collect VARCHAR(128) NOT NULL DEFAULT '',
    handler VARCHAR(128) NOT NULL DEFAULT '',
    param TEXT NOT NULL
);

CREATE TABLE badge_award (
    id BIGINT NOT NULL PRIMARY KEY,
    created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    user_id BIGINT NOT NULL,
    badge_id BIGINT NOT NULL,
    award_key VARCHAR(64) NOT NULL,
    badge_group_id BIGINT NOT NULL,
    is_badge_deleted SMALLINT NOT NULL
);

CREATE TABLE question_link (
    id BIGINT NOT NULL PRIMARY KEY,
    created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMP NULL,
    from_question_id BIGINT NOT NULL DEFAULT 0,
    from_answer_id BIGINT NULL,
    to_question_id BIGINT NOT NULL DEFAULT 0,
    to_answer_id BIGINT NULL,
    status INT NOT NULL DEFAULT 1
);

-- Members: the administrator, a member, one whose username is no handle here
-- (one letter) and whose address is unverified, and a deleted one.
INSERT INTO "user" (id, created_at, updated_at, last_login_date, username, pass, e_mail,
    mail_status, "rank", status, display_name, avatar, mobile, bio, bio_html, website,
    location, is_admin) VALUES
 (1, '2024-02-01 08:00:00', '2024-02-01 08:00:00', '2024-03-05 18:30:00', 'admin',
  '$2a$10$abcdefghijklmnopqrstuv', 'admin@example.org', 1, 200, 1, 'Admin', '', '',
  'I run **this** site.', '<p>I run <strong>this</strong> site.</p>',
  'https://example.org/me', 'Lyon', true),
 (2, '2024-02-02 08:00:00', '2024-02-02 08:00:00', NULL, 'alice', '', 'alice@example.org',
  1, 51, 1, 'Alice', '', '', '', '', '', '', false),
 (3, '2024-02-03 08:00:00', '2024-02-03 08:00:00', NULL, 'b', '', 'bob@example.org',
  2, 1, 1, 'Bob Q', '', '', '', '', '', '', false),
 (4, '2024-02-04 08:00:00', '2024-02-20 08:00:00', NULL, 'gone', '', 'gone@example.org',
  1, 1, 10, 'Gone', '', '', '', '', '', '', false);

-- The site's general settings name its address.
INSERT INTO site_info (id, type, content, status) VALUES
 (1, 'general', '{"name":"Q and A","site_url":"https://answer.example.org","contact_email":"admin@example.org"}', 1),
 (2, 'interface', '{"language":"en_US"}', 1);

-- Roles: 1 user, 2 admin, 3 moderator; the deleted member's is not kept.
INSERT INTO user_role_rel (id, user_id, role_id) VALUES
 (1, 1, 2), (2, 2, 1), (3, 3, 3), (4, 4, 3);

-- Tags: a wiki'd one, a reserved one, its synonym, and a deleted one.
INSERT INTO tag (id, created_at, main_tag_id, main_tag_slug_name, slug_name, display_name,
    original_text, parsed_text, question_count, status, reserved, user_id) VALUES
 (10030000000000001, '2024-02-01 08:00:00', 0, '', 'support', 'support',
  'For general support questions.

Say what you tried.', '<p>For general support questions.</p>', 2, 1, false, 1),
 (10030000000000006, '2024-02-01 08:00:00', 0, '', 'rust', 'Rust', '', '', 2, 1, true, 1),
 (10030000000000007, '2024-02-01 08:00:00', 10030000000000006, 'rust', 'rustlang',
  'rustlang', '', '', 0, 1, false, 1),
 (10030000000000008, '2024-02-01 08:00:00', 0, '', 'old', 'old', '', '', 0, 10, false, 1);

INSERT INTO question (id, created_at, updated_at, user_id, last_edit_user_id, title,
    original_text, parsed_text, status, view_count, vote_count, answer_count,
    accepted_answer_id, post_update_time) VALUES
 (10010000000000002, '2024-03-01 10:00:00', '2024-03-02 09:00:00', 2, 1,
  'How do lifetimes work?', 'I read about `''a`.

What does it *mean*?', '', 1, 42, 1, 2, 10020000000000003, '2024-03-03 12:00:00'),
 (10010000000000004, '2024-03-04 10:00:00', NULL, 1, 1, 'Is this site for cooking?',
  'Asking for a friend. See https://answer.example.org/questions/10010000000000002/how-do-lifetimes-work
and [the answer](/questions/10010000000000002/how-do-lifetimes-work/10020000000000003), not
[this one](https://answer.example.org/questions/10010000000000097) nor
https://elsewhere.example/questions/10010000000000002.', '', 2, 7, 0, 0, 0, '2024-03-04 11:00:00'),
 (10010000000000009, '2024-03-05 10:00:00', NULL, 2, 2, 'A question taken back',
  'Never mind.', '', 10, 0, 0, 0, 0, '2024-03-05 10:30:00'),
 (10010000000000010, '2024-03-06 10:00:00', NULL, 3, 3, 'A question awaiting review',
  'Is this allowed?', '', 11, 0, 0, 0, 0, NULL),
 (10010000000000011, '2024-03-07 10:00:00', NULL, 99, 99, 'From someone long gone',
  'Their account is no longer there.', '', 1, 3, 0, 0, 0, NULL);

INSERT INTO answer (id, created_at, updated_at, question_id, user_id, last_edit_user_id,
    original_text, parsed_text, status, adopted, vote_count) VALUES
 (10020000000000003, '2024-03-01 11:00:00', NULL, 10010000000000002, 3, 3,
  'A lifetime names how long a borrow lasts.', '', 1, 2, 0),
 (10020000000000005, '2024-03-01 12:00:00', NULL, 10010000000000002, 1, 1,
  'See the book, chapter 10.', '', 1, 1, 0),
 (10020000000000015, '2024-03-01 12:00:00', NULL, 10010000000000098, 1, 1,
  'An answer whose question is gone.', '', 1, 1, 0);

INSERT INTO tag_rel (id, object_id, tag_id, status) VALUES
 (1, 10010000000000002, 10030000000000007, 1),
 (2, 10010000000000002, 10030000000000001, 1),
 (3, 10010000000000002, 10030000000000008, 10),
 (4, 10010000000000004, 10030000000000001, 1),
 (5, 10010000000000011, 10030000000000006, 1);

-- Revisions hold the whole post as JSON; status 0 normal, 1 awaiting review,
-- 2 approved, 3 rejected; object type 3 is a tag's.
INSERT INTO revision (id, created_at, user_id, object_type, object_id, title, content, log,
    status) VALUES
 (1, '2024-03-01 10:00:00', 2, 1, 10010000000000002, 'How do lifetimes work',
  '{"ID":"10010000000000002","UserID":"2","Title":"How do lifetimes work","OriginalText":"I read about `''a`.","ParsedText":"","Status":1,"tags":[{"ID":"10030000000000007","MainTagID":10030000000000006,"MainTagSlugName":"rust","SlugName":"rustlang","DisplayName":"rustlang","Recommend":false,"Reserved":false,"RevisionID":"0"}]}',
  '', 0),
 (2, '2024-03-02 09:00:00', 1, 1, 10010000000000002, 'How do lifetimes work?',
  '{"ID":"10010000000000002","UserID":"2","Title":"How do lifetimes work?","OriginalText":"I read about `''a`.\n\nWhat does it *mean*?","tags":[{"SlugName":"rust"},{"SlugName":"support"}]}',
  'Clarified the title', 2),
 (3, '2024-03-02 10:00:00', 3, 1, 10010000000000002, 'Lifetimes!!',
  '{"Title":"Lifetimes!!","OriginalText":"spam","tags":[]}', 'Suggested', 1),
 (4, '2024-03-01 11:00:00', 3, 2, 10020000000000003, '',
  '{"ID":"10020000000000003","QuestionID":"10010000000000002","OriginalText":"A lifetime names how long a borrow lasts."}',
  '', 0),
 (5, '2024-03-01 12:00:00', 1, 2, 10020000000000005, '', 'not what Answer writes', '', 0),
 (6, '2024-02-01 08:00:00', 1, 3, 10030000000000001, '', '{"SlugName":"support"}', '', 0),
 (7, '2024-03-01 12:00:00', 1, 2, 10020000000000015, '',
  '{"OriginalText":"An answer whose question is gone."}', '', 0);

INSERT INTO comment (id, created_at, updated_at, user_id, object_id, question_id, vote_count,
    status, original_text, parsed_text) VALUES
 (10070000000000012, '2024-03-01 10:30:00', '2024-03-01 10:30:00', 1, 10010000000000002,
  10010000000000002, 1, 1, 'Which *edition*? `https://answer.example.org/questions/10010000000000004`', ''),
 (10070000000000013, '2024-03-01 11:30:00', '2024-03-01 13:00:00', 2, 10020000000000003,
  10010000000000002, 0, 10, 'Thanks!', ''),
 (10070000000000014, '2024-03-01 11:40:00', NULL, 2, 10020000000000099, 10010000000000098,
  0, 1, 'Under nothing.', '');

-- The activity types Answer's installation makes (a part of them).
INSERT INTO config (id, "key", value) VALUES
 (3, 'question.voted_up', '10'),
 (12, 'answer.vote_down', '-1'),
 (25, 'comment.vote_up', '0'),
 (27, 'question.vote_down', '0'),
 (28, 'question.vote_up', '0'),
 (30, 'answer.vote_up', '0');

-- Votes: the voter's own row (user_id the voter) and the author's (voted_up,
-- trigger_user_id the voter) for the same vote; a cancelled one; one on the
-- voter's own answer; one by a member the database lacks.
INSERT INTO activity (id, created_at, updated_at, user_id, trigger_user_id, object_id,
    original_object_id, activity_type, cancelled, "rank", has_rank) VALUES
 (1, '2024-03-01 10:10:00', '2024-03-01 10:10:00', 1, 0, 10010000000000002, 10010000000000002, 28, 0, 0, 0),
 (2, '2024-03-01 10:10:00', '2024-03-01 10:10:00', 2, 1, 10010000000000002, 10010000000000002, 3, 0, 10, 1),
 (3, '2024-03-01 10:20:00', '2024-03-01 10:25:00', 3, 0, 10010000000000002, 10010000000000002, 27, 1, 0, 0),
 (4, '2024-03-01 11:10:00', '2024-03-01 11:10:00', 2, 0, 10020000000000003, 10020000000000003, 30, 0, 0, 0),
 (5, '2024-03-01 10:40:00', '2024-03-01 10:40:00', 2, 0, 10070000000000012, 10070000000000012, 25, 0, 0, 0),
 (6, '2024-03-01 11:15:00', '2024-03-01 11:15:00', 3, 0, 10020000000000003, 10020000000000003, 30, 0, 0, 0),
 (7, '2024-03-01 11:20:00', '2024-03-01 11:20:00', 99, 0, 10010000000000002, 10010000000000002, 28, 0, 0, 0),
 (8, '2024-03-01 11:30:00', '2024-03-01 11:30:00', 1, 0, 10020000000000003, 10020000000000003, 12, 0, -1, 1);

INSERT INTO badge (id, name, description, status, level, param) VALUES
 (10090000000000016, 'badge.default_badges.nice_question.name', 'badge.default_badges.nice_question.desc', 1, 1, ''),
 (10090000000000019, 'Helper', 'Helped a lot.', 1, 3, '');

INSERT INTO badge_award (id, created_at, user_id, badge_id, award_key, badge_group_id,
    is_badge_deleted) VALUES
 (10100000000000017, '2024-03-04 00:00:00', 2, 10090000000000016, '10010000000000002', 1, 0),
 (10100000000000018, '2024-03-04 00:00:00', 1, 10090000000000019, '', 1, 1),
 (10100000000000020, '2024-03-05 00:00:00', 1, 10090000000000019, '', 1, 0);

INSERT INTO question_link (id, from_question_id, from_answer_id, to_question_id, to_answer_id,
    status) VALUES
 (1, 10010000000000004, 0, 10010000000000002, 0, 1),
 (2, 10010000000000002, 10020000000000003, 10010000000000004, 0, 1),
 (3, 10010000000000002, 0, 10010000000000097, 0, 1),
 (4, 10010000000000004, 0, 10010000000000011, 0, 2);
