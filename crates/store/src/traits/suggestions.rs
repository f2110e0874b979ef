//! [`SuggestionStore`]: suggested edits and their review.

use crate::*;
use async_trait::async_trait;
use ponder_core::markdown::RenderOptions;
use ponder_core::reputation::ReputationRules;
use ponder_core::time::Timestamp;
use ponder_core::{PostId, UserId};

/// Suggested edits and their review.
#[async_trait]
pub trait SuggestionStore: Send + Sync {
    /// Stores a suggested edit; [`StoreError::Conflict`] when the post already has one pending.
    async fn create_suggested_edit(&self, new: NewSuggestedEdit) -> StoreResult<i64>;

    /// A suggested edit by id.
    async fn suggested_edit(&self, id: i64) -> StoreResult<Option<SuggestedEdit>>;

    /// The suggestion pending on a post, if any.
    async fn pending_suggestion(&self, post: PostId) -> StoreResult<Option<SuggestedEdit>>;

    /// The pending suggestions on a question and its answers: (post, suggestion id).
    async fn pending_suggestions_in(&self, question: PostId) -> StoreResult<Vec<(PostId, i64)>>;

    /// Pending suggestions, oldest first.
    async fn pending_suggestions(&self, limit: u32) -> StoreResult<Vec<SuggestedEdit>>;

    /// Applies a pending suggestion as a revision credited to its author, who gains
    /// `rules.edit_approved`, its Markdown rendered with `render` (the options of
    /// the post's thread); [`StoreError::Stale`] if the post changed since it was
    /// written. Returns the new revision's id.
    async fn approve_suggested_edit(
        &self,
        id: i64,
        reviewer: UserId,
        rules: ReputationRules,
        render: RenderOptions,
        at: Timestamp,
    ) -> StoreResult<i64>;

    /// Rejects a pending suggestion with a reason.
    async fn reject_suggested_edit(
        &self,
        id: i64,
        reviewer: UserId,
        reason: &str,
        at: Timestamp,
    ) -> StoreResult<()>;
}
