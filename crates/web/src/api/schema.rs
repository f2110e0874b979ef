//! The shapes `/api/v1` answers with: each a plain struct that serializes as the
//! JSON clients read and describes itself to the OpenAPI document (`ToSchema`), so
//! the document is the code. Times are RFC 3339 strings in UTC; every `url` is the
//! absolute address of the thing's page on this site.

use crate::views::{question_path, tag_path, user_path};
use ponder_core::time::{DateTime, Timestamp};
use ponder_store::{Comment, Post, QuestionSummary, Tag, User, UserRef};
use serde::Serialize;
use utoipa::ToSchema;

/// A time as the API writes it: `2026-11-26T23:07:52Z`.
pub fn time(at: Timestamp) -> String {
    DateTime::from_timestamp(at).rfc3339()
}

/// The error every refused request answers with.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    /// What went wrong.
    pub error: ErrorDetail,
}

/// An error's stable code and readable message.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorDetail {
    /// A stable snake_case code (`not_found`, `invalid_input`, `post_locked`, ...).
    pub code: String,
    /// What happened and how to fix it, for people.
    pub message: String,
}

/// One page of a longer list.
#[derive(Debug, Serialize, ToSchema)]
pub struct Paged<T: ToSchema> {
    /// The items on this page.
    pub items: Vec<T>,
    /// This page's number, from 1.
    pub page: u32,
    /// Items a page.
    pub per_page: u32,
    /// Items in the whole list.
    pub total: i64,
    /// Whether a later page has more.
    pub has_more: bool,
}

impl<T: ToSchema> Paged<T> {
    /// The page of `list`, its items shaped by `shape`.
    pub fn of<S>(list: ponder_store::Page<S>, shape: impl FnMut(S) -> T) -> Self {
        let has_more = i64::from(list.page) * i64::from(list.per_page) < list.total;
        Self {
            items: list.items.into_iter().map(shape).collect(),
            page: list.page,
            per_page: list.per_page,
            total: list.total,
            has_more,
        }
    }
}

/// The author of a post or a comment, as lists show them.
#[derive(Debug, Serialize, ToSchema)]
pub struct Author {
    /// Their id.
    pub id: i64,
    /// The name shown.
    pub name: String,
    /// Their reputation.
    pub reputation: i64,
    /// Whether the account was deleted (the name is then a placeholder).
    pub deleted: bool,
    /// Their profile.
    pub url: String,
}

impl Author {
    /// `user`, with its profile under `base`.
    pub fn new(base: &str, user: &UserRef) -> Self {
        Self {
            id: user.id.0,
            name: user.display_name.clone(),
            reputation: user.reputation,
            deleted: user.deleted,
            url: format!("{base}{}", user_path(user.id, &user.display_name)),
        }
    }
}

/// A question as lists show it.
#[derive(Debug, Serialize, ToSchema)]
pub struct QuestionSummaryJson {
    /// Its id.
    pub id: i64,
    /// Its title.
    pub title: String,
    /// Its page.
    pub url: String,
    /// Upvotes less downvotes.
    pub score: i64,
    /// Answers it has.
    pub answer_count: i64,
    /// Times it was viewed.
    pub view_count: i64,
    /// Whether its asker accepted an answer.
    pub has_accepted_answer: bool,
    /// Its tags.
    pub tags: Vec<String>,
    /// The category it is filed in.
    pub category_id: i64,
    /// Who asked it.
    pub author: Author,
    /// When it was asked.
    pub created_at: String,
    /// When it last changed (asked, answered, edited).
    pub last_activity_at: String,
}

impl QuestionSummaryJson {
    /// `q`, with its pages under `base`.
    pub fn new(base: &str, q: QuestionSummary) -> Self {
        Self {
            id: q.id.0,
            url: format!("{base}{}", question_path(q.id, &q.title)),
            title: q.title,
            score: q.score,
            answer_count: q.answer_count,
            view_count: q.view_count,
            has_accepted_answer: q.has_accepted_answer,
            tags: q.tags,
            category_id: q.category_id.0,
            author: Author::new(base, &q.author),
            created_at: time(q.created_at),
            last_activity_at: time(q.last_activity_at),
        }
    }
}

/// A comment.
#[derive(Debug, Serialize, ToSchema)]
pub struct CommentJson {
    /// Its id.
    pub id: i64,
    /// The post it is on.
    pub post_id: i64,
    /// Its text, as sanitized HTML.
    pub body_html: String,
    /// Its upvotes.
    pub score: i64,
    /// Who wrote it.
    pub author: Author,
    /// When.
    pub created_at: String,
}

impl CommentJson {
    /// `c`, with its author's page under `base`.
    pub fn new(base: &str, c: &Comment) -> Self {
        Self {
            id: c.id.0,
            post_id: c.post_id.0,
            body_html: c.body_html.as_str().to_owned(),
            score: c.score,
            author: Author::new(base, &c.author),
            created_at: time(c.created_at),
        }
    }
}

/// An answer with its comments.
#[derive(Debug, Serialize, ToSchema)]
pub struct AnswerJson {
    /// Its id.
    pub id: i64,
    /// Its question.
    pub question_id: i64,
    /// Its place on the question's page.
    pub url: String,
    /// Its text as written, in Markdown.
    pub body_markdown: String,
    /// Its text as shown, sanitized HTML.
    pub body_html: String,
    /// Upvotes less downvotes.
    pub score: i64,
    /// Whether the asker accepted it.
    pub accepted: bool,
    /// Whether it was deleted (only its author and moderators see it then).
    pub deleted: bool,
    /// Whether a moderator locked it.
    pub locked: bool,
    /// Who wrote it.
    pub author: Author,
    /// When.
    pub created_at: String,
    /// When it was last edited, if it was.
    pub edited_at: Option<String>,
    /// Its comments, oldest first.
    pub comments: Vec<CommentJson>,
}

/// A question with its answers and all the comments.
#[derive(Debug, Serialize, ToSchema)]
pub struct QuestionJson {
    /// Its id.
    pub id: i64,
    /// Its title.
    pub title: String,
    /// Its page.
    pub url: String,
    /// Its text as written, in Markdown.
    pub body_markdown: String,
    /// Its text as shown, sanitized HTML.
    pub body_html: String,
    /// Upvotes less downvotes.
    pub score: i64,
    /// Times it was viewed.
    pub view_count: i64,
    /// Answers it has (deleted ones not counted).
    pub answer_count: i64,
    /// The accepted answer, if one is.
    pub accepted_answer_id: Option<i64>,
    /// Its tags.
    pub tags: Vec<String>,
    /// Its category's path, from the top.
    pub categories: Vec<CategoryRef>,
    /// Why it was closed, if it is.
    pub closed_reason: Option<String>,
    /// The question it duplicates, if it was closed as a duplicate.
    pub duplicate_of: Option<i64>,
    /// Whether a moderator locked it.
    pub locked: bool,
    /// Whether only members with some reputation may answer.
    pub protected: bool,
    /// Whether it was deleted (only its author and moderators see it then).
    pub deleted: bool,
    /// Who asked it.
    pub author: Author,
    /// When it was asked.
    pub created_at: String,
    /// When it was last edited, if it was.
    pub edited_at: Option<String>,
    /// When it last changed.
    pub last_activity_at: String,
    /// Its comments, oldest first.
    pub comments: Vec<CommentJson>,
    /// Its answers, as the page orders them.
    pub answers: Vec<AnswerJson>,
}

/// A category as a question's path names it.
#[derive(Debug, Serialize, ToSchema)]
pub struct CategoryRef {
    /// Its id.
    pub id: i64,
    /// Its slug in URLs.
    pub slug: String,
    /// Its name.
    pub name: String,
}

/// A category.
#[derive(Debug, Serialize, ToSchema)]
pub struct CategoryJson {
    /// Its id.
    pub id: i64,
    /// The category it sits in, if any.
    pub parent_id: Option<i64>,
    /// Its slug in URLs.
    pub slug: String,
    /// Its name.
    pub name: String,
    /// What belongs in it.
    pub description: String,
    /// Its page.
    pub url: String,
}

/// A tag.
#[derive(Debug, Serialize, ToSchema)]
pub struct TagJson {
    /// Its name.
    pub name: String,
    /// What it is for.
    pub description: String,
    /// Questions that carry it.
    pub question_count: i64,
    /// Its page.
    pub url: String,
}

impl TagJson {
    /// `t`, with its page under `base`.
    pub fn new(base: &str, t: Tag) -> Self {
        Self {
            url: format!("{base}{}", tag_path(&t.name)),
            name: t.name,
            description: t.description,
            question_count: t.question_count,
        }
    }
}

/// A member, as their profile shows them.
#[derive(Debug, Serialize, ToSchema)]
pub struct UserJson {
    /// Their id.
    pub id: i64,
    /// Their unique handle (`@handle` mentions them).
    pub handle: String,
    /// The name shown.
    pub name: String,
    /// Their reputation.
    pub reputation: i64,
    /// `user`, `moderator` or `admin`.
    pub role: String,
    /// "About me", sanitized HTML.
    pub about_html: String,
    /// When they joined.
    pub created_at: String,
    /// Whether the account was deleted.
    pub deleted: bool,
    /// Their profile.
    pub url: String,
}

impl UserJson {
    /// `u`, with their profile under `base`.
    pub fn new(base: &str, u: &User) -> Self {
        Self {
            id: u.id.0,
            handle: u.handle.clone(),
            name: u.display_name.clone(),
            reputation: u.reputation,
            role: u.role.as_str().to_owned(),
            about_html: u.about_html.as_str().to_owned(),
            created_at: time(u.created_at),
            deleted: u.deleted,
            url: format!("{base}{}", user_path(u.id, &u.display_name)),
        }
    }
}

/// An answer as a member's list shows it.
#[derive(Debug, Serialize, ToSchema)]
pub struct AnswerSummaryJson {
    /// Its id.
    pub id: i64,
    /// Its question.
    pub question_id: i64,
    /// Its question's title.
    pub question_title: String,
    /// Its place on the question's page.
    pub url: String,
    /// Upvotes less downvotes.
    pub score: i64,
    /// Whether the asker accepted it.
    pub accepted: bool,
    /// When.
    pub created_at: String,
}

/// One revision of a post.
#[derive(Debug, Serialize, ToSchema)]
pub struct RevisionJson {
    /// Its id (an edit names the newest as its `base_revision`).
    pub id: i64,
    /// Its number in the post's history, from 1.
    pub number: i64,
    /// Who made it.
    pub editor: Author,
    /// The title then (questions; empty for answers).
    pub title: String,
    /// The body then, in Markdown.
    pub body_markdown: String,
    /// The tags then (questions).
    pub tags: Vec<String>,
    /// What the editor said they changed.
    pub summary: String,
    /// When.
    pub created_at: String,
}

/// One search result: a question or an answer.
#[derive(Debug, Serialize, ToSchema)]
pub struct SearchHitJson {
    /// The post.
    pub id: i64,
    /// Its question.
    pub question_id: i64,
    /// `question` or `answer`.
    pub kind: String,
    /// Its question's title.
    pub title: String,
    /// Where it is.
    pub url: String,
    /// A passage with the matched words in `<b>`, HTML-escaped.
    pub snippet_html: String,
    /// Its score.
    pub score: i64,
    /// Its question's answers.
    pub answer_count: u64,
    /// Accepted (an answer), or has an accepted answer (a question).
    pub accepted: bool,
    /// When it was posted.
    pub created_at: String,
}

/// Search results, and what the query language made of the query.
#[derive(Debug, Serialize, ToSchema)]
pub struct SearchResultsJson {
    /// The results on this page.
    pub items: Vec<SearchHitJson>,
    /// This page's number, from 1.
    pub page: u32,
    /// Results a page.
    pub per_page: u32,
    /// Results in all.
    pub total: i64,
    /// Whether a later page has more.
    pub has_more: bool,
    /// What the query language could not use, and why.
    pub notes: Vec<String>,
}

/// An item in the member's inbox.
#[derive(Debug, Serialize, ToSchema)]
pub struct NoticeJson {
    /// Its id.
    pub id: i64,
    /// What it tells (`answer`, `comment`, `mention`, `accepted`, ...).
    pub kind: String,
    /// What it says, in a line.
    pub headline: String,
    /// How many events it stands for.
    pub count: i64,
    /// The question it is about, if any.
    pub question_id: Option<i64>,
    /// The question's title.
    pub question_title: Option<String>,
    /// The post it links to.
    pub post_id: Option<i64>,
    /// The comment it links to.
    pub comment_id: Option<i64>,
    /// A reason or a moderator's words.
    pub detail: String,
    /// Whether the member has read it.
    pub read: bool,
    /// Opens it (and marks it read).
    pub url: String,
    /// When its newest event happened.
    pub updated_at: String,
}

/// Something the member follows.
#[derive(Debug, Serialize, ToSchema)]
pub struct FollowJson {
    /// `question`, `tag`, `category` or `user`.
    pub kind: String,
    /// Its id.
    pub target_id: i64,
    /// Its title or name.
    pub label: String,
    /// Where its news goes: `inbox` or `mail`.
    pub level: String,
    /// Since when.
    pub created_at: String,
}

/// What a write made.
#[derive(Debug, Serialize, ToSchema)]
pub struct Created {
    /// The new thing's id.
    pub id: i64,
    /// Its page.
    pub url: String,
}

/// A post's score after a vote.
#[derive(Debug, Serialize, ToSchema)]
pub struct VoteResult {
    /// The post's score now.
    pub score: i64,
    /// The member's vote now: `up`, `down` or `none`.
    pub vote: String,
}

/// What an edit became.
#[derive(Debug, Serialize, ToSchema)]
pub struct EditResult {
    /// `saved` (the post's new revision) or `suggested` (waiting for review).
    pub result: String,
    /// The suggestion's id, when the edit was filed as one.
    pub suggestion_id: Option<i64>,
    /// The post's page.
    pub url: String,
}

/// Whether a write changed the state of its target.
#[derive(Debug, Serialize, ToSchema)]
pub struct Done {
    /// Whether the target changed (a flag that hid a post, a vote that closed a
    /// question); `false` when the write was counted but changed nothing yet.
    pub changed: bool,
}

/// The answer's shape as a thread holds it, for [`QuestionJson`] and `GET /answers/{id}`.
pub fn answer_json(base: &str, thread: &ponder_store::QuestionThread, a: &Post) -> AnswerJson {
    let q = &thread.question;
    AnswerJson {
        id: a.id.0,
        question_id: q.id.0,
        url: format!("{base}{}#answer-{}", question_path(q.id, &q.title), a.id),
        body_markdown: a.body_markdown.clone(),
        body_html: a.body_html.as_str().to_owned(),
        score: a.score,
        accepted: q.accepted_answer_id == Some(a.id),
        deleted: a.deleted,
        locked: a.locked,
        author: Author::new(base, &a.author),
        created_at: time(a.created_at),
        edited_at: a.edited_at.map(time),
        comments: thread
            .comments_of(a.id)
            .map(|c| CommentJson::new(base, c))
            .collect(),
    }
}
