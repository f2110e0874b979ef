//! The mail outbox: what waits to be sent, and how a send ended.

use ponder_core::UserId;
use ponder_core::notices::MailKind;
use ponder_core::time::Timestamp;

/// A mail waiting in the outbox, with its recipient.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxMail {
    /// Its id.
    pub id: i64,
    /// Whom it is for.
    pub user: UserId,
    /// Their verified address.
    pub to: String,
    /// Their display name.
    pub name: String,
    /// What it is.
    pub kind: MailKind,
    /// The inbox item it tells of (direct mail).
    pub notice: Option<i64>,
    /// The time the digest covers, from (exclusive) and to (inclusive).
    pub period: (Timestamp, Timestamp),
    /// How many tries failed before.
    pub attempts: i64,
}

/// How one try to send a mail ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MailOutcome {
    /// The SMTP server took it.
    Sent,
    /// There was nothing to send (an empty digest, an item gone).
    Skipped,
    /// It failed for now (this is why): try again at the time given.
    Retry {
        /// Why.
        error: String,
        /// When to try again.
        at: Timestamp,
    },
    /// It failed for good (this is why): no more tries.
    GaveUp {
        /// Why.
        error: String,
    },
}

/// What an unsubscribe link did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unsubscribed {
    /// That kind of mail is off for the member now.
    Done {
        /// Whose.
        user: UserId,
        /// Which kind.
        kind: MailKind,
    },
    /// The link is older than it works for.
    Expired,
    /// No mail had this link (mistyped, or tampered with).
    Unknown,
}

/// A question a digest lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DigestQuestion {
    /// Its id.
    pub id: ponder_core::PostId,
    /// Its title.
    pub title: String,
    /// Its score.
    pub score: i64,
    /// Its answers.
    pub answer_count: i64,
    /// When it was asked.
    pub created_at: Timestamp,
}
