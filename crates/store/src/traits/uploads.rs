//! [`UploadStore`]: the record of images members uploaded, for quotas and serving.

use crate::*;
use async_trait::async_trait;
use ponder_core::UserId;
use ponder_core::time::Timestamp;

/// Uploaded images.
#[async_trait]
pub trait UploadStore: Send + Sync {
    /// Records that `owner` uploaded the image stored as `name` (`bytes` long, of
    /// `content_type`) at `at`; nothing new if they had uploaded it before. Whether
    /// it was new to them.
    async fn record_upload(
        &self,
        name: &str,
        owner: UserId,
        bytes: i64,
        content_type: &str,
        at: Timestamp,
    ) -> StoreResult<bool>;

    /// The bytes `owner` has uploaded in all.
    async fn uploaded_bytes(&self, owner: UserId) -> StoreResult<i64>;

    /// The media type of the upload stored as `name`, if anyone uploaded it.
    async fn upload_type(&self, name: &str) -> StoreResult<Option<String>>;
}
