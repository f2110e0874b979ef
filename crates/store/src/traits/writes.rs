//! [`WriteStore`]: making users, categories, questions, answers and comments.

use crate::*;
use async_trait::async_trait;
use ponder_core::{CommentId, PostId};

/// Making users, categories, questions, answers and comments.
#[async_trait]
pub trait WriteStore: Send + Sync {
    /// Creates a user. A handle or email already taken (without regard to case)
    /// gives [`StoreError::Conflict`].
    async fn create_user(&self, new: NewUser) -> StoreResult<User>;

    /// Creates a category under `parent` (or at the top). A slug already used by a
    /// sibling gives [`StoreError::Conflict`].
    async fn create_category(&self, new: NewCategory) -> StoreResult<Category>;

    /// Posts a question, with its first revision and its tags (created as needed).
    async fn create_question(&self, new: NewQuestion) -> StoreResult<PostId>;

    /// Posts an answer to a question, updating its answer count and last activity.
    async fn create_answer(&self, new: NewAnswer) -> StoreResult<PostId>;

    /// Comments on a question or an answer, updating the post's comment count.
    async fn create_comment(&self, new: NewComment) -> StoreResult<CommentId>;
}
