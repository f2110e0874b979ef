//! [`SignupStore`]: accounts made by a link: sign-ups waiting for the link mailed
//! to their address, and the setup link that makes a site's first administrator.

use crate::*;
use async_trait::async_trait;
use ponder_core::time::Timestamp;

/// Accounts made by a link: sign-ups, and the first administrator.
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
    /// account at most. A sign-up made with an invitation uses it up there, and
    /// is refused (`InvitationNotValid`, the sign-up kept) if it no longer works.
    /// `None` if the link no longer works at `now`; [`StoreError::Conflict`] if
    /// the handle or the address has an account by now.
    async fn finish_signup(
        &self,
        token_hash: &str,
        handle: &str,
        now: Timestamp,
    ) -> StoreResult<Option<User>>;

    /// Whether the site has an administrator (one not deleted).
    async fn has_administrator(&self) -> StoreResult<bool>;

    /// Stores the hash of a one-time setup link, made at a start while the site
    /// has no administrator.
    async fn create_setup_token(&self, token_hash: &str, at: Timestamp) -> StoreResult<()>;

    /// Whether a setup link with this hash works now: it was made, and the site
    /// still has no administrator.
    async fn setup_token_works(&self, token_hash: &str) -> StoreResult<bool>;

    /// Makes `admin` (its role made [`Role::Admin`], its email verified) the
    /// site's first administrator if the setup link with this hash works, and ends
    /// every setup link: one transaction, so two people racing with links make one
    /// administrator. `None` if the link does not work (or an administrator exists
    /// by now); [`StoreError::Conflict`] if the handle or address is taken.
    async fn claim_setup(
        &self,
        token_hash: &str,
        admin: NewUser,
        at: Timestamp,
    ) -> StoreResult<Option<User>>;
}
