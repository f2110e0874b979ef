//! Personal access tokens for the API.

use ponder_core::UserId;
use ponder_core::api_tokens::TokenScope;
use ponder_core::time::Timestamp;

/// A token to make.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewApiToken {
    /// Whose.
    pub user: UserId,
    /// The SHA-256 (hex) of the token; the token is shown once.
    pub token_hash: String,
    /// What its member called it.
    pub name: String,
    /// What it may do.
    pub scope: TokenScope,
    /// When.
    pub created_at: Timestamp,
    /// When it stops working.
    pub expires_at: Timestamp,
}

/// A stored token (never the token itself).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiToken {
    /// Its id.
    pub id: i64,
    /// Whose.
    pub user: UserId,
    /// Its name.
    pub name: String,
    /// What it may do.
    pub scope: TokenScope,
    /// When it was made.
    pub created_at: Timestamp,
    /// When it stops working.
    pub expires_at: Timestamp,
    /// When it was last used, as last recorded.
    pub last_used_at: Option<Timestamp>,
}
