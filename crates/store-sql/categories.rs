// Changes to the category tree after a category is made, shared by both backends.
// Each takes the tree's lock first (PostgreSQL; SQLite's single writer serialises
// them anyway), so that two moves cannot make a cycle between them, and keeps the
// addresses it retires in `category_old_slugs`.

use crate::writes::Tx;
use crate::{Backend, db_error};
use ponder_core::CategoryId;
use ponder_core::changes::ChangeKind;
use ponder_core::refusal::Refusal;
use ponder_core::time::Timestamp;
use ponder_store::{Category, StoreError, StoreResult};

/// The ids of the category bound as `$1` and of every category below it.
macro_rules! subtree {
    () => {
        "WITH RECURSIVE sub(id) AS (SELECT CAST($1 AS BIGINT) UNION ALL \
         SELECT c.id FROM categories c JOIN sub ON c.parent_id = sub.id) SELECT id FROM sub"
    };
}

/// The key `category_old_slugs` files a parent under (0 for the top).
fn parent_key(parent: Option<CategoryId>) -> i64 {
    parent.map_or(0, |p| p.0)
}

impl Backend {
    /// Takes the category tree's lock until `tx` ends.
    async fn lock_tree(&self, tx: &mut Tx<'_>) -> StoreResult<()> {
        self.count();
        sqlx::query(lock_text!())
            .bind("ponder.category_tree")
            .execute(&mut **tx)
            .await
            .map_err(db_error)?;
        Ok(())
    }

    /// The category with this id, read inside `tx`.
    async fn category_in(&self, tx: &mut Tx<'_>, id: CategoryId) -> StoreResult<Category> {
        self.count();
        let row: Option<(i64, Option<i64>, String, String, String, i64)> = sqlx::query_as(
            "SELECT id, parent_id, slug, name, description, position FROM categories WHERE id = $1",
        )
        .bind(id.0)
        .fetch_optional(&mut **tx)
        .await
        .map_err(db_error)?;
        let (id, parent_id, slug, name, description, position) =
            row.ok_or(StoreError::Refused(Refusal::NoSuchCategory))?;
        Ok(Category {
            id: CategoryId(id),
            parent_id: parent_id.map(CategoryId),
            slug,
            name,
            description,
            position,
        })
    }

    /// Whether `candidate` is `id` or below it.
    async fn is_in_subtree(
        &self,
        tx: &mut Tx<'_>,
        id: CategoryId,
        candidate: CategoryId,
    ) -> StoreResult<bool> {
        self.count();
        let (n,): (i64,) = sqlx::query_as(concat!(
            "SELECT count(*) FROM (",
            subtree!(),
            ") t WHERE t.id = $2"
        ))
        .bind(id.0)
        .bind(candidate.0)
        .fetch_one(&mut **tx)
        .await
        .map_err(db_error)?;
        Ok(n > 0)
    }

    /// Keeps `slug` under `parent` as an old address of `category`.
    async fn keep_old_slug(
        &self,
        tx: &mut Tx<'_>,
        parent: Option<CategoryId>,
        slug: &str,
        category: CategoryId,
    ) -> StoreResult<()> {
        self.count();
        sqlx::query(
            "INSERT INTO category_old_slugs (parent_key, slug, category_id) VALUES ($1, $2, $3) \
             ON CONFLICT (parent_key, slug) DO UPDATE SET category_id = excluded.category_id",
        )
        .bind(parent_key(parent))
        .bind(slug)
        .bind(category.0)
        .execute(&mut **tx)
        .await
        .map_err(db_error)?;
        Ok(())
    }

    /// Logs each question in `id`'s subtree as moved.
    async fn log_questions_moved(
        &self,
        tx: &mut Tx<'_>,
        id: CategoryId,
        at: Timestamp,
    ) -> StoreResult<()> {
        self.count();
        sqlx::query(concat!(
            "INSERT INTO changes (kind, entity_id, created_at) SELECT $2, p.id, $3 FROM posts p \
             WHERE p.kind = 'question' AND p.category_id IN (",
            subtree!(),
            ") ORDER BY p.id"
        ))
        .bind(id.0)
        .bind(ChangeKind::QuestionMoved.as_str())
        .bind(at)
        .execute(&mut **tx)
        .await
        .map_err(db_error)?;
        Ok(())
    }

    /// The position after the last child of `parent`.
    async fn next_position(&self, tx: &mut Tx<'_>, parent: Option<CategoryId>) -> StoreResult<i64> {
        self.count();
        let (next,): (i64,) = sqlx::query_as(
            "SELECT coalesce(max(position) + 1, 0) FROM categories WHERE coalesce(parent_id, 0) = $1",
        )
        .bind(parent_key(parent))
        .fetch_one(&mut **tx)
        .await
        .map_err(db_error)?;
        Ok(next)
    }

    /// Moves what `doomed` holds into `into` inside `tx`: its questions (each
    /// logged as moved), the categories under it (last among `into`'s children),
    /// and its addresses, old and current, which lead to `into` from then on.
    /// Refused when `into` is `doomed` or below it.
    async fn move_contents(
        &self,
        tx: &mut Tx<'_>,
        doomed: &Category,
        into: CategoryId,
        at: Timestamp,
    ) -> StoreResult<()> {
        let id = doomed.id;
        self.category_in(tx, into).await?;
        if self.is_in_subtree(tx, id, into).await? {
            return Err(StoreError::Refused(Refusal::CategoryMergeIntoItself));
        }
        // Questions filed here, and the categories under it (with what they
        // hold), move into the target; the search index learns of each question.
        self.log_questions_moved(tx, id, at).await?;
        self.count();
        sqlx::query("UPDATE posts SET category_id = $1 WHERE category_id = $2")
            .bind(into.0)
            .bind(id.0)
            .execute(&mut **tx)
            .await
            .map_err(db_error)?;
        let mut position = self.next_position(tx, Some(into)).await?;
        self.count();
        let moving: Vec<(i64,)> =
            sqlx::query_as("SELECT id FROM categories WHERE parent_id = $1 ORDER BY position, id")
                .bind(id.0)
                .fetch_all(&mut **tx)
                .await
                .map_err(db_error)?;
        for (child,) in moving {
            self.count();
            sqlx::query("UPDATE categories SET parent_id = $1, position = $2 WHERE id = $3")
                .bind(into.0)
                .bind(position)
                .bind(child)
                .execute(&mut **tx)
                .await
                .map_err(db_error)?;
            position += 1;
        }
        // Its addresses, and the ones that led to it, lead to the target; the
        // old addresses of the categories under it now start at the target.
        self.count();
        sqlx::query("UPDATE category_old_slugs SET category_id = $1 WHERE category_id = $2")
            .bind(into.0)
            .bind(id.0)
            .execute(&mut **tx)
            .await
            .map_err(db_error)?;
        self.count();
        sqlx::query(
            "UPDATE category_old_slugs SET parent_key = $1 WHERE parent_key = $2 \
             AND slug NOT IN (SELECT slug FROM category_old_slugs WHERE parent_key = $1)",
        )
        .bind(into.0)
        .bind(id.0)
        .execute(&mut **tx)
        .await
        .map_err(db_error)?;
        self.count();
        sqlx::query("DELETE FROM category_old_slugs WHERE parent_key = $1")
            .bind(id.0)
            .execute(&mut **tx)
            .await
            .map_err(db_error)?;
        self.keep_old_slug(tx, doomed.parent_id, &doomed.slug, into)
            .await?;
        Ok(())
    }
}

#[async_trait::async_trait]
impl ponder_store::CategoryStore for Backend {
    async fn update_category(
        &self,
        id: CategoryId,
        name: &str,
        slug: &str,
        description: &str,
    ) -> StoreResult<Category> {
        let mut tx = self.begin().await?;
        self.lock_tree(&mut tx).await?;
        let before = self.category_in(&mut tx, id).await?;
        self.count();
        sqlx::query("UPDATE categories SET name = $1, slug = $2, description = $3 WHERE id = $4")
            .bind(name)
            .bind(slug)
            .bind(description)
            .bind(id.0)
            .execute(&mut *tx)
            .await
            .map_err(db_error)?;
        if before.slug != slug {
            self.keep_old_slug(&mut tx, before.parent_id, &before.slug, id)
                .await?;
        }
        self.log_change(&mut tx, ChangeKind::CategoryUpdated, id.0)
            .await?;
        self.commit(tx).await?;
        Ok(Category {
            name: name.to_owned(),
            slug: slug.to_owned(),
            description: description.to_owned(),
            ..before
        })
    }

    async fn move_category(
        &self,
        id: CategoryId,
        parent: Option<CategoryId>,
        at: Timestamp,
    ) -> StoreResult<()> {
        let mut tx = self.begin().await?;
        self.lock_tree(&mut tx).await?;
        let before = self.category_in(&mut tx, id).await?;
        if before.parent_id == parent {
            return Ok(());
        }
        if let Some(parent) = parent {
            self.category_in(&mut tx, parent).await?;
            if self.is_in_subtree(&mut tx, id, parent).await? {
                return Err(StoreError::Refused(Refusal::CategoryCycle));
            }
        }
        let position = self.next_position(&mut tx, parent).await?;
        self.count();
        sqlx::query("UPDATE categories SET parent_id = $1, position = $2 WHERE id = $3")
            .bind(parent.map(|p| p.0))
            .bind(position)
            .bind(id.0)
            .execute(&mut *tx)
            .await
            .map_err(db_error)?;
        self.keep_old_slug(&mut tx, before.parent_id, &before.slug, id)
            .await?;
        self.log_questions_moved(&mut tx, id, at).await?;
        self.log_change_at(&mut tx, ChangeKind::CategoryUpdated, id.0, at)
            .await?;
        self.commit(tx).await
    }

    async fn reorder_categories(
        &self,
        parent: Option<CategoryId>,
        order: &[CategoryId],
    ) -> StoreResult<()> {
        let mut tx = self.begin().await?;
        self.lock_tree(&mut tx).await?;
        self.count();
        let children: Vec<(i64,)> =
            sqlx::query_as("SELECT id FROM categories WHERE coalesce(parent_id, 0) = $1")
                .bind(parent_key(parent))
                .fetch_all(&mut *tx)
                .await
                .map_err(db_error)?;
        let mut given: Vec<i64> = order.iter().map(|c| c.0).collect();
        given.sort_unstable();
        let mut present: Vec<i64> = children.into_iter().map(|(id,)| id).collect();
        present.sort_unstable();
        if given != present {
            return Err(StoreError::Refused(Refusal::NoSuchCategory));
        }
        for (position, id) in order.iter().enumerate() {
            self.count();
            sqlx::query("UPDATE categories SET position = $1 WHERE id = $2")
                .bind(position as i64)
                .bind(id.0)
                .execute(&mut *tx)
                .await
                .map_err(db_error)?;
        }
        self.log_change(
            &mut tx,
            ChangeKind::CategoryUpdated,
            parent.map_or(0, |p| p.0),
        )
        .await?;
        self.commit(tx).await
    }

    async fn delete_category(
        &self,
        id: CategoryId,
        into: Option<CategoryId>,
        at: Timestamp,
    ) -> StoreResult<i64> {
        let mut tx = self.begin().await?;
        self.lock_tree(&mut tx).await?;
        let doomed = self.category_in(&mut tx, id).await?;
        self.count();
        let (questions,): (i64,) = sqlx::query_as(
            "SELECT count(*) FROM posts WHERE kind = 'question' AND category_id = $1",
        )
        .bind(id.0)
        .fetch_one(&mut *tx)
        .await
        .map_err(db_error)?;
        self.count();
        let (children,): (i64,) =
            sqlx::query_as("SELECT count(*) FROM categories WHERE parent_id = $1")
                .bind(id.0)
                .fetch_one(&mut *tx)
                .await
                .map_err(db_error)?;
        match into {
            None if questions > 0 || children > 0 => {
                return Err(StoreError::Refused(Refusal::CategoryNotEmpty {
                    questions,
                    children,
                }));
            }
            None => {}
            Some(into) => self.move_contents(&mut tx, &doomed, into, at).await?,
        }
        self.move_follows(
            &mut tx,
            ponder_core::notices::FollowKind::Category,
            id.0,
            into.map(|c| c.0),
        )
        .await?;
        self.count();
        sqlx::query("DELETE FROM categories WHERE id = $1")
            .bind(id.0)
            .execute(&mut *tx)
            .await
            .map_err(db_error)?;
        self.log_change_at(&mut tx, ChangeKind::CategoryUpdated, id.0, at)
            .await?;
        self.commit(tx).await?;
        // Without a target the category held no question.
        Ok(questions)
    }

    async fn old_category_slug(
        &self,
        parent: Option<CategoryId>,
        slug: &str,
    ) -> StoreResult<Option<CategoryId>> {
        self.count();
        let found: Option<(i64,)> = sqlx::query_as(
            "SELECT category_id FROM category_old_slugs WHERE parent_key = $1 AND slug = $2",
        )
        .bind(parent_key(parent))
        .bind(slug)
        .fetch_optional(&self.readers)
        .await
        .map_err(db_error)?;
        Ok(found.map(|(id,)| CategoryId(id)))
    }
}
