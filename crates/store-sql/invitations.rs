// Invitation links, shared by both backends. They are used up in
// `finish_signup` (signups.rs), in the transaction that makes the account.

use crate::{Backend, db_error};
use ponder_core::UserId;
use ponder_store::{Invitation, NewInvitation, StoreResult};

/// The columns of an invitation, its maker's handle last.
macro_rules! invitation_columns {
    () => {
        "i.id, i.created_by, i.created_at, i.expires_at, i.max_uses, i.uses, i.note, \
         i.revoked_at, u.handle FROM invitations i JOIN users u ON u.id = i.created_by"
    };
}

/// An invitation's row.
type InvitationRow = (i64, i64, i64, i64, i64, i64, String, Option<i64>, String);

/// The invitation of a row.
fn invitation(
    (id, by, created, expires, max_uses, uses, note, revoked, handle): InvitationRow,
) -> Invitation {
    Invitation {
        id,
        created_by: UserId(by),
        created_by_handle: handle,
        created_at: created,
        expires_at: expires,
        max_uses,
        uses,
        note,
        revoked_at: revoked,
    }
}

#[async_trait::async_trait]
impl ponder_store::InvitationStore for Backend {
    async fn create_invitation(&self, new: NewInvitation) -> StoreResult<Invitation> {
        self.count();
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO invitations (token_hash, created_by, created_at, expires_at, max_uses, note) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(&new.token_hash)
        .bind(new.created_by.0)
        .bind(new.created_at)
        .bind(new.expires_at)
        .bind(new.max_uses)
        .bind(&new.note)
        .fetch_one(&self.writer)
        .await
        .map_err(db_error)?;
        self.invitation_by_id(id)
            .await?
            .ok_or_else(|| ponder_store::StoreError::NotFound {
                what: format!("invitation {id}"),
            })
    }

    async fn invitation(&self, token_hash: &str) -> StoreResult<Option<Invitation>> {
        self.count();
        let row: Option<InvitationRow> = sqlx::query_as(concat!(
            "SELECT ",
            invitation_columns!(),
            " WHERE i.token_hash = $1"
        ))
        .bind(token_hash)
        .fetch_optional(&self.writer)
        .await
        .map_err(db_error)?;
        Ok(row.map(invitation))
    }

    async fn invitation_by_id(&self, id: i64) -> StoreResult<Option<Invitation>> {
        self.count();
        let row: Option<InvitationRow> = sqlx::query_as(concat!(
            "SELECT ",
            invitation_columns!(),
            " WHERE i.id = $1"
        ))
        .bind(id)
        .fetch_optional(&self.writer)
        .await
        .map_err(db_error)?;
        Ok(row.map(invitation))
    }

    async fn invitations(&self, by: Option<UserId>, limit: u32) -> StoreResult<Vec<Invitation>> {
        self.count();
        let rows: Vec<InvitationRow> = sqlx::query_as(concat!(
            "SELECT ",
            invitation_columns!(),
            " WHERE ($1 = 0 OR i.created_by = $1) ORDER BY i.id DESC LIMIT $2"
        ))
        .bind(by.map_or(0, |u| u.0))
        .bind(i64::from(limit))
        .fetch_all(&self.readers)
        .await
        .map_err(db_error)?;
        Ok(rows.into_iter().map(invitation).collect())
    }

    async fn revoke_invitation(&self, id: i64, at: i64) -> StoreResult<bool> {
        self.count();
        let done = sqlx::query(
            "UPDATE invitations SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL",
        )
        .bind(id)
        .bind(at)
        .execute(&self.writer)
        .await
        .map_err(db_error)?;
        Ok(done.rows_affected() > 0)
    }
}
