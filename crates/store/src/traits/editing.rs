//! [`EditStore`]: edits, revisions and deletion.

use crate::*;
use async_trait::async_trait;
use ponder_core::PostId;
use ponder_core::time::Timestamp;

/// Edits, revisions and deletion.
#[async_trait]
pub trait EditStore: Send + Sync {
    /// A post as its edit form needs it, deleted or not.
    async fn editable_post(&self, post: PostId) -> StoreResult<Option<EditablePost>>;

    /// Edits a post: writes the new text (and for a question its title and tags),
    /// stores a revision and logs the change. Fails with [`StoreError::Stale`] when
    /// the post has a newer revision than `base_revision`, so a second editor is told
    /// rather than silently overwriting the first. Returns the new revision's id.
    async fn edit_post(&self, edit: PostEdit) -> StoreResult<i64>;

    /// A post's revisions, oldest first.
    async fn revisions(&self, post: PostId) -> StoreResult<Vec<Revision>>;

    /// Deletes (`true`) or undeletes (`false`) a post, moving the counters that
    /// count it. Nothing is removed; doing what is already done is not an error.
    async fn set_post_deleted(&self, post: PostId, deleted: bool, at: Timestamp)
    -> StoreResult<()>;

    /// Deletes or undeletes a post as someone asks, recording who deleted it and
    /// why; refuses (`Invalid`) what [`PostDeletion`]'s rules do not allow.
    async fn change_post_deletion(&self, change: PostDeletion) -> StoreResult<()>;
}
