//! [`CategoryStore`]: changes to the category tree after a category is made:
//! renames, descriptions, moves, order, deletion and merges, each keeping the
//! old addresses so that links to them still lead somewhere.

use crate::*;
use async_trait::async_trait;
use ponder_core::CategoryId;
use ponder_core::time::Timestamp;

/// Changes to the category tree.
#[async_trait]
pub trait CategoryStore: Send + Sync {
    /// Gives a category this name, address segment and description; a changed
    /// segment is kept as an old address of it. [`StoreError::Conflict`] if a
    /// sibling has the segment; [`StoreError::NotFound`] if there is no such
    /// category.
    async fn update_category(
        &self,
        id: CategoryId,
        name: &str,
        slug: &str,
        description: &str,
    ) -> StoreResult<Category>;

    /// Moves a category, with everything under it, to the end of `parent`'s
    /// children (`None`: the top), keeping its old address; each question in it
    /// or below it is logged as moved (its ancestors changed). Refused
    /// ([`ponder_core::refusal::Refusal::CategoryCycle`]) under itself or one of
    /// its descendants; [`StoreError::Conflict`] if a new sibling has its segment.
    async fn move_category(
        &self,
        id: CategoryId,
        parent: Option<CategoryId>,
        at: Timestamp,
    ) -> StoreResult<()>;

    /// Puts the children of `parent` in `order`, which must name each of them
    /// once (else refused: `NoSuchCategory`).
    async fn reorder_categories(
        &self,
        parent: Option<CategoryId>,
        order: &[CategoryId],
    ) -> StoreResult<()>;

    /// Deletes a category. Without `into`, only an empty one (else refused:
    /// `CategoryNotEmpty`); with it, its questions and the categories under it
    /// move into `into` first (refused, `CategoryMergeIntoItself`, if `into` is
    /// it or below it; [`StoreError::Conflict`] if a category moving up has the
    /// segment of one already there), and its addresses lead there. One
    /// transaction; answers how many questions moved.
    async fn delete_category(
        &self,
        id: CategoryId,
        into: Option<CategoryId>,
        at: Timestamp,
    ) -> StoreResult<i64>;

    /// The category an old address segment `slug` under `parent` leads to now.
    async fn old_category_slug(
        &self,
        parent: Option<CategoryId>,
        slug: &str,
    ) -> StoreResult<Option<CategoryId>>;
}
