//! [`NoticeStore`]: following, the inbox the feed fills, moderators' messages
//! and the achievements page's reputation history.

use crate::*;
use async_trait::async_trait;
use ponder_core::UserId;
use ponder_core::notices::{FollowKind, FollowLevel};
use ponder_core::time::Timestamp;

/// Following, the inbox, moderators' messages and reputation history.
#[async_trait]
pub trait NoticeStore: Send + Sync {
    /// `user` follows `target` of `kind` at `level`; whether they did not before
    /// (following again only sets the level). Not found when the target does not
    /// exist or is deleted.
    async fn follow(
        &self,
        user: UserId,
        kind: FollowKind,
        target: i64,
        level: FollowLevel,
        at: Timestamp,
    ) -> StoreResult<bool>;

    /// `user` stops following `target` of `kind`; whether they followed it.
    async fn unfollow(&self, user: UserId, kind: FollowKind, target: i64) -> StoreResult<bool>;

    /// How `user` follows `target` of `kind`, if they do.
    async fn follow_level(
        &self,
        user: UserId,
        kind: FollowKind,
        target: i64,
    ) -> StoreResult<Option<FollowLevel>>;

    /// What `user` follows, newest first, a page of 50 (deleted targets left out).
    async fn following(&self, user: UserId, page: u32) -> StoreResult<Page<Follow>>;

    /// `user`'s inbox, newest activity first, a page of 30.
    async fn inbox(&self, user: UserId, page: u32) -> StoreResult<Page<Notice>>;

    /// How many of `user`'s items are unread, counted up to 100.
    async fn unread_notices(&self, user: UserId) -> StoreResult<i64>;

    /// Marks `user`'s item `id` read at `at` and returns it; `None` when `user`
    /// has no such item (another member's item is not found either).
    async fn mark_notice_read(
        &self,
        user: UserId,
        id: i64,
        at: Timestamp,
    ) -> StoreResult<Option<Notice>>;

    /// Marks `user`'s unread items about `question` read (when they open it, as
    /// Stack Exchange does); how many were.
    async fn mark_thread_notices_read(
        &self,
        user: UserId,
        question: ponder_core::PostId,
        at: Timestamp,
    ) -> StoreResult<u64>;

    /// Marks every unread item of `user` read; how many were.
    async fn mark_all_notices_read(&self, user: UserId, at: Timestamp) -> StoreResult<u64>;

    /// Writes the inbox items `changes` cause (following what they name: asking,
    /// answering and commenting follow the question) and moves the stored position
    /// of `subscriber` from `after` on to the last change, in one transaction; how
    /// many items were written or grouped. `None`, with nothing written, when the
    /// stored position is no longer `after` (another node delivered them), so that
    /// a batch is delivered once however many nodes try. With `mail`, the items
    /// addressed to a member (`NoticeKind::is_direct`) also go to the mail outbox
    /// for those with a verified address who want them.
    async fn deliver_notices(
        &self,
        subscriber: &str,
        after: i64,
        changes: &[Change],
        mail: bool,
        at: Timestamp,
    ) -> StoreResult<Option<u64>>;

    /// A moderator's message to `user`, kept in the moderation log (whose entry id
    /// it returns) and logged as a change for the inbox. Not found when the user
    /// does not exist or is deleted.
    async fn message_user(
        &self,
        moderator: UserId,
        user: UserId,
        message: &str,
        at: Timestamp,
    ) -> StoreResult<i64>;

    /// The handles and names of those who wrote in `question`'s thread (the
    /// question, its answers, their comments) whose handle starts with `prefix`
    /// (letters, digits, dots, dashes and underscores; anything else finds
    /// nobody), by handle, at most `limit`: whom a comment may mention.
    async fn thread_participants(
        &self,
        question: ponder_core::PostId,
        prefix: &str,
        limit: u32,
    ) -> StoreResult<Vec<(String, String)>>;

    /// `user`'s reputation changes grouped by day and post, newest first, a page of
    /// 30, each with the running total after it.
    async fn reputation_history(
        &self,
        user: UserId,
        page: u32,
    ) -> StoreResult<Page<ReputationGroup>>;
}
