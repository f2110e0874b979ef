//! [`LinkStore`]: what a post's links and mentions point at, looked up before it is
//! rendered, and the questions linked to and from a thread.

use crate::*;
use async_trait::async_trait;
use ponder_core::{PostId, UserId};

/// Links between posts, and the lookups rendering needs.
#[async_trait]
pub trait LinkStore: Send + Sync {
    /// The titles of those of `ids` that are live questions.
    async fn question_titles(&self, ids: &[PostId]) -> StoreResult<Vec<(PostId, String)>>;

    /// The live members with these handles (compared without regard to case): the
    /// lower-cased handle and the member's id.
    async fn members_by_handles(&self, handles: &[String]) -> StoreResult<Vec<(String, UserId)>>;

    /// The live questions linked from any live post of `question`'s thread or
    /// linking to it from one of theirs, highest score first, at most `limit`.
    async fn linked_questions(
        &self,
        question: PostId,
        limit: u32,
    ) -> StoreResult<Vec<LinkedQuestion>>;
}
