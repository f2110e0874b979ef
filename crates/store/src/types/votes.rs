//! Votes, reputation and badges.

use ponder_core::reputation::ReputationRules;
use ponder_core::time::Timestamp;
use ponder_core::{CommentId, PostId, UserId};

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
