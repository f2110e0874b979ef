// Suggested edits, shared by both backends: an edit of someone else's post by a user
// without the privilege to edit it waits here until the author or an experienced
// user approves it (applying it as a revision credited to the suggester) or rejects it.

use crate::reputation::Ledger;
use crate::writes::Tx;
use crate::{Backend, Cols, db_error};
use ponder_core::changes::ChangeKind;
use ponder_core::markdown::RenderOptions;
use ponder_core::reputation::ReputationRules;
use ponder_core::{PostId, UserId};
use ponder_store::rows::{RowAccess, user_ref};
use ponder_store::{NewSuggestedEdit, PostBody, PostEdit, StoreError, StoreResult, SuggestedEdit};

/// The columns of a suggestion (10), then its author (4).
macro_rules! suggestion_columns {
    () => {
        concat!(
            "s.id, s.post_id, s.base_revision, s.title, s.body_markdown, s.tags, s.summary, ",
            "s.status, s.reason, s.created_at, ",
            ponder_store::user_ref_columns!()
        )
    };
}

fn suggestion(row: &impl RowAccess) -> StoreResult<SuggestedEdit> {
    Ok(SuggestedEdit {
        id: row.int(0)?,
        post_id: PostId(row.int(1)?),
        base_revision: row.int(2)?,
        title: row.text(3)?,
        body_markdown: row.text(4)?,
        tags: row.text(5)?.split_whitespace().map(str::to_owned).collect(),
        summary: row.text(6)?,
        status: row.text(7)?,
        reason: row.text(8)?,
        created_at: row.int(9)?,
        author: user_ref(row, 10)?,
    })
}

impl Backend {
    /// Marks a pending suggestion reviewed; NotFound when it is not pending.
    async fn close_suggestion(
        &self,
        tx: &mut Tx<'_>,
        id: i64,
        status: &str,
        reviewer: UserId,
        reason: &str,
        at: i64,
    ) -> StoreResult<()> {
        self.count();
        let done = sqlx::query(
            "UPDATE suggested_edits SET status = $2, reviewer_id = $3, reason = $4, reviewed_at = $5 \
             WHERE id = $1 AND status = 'pending'",
        )
        .bind(id)
        .bind(status)
        .bind(reviewer.0)
        .bind(reason)
        .bind(at)
        .execute(&mut **tx)
        .await
        .map_err(db_error)?;
        if done.rows_affected() == 0 {
            return Err(StoreError::not_found(format!(
                "pending suggested edit {id}"
            )));
        }
        Ok(())
    }
}

#[async_trait::async_trait]
impl ponder_store::SuggestionStore for Backend {
    async fn create_suggested_edit(&self, new: NewSuggestedEdit) -> StoreResult<i64> {
        let mut tx = self.begin().await?;
        self.count();
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO suggested_edits (post_id, author_id, base_revision, title, body_markdown, tags, summary, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(new.post.0)
        .bind(new.author.0)
        .bind(new.base_revision)
        .bind(&new.title)
        .bind(&new.body_markdown)
        .bind(new.tags.join(" "))
        .bind(&new.summary)
        .bind(new.created_at)
        .fetch_one(&mut *tx)
        .await
        .map_err(db_error)?;
        self.log_change(&mut tx, ChangeKind::SuggestionCreated, id)
            .await?;
        self.commit(tx).await?;
        Ok(id)
    }

    async fn suggested_edit(&self, id: i64) -> StoreResult<Option<SuggestedEdit>> {
        self.count();
        let row = sqlx::query(concat!(
            "SELECT ",
            suggestion_columns!(),
            " FROM suggested_edits s JOIN users u ON u.id = s.author_id WHERE s.id = $1"
        ))
        .bind(id)
        .fetch_optional(&self.readers)
        .await
        .map_err(db_error)?;
        row.map(|r| suggestion(&Cols(&r))).transpose()
    }

    async fn pending_suggestion(&self, post: PostId) -> StoreResult<Option<SuggestedEdit>> {
        self.count();
        let row = sqlx::query(concat!(
            "SELECT ",
            suggestion_columns!(),
            " FROM suggested_edits s JOIN users u ON u.id = s.author_id \
             WHERE s.post_id = $1 AND s.status = 'pending'"
        ))
        .bind(post.0)
        .fetch_optional(&self.readers)
        .await
        .map_err(db_error)?;
        row.map(|r| suggestion(&Cols(&r))).transpose()
    }

    async fn pending_suggestions_in(&self, question: PostId) -> StoreResult<Vec<(PostId, i64)>> {
        self.count();
        let found: Vec<(i64, i64)> = sqlx::query_as(
            "SELECT s.post_id, s.id FROM suggested_edits s JOIN posts p ON p.id = s.post_id \
             WHERE s.status = 'pending' AND (p.id = $1 OR p.parent_id = $1)",
        )
        .bind(question.0)
        .fetch_all(&self.readers)
        .await
        .map_err(db_error)?;
        Ok(found
            .into_iter()
            .map(|(post, id)| (PostId(post), id))
            .collect())
    }

    async fn pending_suggestions(&self, limit: u32) -> StoreResult<Vec<SuggestedEdit>> {
        self.count();
        let found = sqlx::query(concat!(
            "SELECT ",
            suggestion_columns!(),
            " FROM suggested_edits s JOIN users u ON u.id = s.author_id \
             WHERE s.status = 'pending' ORDER BY s.created_at, s.id LIMIT $1"
        ))
        .bind(i64::from(limit))
        .fetch_all(&self.readers)
        .await
        .map_err(db_error)?;
        found.iter().map(|r| suggestion(&Cols(r))).collect()
    }

    async fn approve_suggested_edit(
        &self,
        id: i64,
        reviewer: UserId,
        rules: ReputationRules,
        render: RenderOptions,
        at: i64,
    ) -> StoreResult<i64> {
        let found = self
            .suggested_edit(id)
            .await?
            .filter(|s| s.status == "pending")
            .ok_or_else(|| StoreError::not_found(format!("pending suggested edit {id}")))?;
        let mut tx = self.begin().await?;
        self.close_suggestion(&mut tx, id, "approved", reviewer, "", at)
            .await?;
        let edit = PostEdit {
            post: found.post_id,
            editor: found.author.id,
            base_revision: found.base_revision,
            title: found.title.clone(),
            body: PostBody::rendered(found.body_markdown.clone(), &render),
            tags: found.tags.clone(),
            summary: found.summary.clone(),
            at,
        };
        let revision = self.apply_edit(&mut tx, &edit).await?;
        self.record_reputation(
            &mut tx,
            Ledger {
                user: found.author.id.0,
                kind: "edit_approved",
                post: Some(found.post_id.0),
                actor: Some(reviewer.0),
                amount: rules.edit_approved,
                at,
            },
        )
        .await?;
        self.award_badge(
            &mut tx,
            found.author.id.0,
            ponder_core::badges::EDITOR,
            None,
            at,
        )
        .await?;
        self.commit(tx).await?;
        Ok(revision)
    }

    async fn reject_suggested_edit(
        &self,
        id: i64,
        reviewer: UserId,
        reason: &str,
        at: i64,
    ) -> StoreResult<()> {
        let mut tx = self.begin().await?;
        self.close_suggestion(&mut tx, id, "rejected", reviewer, reason, at)
            .await?;
        self.log_change(&mut tx, ChangeKind::SuggestionRejected, id)
            .await?;
        self.commit(tx).await
    }
}
