//! The pages: askama templates (in `templates/`) and the display models they print.
//! Handlers turn store rows into these models, so templates hold no logic beyond
//! loops and conditions, and every string they print is escaped unless it is HTML
//! that the Markdown renderer sanitized.

use crate::assets::{ICON, SCRIPT, STYLESHEET};
use crate::auth::RequestContext;
use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use ponder_core::slug::slugify;
use ponder_core::text::{count, relative_time, thousands};
use ponder_core::time::{DateTime, Timestamp};
use ponder_store::{Comment, Post, UserRef};

/// Renders a page, or logs the failure and answers 500.
pub fn render<T: Template>(page: &T) -> Response {
    match page.render() {
        Ok(html) => Html(html).into_response(),
        Err(err) => {
            tracing::error!(%err, "template failed to render");
            (StatusCode::INTERNAL_SERVER_ERROR, "Something went wrong").into_response()
        }
    }
}

/// A 301 to `location`: the status search engines and the interface contract expect
/// for a non-canonical URL (axum's `Redirect::permanent` answers 308).
pub fn moved_permanently(location: &str) -> Response {
    let value = axum::http::HeaderValue::try_from(location)
        .unwrap_or_else(|_| axum::http::HeaderValue::from_static("/"));
    (
        StatusCode::MOVED_PERMANENTLY,
        [(axum::http::header::LOCATION, value)],
    )
        .into_response()
}

/// What every page's `<head>` and header need.
pub struct Head {
    /// The logged-in user's name and profile link.
    pub viewer: Option<Link>,
    /// Whether the viewer is an administrator.
    pub viewer_is_admin: bool,
    /// Whether the viewer moderates.
    pub viewer_is_moderator: bool,
    /// The viewer's suspension, in words, if they are suspended.
    pub suspension: Option<String>,
    /// The CSRF token for the header's log-out form.
    pub csrf: String,
    /// The `<title>`, without the site name.
    pub title: String,
    /// The meta description.
    pub description: String,
    /// The absolute canonical URL, when the page has one.
    pub canonical: Option<String>,
    /// The site's name.
    pub site_name: String,
    /// The stylesheet's hashed URL.
    pub stylesheet: String,
    /// The icon's hashed URL.
    pub icon: String,
    /// The script's hashed URL.
    pub script: String,
}

impl Head {
    /// A head for a page seen in `ctx`, with this title and description.
    pub fn new(
        ctx: &RequestContext,
        title: impl Into<String>,
        description: impl Into<String>,
    ) -> Self {
        let mut head = Self::bare(&ctx.site.name, title, description);
        head.viewer = ctx.viewer.as_ref().map(|u| Link {
            label: u.display_name.clone(),
            url: user_path(u.id, &u.display_name),
        });
        head.viewer_is_admin = ctx.is_admin();
        head.viewer_is_moderator = ctx.actor().is_some_and(|a| a.moderates());
        head.suspension = ctx.viewer.as_ref().and_then(suspension_note);
        head.csrf = ctx.csrf.clone();
        head
    }

    /// A head without a viewer, for pages rendered outside a request's context.
    pub fn bare(site_name: &str, title: impl Into<String>, description: impl Into<String>) -> Self {
        Self {
            viewer: None,
            viewer_is_admin: false,
            viewer_is_moderator: false,
            suspension: None,
            csrf: String::new(),
            title: title.into(),
            description: description.into(),
            canonical: None,
            site_name: site_name.to_owned(),
            stylesheet: STYLESHEET.url(),
            icon: ICON.url(),
            script: SCRIPT.url(),
        }
    }

    /// The same head with a canonical URL: `base` and `path` joined.
    pub fn canonical(mut self, base: &str, path: &str) -> Self {
        self.canonical = Some(format!("{base}{path}"));
        self
    }
}

/// A user's suspension in words, if it is in force.
pub fn suspension_note(user: &ponder_store::User) -> Option<String> {
    let until = user
        .suspended_until
        .filter(|_| user.is_suspended(ponder_core::time::now()))?;
    Some(format!(
        "Suspended until {} (UTC): {}",
        DateTime::from_timestamp(until).human(),
        user.suspension_reason
    ))
}

/// A link with a label.
#[derive(Debug, Clone)]
pub struct Link {
    /// The text.
    pub label: String,
    /// The target.
    pub url: String,
}

/// A moment, ready to print as `<time datetime="…">…</time>`.
pub struct Moment {
    /// RFC 3339, for the `datetime` attribute.
    pub iso: String,
    /// A full date and time, for the title attribute.
    pub full: String,
    /// Relative to now: "3 hours ago".
    pub relative: String,
}

impl Moment {
    /// The moment `at`, seen at `now`.
    pub fn new(at: Timestamp, now: Timestamp) -> Self {
        let dt = DateTime::from_timestamp(at);
        Self {
            iso: dt.rfc3339(),
            full: dt.human(),
            relative: relative_time(at, now),
        }
    }
}

/// A user's name, avatar and reputation beside something they wrote.
pub struct AuthorCard {
    /// The name shown.
    pub name: String,
    /// The profile URL; `None` for a deleted account.
    pub url: Option<String>,
    /// The avatar's URL.
    pub avatar_url: String,
    /// Reputation, with separators.
    pub reputation: String,
}

/// The profile path of a user: `/users/7/ann-smith`.
pub fn user_path(id: ponder_core::UserId, name: &str) -> String {
    format!("/users/{id}/{}", slugify(name))
}

/// The canonical path of a question: `/questions/42/why-is-the-sky-blue`.
pub fn question_path(id: ponder_core::PostId, title: &str) -> String {
    format!("/questions/{id}/{}", slugify(title))
}

/// The path of a tag's page. Tag names are limited to URL-safe characters when
/// written, but imported names may not be, so the name is percent-encoded.
pub fn tag_path(name: &str) -> String {
    let mut path = String::from("/tags/");
    for b in name.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            path.push(b as char);
        } else {
            path.push_str(&format!("%{b:02X}"));
        }
    }
    path
}

impl AuthorCard {
    /// The card of `user`; a deleted account shows as a placeholder without a link.
    pub fn new(user: &UserRef) -> Self {
        if user.deleted {
            return Self {
                name: format!("user{}", user.id),
                url: None,
                avatar_url: format!("/users/{}/avatar", user.id),
                reputation: String::new(),
            };
        }
        Self {
            name: user.display_name.clone(),
            url: Some(user_path(user.id, &user.display_name)),
            avatar_url: format!("/users/{}/avatar", user.id),
            reputation: thousands(user.reputation),
        }
    }
}

/// A question in a list.
pub struct QuestionRow {
    /// Its canonical path.
    pub url: String,
    /// Its title.
    pub title: String,
    /// Its score.
    pub score: i64,
    /// "1 vote", "3 votes".
    pub votes_label: String,
    /// Its answer count.
    pub answers: i64,
    /// "0 answers", "1 answer".
    pub answers_label: String,
    /// Whether an answer is accepted.
    pub has_accepted: bool,
    /// Its tags.
    pub tags: Vec<Link>,
    /// Its category.
    pub category: Option<Link>,
    /// Who asked.
    pub author: AuthorCard,
    /// "asked" or "active".
    pub when_label: &'static str,
    /// When it was asked, or last active.
    pub when: Moment,
}

/// A numbered link in a pager.
pub struct PageLink {
    /// The page number, or `None` for a gap ("…").
    pub number: Option<u32>,
    /// The URL of that page.
    pub url: String,
    /// Whether it is the page shown.
    pub current: bool,
}

/// Links to the other pages of a list.
pub struct Pager {
    /// The previous page's URL.
    pub prev: Option<String>,
    /// The next page's URL.
    pub next: Option<String>,
    /// Numbered links with gaps.
    pub pages: Vec<PageLink>,
}

impl Pager {
    /// A pager for page `current` of `count` pages; `url` makes a page's URL.
    pub fn new(current: u32, count: u32, url: impl Fn(u32) -> String) -> Self {
        let mut pages = Vec::new();
        let mut last_shown = 0;
        for n in 1..=count {
            let near = n.abs_diff(current) <= 2;
            if n == 1 || n == count || near {
                if n > last_shown + 1 {
                    pages.push(PageLink {
                        number: None,
                        url: String::new(),
                        current: false,
                    });
                }
                pages.push(PageLink {
                    number: Some(n),
                    url: url(n),
                    current: n == current,
                });
                last_shown = n;
            }
        }
        Self {
            prev: (current > 1).then(|| url(current - 1)),
            next: (current < count).then(|| url(current + 1)),
            pages,
        }
    }

    /// Whether there is more than one page.
    pub fn is_needed(&self) -> bool {
        self.pages.len() > 1
    }
}

/// A sort tab above a list.
pub struct SortTab {
    /// The label.
    pub label: &'static str,
    /// The URL of the list sorted this way.
    pub url: String,
    /// Whether it is the sort shown.
    pub current: bool,
}

/// A list of questions with its tabs, pager and empty state.
pub struct QuestionList {
    /// Sort tabs.
    pub tabs: Vec<SortTab>,
    /// The questions on this page.
    pub rows: Vec<QuestionRow>,
    /// Links to other pages.
    pub pager: Pager,
    /// "12 questions".
    pub total_label: String,
    /// What to say when there are none.
    pub empty_message: String,
}

/// A comment under a post.
pub struct CommentView {
    /// Its anchor id: `comment-12`.
    pub anchor: String,
    /// Sanitized HTML.
    pub body_html: String,
    /// Who wrote it.
    pub author: AuthorCard,
    /// When.
    pub when: Moment,
    /// Upvotes.
    pub score: i64,
    /// The comment's id.
    pub id: i64,
    /// Whether the viewer upvoted it.
    pub upvoted: bool,
    /// Whether the viewer may upvote it (logged in, not theirs, post not locked).
    pub can_vote: bool,
    /// Whether the viewer wrote it (and so may not flag it).
    pub own: bool,
}

impl CommentView {
    /// The view of a comment, seen at `now`.
    pub fn new(c: &Comment, now: Timestamp) -> Self {
        Self {
            anchor: format!("comment-{}", c.id),
            body_html: c.body_html.as_str().to_owned(),
            author: AuthorCard::new(&c.author),
            when: Moment::new(c.created_at, now),
            score: c.score,
            id: c.id.0,
            upvoted: false,
            can_vote: false,
            own: false,
        }
    }
}

/// A question or answer on the question page.
pub struct PostView {
    /// The post's id.
    pub id: i64,
    /// Its anchor id: `question` or `answer-12`.
    pub anchor: String,
    /// Its score.
    pub score: i64,
    /// Sanitized HTML of the body.
    pub body_html: String,
    /// Who wrote it.
    pub author: AuthorCard,
    /// "asked" or "answered".
    pub verb: &'static str,
    /// When.
    pub when: Moment,
    /// When last edited, if ever.
    pub edited: Option<Moment>,
    /// Whether it is the accepted answer.
    pub accepted: bool,
    /// Its comments, oldest first.
    pub comments: Vec<CommentView>,
    /// "0 comments", "1 comment", "2 comments".
    pub comments_label: String,
    /// Where "Leave a comment" leads a reader who is not logged in.
    pub comment_next: String,
    /// Whether it was deleted (shown only to its author and moderators).
    pub deleted: bool,
    /// Whether the viewer may edit, delete or undelete it.
    pub can_manage: bool,
    /// The comment form under it (values and message when refused).
    pub comment_form: crate::forms::FormState,
    /// The viewer's vote: 1, -1 or 0.
    pub my_vote: i64,
    /// Whether the viewer may vote on it (logged in, not theirs).
    pub can_vote: bool,
    /// Whether the viewer asked the question and so may accept this answer.
    pub can_accept: bool,
    /// Whether the viewer may comment on it.
    pub can_comment: bool,
    /// Why a logged-in viewer may not comment, when they may not.
    pub comment_refusal: String,
    /// A suggested edit waiting for this viewer's review.
    pub pending_suggestion: Option<i64>,
    /// Whether it is locked.
    pub locked: bool,
    /// Whether the viewer wrote it.
    pub own: bool,
}

impl PostView {
    /// The view of a post with its comments; `page_path` is the question's canonical path.
    pub fn new(
        post: &Post,
        comments: Vec<CommentView>,
        accepted: bool,
        page_path: &str,
        now: Timestamp,
    ) -> Self {
        let (anchor, verb) = match post.kind {
            ponder_store::PostKind::Question => ("question".to_owned(), "asked"),
            ponder_store::PostKind::Answer => (format!("answer-{}", post.id), "answered"),
        };
        Self {
            id: post.id.0,
            comment_next: format!("{page_path}#{anchor}"),
            anchor,
            score: post.score,
            body_html: post.body_html.as_str().to_owned(),
            author: AuthorCard::new(&post.author),
            verb,
            when: Moment::new(post.created_at, now),
            edited: post.edited_at.map(|t| Moment::new(t, now)),
            accepted,
            comments_label: count(comments.len() as i64, "comment", "comments"),
            comments,
            deleted: post.deleted,
            can_manage: false,
            comment_form: crate::forms::FormState::new(),
            my_vote: 0,
            can_vote: false,
            can_accept: false,
            can_comment: false,
            comment_refusal: String::new(),
            pending_suggestion: None,
            locked: post.locked,
            own: false,
        }
    }
}

/// `/` and `/questions`.
#[derive(Template)]
#[template(path = "questions/list.html")]
pub struct QuestionListPage {
    /// Head.
    pub head: Head,
    /// The heading.
    pub heading: String,
    /// The list.
    pub list: QuestionList,
    /// Top categories, for the side navigation.
    pub categories: Vec<Link>,
}

/// `/questions/{id}/{slug}`.
#[derive(Template)]
#[template(path = "questions/show.html")]
pub struct QuestionPage {
    /// Head.
    pub head: Head,
    /// schema.org QAPage JSON-LD, escaped for a script element.
    pub structured_data: String,
    /// The category path, the top first.
    pub crumbs: Vec<Link>,
    /// The title.
    pub title: String,
    /// The question.
    pub question: PostView,
    /// Its tags.
    pub tags: Vec<Link>,
    /// When it was last active.
    pub active: Moment,
    /// "2 Answers".
    pub answers_heading: String,
    /// The answers, accepted first.
    pub answers: Vec<PostView>,
    /// Where "Post your answer" leads a reader who is not logged in.
    pub answer_next: String,
    /// Whether the viewer is logged in (and so gets real forms).
    pub logged_in: bool,
    /// The answer form.
    pub answer_form: crate::forms::FormState,
    /// The answer's preview, when asked for.
    pub answer_preview: Option<String>,
    /// Questions like this one.
    pub related: Vec<Link>,
    /// Why it was closed, if it is.
    pub closed_reason: Option<String>,
    /// The original, when closed as a duplicate.
    pub duplicate_url: Option<String>,
    /// Whether it is protected.
    pub protected: bool,
    /// Whether the viewer may answer it (not closed, not locked, not protected beyond them).
    pub can_answer: bool,
    /// Why the viewer may not answer, when logged in and refused.
    pub answer_refusal: Option<String>,
    /// Whether the viewer moderates.
    pub moderator: bool,
    /// Whether the viewer may flag.
    pub can_flag: bool,
    /// Whether the viewer may vote to close or reopen.
    pub can_vote_close: bool,
    /// Standing votes to close, and to reopen.
    pub close_votes: (i64, i64),
    /// The site's off-topic reasons, numbered.
    pub off_topic: Vec<(usize, String)>,
}

/// `/categories`.
#[derive(Template)]
#[template(path = "categories/index.html")]
pub struct CategoriesPage {
    /// Head.
    pub head: Head,
    /// Every category, depth first, with its depth (0 at the top).
    pub entries: Vec<(usize, Link, String)>,
}

/// `/categories/{path}`.
#[derive(Template)]
#[template(path = "categories/show.html")]
pub struct CategoryPage {
    /// Head.
    pub head: Head,
    /// The category's ancestors, the top first.
    pub crumbs: Vec<Link>,
    /// Its name.
    pub name: String,
    /// Its description.
    pub description: String,
    /// Its children.
    pub children: Vec<Link>,
    /// Its questions and its descendants'.
    pub list: QuestionList,
}

/// `/tags/{name}`.
#[derive(Template)]
#[template(path = "tags/show.html")]
pub struct TagPage {
    /// Head.
    pub head: Head,
    /// The tag's name.
    pub name: String,
    /// Its description.
    pub description: String,
    /// Its questions.
    pub list: QuestionList,
}

/// An answer in a profile's list.
pub struct AnswerRow {
    /// Link to the answer in its question.
    pub url: String,
    /// The question's title.
    pub title: String,
    /// The answer's score.
    pub score: i64,
    /// Whether it was accepted.
    pub accepted: bool,
    /// When it was posted.
    pub when: Moment,
}

/// `/users/{id}/{slug}`.
#[derive(Template)]
#[template(path = "users/show.html")]
pub struct UserPage {
    /// Head.
    pub head: Head,
    /// The name shown.
    pub name: String,
    /// The handle.
    pub handle: String,
    /// The avatar URL.
    pub avatar_url: String,
    /// "About me", sanitized HTML.
    pub about_html: String,
    /// When they joined.
    pub joined: Moment,
    /// Reputation with separators.
    pub reputation: String,
    /// Their newest questions.
    pub questions: Vec<QuestionRow>,
    /// "3 questions".
    pub questions_label: String,
    /// Their newest answers.
    pub answers: Vec<AnswerRow>,
    /// "1 answer".
    pub answers_label: String,
    /// The user's id.
    pub user_id: i64,
    /// Their suspension, in words.
    pub suspended: Option<String>,
    /// Whether the viewer may suspend them.
    pub can_suspend: bool,
    /// Badges earned, oldest first.
    pub badges: Vec<BadgeView>,
    /// The newest reputation changes.
    pub reputation_history: Vec<ReputationRow>,
}

/// A badge on a profile.
pub struct BadgeView {
    /// Its name.
    pub name: String,
    /// `bronze`, `silver` or `gold`.
    pub class: String,
    /// What earned it.
    pub description: &'static str,
    /// When.
    pub when: Moment,
}

/// A reputation change on a profile.
pub struct ReputationRow {
    /// "+10", "-2".
    pub amount: String,
    /// Whether it is a gain.
    pub gain: bool,
    /// What happened, in words.
    pub reason: &'static str,
    /// The question it was about.
    pub question: Option<Link>,
    /// When.
    pub when: Moment,
}

/// Words for a ledger kind.
pub fn reputation_reason(kind: &str) -> &'static str {
    match kind {
        "upvote" => "upvoted",
        "upvote_undone" => "upvote withdrawn",
        "downvote" => "downvoted",
        "downvote_cast" => "downvoted an answer",
        "downvote_undone" => "downvote withdrawn",
        "accepted" => "answer accepted",
        "accepting" => "accepted an answer",
        "accept_undone" => "acceptance withdrawn",
        "edit_approved" => "suggested edit approved",
        _ => "reputation changed",
    }
}

/// A page with a heading and a message.
#[derive(Template)]
#[template(path = "auth/notice.html")]
pub struct NoticePage {
    /// Head.
    pub head: Head,
    /// The heading.
    pub heading: String,
    /// The message.
    pub message: String,
    /// A link back.
    pub back: Link,
}

/// Any error.
#[derive(Template)]
#[template(path = "errors/page.html")]
pub struct ErrorPage {
    /// Head.
    pub head: Head,
    /// The HTTP status.
    pub status: u16,
    /// The heading.
    pub heading: String,
    /// What went wrong and what to do.
    pub message: String,
}

impl ErrorPage {
    /// An error page.
    pub fn new(status: u16, heading: &str, message: String) -> Self {
        Self {
            head: Head::bare("Ponder", heading, message.clone()),
            status,
            heading: heading.to_owned(),
            message,
        }
    }
}

/// `/signup` and `/login`: one template, two modes.
#[derive(Template)]
#[template(path = "auth/form.html")]
pub struct AuthPage {
    /// Head.
    pub head: Head,
    /// The heading.
    pub heading: &'static str,
    /// Where the form posts.
    pub action: &'static str,
    /// `signup`, `finish` (the page a sign-up's link opens) or `login`.
    pub mode: &'static str,
    /// Values and messages.
    pub form: crate::forms::FormState,
}

impl AuthPage {
    /// The `next` value, encoded for the other form's link.
    pub fn next_query(&self) -> String {
        crate::forms::query_encode(self.form.value("next"))
    }
}

/// `/reset-password`: asking for a link, the link sent, and choosing the password.
#[derive(Template)]
#[template(path = "auth/reset.html")]
pub struct ResetPage {
    /// Head.
    pub head: Head,
    /// `request`, `sent` or `choose`.
    pub step: &'static str,
    /// Values and messages.
    pub form: crate::forms::FormState,
}

/// `/settings`.
#[derive(Template)]
#[template(path = "settings/index.html")]
pub struct SettingsPage {
    /// Head.
    pub head: Head,
    /// The user's handle.
    pub handle: String,
    /// Their email.
    pub email: String,
    /// Whether it is verified.
    pub email_verified: bool,
    /// Their avatar's URL.
    pub avatar_url: String,
    /// A message that something was saved.
    pub notice: Option<String>,
    /// The profile form.
    pub profile: crate::forms::FormState,
    /// The password form.
    pub password: crate::forms::FormState,
    /// The delete form.
    pub delete: crate::forms::FormState,
    /// The avatar form.
    pub avatar: crate::forms::FormState,
    /// The user's sessions, most recently used first.
    pub sessions: Vec<SessionRow>,
}

/// One of a user's sessions on their settings page.
pub struct SessionRow {
    /// What names it in the form that ends it.
    pub id: String,
    /// The browser it began in, e.g. "Firefox on Linux".
    pub device: String,
    /// When it began.
    pub started: Moment,
    /// When it was last used.
    pub last_used: Moment,
    /// Whether it is the one this page was asked for in.
    pub current: bool,
}

/// A user in the administrators' list.
pub struct AdminUserRow {
    /// Their id.
    pub id: i64,
    /// Their display name.
    pub name: String,
    /// Their handle.
    pub handle: String,
    /// Their profile.
    pub url: String,
    /// Their role.
    pub role: &'static str,
    /// Reputation with separators.
    pub reputation: String,
    /// When they joined.
    pub joined: Moment,
    /// Whether they can be made a moderator.
    pub can_promote: bool,
    /// Whether they can be made a plain user again.
    pub can_demote: bool,
}

/// `/admin/users`.
#[derive(Template)]
#[template(path = "admin/users.html")]
pub struct AdminUsersPage {
    /// Head.
    pub head: Head,
    /// "12 users".
    pub total_label: String,
    /// The users on this page.
    pub rows: Vec<AdminUserRow>,
    /// Links to other pages.
    pub pager: Pager,
}

/// A category in the ask form's menu.
pub struct CategoryOption {
    /// Its id.
    pub id: i64,
    /// Its path: "History › Modern".
    pub label: String,
    /// Whether it is chosen.
    pub selected: bool,
}

/// `/ask`.
#[derive(Template)]
#[template(path = "questions/ask.html")]
pub struct AskPage {
    /// Head.
    pub head: Head,
    /// Values and messages.
    pub form: crate::forms::FormState,
    /// The category menu.
    pub categories: Vec<CategoryOption>,
    /// Tags to suggest.
    pub popular_tags: Vec<String>,
    /// The rendered body, when a preview was asked for.
    pub preview: Option<String>,
    /// Questions like this one, shown with the preview.
    pub similar: Vec<Link>,
}

/// `/posts/{id}/edit`.
#[derive(Template)]
#[template(path = "posts/edit.html")]
pub struct EditPage {
    /// Head.
    pub head: Head,
    /// The post's id.
    pub post_id: i64,
    /// Whether it is a question (with a title and tags).
    pub is_question: bool,
    /// Where the post is.
    pub back_url: String,
    /// Values and messages.
    pub form: crate::forms::FormState,
}

/// A run of text in a difference.
pub struct DiffPiece {
    /// `same`, `added` or `removed`.
    pub kind: &'static str,
    /// The text.
    pub text: String,
}

/// A word-level difference that prints as escaped text with `<ins>` and `<del>`.
pub struct Diff(pub Vec<DiffPiece>);

/// Escapes text for HTML.
fn escape_html(text: &str, out: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
    for c in text.chars() {
        match c {
            '&' => out.write_str("&amp;")?,
            '<' => out.write_str("&lt;")?,
            '>' => out.write_str("&gt;")?,
            '"' => out.write_str("&quot;")?,
            '\'' => out.write_str("&#39;")?,
            c => write!(out, "{c}")?,
        }
    }
    Ok(())
}

impl std::fmt::Display for Diff {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for piece in &self.0 {
            let (open, close) = match piece.kind {
                "added" => ("<ins>", "</ins>"),
                "removed" => ("<del>", "</del>"),
                _ => ("", ""),
            };
            f.write_str(open)?;
            escape_html(&piece.text, f)?;
            f.write_str(close)?;
        }
        Ok(())
    }
}

/// One revision in the history.
pub struct RevisionView {
    /// Its id.
    pub id: i64,
    /// Its number, from 1.
    pub number: i64,
    /// Who made it.
    pub editor: AuthorCard,
    /// When.
    pub when: Moment,
    /// The editor's summary.
    pub summary: String,
    /// The title's difference from the revision before.
    pub title: Diff,
    /// The body's difference.
    pub body: Diff,
    /// The tags' difference.
    pub tags: Diff,
    /// Whether the viewer may roll back to it.
    pub can_roll_back: bool,
}

/// `/posts/{id}/revisions`.
#[derive(Template)]
#[template(path = "posts/revisions.html")]
pub struct RevisionsPage {
    /// Head.
    pub head: Head,
    /// The question's title.
    pub title: String,
    /// The post's id.
    pub post_id: i64,
    /// Whether the post is a question.
    pub is_question: bool,
    /// Where the post is.
    pub back_url: String,
    /// Newest first.
    pub revisions: Vec<RevisionView>,
}

/// `/suggested-edits/{id}`.
#[derive(Template)]
#[template(path = "posts/suggestion.html")]
pub struct SuggestionPage {
    /// Head.
    pub head: Head,
    /// The suggestion's id.
    pub id: i64,
    /// The question's title.
    pub question_title: String,
    /// Where the post is.
    pub back_url: String,
    /// Whether the post is a question.
    pub is_question: bool,
    /// Who suggested it.
    pub suggester: AuthorCard,
    /// When.
    pub when: Moment,
    /// The suggester's summary.
    pub summary: String,
    /// `pending`, `approved` or `rejected`.
    pub status: String,
    /// The reviewer's reason, when rejected.
    pub reason: String,
    /// The title's difference from the post as it stands.
    pub title: Diff,
    /// The body's difference.
    pub body: Diff,
    /// The tags' difference.
    pub tags: Diff,
    /// Whether the viewer may approve or reject it now.
    pub can_review: bool,
    /// The reject form.
    pub form: crate::forms::FormState,
}

/// A search result.
pub struct SearchHitView {
    /// Where it leads.
    pub url: String,
    /// Its question's title.
    pub title: String,
    /// Whether it is an answer.
    pub is_answer: bool,
    /// A highlighted passage (escaped, with `<b>`).
    pub snippet_html: String,
    /// Its score.
    pub score: i64,
    /// "2 answers".
    pub answers_label: String,
    /// Accepted, or has an accepted answer.
    pub accepted: bool,
    /// When it was posted.
    pub when: Moment,
}

/// `/search`.
#[derive(Template)]
#[template(path = "search/results.html")]
pub struct SearchPage {
    /// Head.
    pub head: Head,
    /// The query as typed.
    pub q: String,
    /// Sort tabs.
    pub tabs: Vec<SortTab>,
    /// "12 results".
    pub total_label: String,
    /// The results on this page.
    pub hits: Vec<SearchHitView>,
    /// Links to other pages.
    pub pager: Pager,
    /// What the query parser ignored or reinterpreted.
    pub notes: Vec<String>,
    /// What to say when there are no results.
    pub empty_message: String,
    /// Whether anything was searched for.
    pub searched: bool,
}

/// `/search/help`.
#[derive(Template)]
#[template(path = "search/help.html")]
pub struct SearchHelpPage {
    /// Head.
    pub head: Head,
}

/// A flag in the moderators' list.
pub struct FlagItem {
    /// Its id.
    pub id: i64,
    /// What it says, in words.
    pub kind: &'static str,
    /// The flagger's message.
    pub message: String,
    /// Who flagged.
    pub flagger: AuthorCard,
    /// When.
    pub when: Moment,
}

/// The pending flags on one post or comment.
pub struct FlagGroup {
    /// The post.
    pub post_id: i64,
    /// The comment, if a comment was flagged.
    pub comment_id: Option<i64>,
    /// Where it is.
    pub link: Link,
    /// The start of its text.
    pub excerpt: String,
    /// Whether the post is deleted or hidden.
    pub target_deleted: bool,
    /// Its flags.
    pub flags: Vec<FlagItem>,
}

/// `/mod/flags`.
#[derive(Template)]
#[template(path = "mod/flags.html")]
pub struct ModerationFlagsPage {
    /// Head.
    pub head: Head,
    /// Flags by post.
    pub groups: Vec<FlagGroup>,
}

/// An entry of the moderation log.
pub struct ModLogRow {
    /// Who.
    pub moderator: AuthorCard,
    /// What.
    pub action: String,
    /// To what.
    pub target: Link,
    /// Why.
    pub reason: String,
    /// When.
    pub when: Moment,
}

/// `/mod/log`.
#[derive(Template)]
#[template(path = "mod/log.html")]
pub struct ModLogPage {
    /// Head.
    pub head: Head,
    /// Entries, newest first.
    pub rows: Vec<ModLogRow>,
    /// Links to other pages.
    pub pager: Pager,
}

/// An item of the review queue.
pub struct ReviewItem {
    /// The task's (or suggestion's) id.
    pub id: i64,
    /// What to look at.
    pub link: Link,
    /// The start of its text, or the suggester's summary.
    pub excerpt: String,
    /// Who wrote it.
    pub author: AuthorCard,
    /// When.
    pub when: Moment,
}

/// `/review`.
#[derive(Template)]
#[template(path = "mod/review.html")]
pub struct ReviewPage {
    /// Head.
    pub head: Head,
    /// Suggested edits.
    pub suggestions: Vec<ReviewItem>,
    /// First posts of new users.
    pub first_posts: Vec<ReviewItem>,
}
