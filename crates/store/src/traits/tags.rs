//! [`TagStore`]: tag wikis and their revisions, renames, merges, synonyms and
//! moderator-only tags. Renames and merges log each question whose tags changed,
//! so that the search index follows.

use crate::*;
use async_trait::async_trait;
use ponder_core::TagId;
use ponder_core::time::Timestamp;

/// Tags beyond their name and count.
#[async_trait]
pub trait TagStore: Send + Sync {
    /// What `name` names: a tag with its page's details, or a synonym.
    async fn find_tag(&self, name: &str) -> StoreResult<Option<TagFound>>;

    /// Stores a tag's description and wiki with a revision.
    async fn edit_tag_wiki(&self, edit: TagWikiEdit) -> StoreResult<()>;

    /// A tag's revisions, newest first.
    async fn tag_revisions(&self, tag: TagId) -> StoreResult<Vec<TagRevision>>;

    /// Renames a tag; its old name becomes a synonym (its page redirects).
    /// [`StoreError::Conflict`] if a tag has the new name (merge it instead).
    async fn rename_tag(&self, tag: TagId, new_name: &str, at: Timestamp) -> StoreResult<()>;

    /// Merges tag `from` into `into`: its questions carry `into` instead, its
    /// synonyms and name become `into`'s, and it is deleted. Refused
    /// (`TagMergeIntoItself`) when they are one. Answers the questions retagged.
    async fn merge_tags(&self, from: TagId, into: TagId, at: Timestamp) -> StoreResult<i64>;

    /// Makes `name` a synonym of `tag`. [`StoreError::Conflict`] if `name` is a
    /// tag (merge it instead) or a synonym already.
    async fn add_tag_synonym(&self, name: &str, tag: TagId, at: Timestamp) -> StoreResult<()>;

    /// Removes the synonym `name`; whether there was one.
    async fn remove_tag_synonym(&self, name: &str) -> StoreResult<bool>;

    /// Marks a tag as one only moderators put on questions, or not.
    async fn set_tag_moderator_only(&self, tag: TagId, only: bool) -> StoreResult<()>;

    /// The tags `names` become (synonyms read as their masters), and which only
    /// moderators may use; a statement a name (a question has at most five).
    async fn resolve_tags(&self, names: &[String]) -> StoreResult<Vec<ResolvedTag>>;
}
