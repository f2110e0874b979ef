// Personal access tokens for the API, shared by both backends. Only a token's
// SHA-256 is stored; a token is found by it, and works while it is neither
// revoked nor expired and its member's account is not deleted.

use crate::{Backend, Cols, db_error};
use ponder_core::UserId;
use ponder_core::api_tokens::TokenScope;
use ponder_store::rows::RowAccess;
use ponder_store::rows::USER_COLUMNS;
use ponder_store::user_columns;
use ponder_store::{ApiToken, NewApiToken, StoreError, StoreResult, TokenGrant};

/// The columns of a token (7), from `api_tokens` aliased `t`.
macro_rules! token_columns {
    () => {
        "t.id, t.user_id, t.name, t.scope, t.created_at, t.expires_at, t.last_used_at"
    };
}

/// Reads a token from [`token_columns`], starting at column `at`.
fn token(row: &impl RowAccess, at: usize) -> StoreResult<ApiToken> {
    let scope = row.text(at + 3)?;
    Ok(ApiToken {
        id: row.int(at)?,
        user: UserId(row.int(at + 1)?),
        name: row.text(at + 2)?,
        scope: TokenScope::parse(&scope)
            .ok_or_else(|| StoreError::Database(format!("unknown token scope {scope:?}").into()))?,
        created_at: row.int(at + 4)?,
        expires_at: row.int(at + 5)?,
        last_used_at: row.opt_int(at + 6)?,
    })
}

#[async_trait::async_trait]
impl ponder_store::TokenStore for Backend {
    async fn create_api_token(&self, new: NewApiToken) -> StoreResult<ApiToken> {
        self.count();
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO api_tokens (user_id, token_hash, name, scope, created_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(new.user.0)
        .bind(&new.token_hash)
        .bind(&new.name)
        .bind(new.scope.as_str())
        .bind(new.created_at)
        .bind(new.expires_at)
        .fetch_one(&self.writer)
        .await
        .map_err(db_error)?;
        Ok(ApiToken {
            id,
            user: new.user,
            name: new.name,
            scope: new.scope,
            created_at: new.created_at,
            expires_at: new.expires_at,
            last_used_at: None,
        })
    }

    async fn api_tokens(&self, user: UserId) -> StoreResult<Vec<ApiToken>> {
        self.count();
        let rows = sqlx::query(concat!(
            "SELECT ",
            token_columns!(),
            " FROM api_tokens t WHERE t.user_id = $1 AND t.revoked_at IS NULL \
             ORDER BY t.created_at DESC, t.id DESC LIMIT 100"
        ))
        .bind(user.0)
        .fetch_all(&self.readers)
        .await
        .map_err(db_error)?;
        rows.iter().map(|r| token(&Cols(r), 0)).collect()
    }

    async fn revoke_api_token(&self, user: UserId, id: i64, at: i64) -> StoreResult<bool> {
        self.count();
        let done = sqlx::query(
            "UPDATE api_tokens SET revoked_at = $3 \
             WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL",
        )
        .bind(id)
        .bind(user.0)
        .bind(at)
        .execute(&self.writer)
        .await
        .map_err(db_error)?;
        Ok(done.rows_affected() == 1)
    }

    async fn api_token(&self, token_hash: &str, now: i64) -> StoreResult<Option<TokenGrant>> {
        self.count();
        let row = sqlx::query(concat!(
            "SELECT ",
            user_columns!(),
            ", ",
            token_columns!(),
            ", (SELECT COUNT(*) FROM (SELECT 1 FROM notifications n \
               WHERE n.user_id = u.id AND n.read_at IS NULL LIMIT 100) AS unread) \
             FROM api_tokens t JOIN users u ON u.id = t.user_id \
             WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND t.expires_at > $2 \
             AND u.deleted_at IS NULL"
        ))
        .bind(token_hash)
        .bind(now)
        .fetch_optional(&self.readers)
        .await
        .map_err(db_error)?;
        row.map(|r| {
            let row = Cols(&r);
            Ok(TokenGrant {
                token: token(&row, USER_COLUMNS)?,
                user: ponder_store::rows::user(&row)?,
                unread: row.int(USER_COLUMNS + 7)?,
            })
        })
        .transpose()
    }

    async fn touch_api_token(&self, id: i64, at: i64) -> StoreResult<()> {
        self.count();
        sqlx::query("UPDATE api_tokens SET last_used_at = $2 WHERE id = $1")
            .bind(id)
            .bind(at)
            .execute(&self.writer)
            .await
            .map_err(db_error)?;
        Ok(())
    }
}
