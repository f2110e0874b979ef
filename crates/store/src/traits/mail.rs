//! [`MailStore`]: members' mail choices, the durable outbox one node sends from,
//! digests and one-click unsubscribing.

use crate::*;
use async_trait::async_trait;
use ponder_core::UserId;
use ponder_core::notices::MailPreferences;
use ponder_core::time::Timestamp;

/// How long an unsubscribe link works, in seconds (90 days).
pub const UNSUBSCRIBE_WORKS_FOR: i64 = 90 * 86_400;

/// Members' mail choices, the outbox, digests and unsubscribing.
#[async_trait]
pub trait MailStore: Send + Sync {
    /// What mail `user` wants (the defaults until they choose).
    async fn mail_preferences(&self, user: UserId) -> StoreResult<MailPreferences>;

    /// Sets what mail `user` wants.
    async fn set_mail_preferences(&self, user: UserId, prefs: MailPreferences) -> StoreResult<()>;

    /// Up to `limit` mails due at `now` (not sent, not given up, not claimed, their
    /// next try due), oldest first, with their recipients' addresses.
    async fn due_mail(&self, now: Timestamp, limit: u32) -> StoreResult<Vec<OutboxMail>>;

    /// Claims mail `id` for sending at `at`, recording the hash of its unsubscribe
    /// link; whether this caller got it (another node may have claimed it first).
    /// A claimed mail is never claimed again: after a crash mid-send it is not sent
    /// twice.
    async fn claim_mail(&self, id: i64, unsubscribe_hash: &str, at: Timestamp)
    -> StoreResult<bool>;

    /// Records how sending claimed mail `id` ended: sent, skipped, given up, or
    /// released for another try later (one more failed attempt counted).
    async fn finish_mail(&self, id: i64, outcome: MailOutcome, at: Timestamp) -> StoreResult<()>;

    /// Puts a digest in the outbox for each member (up to `limit`) whose digest is
    /// due at `now`: they chose one, follow something, have a verified address, and
    /// their last digest (or, before the first, the time they were first looked at)
    /// is a period old. A member seen for the first time starts their period now.
    /// How many digests were queued.
    async fn enqueue_due_digests(&self, now: Timestamp, limit: u32) -> StoreResult<u64>;

    /// The new questions a digest for `user` lists: asked after `since` and at or
    /// before `until`, in a tag, a category (or one below it) or by a user they
    /// follow, not their own, best first, at most `limit`.
    async fn digest_questions(
        &self,
        user: UserId,
        since: Timestamp,
        until: Timestamp,
        limit: u32,
    ) -> StoreResult<Vec<DigestQuestion>>;

    /// The inbox item `id`, whoever's it is (for the mail that tells of it).
    async fn notice(&self, id: i64) -> StoreResult<Option<Notice>>;

    /// Turns off the kind of mail whose unsubscribe link hashes to `token_hash`, for
    /// its recipient, if the link is younger than [`UNSUBSCRIBE_WORKS_FOR`] at `now`.
    async fn unsubscribe(&self, token_hash: &str, now: Timestamp) -> StoreResult<Unsubscribed>;
}
