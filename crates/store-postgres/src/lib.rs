//! Ponder's [`Store`] on PostgreSQL, for a site that outgrows one machine: many
//! stateless `ponder serve` nodes share one database.
//!
//! Writes that read before they write lock the row they read (`FOR UPDATE`), so
//! concurrent votes on one post queue instead of losing updates. The change log
//! records each writing transaction's id, and followers read only changes whose
//! transaction is older than every transaction still running: ids from a sequence
//! become visible in commit order, not id order, and this way a late commit with a
//! lower id is never skipped.
//!
//! - [`migrations`]: the embedded schema and the runner that applies it.
//! - [`queries`]: the reads.
//! - [`writes`]: the write transactions.
//! - [`accounts`]: log-in records, sessions, profiles, mailed tokens and avatars.

mod accounts;
mod migrations;
mod queries;
mod writes;

use async_trait::async_trait;
use ponder_store::rows::RowAccess;
use ponder_store::{StoreError, StoreResult};
use sqlx::Row as _;
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions, PgRow};
use std::str::FromStr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// The PostgreSQL store.
pub struct PgStore {
    pool: PgPool,
    queries: Arc<AtomicU64>,
}

impl PgStore {
    /// Connects to the database at `url` (`postgres://...`) and brings its schema up
    /// to date. `max_connections` bounds this node's share of the server.
    pub async fn connect(url: &str, max_connections: u32) -> StoreResult<Self> {
        let options = PgConnectOptions::from_str(url).map_err(db_error)?;
        let pool = PgPoolOptions::new()
            .max_connections(max_connections.max(1))
            .acquire_timeout(Duration::from_secs(10))
            .connect_with(options)
            .await
            .map_err(db_error)?;
        migrations::run(&pool).await?;
        Ok(Self {
            pool,
            queries: Arc::new(AtomicU64::new(0)),
        })
    }

    /// Counts one statement about to run (see [`Store::queries_executed`]).
    fn count(&self) {
        self.queries.fetch_add(1, Ordering::Relaxed);
    }

    /// Closes the pool's connections (tests do, before dropping their database).
    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// Maps a sqlx error onto the store's error, turning unique violations into
/// [`StoreError::Conflict`] with the constraint's name.
pub(crate) fn db_error(err: sqlx::Error) -> StoreError {
    if let sqlx::Error::Database(db) = &err
        && db.is_unique_violation()
    {
        let constraint = db.constraint().unwrap_or("unknown").to_owned();
        return StoreError::Conflict { constraint };
    }
    StoreError::Database(Box::new(err))
}

/// Positional access to PostgreSQL rows for the shared row mapping.
pub(crate) struct Cols<'a>(pub &'a PgRow);

impl RowAccess for Cols<'_> {
    fn int(&self, idx: usize) -> StoreResult<i64> {
        self.0.try_get(idx).map_err(db_error)
    }
    fn opt_int(&self, idx: usize) -> StoreResult<Option<i64>> {
        self.0.try_get(idx).map_err(db_error)
    }
    fn text(&self, idx: usize) -> StoreResult<String> {
        self.0.try_get(idx).map_err(db_error)
    }
    fn opt_text(&self, idx: usize) -> StoreResult<Option<String>> {
        self.0.try_get(idx).map_err(db_error)
    }
}

#[async_trait]
impl ponder_store::Store for PgStore {
    fn backend(&self) -> &'static str {
        "postgres"
    }

    fn queries_executed(&self) -> u64 {
        self.queries.load(Ordering::Relaxed)
    }

    async fn ping(&self) -> StoreResult<()> {
        self.count();
        sqlx::query("SELECT 1")
            .execute(&self.pool)
            .await
            .map_err(db_error)?;
        Ok(())
    }

    async fn is_empty(&self) -> StoreResult<bool> {
        self.is_empty_impl().await
    }

    async fn create_user(&self, new: ponder_store::NewUser) -> StoreResult<ponder_store::User> {
        self.create_user_impl(new).await
    }

    async fn user(&self, id: ponder_core::UserId) -> StoreResult<Option<ponder_store::User>> {
        self.user_impl(id).await
    }

    async fn create_category(
        &self,
        new: ponder_store::NewCategory,
    ) -> StoreResult<ponder_store::Category> {
        self.create_category_impl(new).await
    }

    async fn categories(&self) -> StoreResult<Vec<ponder_store::Category>> {
        self.categories_impl().await
    }

    async fn create_question(
        &self,
        new: ponder_store::NewQuestion,
    ) -> StoreResult<ponder_core::PostId> {
        self.create_question_impl(new).await
    }

    async fn create_answer(
        &self,
        new: ponder_store::NewAnswer,
    ) -> StoreResult<ponder_core::PostId> {
        self.create_answer_impl(new).await
    }

    async fn create_comment(
        &self,
        new: ponder_store::NewComment,
    ) -> StoreResult<ponder_core::CommentId> {
        self.create_comment_impl(new).await
    }

    async fn cast_vote(&self, vote: ponder_store::NewVote) -> StoreResult<()> {
        self.cast_vote_impl(vote).await
    }

    async fn accept_answer(
        &self,
        question: ponder_core::PostId,
        answer: Option<ponder_core::PostId>,
    ) -> StoreResult<()> {
        self.accept_answer_impl(question, answer).await
    }

    async fn list_questions(
        &self,
        query: &ponder_store::QuestionQuery,
    ) -> StoreResult<ponder_store::Page<ponder_store::QuestionSummary>> {
        self.list_questions_impl(query).await
    }

    async fn question_thread(
        &self,
        id: ponder_core::PostId,
    ) -> StoreResult<Option<ponder_store::QuestionThread>> {
        self.question_thread_impl(id).await
    }

    async fn question_of(
        &self,
        post: ponder_core::PostId,
    ) -> StoreResult<Option<ponder_core::PostId>> {
        self.question_of_impl(post).await
    }

    async fn tag(&self, name: &str) -> StoreResult<Option<ponder_store::Tag>> {
        self.tag_impl(name).await
    }

    async fn user_answers(
        &self,
        user: ponder_core::UserId,
        page: u32,
    ) -> StoreResult<ponder_store::Page<ponder_store::AnswerSummary>> {
        self.user_answers_impl(user, page).await
    }

    async fn changes_since(
        &self,
        after: i64,
        limit: u32,
    ) -> StoreResult<Vec<ponder_store::Change>> {
        self.changes_since_impl(after, limit).await
    }

    async fn category_question_count(&self, category: ponder_core::CategoryId) -> StoreResult<i64> {
        self.category_question_count_impl(category).await
    }

    async fn login_record(&self, login: &str) -> StoreResult<Option<ponder_store::LoginRecord>> {
        self.login_record_impl(login).await
    }

    async fn login_record_by_id(
        &self,
        user: ponder_core::UserId,
    ) -> StoreResult<Option<ponder_store::LoginRecord>> {
        self.login_record_by_id_impl(user).await
    }

    async fn create_session(&self, new: ponder_store::NewSession) -> StoreResult<()> {
        self.create_session_impl(new).await
    }

    async fn session(
        &self,
        id_hash: &str,
        now: i64,
    ) -> StoreResult<Option<ponder_store::SessionInfo>> {
        self.session_impl(id_hash, now).await
    }

    async fn delete_session(&self, id_hash: &str) -> StoreResult<()> {
        self.delete_session_impl(id_hash).await
    }

    async fn delete_user_sessions(
        &self,
        user: ponder_core::UserId,
        keep: Option<&str>,
    ) -> StoreResult<u64> {
        self.delete_user_sessions_impl(user, keep).await
    }

    async fn delete_expired_sessions(&self, now: i64) -> StoreResult<u64> {
        self.delete_expired_sessions_impl(now).await
    }

    async fn update_profile(
        &self,
        user: ponder_core::UserId,
        edit: ponder_store::ProfileEdit,
    ) -> StoreResult<()> {
        self.update_profile_impl(user, edit).await
    }

    async fn set_password_hash(&self, user: ponder_core::UserId, hash: &str) -> StoreResult<()> {
        self.set_password_hash_impl(user, hash).await
    }

    async fn set_role(
        &self,
        user: ponder_core::UserId,
        role: ponder_store::Role,
    ) -> StoreResult<()> {
        self.set_role_impl(user, role).await
    }

    async fn delete_user(&self, user: ponder_core::UserId, at: i64) -> StoreResult<()> {
        self.delete_user_impl(user, at).await
    }

    async fn list_users(&self, page: u32) -> StoreResult<ponder_store::Page<ponder_store::User>> {
        self.list_users_impl(page).await
    }

    async fn set_email_verified(&self, user: ponder_core::UserId, at: i64) -> StoreResult<()> {
        self.set_email_verified_impl(user, at).await
    }

    async fn create_email_token(&self, token: ponder_store::NewEmailToken) -> StoreResult<()> {
        self.create_email_token_impl(token).await
    }

    async fn use_email_token(
        &self,
        token_hash: &str,
        purpose: ponder_store::TokenPurpose,
        now: i64,
    ) -> StoreResult<Option<(ponder_core::UserId, String)>> {
        self.use_email_token_impl(token_hash, purpose, now).await
    }

    async fn set_avatar(
        &self,
        user: ponder_core::UserId,
        avatar: ponder_store::Avatar,
    ) -> StoreResult<()> {
        self.set_avatar_impl(user, avatar).await
    }

    async fn avatar(&self, user: ponder_core::UserId) -> StoreResult<Option<ponder_store::Avatar>> {
        self.avatar_impl(user).await
    }
}
