// Bulk loading and reading back, shared by both backends: rows with their ids and
// counters as given, many to a transaction, for the demo generator, importers and
// exporters. Loading skips rows whose id is taken, so a batch loaded twice adds nothing.

use crate::{Backend, db_error};
use ponder_core::{CommentId, PostId, UserId};
use ponder_store::{
    BulkBadge, BulkBatch, BulkComment, BulkLoaded, BulkPost, BulkTag, BulkUser, BulkVote,
    ImportRun, PostBody, PostKind, StoreResult,
};
use std::collections::HashMap;

impl Backend {
    pub(crate) async fn bulk_load_impl(&self, batch: BulkBatch) -> StoreResult<BulkLoaded> {
        let mut loaded = BulkLoaded::default();
        let mut tx = self.begin().await?;
        for u in &batch.users {
            self.count();
            loaded.users += sqlx::query(
                "INSERT INTO users (id, handle, display_name, reputation, about_markdown, about_html, \
                 created_at, last_seen_at, deleted_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
                 ON CONFLICT (id) DO NOTHING",
            )
            .bind(u.id.0)
            .bind(&u.handle)
            .bind(&u.display_name)
            .bind(u.reputation)
            .bind(u.about.markdown())
            .bind(u.about.html())
            .bind(u.created_at)
            .bind(u.last_seen_at)
            .bind(u.deleted_at)
            .execute(&mut *tx)
            .await
            .map_err(db_error)?
            .rows_affected();
        }
        for t in &batch.tags {
            self.count();
            loaded.tags += sqlx::query(
                "INSERT INTO tags (id, name, description, question_count) VALUES ($1, $2, $3, 0) \
                 ON CONFLICT DO NOTHING",
            )
            .bind(t.id)
            .bind(&t.name)
            .bind(&t.description)
            .execute(&mut *tx)
            .await
            .map_err(db_error)?
            .rows_affected();
        }
        let mut tag_ids: HashMap<String, i64> = HashMap::new();
        for p in &batch.posts {
            self.count();
            let inserted = sqlx::query(
                "INSERT INTO posts (id, kind, parent_id, category_id, author_id, title, body_markdown, body_html, \
                 score, answer_count, comment_count, view_count, accepted_answer_id, created_at, last_activity_at, \
                 edited_at, deleted_at, closed_at, close_reason) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19) \
                 ON CONFLICT (id) DO NOTHING",
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
            .bind(p.edited_at)
            .bind(p.deleted_at)
            .bind(p.closed_at)
            .bind(&p.close_reason)
            .execute(&mut *tx)
            .await
            .map_err(db_error)?
            .rows_affected();
            loaded.posts += inserted;
            if inserted == 0 {
                continue;
            }
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
                    "INSERT INTO post_tags (post_id, tag_id, position) VALUES ($1, $2, $3) \
                     ON CONFLICT DO NOTHING",
                )
                .bind(p.id.0)
                .bind(tag_id)
                .bind(position as i64)
                .execute(&mut *tx)
                .await
                .map_err(db_error)?;
            }
        }
        for c in &batch.comments {
            self.count();
            loaded.comments += sqlx::query(
                "INSERT INTO comments (id, post_id, author_id, body_markdown, body_html, score, created_at, deleted_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (id) DO NOTHING",
            )
            .bind(c.id.0)
            .bind(c.post_id.0)
            .bind(c.author_id.0)
            .bind(c.body.markdown())
            .bind(c.body.html())
            .bind(c.score)
            .bind(c.created_at)
            .bind(c.deleted_at)
            .execute(&mut *tx)
            .await
            .map_err(db_error)?
            .rows_affected();
        }
        for b in &batch.badges {
            self.count();
            loaded.badges += sqlx::query(
                "INSERT INTO badges (id, user_id, name, class, post_id, awarded_at) \
                 VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING",
            )
            .bind(b.id)
            .bind(b.user_id.0)
            .bind(&b.name)
            .bind(&b.class)
            .bind(b.post_id.map(|x| x.0))
            .bind(b.awarded_at)
            .execute(&mut *tx)
            .await
            .map_err(db_error)?
            .rows_affected();
        }
        for (post, markdown) in &batch.sources {
            self.count();
            loaded.sources += sqlx::query("UPDATE posts SET body_markdown = $2 WHERE id = $1")
                .bind(post.0)
                .bind(markdown)
                .execute(&mut *tx)
                .await
                .map_err(db_error)?
                .rows_affected();
        }
        for (post, reason) in &batch.close_reasons {
            self.count();
            loaded.close_reasons += sqlx::query(
                "UPDATE posts SET close_reason = $2 WHERE id = $1 AND closed_at IS NOT NULL",
            )
            .bind(post.0)
            .bind(reason)
            .execute(&mut *tx)
            .await
            .map_err(db_error)?
            .rows_affected();
        }
        for (name, description) in &batch.tag_descriptions {
            self.count();
            loaded.tag_descriptions +=
                sqlx::query("UPDATE tags SET description = $2 WHERE name = $1")
                    .bind(name)
                    .bind(description)
                    .execute(&mut *tx)
                    .await
                    .map_err(db_error)?
                    .rows_affected();
        }
        let accepted = batch
            .posts
            .iter()
            .filter_map(|p| Some((p.id, p.accepted_answer_id?)));
        for (question, answer) in accepted.chain(batch.accepted.iter().copied()) {
            self.count();
            loaded.accepted += sqlx::query(
                "UPDATE posts SET accepted_answer_id = $2 WHERE id = $1 AND kind = 'question' \
                 AND EXISTS (SELECT 1 FROM posts a WHERE a.id = $2 AND a.parent_id = $1)",
            )
            .bind(question.0)
            .bind(answer.0)
            .execute(&mut *tx)
            .await
            .map_err(db_error)?
            .rows_affected();
        }
        for (question, original) in &batch.duplicates {
            self.count();
            loaded.duplicates += sqlx::query(
                "UPDATE posts SET duplicate_of = $2 WHERE id = $1 AND kind = 'question' AND id <> $2 \
                 AND EXISTS (SELECT 1 FROM posts o WHERE o.id = $2 AND o.kind = 'question')",
            )
            .bind(question.0)
            .bind(original.0)
            .execute(&mut *tx)
            .await
            .map_err(db_error)?
            .rows_affected();
        }
        self.log_change(&mut tx, "bulk.loaded", loaded.posts as i64)
            .await?;
        self.commit(tx).await?;
        self.after_bulk_load().await?;
        Ok(loaded)
    }

    pub(crate) async fn recount_impl(&self) -> StoreResult<()> {
        let mut tx = self.begin().await?;
        for sql in [
            "UPDATE posts SET answer_count = (SELECT count(*) FROM posts a \
             WHERE a.parent_id = posts.id AND a.deleted_at IS NULL) WHERE kind = 'question'",
            "UPDATE posts SET comment_count = (SELECT count(*) FROM comments c \
             WHERE c.post_id = posts.id AND c.deleted_at IS NULL)",
            "UPDATE tags SET question_count = (SELECT count(*) FROM post_tags pt \
             JOIN posts p ON p.id = pt.post_id WHERE pt.tag_id = tags.id AND p.deleted_at IS NULL)",
        ] {
            self.count();
            sqlx::query(sql).execute(&mut *tx).await.map_err(db_error)?;
        }
        self.commit(tx).await
    }

    pub(crate) async fn content_counts_impl(&self) -> StoreResult<(i64, i64)> {
        self.count();
        sqlx::query_as("SELECT (SELECT count(*) FROM users), (SELECT count(*) FROM posts)")
            .fetch_one(&self.readers)
            .await
            .map_err(db_error)
    }

    pub(crate) async fn import_run_impl(&self, source: &str) -> StoreResult<Option<ImportRun>> {
        self.count();
        let row: Option<(String, i64, Option<i64>)> =
            sqlx::query_as("SELECT source, started_at, finished_at FROM imports WHERE source = $1")
                .bind(source)
                .fetch_optional(&self.writer)
                .await
                .map_err(db_error)?;
        Ok(row.map(|(source, started_at, finished_at)| ImportRun {
            source,
            started_at,
            finished_at,
        }))
    }

    pub(crate) async fn record_import_impl(
        &self,
        source: &str,
        finished: bool,
        at: i64,
    ) -> StoreResult<()> {
        self.count();
        let sql = if finished {
            "UPDATE imports SET finished_at = $2 WHERE source = $1"
        } else {
            "INSERT INTO imports (source, started_at) VALUES ($1, $2) ON CONFLICT (source) DO NOTHING"
        };
        sqlx::query(sql)
            .bind(source)
            .bind(at)
            .execute(&self.writer)
            .await
            .map_err(db_error)?;
        Ok(())
    }

    pub(crate) async fn export_users_impl(
        &self,
        after: i64,
        limit: u32,
    ) -> StoreResult<Vec<BulkUser>> {
        self.count();
        type UserRow = (
            i64,
            String,
            String,
            i64,
            String,
            String,
            i64,
            Option<i64>,
            Option<i64>,
        );
        let rows: Vec<UserRow> = sqlx::query_as(
            "SELECT id, handle, display_name, reputation, about_markdown, about_html, created_at, \
             last_seen_at, deleted_at FROM users WHERE id > $1 ORDER BY id LIMIT $2",
        )
        .bind(after)
        .bind(i64::from(limit))
        .fetch_all(&self.readers)
        .await
        .map_err(db_error)?;
        Ok(rows
            .into_iter()
            .map(
                |(
                    id,
                    handle,
                    display_name,
                    reputation,
                    md,
                    html,
                    created_at,
                    last_seen_at,
                    deleted_at,
                )| BulkUser {
                    id: UserId(id),
                    handle,
                    display_name,
                    reputation,
                    about: PostBody::from_storage(md, html),
                    created_at,
                    last_seen_at,
                    deleted_at,
                },
            )
            .collect())
    }

    pub(crate) async fn export_posts_impl(
        &self,
        after: i64,
        limit: u32,
    ) -> StoreResult<Vec<BulkPost>> {
        let mut conn = self.readers.acquire().await.map_err(db_error)?;
        self.count();
        let rows = sqlx::query(
            "SELECT id, kind, parent_id, category_id, author_id, title, body_markdown, body_html, score, \
             answer_count, comment_count, view_count, accepted_answer_id, created_at, last_activity_at, \
             edited_at, deleted_at, closed_at, close_reason, duplicate_of \
             FROM posts WHERE id > $1 ORDER BY id LIMIT $2",
        )
        .bind(after)
        .bind(i64::from(limit))
        .fetch_all(&mut *conn)
        .await
        .map_err(db_error)?;
        let rows = rows
            .iter()
            .map(|r| export_post(&crate::Cols(r)))
            .collect::<StoreResult<Vec<BulkPost>>>()?;
        let (Some(first), Some(last)) = (rows.first(), rows.last()) else {
            return Ok(Vec::new());
        };
        self.count();
        let tags: Vec<(i64, String)> = sqlx::query_as(
            "SELECT pt.post_id, t.name FROM post_tags pt JOIN tags t ON t.id = pt.tag_id \
             WHERE pt.post_id BETWEEN $1 AND $2 ORDER BY pt.post_id, pt.position, t.name",
        )
        .bind(first.id.0)
        .bind(last.id.0)
        .fetch_all(&mut *conn)
        .await
        .map_err(db_error)?;
        let mut tags_of: HashMap<i64, Vec<String>> = HashMap::new();
        for (post, name) in tags {
            tags_of.entry(post).or_default().push(name);
        }
        Ok(rows
            .into_iter()
            .map(|mut p| {
                p.tags = tags_of.remove(&p.id.0).unwrap_or_default();
                p
            })
            .collect())
    }

    pub(crate) async fn export_comments_impl(
        &self,
        after: i64,
        limit: u32,
    ) -> StoreResult<Vec<BulkComment>> {
        self.count();
        type CommentRow = (i64, i64, i64, String, String, i64, i64, Option<i64>);
        let rows: Vec<CommentRow> = sqlx::query_as(
            "SELECT id, post_id, author_id, body_markdown, body_html, score, created_at, deleted_at \
             FROM comments WHERE id > $1 ORDER BY id LIMIT $2",
        )
        .bind(after)
        .bind(i64::from(limit))
        .fetch_all(&self.readers)
        .await
        .map_err(db_error)?;
        Ok(rows
            .into_iter()
            .map(
                |(id, post, author, md, html, score, created_at, deleted_at)| BulkComment {
                    id: CommentId(id),
                    post_id: PostId(post),
                    author_id: UserId(author),
                    body: PostBody::from_storage(md, html),
                    score,
                    created_at,
                    deleted_at,
                },
            )
            .collect())
    }

    pub(crate) async fn export_tags_impl(
        &self,
        after: i64,
        limit: u32,
    ) -> StoreResult<Vec<BulkTag>> {
        self.count();
        let rows: Vec<(i64, String, String, i64)> = sqlx::query_as(
            "SELECT id, name, description, question_count FROM tags WHERE id > $1 ORDER BY id LIMIT $2",
        )
        .bind(after)
        .bind(i64::from(limit))
        .fetch_all(&self.readers)
        .await
        .map_err(db_error)?;
        Ok(rows
            .into_iter()
            .map(|(id, name, description, question_count)| BulkTag {
                id,
                name,
                description,
                question_count,
            })
            .collect())
    }

    pub(crate) async fn export_votes_impl(
        &self,
        after: i64,
        limit: u32,
    ) -> StoreResult<Vec<BulkVote>> {
        self.count();
        let rows: Vec<(i64, i64, i64, i64)> = sqlx::query_as(
            "SELECT id, post_id, value, created_at FROM votes WHERE id > $1 ORDER BY id LIMIT $2",
        )
        .bind(after)
        .bind(i64::from(limit))
        .fetch_all(&self.readers)
        .await
        .map_err(db_error)?;
        Ok(rows
            .into_iter()
            .map(|(id, post, value, created_at)| BulkVote {
                id,
                post_id: PostId(post),
                value,
                created_at,
            })
            .collect())
    }

    pub(crate) async fn export_badges_impl(
        &self,
        after: i64,
        limit: u32,
    ) -> StoreResult<Vec<BulkBadge>> {
        self.count();
        let rows: Vec<(i64, i64, String, String, Option<i64>, i64)> = sqlx::query_as(
            "SELECT id, user_id, name, class, post_id, awarded_at FROM badges WHERE id > $1 ORDER BY id LIMIT $2",
        )
        .bind(after)
        .bind(i64::from(limit))
        .fetch_all(&self.readers)
        .await
        .map_err(db_error)?;
        Ok(rows
            .into_iter()
            .map(|(id, user, name, class, post, awarded_at)| BulkBadge {
                id,
                user_id: UserId(user),
                name,
                class,
                post_id: post.map(PostId),
                awarded_at,
            })
            .collect())
    }
}

/// Reads a post as exports want it (tags are filled in afterwards).
fn export_post(r: &impl ponder_store::rows::RowAccess) -> StoreResult<BulkPost> {
    Ok(BulkPost {
        id: PostId(r.int(0)?),
        kind: if r.text(1)? == "question" {
            PostKind::Question
        } else {
            PostKind::Answer
        },
        parent_id: r.opt_int(2)?.map(PostId),
        category_id: r.opt_int(3)?.map(ponder_core::CategoryId),
        author_id: UserId(r.int(4)?),
        title: r.text(5)?,
        body: PostBody::from_storage(r.text(6)?, r.text(7)?),
        tags: Vec::new(),
        score: r.int(8)?,
        answer_count: r.int(9)?,
        comment_count: r.int(10)?,
        view_count: r.int(11)?,
        accepted_answer_id: r.opt_int(12)?.map(PostId),
        created_at: r.int(13)?,
        last_activity_at: r.int(14)?,
        edited_at: r.opt_int(15)?,
        deleted_at: r.opt_int(16)?,
        closed_at: r.opt_int(17)?,
        close_reason: r.text(18)?,
        duplicate_of: r.opt_int(19)?.map(PostId),
    })
}
