//! [`ModerationStore`]: flags, close votes, locks, protection, suspensions, the moderation log and the review queue.

use crate::*;
use async_trait::async_trait;
use ponder_core::time::Timestamp;
use ponder_core::{CommentId, PostId, UserId};

/// Flags, close votes, locks, protection, suspensions, the moderation log and the review queue.
#[async_trait]
pub trait ModerationStore: Send + Sync {
    /// Raises a flag (one per user per post or comment: a second is a
    /// [`StoreError::Conflict`]). Spam and rude flags that reach `hide_threshold` hide
    /// the post (a soft delete) and cost its author `hide_penalty`, or hide the
    /// comment. Returns whether this flag hid it.
    async fn create_flag(&self, flag: NewFlag) -> StoreResult<bool>;

    /// Pending flags, grouped by post.
    async fn pending_flags(&self, limit: u32) -> StoreResult<Vec<FlagView>>;

    /// Marks a pending flag helpful or declined.
    async fn resolve_flag(
        &self,
        id: i64,
        moderator: UserId,
        helpful: bool,
        at: Timestamp,
    ) -> StoreResult<()>;

    /// Reverses a hiding by flags: undeletes the post, gives back `penalty`, and
    /// declines its spam and rude flags.
    async fn restore_hidden_post(
        &self,
        post: PostId,
        moderator: UserId,
        penalty: i64,
        at: Timestamp,
    ) -> StoreResult<()>;

    /// Reverses a comment's hiding by flags: shows it again and declines its spam and
    /// rude flags. Refused when the comment is not hidden or was not hidden by flags.
    async fn restore_hidden_comment(&self, comment: CommentId) -> StoreResult<()>;

    /// Records a vote to close or reopen; at `threshold` votes the question changes
    /// state and its votes of that kind are cleared. Returns whether it changed and
    /// how many votes there were.
    async fn cast_close_vote(&self, vote: NewCloseVote) -> StoreResult<(bool, i64)>;

    /// Standing votes on a question: (to close, to reopen).
    async fn close_votes(&self, question: PostId) -> StoreResult<(i64, i64)>;

    /// Locks or unlocks a post.
    async fn set_locked(&self, post: PostId, locked: bool, at: Timestamp) -> StoreResult<()>;

    /// Protects or unprotects a question.
    async fn set_protected(
        &self,
        question: PostId,
        protected: bool,
        at: Timestamp,
    ) -> StoreResult<()>;

    /// Suspends a user until `until` with a reason, or lifts it with `None`.
    async fn set_suspension(
        &self,
        user: UserId,
        until: Option<Timestamp>,
        reason: &str,
    ) -> StoreResult<()>;

    /// Writes an entry of the moderation log.
    async fn log_moderation(
        &self,
        moderator: UserId,
        action: &str,
        target_kind: &str,
        target_id: i64,
        reason: &str,
        at: Timestamp,
    ) -> StoreResult<()>;

    /// A page of the moderation log, newest first.
    async fn moderation_log(&self, page: u32) -> StoreResult<Page<ModerationEntry>>;

    /// First posts waiting for review, oldest first, leaving out the reviewer's own
    /// posts and tasks they skipped.
    async fn review_tasks(&self, reviewer: UserId, limit: u32) -> StoreResult<Vec<ReviewTask>>;

    /// Approves or rejects a first post's review task.
    async fn resolve_review(
        &self,
        id: i64,
        reviewer: UserId,
        approve: bool,
        reason: &str,
        at: Timestamp,
    ) -> StoreResult<()>;

    /// Skips a task (`first_post` or `suggestion`) for this reviewer.
    async fn skip_review(&self, task_kind: &str, id: i64, reviewer: UserId) -> StoreResult<()>;

    /// The suggestions this reviewer skipped.
    async fn skipped_suggestions(&self, reviewer: UserId) -> StoreResult<Vec<i64>>;
}
