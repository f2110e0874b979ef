// Members' mail choices, the mail outbox, digests and unsubscribing, shared by
// both backends. Direct mail enters the outbox in the inbox's own transaction
// (notices.rs); digests enter it here. A mail is claimed before it is sent, so two
// nodes never both send it and a restart never sends it again.

use crate::notices::notice_columns;
use crate::{Backend, Cols, db_error};
use ponder_core::notices::{DigestFrequency, MailKind, MailPreferences};
use ponder_core::{PostId, UserId};
use ponder_store::rows::RowAccess;
use ponder_store::{
    DigestQuestion, MailOutcome, Notice, OutboxMail, StoreError, StoreResult,
    UNSUBSCRIBE_WORKS_FOR, Unsubscribed,
};

impl Backend {
    /// Makes `user`'s preferences row, with the defaults, unless there is one: the
    /// row that keeps when their last digest went.
    pub(crate) async fn ensure_mail_preferences(&self, user: i64) -> StoreResult<()> {
        self.count();
        sqlx::query("INSERT INTO mail_preferences (user_id) VALUES ($1) ON CONFLICT DO NOTHING")
            .bind(user)
            .execute(&self.writer)
            .await
            .map_err(db_error)?;
        Ok(())
    }
}

#[async_trait::async_trait]
impl ponder_store::MailStore for Backend {
    async fn mail_preferences(&self, user: UserId) -> StoreResult<MailPreferences> {
        self.count();
        let found: Option<(i64, String)> =
            sqlx::query_as("SELECT direct, digest FROM mail_preferences WHERE user_id = $1")
                .bind(user.0)
                .fetch_optional(&self.readers)
                .await
                .map_err(db_error)?;
        Ok(match found {
            Some((direct, digest)) => MailPreferences {
                direct: direct != 0,
                digest: DigestFrequency::parse(&digest).unwrap_or_default(),
            },
            None => MailPreferences::DEFAULT,
        })
    }

    async fn set_mail_preferences(&self, user: UserId, prefs: MailPreferences) -> StoreResult<()> {
        self.count();
        sqlx::query(
            "INSERT INTO mail_preferences (user_id, direct, digest) VALUES ($1, $2, $3) \
             ON CONFLICT (user_id) DO UPDATE SET direct = excluded.direct, digest = excluded.digest",
        )
        .bind(user.0)
        .bind(i64::from(prefs.direct))
        .bind(prefs.digest.as_str())
        .execute(&self.writer)
        .await
        .map_err(db_error)?;
        Ok(())
    }

    async fn due_mail(&self, now: i64, limit: u32) -> StoreResult<Vec<OutboxMail>> {
        self.count();
        // An address that is not verified (or an account deleted since) reads as
        // none: the sender gives that mail up.
        let rows = sqlx::query(
            "SELECT o.id, o.user_id, \
             CASE WHEN u.email_verified_at IS NOT NULL AND u.deleted_at IS NULL \
               THEN coalesce(u.email, '') ELSE '' END, \
             u.display_name, o.kind, o.notice_id, o.period_start, o.period_end, o.attempts \
             FROM mail_outbox o JOIN users u ON u.id = o.user_id \
             WHERE o.sent_at IS NULL AND o.failed_at IS NULL AND o.claimed_at IS NULL \
             AND o.next_attempt_at <= $1 ORDER BY o.next_attempt_at, o.id LIMIT $2",
        )
        .bind(now)
        .bind(i64::from(limit))
        .fetch_all(&self.writer)
        .await
        .map_err(db_error)?;
        rows.iter()
            .map(|r| {
                let row = Cols(r);
                let kind_name = row.text(4)?;
                let kind = MailKind::parse(&kind_name).ok_or_else(|| {
                    StoreError::Database(format!("unknown mail kind {kind_name:?}").into())
                })?;
                Ok(OutboxMail {
                    id: row.int(0)?,
                    user: UserId(row.int(1)?),
                    to: row.text(2)?,
                    name: row.text(3)?,
                    kind,
                    notice: row.opt_int(5)?,
                    period: (row.int(6)?, row.int(7)?),
                    attempts: row.int(8)?,
                })
            })
            .collect()
    }

    async fn claim_mail(&self, id: i64, unsubscribe_hash: &str, at: i64) -> StoreResult<bool> {
        self.count();
        let done = sqlx::query(
            "UPDATE mail_outbox SET claimed_at = $3, unsubscribe_hash = $2 \
             WHERE id = $1 AND claimed_at IS NULL AND sent_at IS NULL AND failed_at IS NULL",
        )
        .bind(id)
        .bind(unsubscribe_hash)
        .bind(at)
        .execute(&self.writer)
        .await
        .map_err(db_error)?;
        Ok(done.rows_affected() == 1)
    }

    async fn finish_mail(&self, id: i64, outcome: MailOutcome, at: i64) -> StoreResult<()> {
        self.count();
        let query = match &outcome {
            MailOutcome::Sent => sqlx::query("UPDATE mail_outbox SET sent_at = $2 WHERE id = $1")
                .bind(id)
                .bind(at),
            MailOutcome::Skipped => sqlx::query(
                "UPDATE mail_outbox SET sent_at = $2, last_error = 'nothing to send' WHERE id = $1",
            )
            .bind(id)
            .bind(at),
            MailOutcome::Retry { error, at: retry } => sqlx::query(
                "UPDATE mail_outbox SET claimed_at = NULL, attempts = attempts + 1, \
                 last_error = $2, next_attempt_at = $3 WHERE id = $1",
            )
            .bind(id)
            .bind(error.chars().take(500).collect::<String>())
            .bind(*retry),
            MailOutcome::GaveUp { error } => sqlx::query(
                "UPDATE mail_outbox SET failed_at = $3, attempts = attempts + 1, \
                 last_error = $2 WHERE id = $1",
            )
            .bind(id)
            .bind(error.chars().take(500).collect::<String>())
            .bind(at),
        };
        query.execute(&self.writer).await.map_err(db_error)?;
        Ok(())
    }

    async fn enqueue_due_digests(&self, now: i64, limit: u32) -> StoreResult<u64> {
        let mut tx = self.begin().await?;
        // A member who chose a digest (or followed something) is seen here first:
        // their first period starts now.
        self.count();
        sqlx::query(
            "UPDATE mail_preferences SET digest_sent_at = $1 \
             WHERE digest_sent_at IS NULL AND digest <> 'off'",
        )
        .bind(now)
        .execute(&mut *tx)
        .await
        .map_err(db_error)?;
        self.count();
        let queued: Vec<(i64,)> = sqlx::query_as(
            "INSERT INTO mail_outbox (user_id, kind, period_start, period_end, created_at, \
             next_attempt_at) \
             SELECT m.user_id, 'digest', m.digest_sent_at, $1, $1, $1 FROM mail_preferences m \
             JOIN users u ON u.id = m.user_id \
             WHERE m.digest <> 'off' AND u.deleted_at IS NULL AND u.email IS NOT NULL \
             AND u.email_verified_at IS NOT NULL \
             AND m.digest_sent_at <= $1 - CASE m.digest WHEN 'daily' THEN 86400 ELSE 604800 END \
             AND EXISTS (SELECT 1 FROM follows f WHERE f.user_id = m.user_id \
               AND f.target_kind <> 'question') \
             ORDER BY m.digest_sent_at LIMIT $2 \
             RETURNING user_id",
        )
        .bind(now)
        .bind(i64::from(limit))
        .fetch_all(&mut *tx)
        .await
        .map_err(db_error)?;
        for (user,) in &queued {
            self.count();
            sqlx::query("UPDATE mail_preferences SET digest_sent_at = $2 WHERE user_id = $1")
                .bind(user)
                .bind(now)
                .execute(&mut *tx)
                .await
                .map_err(db_error)?;
        }
        self.commit(tx).await?;
        Ok(queued.len() as u64)
    }

    async fn digest_questions(
        &self,
        user: UserId,
        since: i64,
        until: i64,
        limit: u32,
    ) -> StoreResult<Vec<DigestQuestion>> {
        self.count();
        let rows: Vec<(i64, String, i64, i64, i64)> = sqlx::query_as(
            "WITH RECURSIVE followed (id) AS (\
               SELECT target_id FROM follows WHERE user_id = $1 AND target_kind = 'category' \
               UNION SELECT c.id FROM categories c JOIN followed f ON c.parent_id = f.id) \
             SELECT p.id, p.title, p.score, p.answer_count, p.created_at FROM posts p \
             WHERE p.kind = 'question' AND p.deleted_at IS NULL \
             AND p.created_at > $2 AND p.created_at <= $3 AND p.author_id <> $1 \
             AND (p.category_id IN (SELECT id FROM followed) \
               OR p.author_id IN (SELECT target_id FROM follows \
                 WHERE user_id = $1 AND target_kind = 'user') \
               OR EXISTS (SELECT 1 FROM post_tags pt JOIN follows f ON f.user_id = $1 \
                 AND f.target_kind = 'tag' AND f.target_id = pt.tag_id WHERE pt.post_id = p.id)) \
             ORDER BY p.score DESC, p.created_at DESC, p.id LIMIT $4",
        )
        .bind(user.0)
        .bind(since)
        .bind(until)
        .bind(i64::from(limit))
        .fetch_all(&self.readers)
        .await
        .map_err(db_error)?;
        Ok(rows
            .into_iter()
            .map(
                |(id, title, score, answer_count, created_at)| DigestQuestion {
                    id: PostId(id),
                    title,
                    score,
                    answer_count,
                    created_at,
                },
            )
            .collect())
    }

    async fn notice(&self, id: i64) -> StoreResult<Option<Notice>> {
        self.count();
        let row = sqlx::query(concat!("SELECT ", notice_columns!(), "WHERE n.id = $1"))
            .bind(id)
            .fetch_optional(&self.readers)
            .await
            .map_err(db_error)?;
        row.map(|r| crate::notices::notice(&Cols(&r))).transpose()
    }

    async fn unsubscribe(&self, token_hash: &str, now: i64) -> StoreResult<Unsubscribed> {
        self.count();
        let found: Option<(i64, String, i64)> = sqlx::query_as(
            "SELECT user_id, kind, created_at FROM mail_outbox WHERE unsubscribe_hash = $1",
        )
        .bind(token_hash)
        .fetch_optional(&self.writer)
        .await
        .map_err(db_error)?;
        let Some((user, kind, created_at)) = found else {
            return Ok(Unsubscribed::Unknown);
        };
        let Some(kind) = MailKind::parse(&kind) else {
            return Ok(Unsubscribed::Unknown);
        };
        if created_at < now - UNSUBSCRIBE_WORKS_FOR {
            return Ok(Unsubscribed::Expired);
        }
        self.count();
        let sql = match kind {
            MailKind::Direct => {
                "INSERT INTO mail_preferences (user_id, direct) VALUES ($1, 0) \
                 ON CONFLICT (user_id) DO UPDATE SET direct = 0"
            }
            MailKind::Digest => {
                "INSERT INTO mail_preferences (user_id, digest) VALUES ($1, 'off') \
                 ON CONFLICT (user_id) DO UPDATE SET digest = 'off'"
            }
        };
        sqlx::query(sql)
            .bind(user)
            .execute(&self.writer)
            .await
            .map_err(db_error)?;
        Ok(Unsubscribed::Done {
            user: UserId(user),
            kind,
        })
    }
}
