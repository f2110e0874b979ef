// Links between posts, written with each body (see `Backend::write_links`), and the
// lookups a post's rendering needs; shared by both backends.

use crate::{Backend, bind_id_list, db_error};
use ponder_core::{PostId, UserId};
use ponder_store::{LinkedQuestion, StoreResult};

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

    async fn linked_questions(
        &self,
        question: PostId,
        limit: u32,
    ) -> StoreResult<Vec<LinkedQuestion>> {
        self.count();
        let found: Vec<(i64, String, i64)> = sqlx::query_as(
            "SELECT q.id, q.title, q.score FROM posts q \
             WHERE q.kind = 'question' AND q.deleted_at IS NULL AND q.id <> $1 AND q.id IN ( \
               SELECT l.question_id FROM post_links l JOIN posts p ON p.id = l.post_id \
               WHERE (p.id = $1 OR p.parent_id = $1) AND p.deleted_at IS NULL \
               UNION \
               SELECT COALESCE(p.parent_id, p.id) FROM post_links l JOIN posts p ON p.id = l.post_id \
               WHERE l.question_id = $1 AND p.deleted_at IS NULL) \
             ORDER BY q.score DESC, q.id LIMIT $2",
        )
        .bind(question.0)
        .bind(i64::from(limit))
        .fetch_all(&self.readers)
        .await
        .map_err(db_error)?;
        Ok(found
            .into_iter()
            .map(|(id, title, score)| LinkedQuestion {
                id: PostId(id),
                title,
                score,
            })
            .collect())
    }
}
