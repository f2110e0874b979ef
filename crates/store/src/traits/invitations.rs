//! [`InvitationStore`]: invitation links. A sign-up made with one names it
//! ([`NewSignup::invitation_hash`]), and `finish_signup` uses it up in the
//! transaction that makes the account.

use crate::*;
use async_trait::async_trait;
use ponder_core::UserId;
use ponder_core::time::Timestamp;

/// Invitation links.
#[async_trait]
pub trait InvitationStore: Send + Sync {
    /// Stores an invitation.
    async fn create_invitation(&self, invitation: NewInvitation) -> StoreResult<Invitation>;

    /// The invitation whose token has this hash, whether or not it still works.
    async fn invitation(&self, token_hash: &str) -> StoreResult<Option<Invitation>>;

    /// The newest `limit` invitations made by `by`, or by anyone for `None`.
    async fn invitations(&self, by: Option<UserId>, limit: u32) -> StoreResult<Vec<Invitation>>;

    /// Withdraws invitation `id` at `at` (if it was not already); whether it did.
    async fn revoke_invitation(&self, id: i64, at: Timestamp) -> StoreResult<bool>;

    /// The invitation with this id.
    async fn invitation_by_id(&self, id: i64) -> StoreResult<Option<Invitation>>;
}
