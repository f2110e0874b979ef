//! Posts and threads: categories, tags, questions, answers, comments, the lists
//! and the pages of results, and the text a post carries.

use super::*;
use ponder_core::markdown::{self, SafeHtml};
use ponder_core::paging::{PER_PAGE, QuestionSort, page_count};
use ponder_core::time::Timestamp;
use ponder_core::{CategoryId, CommentId, PostId, TagId, UserId};

/// A node of the category tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Category {
    /// The category's id.
    pub id: CategoryId,
    /// Its parent, or `None` at the top.
    pub parent_id: Option<CategoryId>,
    /// Its URL segment, unique among its siblings.
    pub slug: String,
    /// Its name.
    pub name: String,
    /// A sentence on what belongs there.
    pub description: String,
    /// Order among siblings.
    pub position: i64,
}

/// A tag and how many questions carry it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tag {
    /// The tag's id.
    pub id: TagId,
    /// Its name, lowercase.
    pub name: String,
    /// What it is for.
    pub description: String,
    /// Questions (not deleted) that carry it.
    pub question_count: i64,
}

/// Whether a post is a question or an answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PostKind {
    /// A question.
    Question,
    /// An answer to a question.
    Answer,
}

impl PostKind {
    /// The name stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Question => "question",
            Self::Answer => "answer",
        }
    }
}

/// A question in a list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuestionSummary {
    /// The question's id.
    pub id: PostId,
    /// Its title.
    pub title: String,
    /// Score.
    pub score: i64,
    /// Answers (not deleted).
    pub answer_count: i64,
    /// Views.
    pub view_count: i64,
    /// Whether an answer is accepted.
    pub has_accepted_answer: bool,
    /// When it was asked.
    pub created_at: Timestamp,
    /// When it, or anything on it, last changed.
    pub last_activity_at: Timestamp,
    /// Its category.
    pub category_id: CategoryId,
    /// Who asked.
    pub author: UserRef,
    /// Its tags, in the order given.
    pub tags: Vec<String>,
}

/// A question or an answer, in full, as its page shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Post {
    /// The post's id.
    pub id: PostId,
    /// Question or answer.
    pub kind: PostKind,
    /// The title (questions only; empty on answers).
    pub title: String,
    /// The Markdown source.
    pub body_markdown: String,
    /// The rendered, sanitized HTML.
    pub body_html: SafeHtml,
    /// Score.
    pub score: i64,
    /// Who wrote it.
    pub author: UserRef,
    /// When it was posted.
    pub created_at: Timestamp,
    /// When it was last edited, if ever.
    pub edited_at: Option<Timestamp>,
    /// When it, or anything on it, last changed.
    pub last_activity_at: Timestamp,
    /// Comments (not deleted).
    pub comment_count: i64,
    /// Answers (questions only).
    pub answer_count: i64,
    /// Views (questions only).
    pub view_count: i64,
    /// On a question: its accepted answer. On an answer: always `None`.
    pub accepted_answer_id: Option<PostId>,
    /// The category (questions only).
    pub category_id: Option<CategoryId>,
    /// Whether it was deleted (only its author and moderators see it then).
    pub deleted: bool,
    /// Why the question was closed, if it is.
    pub closed_reason: Option<String>,
    /// The question this one duplicates, when closed as a duplicate.
    pub duplicate_of: Option<PostId>,
    /// Whether it is locked: no edits, votes, answers or comments.
    pub locked: bool,
    /// Whether the question is protected: only users with earned reputation answer.
    pub protected: bool,
    /// The licence it came under on the site it was imported from (`CC BY-SA
    /// 3.0`), which its page names; `None` for the site's own.
    pub licence: Option<String>,
}

/// A comment under a post.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comment {
    /// The comment's id.
    pub id: CommentId,
    /// The post it is under.
    pub post_id: PostId,
    /// Rendered, sanitized HTML.
    pub body_html: SafeHtml,
    /// Upvotes.
    pub score: i64,
    /// Who wrote it.
    pub author: UserRef,
    /// When.
    pub created_at: Timestamp,
}

/// Everything a question's page shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuestionThread {
    /// The question.
    pub question: Post,
    /// Its category and that category's ancestors, the top one first.
    pub category_path: Vec<Category>,
    /// Its tags.
    pub tags: Vec<String>,
    /// Its answers: the accepted one first, then by score, then oldest first.
    pub answers: Vec<Post>,
    /// The comments of the question and of every answer, oldest first.
    pub comments: Vec<Comment>,
}

impl QuestionThread {
    /// The comments under one post, oldest first.
    pub fn comments_of(&self, post: PostId) -> impl Iterator<Item = &Comment> {
        self.comments.iter().filter(move |c| c.post_id == post)
    }
}

/// An answer in a user's list of answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnswerSummary {
    /// The answer's id.
    pub id: PostId,
    /// Its question.
    pub question_id: PostId,
    /// Its question's title.
    pub question_title: String,
    /// The answer's score.
    pub score: i64,
    /// Whether it is the accepted answer.
    pub accepted: bool,
    /// When it was posted.
    pub created_at: Timestamp,
}

/// Which questions a list shows.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum QuestionFilter {
    /// Every question.
    #[default]
    All,
    /// Questions in a category or any of its descendants.
    Category(CategoryId),
    /// Questions with a tag.
    Tag(String),
    /// Questions asked by a user.
    Author(UserId),
}

/// A request for a page of questions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuestionQuery {
    /// Which questions.
    pub filter: QuestionFilter,
    /// In what order.
    pub sort: QuestionSort,
    /// The page, from 1.
    pub page: u32,
    /// Questions per page.
    pub per_page: u32,
}

impl Default for QuestionQuery {
    fn default() -> Self {
        Self {
            filter: QuestionFilter::All,
            sort: QuestionSort::default(),
            page: 1,
            per_page: PER_PAGE,
        }
    }
}

impl QuestionQuery {
    /// Rows to skip for this page.
    pub fn offset(&self) -> i64 {
        i64::from(self.page.max(1) - 1) * i64::from(self.per_page)
    }
}

/// One page of a longer list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page<T> {
    /// The rows on this page.
    pub items: Vec<T>,
    /// Rows in the whole list.
    pub total: i64,
    /// This page's number, from 1.
    pub page: u32,
    /// Rows per page.
    pub per_page: u32,
}

impl<T> Page<T> {
    /// How many pages the whole list fills (at least 1).
    pub fn page_count(&self) -> u32 {
        page_count(self.total, self.per_page)
    }
}

/// A question linked to or from another thread, for the list beside it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkedQuestion {
    /// Its id.
    pub id: PostId,
    /// Its title.
    pub title: String,
    /// Its score.
    pub score: i64,
}

/// A question's related questions as last stored, for the list beside it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RelatedList {
    /// When they were computed.
    pub computed_at: Timestamp,
    /// The live ones, in the order they were stored.
    pub questions: Vec<LinkedQuestion>,
}

/// What a question's page lists beside it (see `LinkStore::thread_links`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ThreadLinks {
    /// The questions linked to and from its thread, highest score first.
    pub linked: Vec<LinkedQuestion>,
    /// Its related questions, if a list is stored.
    pub related: Option<RelatedList>,
}

/// A question whose related questions are to be computed, with what that needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RelatedSubject {
    /// The question.
    pub id: PostId,
    /// Its title.
    pub title: String,
    /// Its tags, in order.
    pub tags: Vec<String>,
    /// Its category.
    pub category: CategoryId,
    /// When its list was last computed; 0 if it has none.
    pub computed_at: Timestamp,
}

impl RelatedSubject {
    /// Where a walk of the due lists is once past this one (`LinkStore::related_due`).
    pub fn position(&self) -> RelatedDuePosition {
        (self.computed_at, self.id)
    }
}

/// A place in the walk of the due related lists, which goes by when each was
/// computed, then by question: the last list's time and question.
pub type RelatedDuePosition = (Timestamp, PostId);

/// Post text: the Markdown source, the sanitized HTML rendered from it, and the
/// site's questions it links to (known when it was rendered with their titles).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PostBody {
    markdown: String,
    html: SafeHtml,
    links: Vec<PostId>,
}

impl PostBody {
    /// Renders `markdown` into a body, with the default options.
    pub fn from_markdown(markdown: impl Into<String>) -> Self {
        Self::rendered(markdown, &markdown::RenderOptions::default())
    }

    /// Renders `markdown` into a body with `options` (the site's math, the
    /// question's code language).
    pub fn rendered(markdown: impl Into<String>, options: &markdown::RenderOptions) -> Self {
        let markdown = markdown.into();
        let html = markdown::render_with(&markdown, options);
        // The titles are those of the questions the text links to (that exist).
        let mut links: Vec<PostId> = options.site.titles.keys().copied().map(PostId).collect();
        links.sort_unstable_by_key(|id| id.0);
        Self {
            markdown,
            html,
            links,
        }
    }

    /// Renders comment `markdown` (inline formatting only) into a body.
    pub fn inline(markdown: impl Into<String>) -> Self {
        Self::inline_with(markdown, &markdown::SiteLinks::default())
    }

    /// Renders comment `markdown` with `site`'s members and questions linked.
    pub fn inline_with(markdown: impl Into<String>, site: &markdown::SiteLinks) -> Self {
        let markdown = markdown.into();
        let html = markdown::render_inline_with(&markdown, site);
        Self {
            markdown,
            html,
            links: Vec::new(),
        }
    }

    /// A body from another site's sanitized-on-arrival HTML: `html` goes through the
    /// same sanitizer as our own posts; without a Markdown source the sanitized HTML
    /// stands in for it (Markdown keeps HTML), so the post can still be edited.
    pub fn imported(html: &str, markdown: Option<String>) -> Self {
        let html = markdown::sanitize_html(html);
        let markdown = markdown.unwrap_or_else(|| html.as_str().to_owned());
        Self {
            markdown,
            html,
            links: Vec::new(),
        }
    }

    /// A body as stored: Markdown and the HTML sanitized when it was written.
    pub fn from_storage(markdown: String, html: String) -> Self {
        Self {
            markdown,
            html: SafeHtml::from_trusted_storage(html),
            links: Vec::new(),
        }
    }

    /// The Markdown source.
    pub fn markdown(&self) -> &str {
        &self.markdown
    }

    /// The sanitized HTML.
    pub fn html(&self) -> &str {
        self.html.as_str()
    }

    /// The site's questions it links to.
    pub fn links(&self) -> &[PostId] {
        &self.links
    }
}

/// A new category.
#[derive(Debug, Clone)]
pub struct NewCategory {
    /// Its parent, or `None` for a top category.
    pub parent: Option<CategoryId>,
    /// URL segment, unique among its siblings.
    pub slug: String,
    /// Name.
    pub name: String,
    /// What belongs there.
    pub description: String,
    /// Order among siblings.
    pub position: i64,
}

/// A new question.
#[derive(Debug, Clone)]
pub struct NewQuestion {
    /// Who asks.
    pub author: UserId,
    /// Where it is filed.
    pub category: CategoryId,
    /// The title.
    pub title: String,
    /// The body.
    pub body: PostBody,
    /// Tag names, lowercase; created when new.
    pub tags: Vec<String>,
    /// When it was asked.
    pub created_at: Timestamp,
}

/// A new answer.
#[derive(Debug, Clone)]
pub struct NewAnswer {
    /// The question answered.
    pub question: PostId,
    /// Who answers.
    pub author: UserId,
    /// The body.
    pub body: PostBody,
    /// When it was posted.
    pub created_at: Timestamp,
}

/// A new comment.
#[derive(Debug, Clone)]
pub struct NewComment {
    /// The post commented on.
    pub post: PostId,
    /// Who comments.
    pub author: UserId,
    /// The text.
    pub body: PostBody,
    /// When.
    pub created_at: Timestamp,
}

/// A post as the search index needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchDoc {
    /// The post's id.
    pub id: PostId,
    /// Its question (itself for a question).
    pub question_id: PostId,
    /// Question or answer.
    pub kind: PostKind,
    /// Its question's title.
    pub title: String,
    /// Its body, as Markdown.
    pub body_markdown: String,
    /// Its question's tags.
    pub tags: Vec<String>,
    /// Its author.
    pub author_id: UserId,
    /// Its question's category.
    pub category_id: CategoryId,
    /// Its score.
    pub score: i64,
    /// Its question's answer count.
    pub answer_count: i64,
    /// For an answer, whether it is accepted; for a question, whether it has an accepted answer.
    pub accepted: bool,
    /// When it was posted.
    pub created_at: Timestamp,
    /// False when it, or its question, is deleted: such posts leave the index.
    pub visible: bool,
}
