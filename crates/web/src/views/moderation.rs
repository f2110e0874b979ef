//! The moderators' pages: pending flags, the moderation log, the review queue.

use super::*;
use askama::Template;

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
