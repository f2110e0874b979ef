//! The question lists, the question page with its posts and comments, and the ask
//! form.

use super::*;
use askama::Template;
use ponder_core::markdown::SafeHtml;
use ponder_core::text::count;
use ponder_core::time::Timestamp;
use ponder_store::{Comment, Post};

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
    /// The licence an imported post came under, which its reuse must name.
    pub licence: Option<Licence>,
}

/// A content licence as a post's page names it: its name, and where its terms
/// are when it is one of the Creative Commons licences a dump names.
pub struct Licence {
    /// As the dump gives it: `CC BY-SA 3.0`.
    pub name: String,
    /// The licence's deed, for the known ones.
    pub url: Option<&'static str>,
}

impl Licence {
    /// The licence named `name`.
    pub fn new(name: &str) -> Self {
        let url = match name.trim() {
            "CC BY-SA 2.5" => Some("https://creativecommons.org/licenses/by-sa/2.5/"),
            "CC BY-SA 3.0" => Some("https://creativecommons.org/licenses/by-sa/3.0/"),
            "CC BY-SA 4.0" => Some("https://creativecommons.org/licenses/by-sa/4.0/"),
            _ => None,
        };
        Self {
            name: name.trim().to_owned(),
            url,
        }
    }
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
            licence: post
                .licence
                .as_deref()
                .filter(|l| !l.trim().is_empty())
                .map(Licence::new),
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
    /// Whether the site has no administrator yet (the home page says how to make one).
    pub unadministered: bool,
    /// The site's tagline, under the heading of the home page (else empty).
    pub tagline: String,
    /// The welcome text, atop the home page for visitors (else empty).
    pub welcome: SafeHtml,
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
    /// The follow button, for a logged-in viewer.
    pub follow: Option<super::FollowButton>,
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
    /// Questions linked to or from this one.
    pub linked: Vec<Link>,
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

#[cfg(test)]
mod tests {
    use super::Licence;

    #[test]
    fn known_licences_link_to_their_terms() {
        for (name, url) in [
            (
                "CC BY-SA 2.5",
                "https://creativecommons.org/licenses/by-sa/2.5/",
            ),
            (
                " CC BY-SA 3.0 ",
                "https://creativecommons.org/licenses/by-sa/3.0/",
            ),
            (
                "CC BY-SA 4.0",
                "https://creativecommons.org/licenses/by-sa/4.0/",
            ),
        ] {
            let licence = Licence::new(name);
            assert_eq!(licence.name, name.trim());
            assert_eq!(licence.url, Some(url));
        }
        let other = Licence::new("CC BY 4.0");
        assert_eq!((other.name.as_str(), other.url), ("CC BY 4.0", None));
    }
}
