// Links between posts, written with each body (see `Backend::write_links`), the
// lookups a post's rendering needs, and the related questions stored for a
// question; shared by both backends.

use crate::{Backend, bind_id_list, db_error};
use ponder_core::CategoryId;
use ponder_core::time::Timestamp;
use ponder_core::{PostId, UserId};
use ponder_store::{RelatedDuePosition, RelatedSubject, StoreResult, ThreadLinks};

impl Backend {
    /// Makes `links` the questions post `post` links to, in `tx`.
    pub(crate) async fn write_links(
        &self,
        tx: &mut crate::writes::Tx<'_>,
        post: i64,
        links: &[PostId],
    ) -> StoreResult<()> {
        self.count();
        sqlx::query("DELETE FROM post_links WHERE post_id = $1")
            .bind(post)
            .execute(&mut **tx)
            .await
            .map_err(db_error)?;
        for target in links.iter().filter(|target| target.0 != post) {
            self.count();
            sqlx::query(
                "INSERT INTO post_links (post_id, question_id) \
                 SELECT $1, id FROM posts WHERE id = $2 AND kind = 'question'",
            )
            .bind(post)
            .bind(target.0)
            .execute(&mut **tx)
            .await
            .map_err(db_error)?;
        }
        Ok(())
    }
}

#[async_trait::async_trait]
impl ponder_store::LinkStore for Backend {
    async fn question_titles(&self, ids: &[PostId]) -> StoreResult<Vec<(PostId, String)>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        self.count();
        let found: Vec<(i64, String)> = bind_id_list(
            sqlx::query(concat!(
                "SELECT id, title FROM posts WHERE kind = 'question' AND deleted_at IS NULL \
                 AND id IN (",
                id_list!(),
                ") ORDER BY id"
            )),
            ids.iter().map(|id| id.0).collect(),
        )
        .fetch_all(&self.readers)
        .await
        .map_err(db_error)?
        .iter()
        .map(|row| {
            use sqlx::Row as _;
            Ok((row.try_get(0)?, row.try_get(1)?))
        })
        .collect::<Result<_, sqlx::Error>>()
        .map_err(db_error)?;
        Ok(found
            .into_iter()
            .map(|(id, title)| (PostId(id), title))
            .collect())
    }

    async fn members_by_handles(&self, handles: &[String]) -> StoreResult<Vec<(String, UserId)>> {
        let mut found = Vec::new();
        for handle in handles {
            self.count();
            let member: Option<(i64,)> = sqlx::query_as(
                "SELECT id FROM users WHERE lower(handle) = $1 AND deleted_at IS NULL",
            )
            .bind(handle.to_lowercase())
            .fetch_optional(&self.readers)
            .await
            .map_err(db_error)?;
            if let Some((id,)) = member {
                found.push((handle.to_lowercase(), UserId(id)));
            }
        }
        Ok(found)
    }

    async fn thread_links(&self, question: PostId, limit: u32) -> StoreResult<ThreadLinks> {
        // The question page's one statement reads them (thread.rs), with the thread.
        Ok(self
            .read_thread(question, Some(limit))
            .await?
            .map(|(_, links)| links)
            .unwrap_or_default())
    }

    async fn store_related(
        &self,
        lists: &[(PostId, Vec<PostId>)],
        at: Timestamp,
    ) -> StoreResult<()> {
        if lists.is_empty() {
            return Ok(());
        }
        let mut tx = self.begin().await?;
        for (question, related) in lists {
            // Its old rows go with it (ON DELETE CASCADE), and are deleted first in
            // case a tool without foreign keys left some behind.
            for delete in [
                "DELETE FROM related_questions WHERE question_id = $1",
                "DELETE FROM related_lists WHERE question_id = $1",
            ] {
                self.count();
                sqlx::query(delete)
                    .bind(question.0)
                    .execute(&mut *tx)
                    .await
                    .map_err(db_error)?;
            }
            self.count();
            let stored = sqlx::query(
                "INSERT INTO related_lists (question_id, computed_at) \
                 SELECT id, $2 FROM posts WHERE id = $1 AND kind = 'question' AND deleted_at IS NULL",
            )
            .bind(question.0)
            .bind(at)
            .execute(&mut *tx)
            .await
            .map_err(db_error)?;
            if stored.rows_affected() == 0 {
                continue;
            }
            let others = related.iter().filter(|id| *id != question);
            for (position, id) in others.enumerate() {
                self.count();
                sqlx::query(
                    "INSERT INTO related_questions (question_id, position, related_id) \
                     SELECT $1, $2, id FROM posts WHERE id = $3 AND kind = 'question'",
                )
                .bind(question.0)
                .bind(i64::try_from(position).unwrap_or(i64::MAX))
                .bind(id.0)
                .execute(&mut *tx)
                .await
                .map_err(db_error)?;
            }
        }
        self.commit(tx).await
    }

    async fn related_due(
        &self,
        after: Option<RelatedDuePosition>,
        older_than: Timestamp,
        limit: u32,
    ) -> StoreResult<Vec<RelatedSubject>> {
        let (after_time, after_id) = after.unwrap_or((Timestamp::MIN, PostId(0)));
        self.count();
        // `related_lists_due_idx` from the position on; the rows of deleted questions
        // are deleted with them, so few rows read are passed over.
        let due: Vec<(i64, String, i64, i64)> = sqlx::query_as(
            "SELECT p.id, p.title, p.category_id, l.computed_at FROM related_lists l \
             JOIN posts p ON p.id = l.question_id \
             WHERE l.computed_at < $3 AND (l.computed_at, l.question_id) > ($1, $2) \
             AND p.kind = 'question' AND p.deleted_at IS NULL AND p.category_id IS NOT NULL \
             ORDER BY l.computed_at, l.question_id LIMIT $4",
        )
        .bind(after_time)
        .bind(after_id.0)
        .bind(older_than)
        .bind(i64::from(limit))
        .fetch_all(&self.readers)
        .await
        .map_err(db_error)?;
        if due.is_empty() {
            return Ok(Vec::new());
        }
        let tags = self
            .tags_of_posts(due.iter().map(|(id, _, _, _)| *id).collect())
            .await?;
        let mut tags_of: std::collections::HashMap<i64, Vec<String>> =
            std::collections::HashMap::new();
        for (post, name) in tags {
            tags_of.entry(post).or_default().push(name);
        }
        Ok(due
            .into_iter()
            .map(|(id, title, category, computed_at)| RelatedSubject {
                id: PostId(id),
                title,
                tags: tags_of.remove(&id).unwrap_or_default(),
                category: CategoryId(category),
                computed_at,
            })
            .collect())
    }
}

impl Backend {
    /// Drops `question`'s stored related list in `tx`, leaving no row: a deleted
    /// question is never due.
    pub(crate) async fn drop_related(
        &self,
        tx: &mut sqlx::Transaction<'static, crate::Db>,
        question: i64,
    ) -> StoreResult<()> {
        self.count();
        sqlx::query("DELETE FROM related_lists WHERE question_id = $1")
            .bind(question)
            .execute(&mut **tx)
            .await
            .map_err(db_error)?;
        Ok(())
    }

    /// Marks `question`, which has no stored list, as due in `tx`: a row computed
    /// at 0, which `related_due` finds first and a view reads as no list.
    pub(crate) async fn mark_related_due(
        &self,
        tx: &mut sqlx::Transaction<'static, crate::Db>,
        question: i64,
    ) -> StoreResult<()> {
        self.count();
        sqlx::query(
            "INSERT INTO related_lists (question_id, computed_at) VALUES ($1, 0) \
             ON CONFLICT (question_id) DO NOTHING",
        )
        .bind(question)
        .execute(&mut **tx)
        .await
        .map_err(db_error)?;
        Ok(())
    }
}
