//! The inbox, what members follow, and their achievements (reputation by post
//! and day).

use ponder_core::notices::{FollowKind, FollowLevel, NoticeKind};
use ponder_core::time::Timestamp;
use ponder_core::{CommentId, PostId, UserId};

/// One thing a member follows, with what names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Follow {
    /// What kind of thing.
    pub kind: FollowKind,
    /// Its id (a question's, a tag's, a category's or a user's).
    pub target_id: i64,
    /// Where its news goes.
    pub level: FollowLevel,
    /// Since when.
    pub created_at: Timestamp,
    /// Its title, name or display name.
    pub label: String,
}

/// An inbox item: one event, or several on one thing while it is unread.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    /// Its id.
    pub id: i64,
    /// What it tells.
    pub kind: NoticeKind,
    /// How many events it stands for.
    pub count: i64,
    /// The post it links to (the newest of those it stands for).
    pub post: Option<PostId>,
    /// The comment it links to, for comment items.
    pub comment: Option<CommentId>,
    /// The question the post belongs to, and its title.
    pub question: Option<(PostId, String)>,
    /// Who caused the newest event, and their display name.
    pub actor: Option<(UserId, String)>,
    /// A reason or a message (a close reason, a moderator's words).
    pub detail: String,
    /// When its first event happened.
    pub created_at: Timestamp,
    /// When its newest event happened.
    pub updated_at: Timestamp,
    /// Whether the member has read it.
    pub read: bool,
}

/// One post's reputation changes on one day, for the achievements page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReputationGroup {
    /// The day (days since the Unix epoch).
    pub day: i64,
    /// The post, when the changes had one.
    pub post: Option<PostId>,
    /// The question the post belongs to, and its title.
    pub question: Option<(PostId, String)>,
    /// The changes' sum.
    pub amount: i64,
    /// How many changes.
    pub events: i64,
    /// The member's reputation after them (today's figure less what came later).
    pub total_after: i64,
}
