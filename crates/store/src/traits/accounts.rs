//! [`AccountStore`]: accounts: log-in records, sessions, profiles, roles, passwords, deletion, mailed tokens and avatars.

use crate::*;
use async_trait::async_trait;
use ponder_core::UserId;
use ponder_core::time::Timestamp;

/// Accounts: log-in records, sessions, profiles, roles, passwords, deletion, mailed tokens and avatars.
#[async_trait]
pub trait AccountStore: Send + Sync {
    /// The account a log-in names: by handle or by email, without regard to case.
    /// Deleted accounts are not found.
    async fn login_record(&self, login: &str) -> StoreResult<Option<LoginRecord>>;

    /// The same record by user id (deleted accounts are not found).
    async fn login_record_by_id(&self, user: UserId) -> StoreResult<Option<LoginRecord>>;

    /// Stores a new session.
    async fn create_session(&self, new: NewSession) -> StoreResult<()>;

    /// The session with this id hash and its user, if it exists, has not expired at
    /// `now`, and its user is not deleted.
    async fn session(&self, id_hash: &str, now: Timestamp) -> StoreResult<Option<SessionInfo>>;

    /// Ends one session.
    async fn delete_session(&self, id_hash: &str) -> StoreResult<()>;

    /// The unexpired sessions of `user` at `now`, most recently used first.
    async fn user_sessions(&self, user: UserId, now: Timestamp)
    -> StoreResult<Vec<SessionSummary>>;

    /// Records that a session was used at `at`.
    async fn touch_session(&self, id_hash: &str, at: Timestamp) -> StoreResult<()>;

    /// Ends the session `id_hash` if it is one of `user`'s; whether it was.
    async fn end_user_session(&self, user: UserId, id_hash: &str) -> StoreResult<bool>;

    /// Ends every session of `user` except `keep` (the current one, after a password
    /// change); returns how many ended.
    async fn delete_user_sessions(&self, user: UserId, keep: Option<&str>) -> StoreResult<u64>;

    /// Removes sessions that expired before `now`; returns how many.
    async fn delete_expired_sessions(&self, now: Timestamp) -> StoreResult<u64>;

    /// Counts one attempt under the limit `scope` by `key` in the window starting
    /// at `window_start`, for every node at once; the attempts counted in that
    /// window so far, this one included.
    async fn count_attempt(
        &self,
        scope: &str,
        key: &str,
        window_start: Timestamp,
    ) -> StoreResult<i64>;

    /// Forgets the attempts counted in windows that started before `before`;
    /// how many windows were forgotten.
    async fn forget_attempts(&self, before: Timestamp) -> StoreResult<u64>;

    /// Changes a user's display name and about text.
    async fn update_profile(&self, user: UserId, edit: ProfileEdit) -> StoreResult<()>;

    /// Replaces a user's password hash (the same password hashed anew, say).
    async fn set_password_hash(&self, user: UserId, hash: &str) -> StoreResult<()>;

    /// Sets a password the user chose (by a reset link or in settings): replaces
    /// the hash and ends every unused reset link of the user, in one transaction,
    /// so that no link mailed before the change still works.
    async fn change_password(&self, user: UserId, hash: &str, at: Timestamp) -> StoreResult<()>;

    /// Changes a user's role.
    async fn set_role(&self, user: UserId, role: Role) -> StoreResult<()>;

    /// Deletes an account the way Stack Exchange does: what they wrote stays, shown
    /// under a placeholder; their handle, email, password, about text, avatar and
    /// sessions go.
    async fn delete_user(&self, user: UserId, at: Timestamp) -> StoreResult<()>;

    /// Deletes an account with what it wrote, as for a spammer: each of its posts
    /// not yet deleted is deleted as by `moderator` (so that it cannot be undone
    /// by its author), its comments are deleted, and the account is anonymised as
    /// [`AccountStore::delete_user`] does: one transaction. Answers how many
    /// posts and comments went.
    async fn delete_user_with_content(
        &self,
        user: UserId,
        moderator: UserId,
        at: Timestamp,
    ) -> StoreResult<(i64, i64)>;

    /// For each of `users` (at most a page of them): when they last used the
    /// site, their posts, the flags raised on what they wrote, and their
    /// suspensions. One statement, whatever the number.
    async fn user_activity(&self, users: &[UserId]) -> StoreResult<Vec<UserActivity>>;

    /// Everything `user` wrote and voted, for their own download.
    async fn personal_data(&self, user: UserId) -> StoreResult<PersonalData>;

    /// A page of users, newest first, for administrators.
    async fn list_users(&self, page: u32) -> StoreResult<Page<User>>;

    /// A page of the users (not deleted) whose handle, name or email contains
    /// `query` (without regard to case), or whose id it is, newest first.
    async fn search_users(&self, query: &str, page: u32) -> StoreResult<Page<User>>;

    /// Marks a user's email as verified.
    async fn set_email_verified(&self, user: UserId, at: Timestamp) -> StoreResult<()>;

    /// Stores a single-use token if the user's `allowance` for its purpose has room
    /// at its `created_at` (counting the tokens of that purpose made in the day
    /// before); otherwise stores nothing and answers the seconds until it has.
    /// Checking and storing are one transaction, so racing requests cannot both
    /// pass the check.
    async fn create_email_token_within(
        &self,
        token: NewEmailToken,
        allowance: ponder_core::mail_allowance::MailAllowance,
    ) -> StoreResult<Result<(), i64>>;

    /// Stores a single-use token.
    async fn create_email_token(&self, token: NewEmailToken) -> StoreResult<()>;

    /// Uses up the token with this hash and purpose if it is unused and not expired
    /// at `now`, returning its user and the address it was sent to. A token works once.
    async fn use_email_token(
        &self,
        token_hash: &str,
        purpose: TokenPurpose,
        now: Timestamp,
    ) -> StoreResult<Option<(UserId, String)>>;

    /// Gives unclaimed imported account `user` the address its owner can claim it
    /// by (not verified: the claim link proves it), at `at`; claim links mailed
    /// to any other address stop working (one sent to a mistyped address cannot
    /// claim it). Whether the account is imported and unclaimed. An address
    /// another account uses is a conflict.
    async fn set_claim_email(&self, user: UserId, email: &str, at: Timestamp) -> StoreResult<bool>;

    /// Hands unclaimed imported account `user` to its owner at `at`: its first
    /// password (argon2id `hash`) and `email`, verified by the claim link that
    /// brought them; whether it was unclaimed (a second claim changes nothing).
    /// Its other claim links stop working.
    async fn claim_account(
        &self,
        user: UserId,
        hash: &str,
        email: &str,
        at: Timestamp,
    ) -> StoreResult<bool>;

    /// Stores (or replaces) a user's uploaded avatar.
    async fn set_avatar(&self, user: UserId, avatar: Avatar) -> StoreResult<()>;

    /// A user's uploaded avatar, if any.
    async fn avatar(&self, user: UserId) -> StoreResult<Option<Avatar>>;
}
