// Sign-ups waiting for their mailed link, shared by both backends. The account is
// made only when the link is opened (`finish_signup_impl`), in the transaction that
// removes the sign-up, so one link makes one account at most.

use crate::{Backend, db_error};
use ponder_core::mail_allowance::{DAY, MailAllowance, MailsSent};
use ponder_store::{
    NewSignup, NewUser, PendingSignup, PostBody, Role, StoreError, StoreResult, User,
};

/// How many administrators (not deleted) the site has.
const ADMINISTRATORS: &str =
    "SELECT count(*) FROM users WHERE role = 'admin' AND deleted_at IS NULL";

#[async_trait::async_trait]
impl ponder_store::SignupStore for Backend {
    async fn create_signup_within(
        &self,
        signup: NewSignup,
        allowance: MailAllowance,
    ) -> StoreResult<Result<(), i64>> {
        let mut tx = self.begin().await?;
        // Racing sign-ups for one address queue here (PostgreSQL; SQLite's single
        // writer serialises them anyway), so they cannot both pass the allowance.
        self.count();
        sqlx::query(lock_text!())
            .bind(signup.email.to_lowercase())
            .execute(&mut *tx)
            .await
            .map_err(db_error)?;
        self.count();
        sqlx::query("DELETE FROM signups WHERE expires_at <= $1")
            .bind(signup.created_at)
            .execute(&mut *tx)
            .await
            .map_err(db_error)?;
        self.count();
        let (count, first_at, last_at): (i64, Option<i64>, Option<i64>) = sqlx::query_as(
            "SELECT COUNT(*), MIN(created_at), MAX(created_at) FROM signups \
             WHERE lower(email) = $1 AND created_at > $2",
        )
        .bind(signup.email.to_lowercase())
        .bind(signup.created_at - DAY)
        .fetch_one(&mut *tx)
        .await
        .map_err(db_error)?;
        let sent = MailsSent {
            count: u32::try_from(count).unwrap_or(u32::MAX),
            first_at,
            last_at,
        };
        if let Err(wait) = allowance.check(sent, signup.created_at) {
            return Ok(Err(wait));
        }
        self.count();
        sqlx::query(
            "INSERT INTO signups (token_hash, handle, email, password_hash, next_path, \
             created_at, expires_at, invitation_hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(&signup.token_hash)
        .bind(&signup.handle)
        .bind(&signup.email)
        .bind(&signup.password_hash)
        .bind(&signup.next_path)
        .bind(signup.created_at)
        .bind(signup.expires_at)
        .bind(&signup.invitation_hash)
        .execute(&mut *tx)
        .await
        .map_err(db_error)?;
        self.commit(tx).await?;
        Ok(Ok(()))
    }

    async fn pending_signup(
        &self,
        token_hash: &str,
        now: i64,
    ) -> StoreResult<Option<PendingSignup>> {
        self.count();
        let found: Option<(String, String, String, bool)> = sqlx::query_as(
            "SELECT handle, email, next_path, invitation_hash IS NOT NULL FROM signups \
             WHERE token_hash = $1 AND expires_at > $2",
        )
        .bind(token_hash)
        .bind(now)
        .fetch_optional(&self.writer)
        .await
        .map_err(db_error)?;
        Ok(
            found.map(|(handle, email, next_path, invited)| PendingSignup {
                handle,
                email,
                next_path,
                invited,
            }),
        )
    }

    async fn finish_signup(
        &self,
        token_hash: &str,
        handle: &str,
        now: i64,
    ) -> StoreResult<Option<User>> {
        let mut tx = self.begin().await?;
        self.count();
        // Removing it first claims it: a second opening of the link finds nothing,
        // or (PostgreSQL) waits for this transaction and then finds nothing.
        let found: Option<(String, String, Option<String>)> = sqlx::query_as(
            "DELETE FROM signups WHERE token_hash = $1 AND expires_at > $2 \
             RETURNING email, password_hash, invitation_hash",
        )
        .bind(token_hash)
        .bind(now)
        .fetch_optional(&mut *tx)
        .await
        .map_err(db_error)?;
        let Some((email, password_hash, invitation)) = found else {
            return Ok(None);
        };
        if let Some(invitation) = invitation {
            // Used up here, in the transaction that makes the account, so racing
            // sign-ups cannot take more than it allows; refused, nothing changes.
            self.count();
            let used = sqlx::query(
                "UPDATE invitations SET uses = uses + 1 WHERE token_hash = $1 \
                 AND uses < max_uses AND expires_at > $2 AND revoked_at IS NULL",
            )
            .bind(&invitation)
            .bind(now)
            .execute(&mut *tx)
            .await
            .map_err(db_error)?;
            if used.rows_affected() == 0 {
                return Err(StoreError::Refused(
                    ponder_core::refusal::Refusal::InvitationNotValid,
                ));
            }
        }
        let new = NewUser {
            handle: handle.to_owned(),
            display_name: handle.to_owned(),
            email: Some(email),
            password_hash: Some(password_hash),
            role: Role::User,
            about: PostBody::from_markdown(""),
            created_at: now,
        };
        let user = self.insert_user(&mut tx, new).await?;
        self.count();
        sqlx::query("UPDATE users SET email_verified_at = $2 WHERE id = $1")
            .bind(user.id.0)
            .bind(now)
            .execute(&mut *tx)
            .await
            .map_err(db_error)?;
        self.commit(tx).await?;
        Ok(Some(user))
    }

    async fn has_administrator(&self) -> StoreResult<bool> {
        self.count();
        let (admins,): (i64,) = sqlx::query_as(ADMINISTRATORS)
            .fetch_one(&self.writer)
            .await
            .map_err(db_error)?;
        Ok(admins > 0)
    }

    async fn create_setup_token(&self, token_hash: &str, at: i64) -> StoreResult<()> {
        self.count();
        sqlx::query("INSERT INTO setup_tokens (token_hash, created_at) VALUES ($1, $2)")
            .bind(token_hash)
            .bind(at)
            .execute(&self.writer)
            .await
            .map_err(db_error)?;
        Ok(())
    }

    async fn setup_token_works(&self, token_hash: &str) -> StoreResult<bool> {
        self.count();
        let (found,): (i64,) =
            sqlx::query_as("SELECT count(*) FROM setup_tokens WHERE token_hash = $1")
                .bind(token_hash)
                .fetch_one(&self.writer)
                .await
                .map_err(db_error)?;
        Ok(found > 0 && !self.has_administrator().await?)
    }

    async fn claim_setup(
        &self,
        token_hash: &str,
        admin: NewUser,
        at: i64,
    ) -> StoreResult<Option<User>> {
        let mut tx = self.begin().await?;
        // Racing claims queue here (PostgreSQL; SQLite's one writer serialises
        // them anyway), so the second sees the first's administrator.
        self.count();
        sqlx::query(lock_text!())
            .bind("ponder setup")
            .execute(&mut *tx)
            .await
            .map_err(db_error)?;
        self.count();
        let (admins,): (i64,) = sqlx::query_as(ADMINISTRATORS)
            .fetch_one(&mut *tx)
            .await
            .map_err(db_error)?;
        self.count();
        let (found,): (i64,) =
            sqlx::query_as("SELECT count(*) FROM setup_tokens WHERE token_hash = $1")
                .bind(token_hash)
                .fetch_one(&mut *tx)
                .await
                .map_err(db_error)?;
        if admins > 0 || found == 0 {
            return Ok(None);
        }
        let user = self
            .insert_user(
                &mut tx,
                NewUser {
                    role: Role::Admin,
                    ..admin
                },
            )
            .await?;
        self.count();
        sqlx::query("UPDATE users SET email_verified_at = $2 WHERE id = $1")
            .bind(user.id.0)
            .bind(at)
            .execute(&mut *tx)
            .await
            .map_err(db_error)?;
        self.count();
        sqlx::query("DELETE FROM setup_tokens")
            .execute(&mut *tx)
            .await
            .map_err(db_error)?;
        self.commit(tx).await?;
        Ok(Some(user))
    }
}
