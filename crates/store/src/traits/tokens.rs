//! [`TokenStore`]: personal access tokens for the API.

use crate::*;
use async_trait::async_trait;
use ponder_core::UserId;
use ponder_core::time::Timestamp;

/// Personal access tokens.
#[async_trait]
pub trait TokenStore: Send + Sync {
    /// Stores a new token.
    async fn create_api_token(&self, new: NewApiToken) -> StoreResult<ApiToken>;

    /// `user`'s tokens that are not revoked (expired ones too), newest first.
    async fn api_tokens(&self, user: UserId) -> StoreResult<Vec<ApiToken>>;

    /// Revokes `user`'s token `id` at `at`; whether it was theirs and not revoked.
    async fn revoke_api_token(&self, user: UserId, id: i64, at: Timestamp) -> StoreResult<bool>;

    /// The token whose hash is `token_hash`, its member and their unread count, if
    /// it works at `now`: not revoked, not expired, its member's account not deleted.
    async fn api_token(&self, token_hash: &str, now: Timestamp) -> StoreResult<Option<TokenGrant>>;

    /// Records that token `id` was used at `at`.
    async fn touch_api_token(&self, id: i64, at: Timestamp) -> StoreResult<()>;
}
