//! Moderation: flags, close votes, the moderation log, review tasks.

use super::*;
use ponder_core::time::Timestamp;
use ponder_core::{CommentId, PostId, UserId};

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
