// Accounts, shared by both backends: log-in records, sessions, profile changes, roles, deletion, mailed
// tokens and avatars.

use crate::{Backend, Cols, Db, DbArgs, begin_write, bind_ids, db_error};
use ponder_core::changes::ChangeKind;
use ponder_core::paging::PER_PAGE;
use ponder_core::{PostId, UserId};
use ponder_store::rows;
use ponder_store::user_columns;
use ponder_store::{
    Avatar, LoginRecord, NewEmailToken, NewSession, Page, PersonalComment, PersonalData,
    PersonalPost, PersonalVote, ProfileEdit, Role, SessionInfo, StoreError, StoreResult,
    TokenPurpose, User, UserActivity,
};

/// The users a search finds: the id bound as `$1`, or handle, name or email
/// containing the pattern bound as `$2` (lowercase, `%`-wrapped, `\\`-escaped).
macro_rules! user_search {
    () => {
        "u.deleted_at IS NULL AND (u.id = $1 OR lower(u.handle) LIKE $2 ESCAPE '\\' \
         OR lower(u.display_name) LIKE $2 ESCAPE '\\' OR lower(u.email) LIKE $2 ESCAPE '\\')"
    };
}

/// A page of users from their rows.
fn users_page(
    found: &[<Db as sqlx::Database>::Row],
    total: i64,
    page: u32,
) -> StoreResult<Page<User>> {
    let items = found
        .iter()
        .map(|r| rows::user(&Cols(r)))
        .collect::<StoreResult<Vec<_>>>()?;
    Ok(Page {
        items,
        total,
        page,
        per_page: PER_PAGE,
    })
}

impl Backend {
    /// Runs one `UPDATE users ... WHERE id = $1 AND deleted_at IS NULL` with the
    /// change logged, failing with NotFound when no live user matched.
    async fn update_user(
        &self,
        user: UserId,
        sql: &'static str,
        bind: impl FnOnce(sqlx::query::Query<'_, Db, DbArgs>) -> sqlx::query::Query<'_, Db, DbArgs>,
        change: ChangeKind,
    ) -> StoreResult<()> {
        let mut tx = begin_write(&self.writer).await.map_err(db_error)?;
        self.count();
        let done = bind(sqlx::query(sql).bind(user.0))
            .execute(&mut *tx)
            .await
            .map_err(db_error)?;
        if done.rows_affected() == 0 {
            return Err(StoreError::not_found(format!("user {user}")));
        }
        self.log_change(&mut tx, change, user.0).await?;
        tx.commit().await.map_err(db_error)
    }

    /// Ends, in `tx`, the unused mailed links of `user` for `purpose` (used up at `at`).
    async fn end_links(
        &self,
        tx: &mut sqlx::Transaction<'_, Db>,
        user: UserId,
        purpose: TokenPurpose,
        at: i64,
    ) -> StoreResult<()> {
        self.count();
        sqlx::query(
            "UPDATE email_tokens SET used_at = $2 \
             WHERE user_id = $1 AND purpose = $3 AND used_at IS NULL",
        )
        .bind(user.0)
        .bind(at)
        .bind(purpose.as_str())
        .execute(&mut **tx)
        .await
        .map_err(db_error)?;
        Ok(())
    }

    async fn insert_email_token(
        &self,
        tx: &mut sqlx::Transaction<'_, Db>,
        token: &NewEmailToken,
    ) -> StoreResult<()> {
        self.count();
        sqlx::query(
            "INSERT INTO email_tokens (token_hash, user_id, purpose, email, created_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(&token.token_hash)
        .bind(token.user.0)
        .bind(token.purpose.as_str())
        .bind(&token.email)
        .bind(token.created_at)
        .bind(token.expires_at)
        .execute(&mut **tx)
        .await
        .map_err(db_error)?;
        Ok(())
    }
}

impl Backend {
    /// Removes a person's data from their account inside `tx`, keeping the row
    /// (their posts stay under a deleted-user name) and ending their sessions.
    async fn anonymise_user(
        &self,
        tx: &mut crate::writes::Tx<'static>,
        user: UserId,
        at: i64,
    ) -> StoreResult<()> {
        self.count();
        let done = sqlx::query(
            "UPDATE users SET handle = 'deleted-user-' || id, display_name = 'user' || id, \
             email = NULL, email_verified_at = NULL, password_hash = NULL, about_markdown = '', \
             about_html = '', location = NULL, website_url = NULL, deleted_at = $2 \
             WHERE id = $1 AND deleted_at IS NULL",
        )
        .bind(user.0)
        .bind(at)
        .execute(&mut **tx)
        .await
        .map_err(db_error)?;
        if done.rows_affected() == 0 {
            return Err(StoreError::not_found(format!("user {user}")));
        }
        for sql in [
            "DELETE FROM sessions WHERE user_id = $1",
            "DELETE FROM avatars WHERE user_id = $1",
            "DELETE FROM imported_profiles WHERE user_id = $1",
            "UPDATE email_tokens SET used_at = coalesce(used_at, 0) WHERE user_id = $1",
        ] {
            self.count();
            sqlx::query(sql)
                .bind(user.0)
                .execute(&mut **tx)
                .await
                .map_err(db_error)?;
        }
        self.log_change_at(tx, ChangeKind::UserDeleted, user.0, at)
            .await
    }
}

#[async_trait::async_trait]
impl ponder_store::AccountStore for Backend {
    async fn login_record(&self, login: &str) -> StoreResult<Option<LoginRecord>> {
        self.count();
        let row = sqlx::query(concat!(
            "SELECT ",
            user_columns!(),
            ", u.email, u.email_verified_at, u.password_hash FROM users u \
             WHERE (lower(u.handle) = lower($1) OR lower(u.email) = lower($1)) \
             AND u.deleted_at IS NULL ORDER BY (lower(u.handle) = lower($1)) DESC LIMIT 1"
        ))
        .bind(login.trim())
        .fetch_optional(&self.readers)
        .await
        .map_err(db_error)?;
        row.map(|r| rows::login_record(&Cols(&r))).transpose()
    }

    async fn login_record_by_id(&self, user: UserId) -> StoreResult<Option<LoginRecord>> {
        self.count();
        let row = sqlx::query(concat!(
            "SELECT ",
            user_columns!(),
            ", u.email, u.email_verified_at, u.password_hash FROM users u \
             WHERE u.id = $1 AND u.deleted_at IS NULL"
        ))
        .bind(user.0)
        .fetch_optional(&self.readers)
        .await
        .map_err(db_error)?;
        row.map(|r| rows::login_record(&Cols(&r))).transpose()
    }

    async fn create_session(&self, new: NewSession) -> StoreResult<()> {
        self.count();
        sqlx::query(
            "INSERT INTO sessions (id, user_id, csrf_token, created_at, expires_at, user_agent, last_seen_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $4)",
        )
        .bind(&new.id_hash)
        .bind(new.user.0)
        .bind(&new.csrf_token)
        .bind(new.created_at)
        .bind(new.expires_at)
        .bind(
            new.user_agent
                .chars()
                .take(ponder_store::USER_AGENT_MAX)
                .collect::<String>(),
        )
        .execute(&self.writer)
        .await
        .map_err(db_error)?;
        Ok(())
    }

    async fn session(&self, id_hash: &str, now: i64) -> StoreResult<Option<SessionInfo>> {
        self.count();
        let row = sqlx::query(concat!(
            "SELECT ",
            user_columns!(),
            ", s.csrf_token, s.expires_at, coalesce(s.last_seen_at, s.created_at), \
             (SELECT COUNT(*) FROM (SELECT 1 FROM notifications n \
               WHERE n.user_id = u.id AND n.read_at IS NULL LIMIT 100) AS unread) \
             FROM sessions s JOIN users u ON u.id = s.user_id \
             WHERE s.id = $1 AND s.expires_at > $2 AND u.deleted_at IS NULL"
        ))
        .bind(id_hash)
        .bind(now)
        .fetch_optional(&self.readers)
        .await
        .map_err(db_error)?;
        row.map(|r| rows::session_info(&Cols(&r))).transpose()
    }

    async fn delete_session(&self, id_hash: &str) -> StoreResult<()> {
        self.count();
        sqlx::query("DELETE FROM sessions WHERE id = $1")
            .bind(id_hash)
            .execute(&self.writer)
            .await
            .map_err(db_error)?;
        Ok(())
    }

    async fn user_sessions(
        &self,
        user: UserId,
        now: i64,
    ) -> StoreResult<Vec<ponder_store::SessionSummary>> {
        self.count();
        let found: Vec<(String, String, i64, i64, i64)> = sqlx::query_as(
            "SELECT id, user_agent, created_at, coalesce(last_seen_at, created_at), expires_at \
             FROM sessions WHERE user_id = $1 AND expires_at > $2 \
             ORDER BY coalesce(last_seen_at, created_at) DESC, id LIMIT 100",
        )
        .bind(user.0)
        .bind(now)
        .fetch_all(&self.readers)
        .await
        .map_err(db_error)?;
        Ok(found
            .into_iter()
            .map(
                |(id_hash, user_agent, created_at, last_seen_at, expires_at)| {
                    ponder_store::SessionSummary {
                        id_hash,
                        user_agent,
                        created_at,
                        last_seen_at,
                        expires_at,
                    }
                },
            )
            .collect())
    }

    async fn touch_session(&self, id_hash: &str, at: i64) -> StoreResult<()> {
        self.count();
        sqlx::query("UPDATE sessions SET last_seen_at = $2 WHERE id = $1")
            .bind(id_hash)
            .bind(at)
            .execute(&self.writer)
            .await
            .map_err(db_error)?;
        Ok(())
    }

    async fn end_user_session(&self, user: UserId, id_hash: &str) -> StoreResult<bool> {
        self.count();
        let done = sqlx::query("DELETE FROM sessions WHERE id = $1 AND user_id = $2")
            .bind(id_hash)
            .bind(user.0)
            .execute(&self.writer)
            .await
            .map_err(db_error)?;
        Ok(done.rows_affected() > 0)
    }

    async fn delete_user_sessions(&self, user: UserId, keep: Option<&str>) -> StoreResult<u64> {
        self.count();
        let done = sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND id <> $2")
            .bind(user.0)
            .bind(keep.unwrap_or(""))
            .execute(&self.writer)
            .await
            .map_err(db_error)?;
        Ok(done.rows_affected())
    }

    async fn delete_expired_sessions(&self, now: i64) -> StoreResult<u64> {
        self.count();
        let done = sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
            .bind(now)
            .execute(&self.writer)
            .await
            .map_err(db_error)?;
        Ok(done.rows_affected())
    }

    async fn count_attempt(&self, scope: &str, key: &str, window_start: i64) -> StoreResult<i64> {
        self.count();
        sqlx::query_scalar(
            "INSERT INTO attempt_counts (scope, key, window_start, count) VALUES ($1, $2, $3, 1) \
             ON CONFLICT (scope, key, window_start) DO UPDATE SET count = attempt_counts.count + 1 \
             RETURNING count",
        )
        .bind(scope)
        .bind(key)
        .bind(window_start)
        .fetch_one(&self.writer)
        .await
        .map_err(db_error)
    }

    async fn forget_attempts(&self, before: i64) -> StoreResult<u64> {
        self.count();
        let done = sqlx::query("DELETE FROM attempt_counts WHERE window_start < $1")
            .bind(before)
            .execute(&self.writer)
            .await
            .map_err(db_error)?;
        Ok(done.rows_affected())
    }

    async fn update_profile(&self, user: UserId, edit: ProfileEdit) -> StoreResult<()> {
        self.update_user(
            user,
            "UPDATE users SET display_name = $2, about_markdown = $3, about_html = $4, \
             location = $5, website_url = $6 WHERE id = $1 AND deleted_at IS NULL",
            |q| {
                q.bind(edit.display_name.clone())
                    .bind(edit.about.markdown().to_owned())
                    .bind(edit.about.html().to_owned())
                    .bind(edit.location.clone())
                    .bind(edit.website_url.clone())
            },
            ChangeKind::UserUpdated,
        )
        .await
    }

    async fn set_password_hash(&self, user: UserId, hash: &str) -> StoreResult<()> {
        let hash = hash.to_owned();
        self.update_user(
            user,
            "UPDATE users SET password_hash = $2 WHERE id = $1 AND deleted_at IS NULL",
            |q| q.bind(hash),
            ChangeKind::UserPasswordChanged,
        )
        .await
    }

    async fn change_password(&self, user: UserId, hash: &str, at: i64) -> StoreResult<()> {
        let mut tx = begin_write(&self.writer).await.map_err(db_error)?;
        self.count();
        let done =
            sqlx::query("UPDATE users SET password_hash = $2 WHERE id = $1 AND deleted_at IS NULL")
                .bind(user.0)
                .bind(hash)
                .execute(&mut *tx)
                .await
                .map_err(db_error)?;
        if done.rows_affected() == 0 {
            return Err(StoreError::not_found(format!("user {user}")));
        }
        self.end_links(&mut tx, user, TokenPurpose::ResetPassword, at)
            .await?;
        self.log_change_at(&mut tx, ChangeKind::UserPasswordChanged, user.0, at)
            .await?;
        tx.commit().await.map_err(db_error)
    }

    async fn set_role(&self, user: UserId, role: Role) -> StoreResult<()> {
        let mut tx = self.begin().await?;
        // Role changes queue here (PostgreSQL), so that two administrators
        // demoting each other at once cannot leave the site with none.
        self.count();
        sqlx::query(lock_text!())
            .bind("ponder.roles")
            .execute(&mut *tx)
            .await
            .map_err(db_error)?;
        if role != Role::Admin {
            // Whether the user is an administrator, and how many others there are.
            self.count();
            let (is_admin, others): (i64, i64) = sqlx::query_as(
                "SELECT coalesce(sum(CASE WHEN id = $1 THEN 1 ELSE 0 END), 0), \
                 coalesce(sum(CASE WHEN id <> $1 THEN 1 ELSE 0 END), 0) \
                 FROM users WHERE role = 'admin' AND deleted_at IS NULL",
            )
            .bind(user.0)
            .fetch_one(&mut *tx)
            .await
            .map_err(db_error)?;
            if is_admin > 0 && others == 0 {
                return Err(StoreError::Refused(
                    ponder_core::refusal::Refusal::LastAdministrator,
                ));
            }
        }
        self.count();
        let done = sqlx::query("UPDATE users SET role = $2 WHERE id = $1 AND deleted_at IS NULL")
            .bind(user.0)
            .bind(role.as_str())
            .execute(&mut *tx)
            .await
            .map_err(db_error)?;
        if done.rows_affected() == 0 {
            return Err(StoreError::not_found(format!("user {user}")));
        }
        self.log_change(&mut tx, ChangeKind::UserRoleChanged, user.0)
            .await?;
        self.commit(tx).await
    }

    async fn set_email_verified(&self, user: UserId, at: i64) -> StoreResult<()> {
        self.update_user(
            user,
            "UPDATE users SET email_verified_at = $2 WHERE id = $1 AND deleted_at IS NULL",
            |q| q.bind(at),
            ChangeKind::UserEmailVerified,
        )
        .await
    }

    async fn delete_user(&self, user: UserId, at: i64) -> StoreResult<()> {
        let mut tx = self.begin().await?;
        self.anonymise_user(&mut tx, user, at).await?;
        self.commit(tx).await
    }

    async fn delete_user_with_content(
        &self,
        user: UserId,
        moderator: UserId,
        at: i64,
    ) -> StoreResult<(i64, i64)> {
        let mut tx = self.begin().await?;
        self.count();
        let posts: Vec<(i64,)> = sqlx::query_as(
            "SELECT id FROM posts WHERE author_id = $1 AND deleted_at IS NULL ORDER BY id",
        )
        .bind(user.0)
        .fetch_all(&mut *tx)
        .await
        .map_err(db_error)?;
        for (post,) in &posts {
            self.apply_deleted(&mut tx, PostId(*post), true, at).await?;
        }
        // A moderator's deletion, which the author could not undo anyway.
        self.count();
        sqlx::query(
            "UPDATE posts SET deleted_by = $2, deleted_by_moderator = 1, \
             deletion_reason = 'account deleted with its content' \
             WHERE author_id = $1 AND deleted_at = $3",
        )
        .bind(user.0)
        .bind(moderator.0)
        .bind(at)
        .execute(&mut *tx)
        .await
        .map_err(db_error)?;
        self.count();
        let comments = sqlx::query(
            "UPDATE comments SET deleted_at = $2 WHERE author_id = $1 AND deleted_at IS NULL",
        )
        .bind(user.0)
        .bind(at)
        .execute(&mut *tx)
        .await
        .map_err(db_error)?
        .rows_affected();
        // The account's deletion below reaches every page (names change), so the
        // threads these comments were on need no entry of their own.
        self.anonymise_user(&mut tx, user, at).await?;
        self.commit(tx).await?;
        Ok((posts.len() as i64, comments as i64))
    }

    async fn user_activity(&self, users: &[UserId]) -> StoreResult<Vec<UserActivity>> {
        if users.is_empty() {
            return Ok(Vec::new());
        }
        self.count();
        let rows: Vec<(i64, Option<i64>, i64, i64, i64)> = bind_ids(
            sqlx::query_as(concat!(
                "SELECT u.id, \
                 (SELECT max(coalesce(s.last_seen_at, s.created_at)) FROM sessions s WHERE s.user_id = u.id), \
                 (SELECT count(*) FROM posts p WHERE p.author_id = u.id AND p.deleted_at IS NULL), \
                 (SELECT count(*) FROM flags f WHERE f.post_id IN (SELECT id FROM posts WHERE author_id = u.id) \
                    OR f.comment_id IN (SELECT id FROM comments WHERE author_id = u.id)), \
                 (SELECT count(*) FROM moderation_log m WHERE m.action = 'suspend' \
                    AND m.target_kind = 'user' AND m.target_id = u.id) \
                 FROM users u WHERE u.id IN (",
                id_list!(),
                ")"
            )),
            users.iter().map(|u| u.0).collect(),
        )
        .fetch_all(&self.readers)
        .await
        .map_err(db_error)?;
        Ok(rows
            .into_iter()
            .map(|(id, last_seen, posts, flags, suspensions)| UserActivity {
                user: UserId(id),
                last_seen,
                posts,
                flags,
                suspensions,
            })
            .collect())
    }

    async fn personal_data(&self, user: UserId) -> StoreResult<PersonalData> {
        // One snapshot, so the three lists agree.
        let mut tx = self.begin_snapshot().await?;
        self.count();
        type PostRow = (
            i64,
            String,
            Option<i64>,
            Option<String>,
            String,
            i64,
            Option<i64>,
        );
        let posts: Vec<PostRow> = sqlx::query_as(
            "SELECT p.id, p.kind, p.parent_id, p.title, b.body_markdown, p.created_at, p.deleted_at \
             FROM posts p JOIN post_bodies b ON b.post_id = p.id WHERE p.author_id = $1 ORDER BY p.id",
        )
        .bind(user.0)
        .fetch_all(&mut *tx)
        .await
        .map_err(db_error)?;
        self.count();
        let comments: Vec<(i64, i64, String, i64)> = sqlx::query_as(
            "SELECT id, post_id, body_markdown, created_at FROM comments \
             WHERE author_id = $1 AND deleted_at IS NULL ORDER BY id",
        )
        .bind(user.0)
        .fetch_all(&mut *tx)
        .await
        .map_err(db_error)?;
        self.count();
        let votes: Vec<(i64, i64, i64)> = sqlx::query_as(
            "SELECT post_id, value, created_at FROM votes WHERE user_id = $1 ORDER BY id",
        )
        .bind(user.0)
        .fetch_all(&mut *tx)
        .await
        .map_err(db_error)?;
        Ok(PersonalData {
            posts: posts
                .into_iter()
                .map(
                    |(id, kind, question_id, title, body_markdown, created_at, deleted_at)| {
                        PersonalPost {
                            id,
                            kind,
                            question_id,
                            title,
                            body_markdown,
                            created_at,
                            deleted_at,
                        }
                    },
                )
                .collect(),
            comments: comments
                .into_iter()
                .map(|(id, post_id, body_markdown, created_at)| PersonalComment {
                    id,
                    post_id,
                    body_markdown,
                    created_at,
                })
                .collect(),
            votes: votes
                .into_iter()
                .map(|(post_id, value, created_at)| PersonalVote {
                    post_id,
                    value,
                    created_at,
                })
                .collect(),
        })
    }

    async fn list_users(&self, page: u32) -> StoreResult<Page<User>> {
        self.count();
        let (total,): (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM users WHERE deleted_at IS NULL")
                .fetch_one(&self.readers)
                .await
                .map_err(db_error)?;
        self.count();
        let found = sqlx::query(concat!(
            "SELECT ",
            user_columns!(),
            " FROM users u WHERE u.deleted_at IS NULL ORDER BY u.id DESC LIMIT $1 OFFSET $2"
        ))
        .bind(i64::from(PER_PAGE))
        .bind(i64::from(page.max(1) - 1) * i64::from(PER_PAGE))
        .fetch_all(&self.readers)
        .await
        .map_err(db_error)?;
        users_page(&found, total, page)
    }

    async fn search_users(&self, query: &str, page: u32) -> StoreResult<Page<User>> {
        let id = query
            .trim()
            .trim_start_matches('#')
            .parse::<i64>()
            .unwrap_or(-1);
        let mut pattern = String::from("%");
        for c in query.trim().to_lowercase().chars() {
            if matches!(c, '%' | '_' | '\\') {
                pattern.push('\\');
            }
            pattern.push(c);
        }
        pattern.push('%');
        self.count();
        let (total,): (i64,) = sqlx::query_as(concat!(
            "SELECT COUNT(*) FROM users u WHERE ",
            user_search!()
        ))
        .bind(id)
        .bind(&pattern)
        .fetch_one(&self.readers)
        .await
        .map_err(db_error)?;
        self.count();
        let found = sqlx::query(concat!(
            "SELECT ",
            user_columns!(),
            " FROM users u WHERE ",
            user_search!(),
            " ORDER BY u.id DESC LIMIT $3 OFFSET $4"
        ))
        .bind(id)
        .bind(&pattern)
        .bind(i64::from(PER_PAGE))
        .bind(i64::from(page.max(1) - 1) * i64::from(PER_PAGE))
        .fetch_all(&self.readers)
        .await
        .map_err(db_error)?;
        users_page(&found, total, page)
    }

    async fn create_email_token(&self, token: NewEmailToken) -> StoreResult<()> {
        let mut tx = begin_write(&self.writer).await.map_err(db_error)?;
        self.insert_email_token(&mut tx, &token).await?;
        tx.commit().await.map_err(db_error)
    }

    async fn create_email_token_within(
        &self,
        token: NewEmailToken,
        allowance: ponder_core::mail_allowance::MailAllowance,
    ) -> StoreResult<Result<(), i64>> {
        let mut tx = begin_write(&self.writer).await.map_err(db_error)?;
        // The user's row, locked where the engine needs it, queues racing requests.
        self.count();
        let found: Option<(i64,)> = sqlx::query_as(concat!(
            "SELECT id FROM users WHERE id = $1 AND deleted_at IS NULL",
            for_update!()
        ))
        .bind(token.user.0)
        .fetch_optional(&mut *tx)
        .await
        .map_err(db_error)?;
        if found.is_none() {
            return Err(StoreError::not_found(format!("user {}", token.user)));
        }
        self.count();
        let (count, first_at, last_at): (i64, Option<i64>, Option<i64>) = sqlx::query_as(
            "SELECT COUNT(*), MIN(created_at), MAX(created_at) FROM email_tokens \
             WHERE user_id = $1 AND purpose = $2 AND created_at > $3",
        )
        .bind(token.user.0)
        .bind(token.purpose.as_str())
        .bind(token.created_at - ponder_core::mail_allowance::DAY)
        .fetch_one(&mut *tx)
        .await
        .map_err(db_error)?;
        let sent = ponder_core::mail_allowance::MailsSent {
            count: u32::try_from(count).unwrap_or(u32::MAX),
            first_at,
            last_at,
        };
        if let Err(wait) = allowance.check(sent, token.created_at) {
            return Ok(Err(wait));
        }
        self.insert_email_token(&mut tx, &token).await?;
        tx.commit().await.map_err(db_error)?;
        Ok(Ok(()))
    }

    async fn use_email_token(
        &self,
        token_hash: &str,
        purpose: TokenPurpose,
        now: i64,
    ) -> StoreResult<Option<(UserId, String)>> {
        self.count();
        // One statement marks it used and returns it, so two uses cannot both succeed.
        let found: Option<(i64, String)> = sqlx::query_as(
            "UPDATE email_tokens SET used_at = $3 WHERE token_hash = $1 AND purpose = $2 \
             AND used_at IS NULL AND expires_at > $3 RETURNING user_id, email",
        )
        .bind(token_hash)
        .bind(purpose.as_str())
        .bind(now)
        .fetch_optional(&self.writer)
        .await
        .map_err(db_error)?;
        Ok(found.map(|(user, email)| (UserId(user), email)))
    }

    async fn set_claim_email(&self, user: UserId, email: &str, at: i64) -> StoreResult<bool> {
        let mut tx = begin_write(&self.writer).await.map_err(db_error)?;
        self.count();
        let done = sqlx::query(
            "UPDATE users SET email = $2, email_verified_at = NULL WHERE id = $1 \
             AND imported_at IS NOT NULL AND claimed_at IS NULL AND deleted_at IS NULL",
        )
        .bind(user.0)
        .bind(email)
        .execute(&mut *tx)
        .await
        .map_err(db_error)?;
        if done.rows_affected() == 0 {
            return Ok(false);
        }
        self.count();
        sqlx::query(
            "UPDATE email_tokens SET used_at = $2 WHERE user_id = $1 AND purpose = $3 \
             AND used_at IS NULL AND lower(email) <> lower($4)",
        )
        .bind(user.0)
        .bind(at)
        .bind(TokenPurpose::ClaimAccount.as_str())
        .bind(email)
        .execute(&mut *tx)
        .await
        .map_err(db_error)?;
        tx.commit().await.map_err(db_error)?;
        Ok(true)
    }

    async fn claim_account(
        &self,
        user: UserId,
        hash: &str,
        email: &str,
        at: i64,
    ) -> StoreResult<bool> {
        let mut tx = begin_write(&self.writer).await.map_err(db_error)?;
        self.count();
        let done = sqlx::query(
            "UPDATE users SET password_hash = $2, email = $3, email_verified_at = $4, \
             claimed_at = $4 WHERE id = $1 AND imported_at IS NOT NULL \
             AND claimed_at IS NULL AND deleted_at IS NULL",
        )
        .bind(user.0)
        .bind(hash)
        .bind(email)
        .bind(at)
        .execute(&mut *tx)
        .await
        .map_err(db_error)?;
        if done.rows_affected() == 0 {
            return Ok(false);
        }
        self.end_links(&mut tx, user, TokenPurpose::ClaimAccount, at)
            .await?;
        // The profile stops saying the account waits for its owner.
        self.log_change_at(&mut tx, ChangeKind::UserUpdated, user.0, at)
            .await?;
        tx.commit().await.map_err(db_error)?;
        Ok(true)
    }

    async fn set_avatar(&self, user: UserId, avatar: Avatar) -> StoreResult<()> {
        self.count();
        sqlx::query(
            "INSERT INTO avatars (user_id, content_type, bytes, updated_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (user_id) DO UPDATE SET content_type = excluded.content_type, \
             bytes = excluded.bytes, updated_at = excluded.updated_at",
        )
        .bind(user.0)
        .bind(&avatar.content_type)
        .bind(&avatar.bytes)
        .bind(avatar.updated_at)
        .execute(&self.writer)
        .await
        .map_err(db_error)?;
        Ok(())
    }

    async fn avatar(&self, user: UserId) -> StoreResult<Option<Avatar>> {
        self.count();
        let found: Option<(String, Vec<u8>, i64)> = sqlx::query_as(
            "SELECT content_type, bytes, updated_at FROM avatars WHERE user_id = $1",
        )
        .bind(user.0)
        .fetch_optional(&self.readers)
        .await
        .map_err(db_error)?;
        Ok(found.map(|(content_type, bytes, updated_at)| Avatar {
            content_type,
            bytes,
            updated_at,
        }))
    }
}
