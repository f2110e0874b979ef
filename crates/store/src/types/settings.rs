//! Site settings as the database keeps them: text values by key, checked by
//! `ponder_core::settings` before they are written.

use ponder_core::UserId;
use ponder_core::time::Timestamp;

/// A stored site setting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredSetting {
    /// Its key, e.g. `site.name`.
    pub key: String,
    /// Its value, in the spelling `ponder_core::settings::Setting::check` gives.
    pub value: String,
    /// When it was last set.
    pub updated_at: Timestamp,
    /// Who set it last (`None` once that account is gone, or when set from the CLI).
    pub updated_by: Option<UserId>,
}

/// One change to the stored settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SettingChange {
    /// The setting's key.
    pub key: String,
    /// Its new value, or `None` to remove the stored one (the default is in force
    /// again).
    pub value: Option<String>,
}
