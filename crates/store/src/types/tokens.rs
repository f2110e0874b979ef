//! Personal access tokens for the API.

use ponder_core::UserId;
use ponder_core::api_tokens::TokenScope;
use ponder_core::time::Timestamp;

use crate::User;

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

/// A working token, its member, and their unread inbox items (counted up to
/// 100), as one statement finds them for a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenGrant {
    /// The token.
    pub token: ApiToken,
    /// Its member.
    pub user: User,
    /// How many of the member's inbox items are unread.
    pub unread: i64,
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
