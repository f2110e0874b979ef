//! [`SettingsStore`]: the site settings administrators set, and the count of
//! members that ends launch mode.

use crate::*;
use async_trait::async_trait;
use ponder_core::UserId;
use ponder_core::time::Timestamp;

/// The site settings administrators set.
#[async_trait]
pub trait SettingsStore: Send + Sync {
    /// Every stored setting, by key.
    async fn site_settings(&self) -> StoreResult<Vec<StoredSetting>>;

    /// Applies `changes` (values already checked), writes each to the moderation
    /// log as done by `by` (none from the CLI, which logs nothing there), and
    /// appends one settings change to the change log: one transaction, so every
    /// node sees all of them or none. Changes that leave a value as it was are
    /// skipped; answers the keys that changed.
    async fn change_site_settings(
        &self,
        changes: &[SettingChange],
        by: Option<UserId>,
        at: Timestamp,
    ) -> StoreResult<Vec<String>>;

    /// How many members the site has (accounts not deleted).
    async fn member_count(&self) -> StoreResult<i64>;
}
