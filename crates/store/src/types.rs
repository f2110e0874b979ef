//! Rows the store returns and inputs it takes. Rows are plain data; inputs that carry
//! post text hold it as a [`PostBody`], whose HTML can only come from the Markdown
//! renderer, so no caller can store unsanitized HTML by mistake.

use ponder_core::markdown::{self, SafeHtml};
use ponder_core::paging::{PER_PAGE, QuestionSort, page_count};
use ponder_core::reputation::ReputationRules;
use ponder_core::time::Timestamp;
use ponder_core::{CategoryId, CommentId, PostId, TagId, UserId};

pub use ponder_core::rules::Role;

/// A user's account as the site shows it (never the password hash).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    /// The user's id.
    pub id: UserId,
    /// The unique handle, as typed at sign-up.
    pub handle: String,
    /// The name shown beside their posts.
    pub display_name: String,
    /// "About me", as sanitized HTML.
    pub about_html: SafeHtml,
    /// Reputation, at least 1.
    pub reputation: i64,
    /// Their role.
    pub role: Role,
    /// When they joined.
    pub created_at: Timestamp,
    /// Whether the account was deleted; what they wrote stays under a placeholder.
    pub deleted: bool,
    /// "About me", as the Markdown they wrote.
    pub about_markdown: String,
    /// Until when they are suspended, if they are.
    pub suspended_until: Option<Timestamp>,
    /// Why they were suspended.
    pub suspension_reason: String,
}

impl User {
    /// Whether they are suspended at `now`.
    pub fn is_suspended(&self, now: Timestamp) -> bool {
        ponder_core::rules::suspended_at(self.suspended_until, now)
    }

    /// Who they are to the rules.
    pub fn actor(&self) -> ponder_core::rules::Actor {
        ponder_core::rules::Actor {
            id: self.id,
            role: self.role,
            reputation: self.reputation,
        }
    }
}

/// The author of a post or comment, as shown in its card.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserRef {
    /// The user's id.
    pub id: UserId,
    /// The name shown.
    pub display_name: String,
    /// Reputation.
    pub reputation: i64,
    /// Whether the account was deleted.
    pub deleted: bool,
}

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

/// One entry of the change log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// Increasing id; followers remember the last one they handled.
    pub id: i64,
    /// What happened, as stored (see [`Change::kind`]).
    pub kind: String,
    /// The id of the thing it happened to.
    pub entity_id: i64,
    /// When.
    pub created_at: Timestamp,
}

impl Change {
    /// What happened; `None` for a kind this version does not know (a newer node
    /// may log kinds an older one does not).
    pub fn kind(&self) -> Option<ponder_core::changes::ChangeKind> {
        ponder_core::changes::ChangeKind::parse(&self.kind)
    }
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

/// Post text: the Markdown source and the sanitized HTML rendered from it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PostBody {
    markdown: String,
    html: SafeHtml,
}

impl PostBody {
    /// Renders `markdown` into a body.
    pub fn from_markdown(markdown: impl Into<String>) -> Self {
        let markdown = markdown.into();
        let html = markdown::render(&markdown);
        Self { markdown, html }
    }

    /// Renders comment `markdown` (inline formatting only) into a body.
    pub fn inline(markdown: impl Into<String>) -> Self {
        let markdown = markdown.into();
        let html = markdown::render_inline(&markdown);
        Self { markdown, html }
    }

    /// A body from another site's sanitized-on-arrival HTML: `html` goes through the
    /// same sanitizer as our own posts; without a Markdown source the sanitized HTML
    /// stands in for it (Markdown keeps HTML), so the post can still be edited.
    pub fn imported(html: &str, markdown: Option<String>) -> Self {
        let html = markdown::sanitize_html(html);
        let markdown = markdown.unwrap_or_else(|| html.as_str().to_owned());
        Self { markdown, html }
    }

    /// A body as stored: Markdown and the HTML sanitized when it was written.
    pub fn from_storage(markdown: String, html: String) -> Self {
        Self {
            markdown,
            html: SafeHtml::from_trusted_storage(html),
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
}

/// A new account.
#[derive(Debug, Clone)]
pub struct NewUser {
    /// Unique handle (without regard to case).
    pub handle: String,
    /// Name shown beside posts.
    pub display_name: String,
    /// Email, unique without regard to case; `None` for imported or demo users.
    pub email: Option<String>,
    /// Argon2id hash, or `None` for an account that cannot log in.
    pub password_hash: Option<String>,
    /// Role.
    pub role: Role,
    /// "About me" text.
    pub about: PostBody,
    /// When the account was made.
    pub created_at: Timestamp,
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

/// A vote's direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VoteValue {
    /// An upvote.
    Up,
    /// A downvote.
    Down,
    /// No vote: withdraws an earlier one.
    None,
}

impl VoteValue {
    /// +1, -1 or 0, as stored and as added to a score.
    pub fn as_i64(self) -> i64 {
        match self {
            Self::Up => 1,
            Self::Down => -1,
            Self::None => 0,
        }
    }

    /// The value stored as +1/-1/0.
    pub fn from_i64(v: i64) -> Self {
        match v.signum() {
            1 => Self::Up,
            -1 => Self::Down,
            _ => Self::None,
        }
    }
}

/// A vote cast, changed or withdrawn.
#[derive(Debug, Clone)]
pub struct NewVote {
    /// The post voted on.
    pub post: PostId,
    /// Who votes.
    pub user: UserId,
    /// The vote.
    pub value: VoteValue,
    /// When.
    pub created_at: Timestamp,
    /// The points each event is worth.
    pub rules: ReputationRules,
}

/// What log-in needs to know about an account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoginRecord {
    /// The account.
    pub user: User,
    /// Its email, if it has one.
    pub email: Option<String>,
    /// Whether the email was verified.
    pub email_verified: bool,
    /// The argon2id hash of its password; `None` when it cannot log in.
    pub password_hash: Option<String>,
}

/// A session to create at log-in.
#[derive(Debug, Clone)]
pub struct NewSession {
    /// The SHA-256 (hex) of the session cookie's value; the value itself is never stored.
    pub id_hash: String,
    /// Whose session.
    pub user: UserId,
    /// The token that forms of this session must carry.
    pub csrf_token: String,
    /// When it was created.
    pub created_at: Timestamp,
    /// When it stops working.
    pub expires_at: Timestamp,
    /// The browser's User-Agent header, cut to [`USER_AGENT_MAX`] characters.
    pub user_agent: String,
}

/// The most characters of a User-Agent header kept with a session.
pub const USER_AGENT_MAX: usize = 300;

/// A session as its owner sees it in their settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionSummary {
    /// The SHA-256 (hex) of its cookie's value: what names it in a form.
    pub id_hash: String,
    /// The browser's User-Agent header.
    pub user_agent: String,
    /// When it began.
    pub created_at: Timestamp,
    /// When it was last used (a few minutes stale at most).
    pub last_seen_at: Timestamp,
    /// When it stops working.
    pub expires_at: Timestamp,
}

/// A live session and its user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionInfo {
    /// The logged-in user.
    pub user: User,
    /// The session's CSRF token.
    pub csrf_token: String,
    /// When it stops working.
    pub expires_at: Timestamp,
    /// When it was last used, as last recorded.
    pub last_seen_at: Timestamp,
}

/// Someone deleting or undeleting a post, with the rules the store enforces: a
/// locked post is deleted and undeleted only by a moderator; a post a moderator
/// deleted is undeleted only by a moderator; a post flags hid comes back only
/// through the moderator's restore, which also gives back its author's reputation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PostDeletion {
    /// The post.
    pub post: PostId,
    /// Delete (true) or undelete (false).
    pub delete: bool,
    /// Who asks.
    pub by: UserId,
    /// Whether they moderate the site.
    pub moderator: bool,
    /// Why, as the moderator said (empty for an author's own deletion).
    pub reason: String,
    /// When.
    pub at: Timestamp,
}

/// A change to a user's public profile.
#[derive(Debug, Clone)]
pub struct ProfileEdit {
    /// The name shown beside their posts.
    pub display_name: String,
    /// "About me".
    pub about: PostBody,
}

/// What a mailed token is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenPurpose {
    /// Proves that the user reads the mailbox they gave.
    VerifyEmail,
    /// Lets the user choose a new password.
    ResetPassword,
}

impl TokenPurpose {
    /// The name stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::VerifyEmail => "verify_email",
            Self::ResetPassword => "reset_password",
        }
    }
}

/// A single-use token to mail to a user.
#[derive(Debug, Clone)]
pub struct NewEmailToken {
    /// The SHA-256 (hex) of the token; the token itself is only in the mail.
    pub token_hash: String,
    /// Whose token.
    pub user: UserId,
    /// What it is for.
    pub purpose: TokenPurpose,
    /// The address it was sent to.
    pub email: String,
    /// When it was made.
    pub created_at: Timestamp,
    /// When it stops working.
    pub expires_at: Timestamp,
}

/// A sign-up waiting for the link mailed to its address: the account is made when
/// the link is opened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSignup {
    /// The SHA-256 (hex) of the link's token; the token itself is only in the mail.
    pub token_hash: String,
    /// The handle asked for (checked again when the account is made).
    pub handle: String,
    /// The address the link goes to; the account's email once it is opened.
    pub email: String,
    /// Argon2id hash of the chosen password.
    pub password_hash: String,
    /// The local path to go to once the account is made.
    pub next_path: String,
    /// When the sign-up was sent.
    pub created_at: Timestamp,
    /// When its link stops working.
    pub expires_at: Timestamp,
}

/// A sign-up found by its token: what the finishing page shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingSignup {
    /// The handle asked for.
    pub handle: String,
    /// The address the link was mailed to.
    pub email: String,
    /// The local path to go to once the account is made.
    pub next_path: String,
}

/// A kind of text the store keeps as Markdown with its rendered HTML, for
/// rendering all of them again when the renderer changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RenderedText {
    /// Question and answer bodies (full Markdown).
    PostBody,
    /// Comments (inline Markdown).
    Comment,
    /// Users' "about me" texts (full Markdown).
    About,
}

impl RenderedText {
    /// Every kind, in the order a re-render goes through them.
    pub const ALL: [Self; 3] = [Self::PostBody, Self::Comment, Self::About];

    /// What it is called in messages, plural.
    pub fn label(self) -> &'static str {
        match self {
            Self::PostBody => "post bodies",
            Self::Comment => "comments",
            Self::About => "about-me texts",
        }
    }
}

/// One stored text and the HTML stored for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredText {
    /// The id of its post, comment or user.
    pub id: i64,
    /// The Markdown as written.
    pub markdown: String,
    /// The HTML stored for it.
    pub html: String,
}

/// The right to do work that must run on one node at a time, held until dropped
/// (see `Store::lead`).
pub struct Lease {
    _held: Box<dyn std::any::Any + Send>,
}

impl Lease {
    /// A lease that lasts as long as `held` (a connection holding a lock, say).
    pub fn new(held: impl std::any::Any + Send) -> Self {
        Self {
            _held: Box::new(held),
        }
    }
}

impl std::fmt::Debug for Lease {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Lease")
    }
}

/// An uploaded avatar image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Avatar {
    /// Its content type, e.g. `image/png`.
    pub content_type: String,
    /// The image.
    pub bytes: Vec<u8>,
    /// When it was uploaded.
    pub updated_at: Timestamp,
}

/// A post as its edit form needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EditablePost {
    /// The post's id.
    pub id: PostId,
    /// Question or answer.
    pub kind: PostKind,
    /// Its question (itself for a question).
    pub question_id: PostId,
    /// Its question's title.
    pub question_title: String,
    /// Its author.
    pub author_id: UserId,
    /// The title (questions only; empty on answers).
    pub title: String,
    /// The Markdown source.
    pub body_markdown: String,
    /// Its tags (questions only).
    pub tags: Vec<String>,
    /// The id of its newest revision: an edit must name it, so that two editors
    /// cannot silently overwrite each other.
    pub latest_revision: i64,
    /// Whether it was deleted.
    pub deleted: bool,
    /// Whether a moderator locked it: no edits until it is unlocked.
    pub locked: bool,
}

/// An edit of a post.
#[derive(Debug, Clone)]
pub struct PostEdit {
    /// The post.
    pub post: PostId,
    /// Who edits.
    pub editor: UserId,
    /// The revision the editor started from.
    pub base_revision: i64,
    /// The new title (questions; ignored on answers).
    pub title: String,
    /// The new body.
    pub body: PostBody,
    /// The new tags (questions; ignored on answers).
    pub tags: Vec<String>,
    /// Why, in a few words (may be empty).
    pub summary: String,
    /// When.
    pub at: Timestamp,
}

/// One revision of a post: its full state after an edit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Revision {
    /// The revision's id.
    pub id: i64,
    /// Its number in the post's history, from 1.
    pub number: i64,
    /// Who made it.
    pub editor: UserRef,
    /// The title then (questions).
    pub title: String,
    /// The body then.
    pub body_markdown: String,
    /// The tags then (questions).
    pub tags: Vec<String>,
    /// The editor's summary.
    pub summary: String,
    /// When.
    pub created_at: Timestamp,
}

/// One change to a user's reputation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReputationEvent {
    /// Its id (events are replayed in id order).
    pub id: i64,
    /// Why: `upvote`, `upvote_undone`, `downvote`, `downvote_cast`,
    /// `downvote_undone`, `accepted`, `accepting`, `accept_undone`, `edit_approved`.
    pub kind: String,
    /// Points, after the daily cap.
    pub amount: i64,
    /// The question the post belongs to, and its title, when there is a post.
    pub question: Option<(PostId, String)>,
    /// The post (question or answer) it is about.
    pub post_id: Option<PostId>,
    /// When.
    pub created_at: Timestamp,
}

/// A badge a user earned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Badge {
    /// Its name (see `ponder_core::badges`).
    pub name: String,
    /// `bronze`, `silver` or `gold`.
    pub class: String,
    /// The post that earned it, for post badges.
    pub post_id: Option<PostId>,
    /// When.
    pub awarded_at: Timestamp,
}

/// A user whose stored reputation differs from the ledger's replay.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReputationMismatch {
    /// The user.
    pub user: UserId,
    /// What `users.reputation` held.
    pub stored: i64,
    /// What replaying the ledger gives.
    pub computed: i64,
}

/// What a viewer has voted on a question's page.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ViewerVotes {
    /// Their votes on the question and its answers.
    pub posts: Vec<(PostId, VoteValue)>,
    /// The comments they upvoted.
    pub comments: Vec<CommentId>,
}

impl ViewerVotes {
    /// The viewer's vote on `post`.
    pub fn on(&self, post: PostId) -> VoteValue {
        self.posts
            .iter()
            .find(|(p, _)| *p == post)
            .map_or(VoteValue::None, |(_, v)| *v)
    }
}

/// A suggested edit of someone else's post.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SuggestedEdit {
    /// Its id.
    pub id: i64,
    /// The post.
    pub post_id: PostId,
    /// Who suggested it.
    pub author: UserRef,
    /// The revision it was written against.
    pub base_revision: i64,
    /// The suggested title (questions).
    pub title: String,
    /// The suggested body.
    pub body_markdown: String,
    /// The suggested tags (questions).
    pub tags: Vec<String>,
    /// Why.
    pub summary: String,
    /// `pending`, `approved` or `rejected`.
    pub status: String,
    /// The reviewer's reason, when rejected.
    pub reason: String,
    /// When it was suggested.
    pub created_at: Timestamp,
}

/// A new suggested edit.
#[derive(Debug, Clone)]
pub struct NewSuggestedEdit {
    /// The post.
    pub post: PostId,
    /// Who suggests it.
    pub author: UserId,
    /// The revision it was written against.
    pub base_revision: i64,
    /// The suggested title (questions).
    pub title: String,
    /// The suggested body, as Markdown.
    pub body_markdown: String,
    /// The suggested tags (questions).
    pub tags: Vec<String>,
    /// Why.
    pub summary: String,
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

/// A user to load in bulk, with its id.
#[derive(Debug, Clone)]
pub struct BulkUser {
    /// The id to keep.
    pub id: UserId,
    /// Unique handle.
    pub handle: String,
    /// Name shown.
    pub display_name: String,
    /// Reputation as given.
    pub reputation: i64,
    /// "About me".
    pub about: PostBody,
    /// When the account was made.
    pub created_at: Timestamp,
    /// When the user was last seen.
    pub last_seen_at: Option<Timestamp>,
    /// Set for a deleted account (or a placeholder for one).
    pub deleted_at: Option<Timestamp>,
}

/// A post to load in bulk, with its id and counters as given.
#[derive(Debug, Clone)]
pub struct BulkPost {
    /// The id to keep.
    pub id: PostId,
    /// Question or answer.
    pub kind: PostKind,
    /// The question, for an answer.
    pub parent_id: Option<PostId>,
    /// The category, for a question.
    pub category_id: Option<CategoryId>,
    /// Its author.
    pub author_id: UserId,
    /// The title (questions).
    pub title: String,
    /// The body.
    pub body: PostBody,
    /// Tags (questions).
    pub tags: Vec<String>,
    /// Score.
    pub score: i64,
    /// Answers (questions).
    pub answer_count: i64,
    /// Comments.
    pub comment_count: i64,
    /// Views (questions).
    pub view_count: i64,
    /// The accepted answer (questions).
    pub accepted_answer_id: Option<PostId>,
    /// When it was posted.
    pub created_at: Timestamp,
    /// When it last changed.
    pub last_activity_at: Timestamp,
    /// When it was last edited.
    pub edited_at: Option<Timestamp>,
    /// When it was deleted.
    pub deleted_at: Option<Timestamp>,
    /// When it was closed (questions).
    pub closed_at: Option<Timestamp>,
    /// Why it was closed.
    pub close_reason: String,
    /// The question it duplicates (closed questions; read back by exports, loaded
    /// through [`BulkBatch::duplicates`]).
    pub duplicate_of: Option<PostId>,
}

/// A comment to load in bulk, with its id.
#[derive(Debug, Clone)]
pub struct BulkComment {
    /// The id to keep.
    pub id: CommentId,
    /// The post it is under.
    pub post_id: PostId,
    /// Its author.
    pub author_id: UserId,
    /// The text.
    pub body: PostBody,
    /// Upvotes.
    pub score: i64,
    /// When.
    pub created_at: Timestamp,
    /// When it was deleted.
    pub deleted_at: Option<Timestamp>,
}

/// A tag to load in bulk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BulkTag {
    /// The id to keep.
    pub id: i64,
    /// Its name.
    pub name: String,
    /// Its short description.
    pub description: String,
    /// Questions carrying it (read back by exports; loading counts them itself).
    pub question_count: i64,
}

/// A badge to load in bulk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BulkBadge {
    /// The id to keep.
    pub id: i64,
    /// Who earned it.
    pub user_id: UserId,
    /// Its name.
    pub name: String,
    /// "bronze", "silver" or "gold".
    pub class: String,
    /// The post that earned it, if one did.
    pub post_id: Option<PostId>,
    /// When.
    pub awarded_at: Timestamp,
}

/// A vote, as exports read it back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BulkVote {
    /// Its id.
    pub id: i64,
    /// The post voted on.
    pub post_id: PostId,
    /// +1 or -1.
    pub value: i64,
    /// When.
    pub created_at: Timestamp,
}

/// Rows to load in one transaction, in this order: users, tags, posts, comments,
/// badges, then the updates. Rows whose id is already taken are left as they are, so
/// loading a batch twice changes nothing.
#[derive(Debug, Clone, Default)]
pub struct BulkBatch {
    /// Users.
    pub users: Vec<BulkUser>,
    /// Tags.
    pub tags: Vec<BulkTag>,
    /// Posts, each question before its answers.
    pub posts: Vec<BulkPost>,
    /// Comments.
    pub comments: Vec<BulkComment>,
    /// Badges.
    pub badges: Vec<BulkBadge>,
    /// Markdown sources for posts loaded earlier (their HTML stays as loaded).
    pub sources: Vec<(PostId, String)>,
    /// Why questions loaded earlier as closed were closed.
    pub close_reasons: Vec<(PostId, String)>,
    /// Tag descriptions by tag name.
    pub tag_descriptions: Vec<(String, String)>,
    /// Accepted answers: (question, answer); ignored unless the answer is the
    /// question's.
    pub accepted: Vec<(PostId, PostId)>,
    /// Duplicates: (question, original); ignored unless both are questions.
    pub duplicates: Vec<(PostId, PostId)>,
}

/// What a bulk load wrote: rows new to the site, and updates that found their row.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BulkLoaded {
    /// Users added.
    pub users: u64,
    /// Tags added.
    pub tags: u64,
    /// Posts added.
    pub posts: u64,
    /// Comments added.
    pub comments: u64,
    /// Badges added.
    pub badges: u64,
    /// Markdown sources set.
    pub sources: u64,
    /// Close reasons set.
    pub close_reasons: u64,
    /// Tag descriptions set.
    pub tag_descriptions: u64,
    /// Accepted answers set.
    pub accepted: u64,
    /// Duplicate links set.
    pub duplicates: u64,
}

/// A record of an import into this site, by source name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportRun {
    /// What was imported (the dump's folder name).
    pub source: String,
    /// When the first run started.
    pub started_at: Timestamp,
    /// When a run last finished, if one did.
    pub finished_at: Option<Timestamp>,
}

/// What a flag says is wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FlagKind {
    /// Advertising.
    Spam,
    /// Rude or abusive.
    Rude,
    /// An answer that does not answer.
    NotAnAnswer,
    /// Something else a moderator should look at (with a message).
    NeedsModerator,
}

impl FlagKind {
    /// The name stored and sent by forms.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Spam => "spam",
            Self::Rude => "rude",
            Self::NotAnAnswer => "not_an_answer",
            Self::NeedsModerator => "needs_moderator",
        }
    }

    /// The kind a form sent, if it is one.
    pub fn parse(s: &str) -> Option<Self> {
        [
            Self::Spam,
            Self::Rude,
            Self::NotAnAnswer,
            Self::NeedsModerator,
        ]
        .into_iter()
        .find(|k| k.as_str() == s)
    }

    /// Words for it.
    pub fn label(self) -> &'static str {
        match self {
            Self::Spam => "spam",
            Self::Rude => "rude or abusive",
            Self::NotAnAnswer => "not an answer",
            Self::NeedsModerator => "needs a moderator's attention",
        }
    }
}

/// A flag raised.
#[derive(Debug, Clone)]
pub struct NewFlag {
    /// The post flagged (or the post of the comment flagged).
    pub post: PostId,
    /// The comment flagged, if it is a comment.
    pub comment: Option<CommentId>,
    /// Who flags.
    pub user: UserId,
    /// What is wrong.
    pub kind: FlagKind,
    /// The flagger's words.
    pub message: String,
    /// When.
    pub at: Timestamp,
    /// Spam or rude flags that hide a post; 1 when the flagger moderates.
    pub hide_threshold: i64,
    /// Reputation a post's author loses when flags hide it.
    pub hide_penalty: i64,
}

/// A pending flag, with what it is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FlagView {
    /// The flag's id.
    pub id: i64,
    /// The post (or the comment's post).
    pub post_id: PostId,
    /// The comment, if one was flagged.
    pub comment_id: Option<CommentId>,
    /// The question the post belongs to, and its title.
    pub question_id: PostId,
    /// Its title.
    pub question_title: String,
    /// The flagged text's Markdown.
    pub text: String,
    /// What the flag says.
    pub kind: String,
    /// The flagger's message.
    pub message: String,
    /// Who flagged.
    pub flagger: UserRef,
    /// When.
    pub created_at: Timestamp,
    /// Whether the flagged post or comment is deleted (or hidden by flags).
    pub target_deleted: bool,
}

/// A vote to close or reopen.
#[derive(Debug, Clone)]
pub struct NewCloseVote {
    /// The question.
    pub question: PostId,
    /// Who votes.
    pub user: UserId,
    /// True to close, false to reopen.
    pub close: bool,
    /// Why (for closing).
    pub reason: String,
    /// The original, for a duplicate.
    pub duplicate_of: Option<PostId>,
    /// When.
    pub at: Timestamp,
    /// Votes that change the state; 1 for a moderator.
    pub threshold: i64,
}

/// An entry of the moderation log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModerationEntry {
    /// Its id.
    pub id: i64,
    /// Who.
    pub moderator: UserRef,
    /// What, e.g. `close`, `lock`, `suspend`.
    pub action: String,
    /// `post`, `comment`, `user` or `flag`.
    pub target_kind: String,
    /// Its id.
    pub target_id: i64,
    /// Why.
    pub reason: String,
    /// When.
    pub created_at: Timestamp,
}

/// A first post waiting in the review queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewTask {
    /// The task's id.
    pub id: i64,
    /// The post.
    pub post_id: PostId,
    /// Its question and title.
    pub question_id: PostId,
    /// The question's title.
    pub question_title: String,
    /// The post's Markdown.
    pub text: String,
    /// Its author.
    pub author: UserRef,
    /// When it was posted.
    pub created_at: Timestamp,
}
