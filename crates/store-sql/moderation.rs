// Moderation, shared by both backends: flags (and the spam rule that hides a post),
// closing and reopening, locks and protection, suspensions, the moderation log and
// the first-posts review queue. Nothing here removes content: hiding is a soft
// delete that a moderator can reverse.
//
// Long on purpose: each moderation write locks and reads the same rows in the same
// order, and keeping them together keeps that order visible.

use crate::reputation::Ledger;
use crate::writes::Tx;
use crate::{Backend, Cols, db_error};
use ponder_core::changes::ChangeKind;
use ponder_core::paging::PER_PAGE;
use ponder_core::refusal::Refusal;
use ponder_core::{CommentId, PostId, UserId};
use ponder_store::rows::{RowAccess, user_ref};
use ponder_store::{
    FlagKind, FlagView, ModerationEntry, NewCloseVote, NewFlag, Page, ReviewTask, StoreError,
    StoreResult,
};

impl Backend {
    /// Opens a review task for a user's first post.
    pub(crate) async fn queue_first_post(
        &self,
        tx: &mut Tx<'_>,
        author: i64,
        post: i64,
        at: i64,
    ) -> StoreResult<()> {
        self.count();
        // Only the author's first post: whether it is, two rows tell, however many the
        // author has written.
        sqlx::query(
            "INSERT INTO review_tasks (post_id, created_at) SELECT $1, $2 \
             WHERE (SELECT COUNT(*) FROM (SELECT 1 FROM posts WHERE author_id = $3 LIMIT 2) AS first) = 1",
        )
        .bind(post)
        .bind(at)
        .bind(author)
        .execute(&mut **tx)
        .await
        .map_err(db_error)?;
        Ok(())
    }

    /// Sets or clears one of a post's moderation timestamps.
    async fn set_post_flag(
        &self,
        post: PostId,
        sql: &'static str,
        on: bool,
        at: i64,
        change: ChangeKind,
    ) -> StoreResult<()> {
        let mut tx = self.begin().await?;
        self.count();
        let done = sqlx::query(sql)
            .bind(post.0)
            .bind(on.then_some(at))
            .execute(&mut *tx)
            .await
            .map_err(db_error)?;
        if done.rows_affected() == 0 {
            return Err(StoreError::not_found(format!("post {post}")));
        }
        self.log_change(&mut tx, change, post.0).await?;
        self.commit(tx).await
    }
}

#[async_trait::async_trait]
impl ponder_store::ModerationStore for Backend {
    async fn create_flag(&self, flag: NewFlag) -> StoreResult<bool> {
        let mut tx = self.begin().await?;
        self.count();
        let post: Option<(i64, String, Option<i64>)> = sqlx::query_as(concat!(
            "SELECT author_id, kind, deleted_at FROM posts WHERE id = $1",
            for_update!()
        ))
        .bind(flag.post.0)
        .fetch_optional(&mut *tx)
        .await
        .map_err(db_error)?;
        let Some((author, kind, _)) = post.filter(|p| p.2.is_none()) else {
            return Err(StoreError::not_found(format!("post {}", flag.post)));
        };
        if flag.comment.is_none() && author == flag.user.0 {
            return Err(StoreError::Refused(Refusal::OwnPostFlag));
        }
        if flag.kind == FlagKind::NotAnAnswer && (kind != "answer" || flag.comment.is_some()) {
            return Err(StoreError::Refused(Refusal::NotAnAnswerFlagOnQuestion));
        }
        if let Some(comment) = flag.comment {
            self.count();
            let found: Option<(i64,)> = sqlx::query_as(
                "SELECT author_id FROM comments WHERE id = $1 AND post_id = $2 AND deleted_at IS NULL",
            )
            .bind(comment.0)
            .bind(flag.post.0)
            .fetch_optional(&mut *tx)
            .await
            .map_err(db_error)?;
            match found {
                None => return Err(StoreError::not_found(format!("comment {comment}"))),
                Some((commenter,)) if commenter == flag.user.0 => {
                    return Err(StoreError::Refused(Refusal::OwnCommentFlag));
                }
                Some(_) => {}
            }
        }
        self.count();
        sqlx::query("INSERT INTO flags (post_id, comment_id, user_id, kind, message, created_at) VALUES ($1, $2, $3, $4, $5, $6)")
            .bind(flag.post.0)
            .bind(flag.comment.map(|c| c.0))
            .bind(flag.user.0)
            .bind(flag.kind.as_str())
            .bind(&flag.message)
            .bind(flag.at)
            .execute(&mut *tx)
            .await
            .map_err(db_error)?;
        let mut hidden = false;
        if matches!(flag.kind, FlagKind::Spam | FlagKind::Rude) {
            self.count();
            let (count,): (i64,) = sqlx::query_as(
                "SELECT COUNT(*) FROM flags WHERE post_id = $1 AND comment_id IS NOT DISTINCT FROM $2 \
                 AND kind IN ('spam', 'rude') AND status IN ('pending', 'helpful')",
            )
            .bind(flag.post.0)
            .bind(flag.comment.map(|c| c.0))
            .fetch_one(&mut *tx)
            .await
            .map_err(db_error)?;
            if count >= flag.hide_threshold {
                hidden = true;
                match flag.comment {
                    Some(comment) => {
                        self.count();
                        sqlx::query("UPDATE comments SET deleted_at = $2 WHERE id = $1 AND deleted_at IS NULL")
                            .bind(comment.0)
                            .bind(flag.at)
                            .execute(&mut *tx)
                            .await
                            .map_err(db_error)?;
                        self.count();
                        sqlx::query(
                            "UPDATE posts SET comment_count = comment_count - 1 WHERE id = $1",
                        )
                        .bind(flag.post.0)
                        .execute(&mut *tx)
                        .await
                        .map_err(db_error)?;
                    }
                    None => {
                        self.apply_deleted(&mut tx, flag.post, true, flag.at)
                            .await?;
                        self.count();
                        sqlx::query("UPDATE posts SET hidden_by_flags = 1 WHERE id = $1")
                            .bind(flag.post.0)
                            .execute(&mut *tx)
                            .await
                            .map_err(db_error)?;
                        self.record_reputation(
                            &mut tx,
                            Ledger {
                                user: author,
                                kind: "spam_penalty",
                                post: Some(flag.post.0),
                                actor: None,
                                amount: -flag.hide_penalty,
                                at: flag.at,
                            },
                        )
                        .await?;
                    }
                }
            }
        }
        self.log_change(&mut tx, ChangeKind::FlagCreated, flag.post.0)
            .await?;
        self.commit(tx).await?;
        Ok(hidden)
    }

    async fn pending_flags(&self, limit: u32) -> StoreResult<Vec<FlagView>> {
        self.count();
        let found = sqlx::query(concat!(
            "SELECT f.id, f.post_id, f.comment_id, coalesce(p.parent_id, p.id), coalesce(q.title, p.title), \
             coalesce(c.body_markdown, b.body_markdown), f.kind, f.message, f.created_at, \
             CASE WHEN f.comment_id IS NULL THEN p.deleted_at ELSE c.deleted_at END, ",
            ponder_store::user_ref_columns!(),
            " FROM flags f JOIN posts p ON p.id = f.post_id JOIN post_bodies b ON b.post_id = p.id \
             LEFT JOIN posts q ON q.id = p.parent_id LEFT JOIN comments c ON c.id = f.comment_id JOIN users u ON u.id = f.user_id \
             WHERE f.status = 'pending' ORDER BY f.post_id, f.comment_id, f.id LIMIT $1"
        ))
        .bind(i64::from(limit))
        .fetch_all(&self.readers)
        .await
        .map_err(db_error)?;
        found
            .iter()
            .map(|r| {
                let row = Cols(r);
                Ok(FlagView {
                    id: row.int(0)?,
                    post_id: PostId(row.int(1)?),
                    comment_id: row.opt_int(2)?.map(CommentId),
                    question_id: PostId(row.int(3)?),
                    question_title: row.text(4)?,
                    text: row.text(5)?,
                    kind: row.text(6)?,
                    message: row.text(7)?,
                    created_at: row.int(8)?,
                    target_deleted: row.opt_int(9)?.is_some(),
                    flagger: user_ref(&row, 10)?,
                })
            })
            .collect()
    }

    async fn resolve_flag(
        &self,
        id: i64,
        moderator: UserId,
        helpful: bool,
        at: i64,
    ) -> StoreResult<()> {
        self.count();
        let done = sqlx::query(
            "UPDATE flags SET status = $2, handled_by = $3, handled_at = $4 WHERE id = $1 AND status = 'pending'",
        )
        .bind(id)
        .bind(if helpful { "helpful" } else { "declined" })
        .bind(moderator.0)
        .bind(at)
        .execute(&self.writer)
        .await
        .map_err(db_error)?;
        if done.rows_affected() == 0 {
            return Err(StoreError::not_found(format!("pending flag {id}")));
        }
        Ok(())
    }

    async fn restore_hidden_comment(&self, comment: CommentId) -> StoreResult<()> {
        let mut tx = self.begin().await?;
        self.count();
        let found: Option<(i64, Option<i64>)> = sqlx::query_as(concat!(
            "SELECT post_id, deleted_at FROM comments WHERE id = $1",
            for_update!()
        ))
        .bind(comment.0)
        .fetch_optional(&mut *tx)
        .await
        .map_err(db_error)?;
        let Some((post, deleted_at)) = found else {
            return Err(StoreError::not_found(format!("comment {comment}")));
        };
        self.count();
        let (flags,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM flags WHERE comment_id = $1 AND kind IN ('spam', 'rude') \
             AND status IN ('pending', 'helpful')",
        )
        .bind(comment.0)
        .fetch_one(&mut *tx)
        .await
        .map_err(db_error)?;
        if deleted_at.is_none() || flags == 0 {
            return Err(StoreError::Refused(Refusal::CommentNotHiddenByFlags));
        }
        for (sql, id) in [
            (
                "UPDATE comments SET deleted_at = NULL WHERE id = $1",
                comment.0,
            ),
            (
                "UPDATE posts SET comment_count = comment_count + 1 WHERE id = $1",
                post,
            ),
            (
                "UPDATE flags SET status = 'declined' WHERE comment_id = $1 AND kind IN ('spam', 'rude') AND status IN ('pending', 'helpful')",
                comment.0,
            ),
        ] {
            self.count();
            sqlx::query(sql)
                .bind(id)
                .execute(&mut *tx)
                .await
                .map_err(db_error)?;
        }
        self.log_change(&mut tx, ChangeKind::CommentRestored, post)
            .await?;
        self.commit(tx).await
    }

    async fn restore_hidden_post(
        &self,
        post: PostId,
        moderator: UserId,
        penalty: i64,
        at: i64,
    ) -> StoreResult<()> {
        let mut tx = self.begin().await?;
        self.count();
        let found: Option<(i64, i64)> = sqlx::query_as(concat!(
            "SELECT author_id, hidden_by_flags FROM posts WHERE id = $1",
            for_update!()
        ))
        .bind(post.0)
        .fetch_optional(&mut *tx)
        .await
        .map_err(db_error)?;
        let Some((author, hidden)) = found else {
            return Err(StoreError::not_found(format!("post {post}")));
        };
        if hidden == 0 {
            return Err(StoreError::Refused(Refusal::PostNotHiddenByFlags));
        }
        self.apply_deleted(&mut tx, post, false, at).await?;
        for sql in [
            "UPDATE posts SET hidden_by_flags = 0 WHERE id = $1",
            "UPDATE flags SET status = 'declined' WHERE post_id = $1 AND comment_id IS NULL AND kind IN ('spam', 'rude') AND status IN ('pending', 'helpful')",
        ] {
            self.count();
            sqlx::query(sql)
                .bind(post.0)
                .execute(&mut *tx)
                .await
                .map_err(db_error)?;
        }
        self.record_reputation(
            &mut tx,
            Ledger {
                user: author,
                kind: "spam_penalty_undone",
                post: Some(post.0),
                actor: Some(moderator.0),
                amount: penalty,
                at,
            },
        )
        .await?;
        self.commit(tx).await
    }

    async fn cast_close_vote(&self, vote: NewCloseVote) -> StoreResult<(bool, i64)> {
        let mut tx = self.begin().await?;
        self.count();
        let found: Option<(String, Option<i64>, Option<i64>)> = sqlx::query_as(concat!(
            "SELECT kind, closed_at, deleted_at FROM posts WHERE id = $1",
            for_update!()
        ))
        .bind(vote.question.0)
        .fetch_optional(&mut *tx)
        .await
        .map_err(db_error)?;
        let Some((kind, closed, _)) = found.filter(|f| f.2.is_none()) else {
            return Err(StoreError::not_found(format!("question {}", vote.question)));
        };
        if kind != "question" {
            return Err(StoreError::Refused(Refusal::OnlyQuestionsClose));
        }
        if vote.close == closed.is_some() {
            return Err(StoreError::Refused(if vote.close {
                Refusal::AlreadyClosed
            } else {
                Refusal::AlreadyOpen
            }));
        }
        if let Some(original) = vote.duplicate_of {
            if original == vote.question {
                return Err(StoreError::Refused(Refusal::DuplicateOfItself));
            }
            self.count();
            let exists: Option<(i64,)> = sqlx::query_as(
                "SELECT id FROM posts WHERE id = $1 AND kind = 'question' AND deleted_at IS NULL",
            )
            .bind(original.0)
            .fetch_optional(&mut *tx)
            .await
            .map_err(db_error)?;
            if exists.is_none() {
                return Err(StoreError::Refused(Refusal::NoSuchOriginal { original }));
            }
        }
        let kind_name = if vote.close { "close" } else { "reopen" };
        self.count();
        sqlx::query("INSERT INTO close_votes (post_id, user_id, kind, reason, duplicate_of, created_at) VALUES ($1, $2, $3, $4, $5, $6)")
            .bind(vote.question.0)
            .bind(vote.user.0)
            .bind(kind_name)
            .bind(&vote.reason)
            .bind(vote.duplicate_of.map(|d| d.0))
            .bind(vote.at)
            .execute(&mut *tx)
            .await
            .map_err(db_error)?;
        self.count();
        let (votes,): (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM close_votes WHERE post_id = $1 AND kind = $2")
                .bind(vote.question.0)
                .bind(kind_name)
                .fetch_one(&mut *tx)
                .await
                .map_err(db_error)?;
        if votes < vote.threshold {
            self.commit(tx).await?;
            return Ok((false, votes));
        }
        self.count();
        if vote.close {
            sqlx::query("UPDATE posts SET closed_at = $2, close_reason = $3, duplicate_of = $4 WHERE id = $1")
                .bind(vote.question.0)
                .bind(vote.at)
                .bind(&vote.reason)
                .bind(vote.duplicate_of.map(|d| d.0))
                .execute(&mut *tx)
                .await
                .map_err(db_error)?;
        } else {
            sqlx::query("UPDATE posts SET closed_at = NULL, close_reason = '', duplicate_of = NULL WHERE id = $1")
                .bind(vote.question.0)
                .execute(&mut *tx)
                .await
                .map_err(db_error)?;
        }
        self.count();
        sqlx::query("DELETE FROM close_votes WHERE post_id = $1 AND kind = $2")
            .bind(vote.question.0)
            .bind(kind_name)
            .execute(&mut *tx)
            .await
            .map_err(db_error)?;
        self.log_change(
            &mut tx,
            if vote.close {
                ChangeKind::PostClosed
            } else {
                ChangeKind::PostReopened
            },
            vote.question.0,
        )
        .await?;
        self.commit(tx).await?;
        Ok((true, votes))
    }

    async fn close_votes(&self, question: PostId) -> StoreResult<(i64, i64)> {
        self.count();
        let (close, reopen): (i64, i64) = sqlx::query_as(
            "SELECT COUNT(CASE WHEN kind = 'close' THEN 1 END), COUNT(CASE WHEN kind = 'reopen' THEN 1 END) \
             FROM close_votes WHERE post_id = $1",
        )
        .bind(question.0)
        .fetch_one(&self.readers)
        .await
        .map_err(db_error)?;
        Ok((close, reopen))
    }

    async fn set_locked(&self, post: PostId, locked: bool, at: i64) -> StoreResult<()> {
        self.set_post_flag(
            post,
            "UPDATE posts SET locked_at = $2 WHERE id = $1 AND deleted_at IS NULL",
            locked,
            at,
            if locked {
                ChangeKind::PostLocked
            } else {
                ChangeKind::PostUnlocked
            },
        )
        .await
    }

    async fn set_protected(&self, question: PostId, protected: bool, at: i64) -> StoreResult<()> {
        self.set_post_flag(
            question,
            "UPDATE posts SET protected_at = $2 WHERE id = $1 AND kind = 'question' AND deleted_at IS NULL",
            protected,
            at,
            if protected { ChangeKind::PostProtected } else { ChangeKind::PostUnprotected },
        )
        .await
    }

    async fn set_suspension(
        &self,
        user: UserId,
        until: Option<i64>,
        reason: &str,
    ) -> StoreResult<()> {
        self.count();
        let done = sqlx::query("UPDATE users SET suspended_until = $2, suspension_reason = $3 WHERE id = $1 AND deleted_at IS NULL")
            .bind(user.0)
            .bind(until)
            .bind(reason)
            .execute(&self.writer)
            .await
            .map_err(db_error)?;
        if done.rows_affected() == 0 {
            return Err(StoreError::not_found(format!("user {user}")));
        }
        Ok(())
    }

    async fn log_moderation(
        &self,
        moderator: UserId,
        action: &str,
        target_kind: &str,
        target_id: i64,
        reason: &str,
        at: i64,
    ) -> StoreResult<()> {
        self.count();
        sqlx::query("INSERT INTO moderation_log (moderator_id, action, target_kind, target_id, reason, created_at) VALUES ($1, $2, $3, $4, $5, $6)")
            .bind(moderator.0)
            .bind(action)
            .bind(target_kind)
            .bind(target_id)
            .bind(reason)
            .bind(at)
            .execute(&self.writer)
            .await
            .map_err(db_error)?;
        Ok(())
    }

    async fn moderation_log(&self, page: u32) -> StoreResult<Page<ModerationEntry>> {
        self.count();
        let (total,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM moderation_log")
            .fetch_one(&self.readers)
            .await
            .map_err(db_error)?;
        self.count();
        let found = sqlx::query(concat!(
            "SELECT m.id, m.action, m.target_kind, m.target_id, m.reason, m.created_at, ",
            ponder_store::user_ref_columns!(),
            " FROM moderation_log m JOIN users u ON u.id = m.moderator_id ORDER BY m.id DESC LIMIT $1 OFFSET $2"
        ))
        .bind(i64::from(PER_PAGE))
        .bind(i64::from(page.max(1) - 1) * i64::from(PER_PAGE))
        .fetch_all(&self.readers)
        .await
        .map_err(db_error)?;
        let items = found
            .iter()
            .map(|r| {
                let row = Cols(r);
                Ok(ModerationEntry {
                    id: row.int(0)?,
                    action: row.text(1)?,
                    target_kind: row.text(2)?,
                    target_id: row.int(3)?,
                    reason: row.text(4)?,
                    created_at: row.int(5)?,
                    moderator: user_ref(&row, 6)?,
                })
            })
            .collect::<StoreResult<Vec<_>>>()?;
        Ok(Page {
            items,
            total,
            page,
            per_page: PER_PAGE,
        })
    }

    async fn review_tasks(&self, reviewer: UserId, limit: u32) -> StoreResult<Vec<ReviewTask>> {
        self.count();
        let found = sqlx::query(concat!(
            "SELECT t.id, p.id, coalesce(p.parent_id, p.id), coalesce(q.title, p.title), b.body_markdown, p.created_at, ",
            ponder_store::user_ref_columns!(),
            " FROM review_tasks t JOIN posts p ON p.id = t.post_id JOIN post_bodies b ON b.post_id = p.id LEFT JOIN posts q ON q.id = p.parent_id \
             JOIN users u ON u.id = p.author_id \
             WHERE t.status = 'pending' AND p.deleted_at IS NULL AND p.author_id <> $1 \
             AND NOT EXISTS (SELECT 1 FROM review_skips s WHERE s.task_kind = 'first_post' AND s.task_id = t.id AND s.user_id = $1) \
             ORDER BY t.id LIMIT $2"
        ))
        .bind(reviewer.0)
        .bind(i64::from(limit))
        .fetch_all(&self.readers)
        .await
        .map_err(db_error)?;
        found
            .iter()
            .map(|r| {
                let row = Cols(r);
                Ok(ReviewTask {
                    id: row.int(0)?,
                    post_id: PostId(row.int(1)?),
                    question_id: PostId(row.int(2)?),
                    question_title: row.text(3)?,
                    text: row.text(4)?,
                    created_at: row.int(5)?,
                    author: user_ref(&row, 6)?,
                })
            })
            .collect()
    }

    async fn resolve_review(
        &self,
        id: i64,
        reviewer: UserId,
        approve: bool,
        reason: &str,
        at: i64,
    ) -> StoreResult<()> {
        self.count();
        let done = sqlx::query(
            "UPDATE review_tasks SET status = $2, reviewer_id = $3, reason = $4, reviewed_at = $5 WHERE id = $1 AND status = 'pending'",
        )
        .bind(id)
        .bind(if approve { "approved" } else { "rejected" })
        .bind(reviewer.0)
        .bind(reason)
        .bind(at)
        .execute(&self.writer)
        .await
        .map_err(db_error)?;
        if done.rows_affected() == 0 {
            return Err(StoreError::not_found(format!("pending review task {id}")));
        }
        Ok(())
    }

    async fn skip_review(&self, task_kind: &str, id: i64, reviewer: UserId) -> StoreResult<()> {
        self.count();
        sqlx::query("INSERT INTO review_skips (task_kind, task_id, user_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")
            .bind(task_kind)
            .bind(id)
            .bind(reviewer.0)
            .execute(&self.writer)
            .await
            .map_err(db_error)?;
        Ok(())
    }

    async fn skipped_suggestions(&self, reviewer: UserId) -> StoreResult<Vec<i64>> {
        self.count();
        sqlx::query_scalar(
            "SELECT task_id FROM review_skips WHERE task_kind = 'suggestion' AND user_id = $1",
        )
        .bind(reviewer.0)
        .fetch_all(&self.readers)
        .await
        .map_err(db_error)
    }
}
