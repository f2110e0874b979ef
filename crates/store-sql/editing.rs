// Editing and deleting posts, and their revision history; shared by both backends.
//
// An edit names the revision it started from; if the post has moved on, the edit is
// refused as stale rather than overwriting the other editor's work. Every edit adds a
// revision with the post's full new state, so history is never rewritten.

use crate::{Backend, Cols, db_error};
use ponder_core::changes::ChangeKind;
use ponder_core::refusal::Refusal;
use ponder_core::{PostId, UserId};
use ponder_store::revision_columns;
use ponder_store::rows;
use ponder_store::{EditablePost, PostEdit, PostKind, Revision, StoreError, StoreResult};

/// kind, parent, deleted_at, locked_at: what an edit checks first.
type EditTarget = (String, Option<i64>, Option<i64>, Option<i64>);

/// kind, parent, author, title, body, deleted_at, question title, newest revision,
/// locked_at.
type EditableRow = (
    String,
    Option<i64>,
    i64,
    String,
    String,
    Option<i64>,
    String,
    i64,
    Option<i64>,
);

impl Backend {
    /// Adds one to (or takes one from) the question count of each tag of `post`.
    async fn move_tag_counts(
        &self,
        tx: &mut sqlx::Transaction<'static, crate::Db>,
        post: i64,
        delta: i64,
    ) -> StoreResult<()> {
        self.count();
        sqlx::query(
            "UPDATE tags SET question_count = question_count + $2 \
             WHERE id IN (SELECT tag_id FROM post_tags WHERE post_id = $1)",
        )
        .bind(post)
        .bind(delta)
        .execute(&mut **tx)
        .await
        .map_err(db_error)?;
        Ok(())
    }

    /// Applies an edit inside `tx`: checks the base revision, writes the post, its
    /// tags and a revision, and logs the change. Returns the new revision's id.
    pub(crate) async fn apply_edit(
        &self,
        tx: &mut crate::writes::Tx<'static>,
        edit: &PostEdit,
    ) -> StoreResult<i64> {
        self.count();
        let found: Option<EditTarget> = sqlx::query_as(concat!(
            "SELECT kind, parent_id, deleted_at, locked_at FROM posts WHERE id = $1",
            for_update!()
        ))
        .bind(edit.post.0)
        .fetch_optional(&mut **tx)
        .await
        .map_err(db_error)?;
        let Some((kind, parent, deleted_at, locked)) = found else {
            return Err(StoreError::not_found(format!("post {}", edit.post)));
        };
        if locked.is_some() {
            return Err(StoreError::Refused(Refusal::PostLockedForEdits));
        }
        if deleted_at.is_some() {
            return Err(StoreError::Refused(Refusal::PostDeleted));
        }
        self.count();
        let (latest,): (i64,) =
            sqlx::query_as("SELECT coalesce(max(id), 0) FROM revisions WHERE post_id = $1")
                .bind(edit.post.0)
                .fetch_one(&mut **tx)
                .await
                .map_err(db_error)?;
        if latest != edit.base_revision {
            return Err(StoreError::Stale { current: latest });
        }
        let is_question = kind == "question";
        let title = if is_question { edit.title.as_str() } else { "" };
        self.count();
        sqlx::query(concat!(
            "UPDATE posts SET title = $2, edited_at = $3, last_activity_at = ",
            greatest!(),
            "(last_activity_at, $3) WHERE id = $1"
        ))
        .bind(edit.post.0)
        .bind(title)
        .bind(edit.at)
        .execute(&mut **tx)
        .await
        .map_err(db_error)?;
        self.count();
        sqlx::query("UPDATE post_bodies SET body_markdown = $2, body_html = $3 WHERE post_id = $1")
            .bind(edit.post.0)
            .bind(edit.body.markdown())
            .bind(edit.body.html())
            .execute(&mut **tx)
            .await
            .map_err(db_error)?;
        self.write_links(tx, edit.post.0, edit.body.links()).await?;
        if is_question {
            // Its title or tags may have changed: its related list is computed anew.
            self.drop_related(tx, edit.post.0).await?;
            self.mark_related_due(tx, edit.post.0).await?;
            self.move_tag_counts(tx, edit.post.0, -1).await?;
            self.count();
            sqlx::query("DELETE FROM post_tags WHERE post_id = $1")
                .bind(edit.post.0)
                .execute(&mut **tx)
                .await
                .map_err(db_error)?;
            for (position, name) in edit.tags.iter().enumerate() {
                self.count();
                let (tag_id,): (i64,) = sqlx::query_as(
                    "INSERT INTO tags (name, question_count) VALUES ($1, 1) \
                     ON CONFLICT (name) DO UPDATE SET question_count = tags.question_count + 1 RETURNING id",
                )
                .bind(name)
                .fetch_one(&mut **tx)
                .await
                .map_err(db_error)?;
                self.count();
                sqlx::query(
                    "INSERT INTO post_tags (post_id, tag_id, position) VALUES ($1, $2, $3)",
                )
                .bind(edit.post.0)
                .bind(tag_id)
                .bind(position as i64)
                .execute(&mut **tx)
                .await
                .map_err(db_error)?;
            }
        } else if let Some(question) = parent {
            self.count();
            sqlx::query(concat!(
                "UPDATE posts SET last_activity_at = ",
                greatest!(),
                "(last_activity_at, $2) WHERE id = $1"
            ))
            .bind(question)
            .bind(edit.at)
            .execute(&mut **tx)
            .await
            .map_err(db_error)?;
        }
        self.count();
        let (revision,): (i64,) = sqlx::query_as(
            "INSERT INTO revisions (post_id, editor_id, title, body_markdown, tags, summary, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(edit.post.0)
        .bind(edit.editor.0)
        .bind(title)
        .bind(edit.body.markdown())
        .bind(if is_question { edit.tags.join(" ") } else { String::new() })
        .bind(&edit.summary)
        .bind(edit.at)
        .fetch_one(&mut **tx)
        .await
        .map_err(db_error)?;
        self.log_change_at(tx, ChangeKind::PostEdited, edit.post.0, edit.at)
            .await?;
        Ok(revision)
    }

    /// Deletes or undeletes a post inside `tx`, moving the counters that count it and
    /// logging the change; NotFound for no such post. Returns whether anything changed.
    pub(crate) async fn apply_deleted(
        &self,
        tx: &mut crate::writes::Tx<'static>,
        post: PostId,
        deleted: bool,
        at: i64,
    ) -> StoreResult<bool> {
        self.count();
        let found: Option<(String, Option<i64>, Option<i64>)> = sqlx::query_as(concat!(
            "SELECT kind, parent_id, deleted_at FROM posts WHERE id = $1",
            for_update!()
        ))
        .bind(post.0)
        .fetch_optional(&mut **tx)
        .await
        .map_err(db_error)?;
        let Some((kind, parent, deleted_at)) = found else {
            return Err(StoreError::not_found(format!("post {post}")));
        };
        if deleted_at.is_some() == deleted {
            return Ok(false);
        }
        let delta = if deleted { -1 } else { 1 };
        self.count();
        sqlx::query("UPDATE posts SET deleted_at = $2 WHERE id = $1")
            .bind(post.0)
            .bind(deleted.then_some(at))
            .execute(&mut **tx)
            .await
            .map_err(db_error)?;
        if kind == "question" {
            self.move_tag_counts(tx, post.0, delta).await?;
            if deleted {
                self.drop_related(tx, post.0).await?;
            } else {
                self.mark_related_due(tx, post.0).await?;
            }
        } else if let Some(question) = parent {
            self.count();
            sqlx::query("UPDATE posts SET answer_count = answer_count + $2 WHERE id = $1")
                .bind(question)
                .bind(delta)
                .execute(&mut **tx)
                .await
                .map_err(db_error)?;
        }
        self.log_change(
            tx,
            if deleted {
                ChangeKind::PostDeleted
            } else {
                ChangeKind::PostUndeleted
            },
            post.0,
        )
        .await?;
        Ok(true)
    }
}

#[async_trait::async_trait]
impl ponder_store::EditStore for Backend {
    async fn editable_post(&self, post: PostId) -> StoreResult<Option<EditablePost>> {
        self.count();
        let found: Option<EditableRow> = sqlx::query_as(
            "SELECT p.kind, p.parent_id, p.author_id, p.title, b.body_markdown, p.deleted_at, \
             coalesce(q.title, p.title), \
             coalesce((SELECT max(r.id) FROM revisions r WHERE r.post_id = p.id), 0), p.locked_at \
             FROM posts p JOIN post_bodies b ON b.post_id = p.id LEFT JOIN posts q ON q.id = p.parent_id \
             WHERE p.id = $1",
        )
        .bind(post.0)
        .fetch_optional(&self.readers)
        .await
        .map_err(db_error)?;
        let Some((
            kind,
            parent,
            author,
            title,
            body,
            deleted_at,
            question_title,
            latest,
            locked_at,
        )) = found
        else {
            return Ok(None);
        };
        let kind = if kind == "question" {
            PostKind::Question
        } else {
            PostKind::Answer
        };
        let tags = if kind == PostKind::Question {
            self.count();
            sqlx::query_scalar(
                "SELECT t.name FROM post_tags pt JOIN tags t ON t.id = pt.tag_id \
                 WHERE pt.post_id = $1 ORDER BY pt.position",
            )
            .bind(post.0)
            .fetch_all(&self.readers)
            .await
            .map_err(db_error)?
        } else {
            Vec::new()
        };
        Ok(Some(EditablePost {
            id: post,
            kind,
            question_id: PostId(parent.unwrap_or(post.0)),
            question_title,
            author_id: UserId(author),
            title,
            body_markdown: body,
            tags,
            latest_revision: latest,
            deleted: deleted_at.is_some(),
            locked: locked_at.is_some(),
        }))
    }

    async fn edit_post(&self, edit: PostEdit) -> StoreResult<i64> {
        let mut tx = self.begin().await?;
        let revision = self.apply_edit(&mut tx, &edit).await?;
        self.commit(tx).await?;
        Ok(revision)
    }

    async fn revisions(&self, post: PostId) -> StoreResult<Vec<Revision>> {
        self.count();
        let found = sqlx::query(concat!(
            "SELECT ",
            revision_columns!(),
            " FROM revisions r JOIN users u ON u.id = r.editor_id WHERE r.post_id = $1 ORDER BY r.id"
        ))
        .bind(post.0)
        .fetch_all(&self.readers)
        .await
        .map_err(db_error)?;
        found.iter().map(|r| rows::revision(&Cols(r))).collect()
    }

    async fn set_post_deleted(&self, post: PostId, deleted: bool, at: i64) -> StoreResult<()> {
        let mut tx = self.begin().await?;
        self.apply_deleted(&mut tx, post, deleted, at).await?;
        self.commit(tx).await
    }

    async fn change_post_deletion(&self, change: ponder_store::PostDeletion) -> StoreResult<()> {
        let post = change.post;
        let mut tx = self.begin().await?;
        self.count();
        // author_id, deleted_at, hidden_by_flags, locked_at, deleted_by_moderator
        type DeletionState = (i64, Option<i64>, i64, Option<i64>, i64);
        let found: Option<DeletionState> = sqlx::query_as(concat!(
            "SELECT author_id, deleted_at, hidden_by_flags, locked_at, deleted_by_moderator \
             FROM posts WHERE id = $1",
            for_update!()
        ))
        .bind(post.0)
        .fetch_optional(&mut *tx)
        .await
        .map_err(db_error)?;
        let Some((author, deleted_at, hidden, locked_at, by_moderator)) = found else {
            return Err(StoreError::not_found(format!("post {post}")));
        };
        if locked_at.is_some() && !change.moderator {
            return Err(StoreError::Refused(Refusal::PostLockedForDeletion));
        }
        if !change.delete && deleted_at.is_some() {
            if hidden != 0 {
                return Err(StoreError::Refused(Refusal::HiddenByFlags));
            }
            if by_moderator != 0 && !change.moderator {
                return Err(StoreError::Refused(Refusal::DeletedByModerator));
            }
        }
        if !self
            .apply_deleted(&mut tx, post, change.delete, change.at)
            .await?
        {
            return self.commit(tx).await;
        }
        let as_moderator = change.moderator && change.by.0 != author;
        self.count();
        sqlx::query(
            "UPDATE posts SET deleted_by = $2, deleted_by_moderator = $3, deletion_reason = $4 \
             WHERE id = $1",
        )
        .bind(post.0)
        .bind(change.delete.then_some(change.by.0))
        .bind(i64::from(change.delete && as_moderator))
        .bind(if change.delete {
            change.reason.as_str()
        } else {
            ""
        })
        .execute(&mut *tx)
        .await
        .map_err(db_error)?;
        self.commit(tx).await
    }
}
