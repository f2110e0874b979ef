// The record of uploaded images, shared by both backends.

use crate::{Backend, db_error};
use ponder_core::UserId;
use ponder_core::time::Timestamp;
use ponder_store::StoreResult;

#[async_trait::async_trait]
impl ponder_store::UploadStore for Backend {
    async fn record_upload(
        &self,
        name: &str,
        owner: UserId,
        bytes: i64,
        content_type: &str,
        at: Timestamp,
    ) -> StoreResult<bool> {
        self.count();
        let done = sqlx::query(
            "INSERT INTO uploads (name, owner_id, bytes, content_type, created_at) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (name, owner_id) DO NOTHING",
        )
        .bind(name)
        .bind(owner.0)
        .bind(bytes)
        .bind(content_type)
        .bind(at)
        .execute(&self.writer)
        .await
        .map_err(db_error)?;
        Ok(done.rows_affected() == 1)
    }

    async fn uploaded_bytes(&self, owner: UserId) -> StoreResult<i64> {
        self.count();
        let (total,): (Option<i64>,) =
            sqlx::query_as("SELECT CAST(SUM(bytes) AS BIGINT) FROM uploads WHERE owner_id = $1")
                .bind(owner.0)
                .fetch_one(&self.readers)
                .await
                .map_err(db_error)?;
        Ok(total.unwrap_or(0))
    }

    async fn upload_type(&self, name: &str) -> StoreResult<Option<String>> {
        self.count();
        let found: Option<(String,)> =
            sqlx::query_as("SELECT content_type FROM uploads WHERE name = $1 LIMIT 1")
                .bind(name)
                .fetch_optional(&self.readers)
                .await
                .map_err(db_error)?;
        Ok(found.map(|(t,)| t))
    }
}
