//! Invitation links, for sites whose registration is by invitation.

use ponder_core::UserId;
use ponder_core::time::Timestamp;

/// An invitation to make.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewInvitation {
    /// The SHA-256 (hex) of the link's token; the token is shown once.
    pub token_hash: String,
    /// Who made it.
    pub created_by: UserId,
    /// When.
    pub created_at: Timestamp,
    /// When it stops working.
    pub expires_at: Timestamp,
    /// How many sign-ups it makes at most.
    pub max_uses: i64,
    /// Whom it is for, as its maker notes it.
    pub note: String,
}

/// A stored invitation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invitation {
    /// Its id.
    pub id: i64,
    /// Who made it.
    pub created_by: UserId,
    /// Its maker's handle.
    pub created_by_handle: String,
    /// When it was made.
    pub created_at: Timestamp,
    /// When it stops working.
    pub expires_at: Timestamp,
    /// How many sign-ups it makes at most.
    pub max_uses: i64,
    /// How many accounts it has made.
    pub uses: i64,
    /// Whom it is for.
    pub note: String,
    /// When it was withdrawn, if it was.
    pub revoked_at: Option<Timestamp>,
}

impl Invitation {
    /// Whether it still makes accounts at `now`.
    pub fn works_at(&self, now: Timestamp) -> bool {
        self.revoked_at.is_none() && self.uses < self.max_uses && now < self.expires_at
    }
}
