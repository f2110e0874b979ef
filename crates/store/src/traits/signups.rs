//! [`SignupStore`]: sign-ups waiting for the link mailed to their address.

use crate::*;
use async_trait::async_trait;
use ponder_core::time::Timestamp;

/// Sign-ups waiting for the link mailed to their address.
#[async_trait]
pub trait SignupStore: Send + Sync {
    /// Stores a sign-up waiting for its mailed link if the `allowance` of its
    /// address (counted over the sign-ups sent to it in the day before its
    /// `created_at`) has room; otherwise stores nothing and answers the seconds
    /// until it has. Sign-ups whose links expired are cleared on the way.
    async fn create_signup_within(
        &self,
        signup: NewSignup,
        allowance: ponder_core::mail_allowance::MailAllowance,
    ) -> StoreResult<Result<(), i64>>;

    /// The sign-up whose token has this hash, if its link still works at `now`.
    async fn pending_signup(
        &self,
        token_hash: &str,
        now: Timestamp,
    ) -> StoreResult<Option<PendingSignup>>;

    /// Makes the account of the sign-up whose token has this hash, under `handle`
    /// (the one asked for, or another if it was taken meanwhile), with its email
    /// verified, and removes the sign-up: one transaction, so a link makes one
    /// account at most. `None` if the link no longer works at `now`;
    /// [`StoreError::Conflict`] if the handle or the address has an account by now.
    async fn finish_signup(
        &self,
        token_hash: &str,
        handle: &str,
        now: Timestamp,
    ) -> StoreResult<Option<User>>;
}
