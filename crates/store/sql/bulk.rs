// Bulk loading, shared by both backends: rows with their ids and counters as given,
// many to a transaction, for the demo generator and importers.

use crate::{Backend, db_error};
use ponder_store::{BulkBatch, StoreResult};
use std::collections::HashMap;

impl Backend {
    pub(crate) async fn bulk_load_impl(&self, batch: BulkBatch) -> StoreResult<()> {
        let mut tx = self.begin().await?;
        for u in &batch.users {
            self.count();
            sqlx::query(
                "INSERT INTO users (id, handle, display_name, reputation, about_markdown, about_html, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(u.id.0)
            .bind(&u.handle)
            .bind(&u.display_name)
            .bind(u.reputation)
            .bind(u.about.markdown())
            .bind(u.about.html())
            .bind(u.created_at)
            .execute(&mut *tx)
            .await
            .map_err(db_error)?;
        }
        let mut tag_ids: HashMap<String, i64> = HashMap::new();
        for p in &batch.posts {
            self.count();
            sqlx::query(
                "INSERT INTO posts (id, kind, parent_id, category_id, author_id, title, body_markdown, body_html, \
                 score, answer_count, comment_count, view_count, accepted_answer_id, created_at, last_activity_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)",
            )
            .bind(p.id.0)
            .bind(p.kind.as_str())
            .bind(p.parent_id.map(|x| x.0))
            .bind(p.category_id.map(|x| x.0))
            .bind(p.author_id.0)
            .bind(&p.title)
            .bind(p.body.markdown())
            .bind(p.body.html())
            .bind(p.score)
            .bind(p.answer_count)
            .bind(p.comment_count)
            .bind(p.view_count)
            // Set below, once the answer it names is in: PostgreSQL checks the
            // foreign key at once.
            .bind(None::<i64>)
            .bind(p.created_at)
            .bind(p.last_activity_at)
            .execute(&mut *tx)
            .await
            .map_err(db_error)?;
            for (position, name) in p.tags.iter().enumerate() {
                let tag_id = match tag_ids.get(name) {
                    Some(id) => {
                        self.count();
                        sqlx::query(
                            "UPDATE tags SET question_count = question_count + 1 WHERE id = $1",
                        )
                        .bind(*id)
                        .execute(&mut *tx)
                        .await
                        .map_err(db_error)?;
                        *id
                    }
                    None => {
                        self.count();
                        let (id,): (i64,) = sqlx::query_as(
                            "INSERT INTO tags (name, question_count) VALUES ($1, 1) \
                             ON CONFLICT (name) DO UPDATE SET question_count = tags.question_count + 1 RETURNING id",
                        )
                        .bind(name)
                        .fetch_one(&mut *tx)
                        .await
                        .map_err(db_error)?;
                        tag_ids.insert(name.clone(), id);
                        id
                    }
                };
                self.count();
                sqlx::query(
                    "INSERT INTO post_tags (post_id, tag_id, position) VALUES ($1, $2, $3)",
                )
                .bind(p.id.0)
                .bind(tag_id)
                .bind(position as i64)
                .execute(&mut *tx)
                .await
                .map_err(db_error)?;
            }
        }
        for p in batch
            .posts
            .iter()
            .filter(|p| p.accepted_answer_id.is_some())
        {
            self.count();
            sqlx::query("UPDATE posts SET accepted_answer_id = $2 WHERE id = $1")
                .bind(p.id.0)
                .bind(p.accepted_answer_id.map(|x| x.0))
                .execute(&mut *tx)
                .await
                .map_err(db_error)?;
        }
        for c in &batch.comments {
            self.count();
            sqlx::query(
                "INSERT INTO comments (id, post_id, author_id, body_markdown, body_html, score, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(c.id.0)
            .bind(c.post_id.0)
            .bind(c.author_id.0)
            .bind(c.body.markdown())
            .bind(c.body.html())
            .bind(c.score)
            .bind(c.created_at)
            .execute(&mut *tx)
            .await
            .map_err(db_error)?;
        }
        self.log_change(&mut tx, "bulk.loaded", batch.posts.len() as i64)
            .await?;
        self.commit(tx).await?;
        self.after_bulk_load().await
    }
}
