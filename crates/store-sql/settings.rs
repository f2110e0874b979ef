// Site settings, shared by both backends: read whole, changed in one transaction
// with their moderation-log entries and one change-log entry, so that every node
// reloads them when it reads that entry.

use crate::{Backend, db_error};
use ponder_core::UserId;
use ponder_core::changes::ChangeKind;
use ponder_core::time::Timestamp;
use ponder_store::{SettingChange, StoreResult, StoredSetting};

/// How much of a value the moderation log quotes.
const QUOTED: usize = 80;

/// `value` as the moderation log quotes it: on one line, cut at [`QUOTED`]
/// characters, or "the default" for none.
fn quoted(value: Option<&str>) -> String {
    match value {
        None => "the default".to_owned(),
        Some(v) => {
            let line = v.split_whitespace().collect::<Vec<_>>().join(" ");
            if line.chars().count() > QUOTED {
                format!("“{}…”", line.chars().take(QUOTED).collect::<String>())
            } else {
                format!("“{line}”")
            }
        }
    }
}

#[async_trait::async_trait]
impl ponder_store::SettingsStore for Backend {
    async fn site_settings(&self) -> StoreResult<Vec<StoredSetting>> {
        self.count();
        let rows: Vec<(String, String, i64, Option<i64>)> = sqlx::query_as(
            "SELECT key, value, updated_at, updated_by FROM site_settings ORDER BY key",
        )
        .fetch_all(&self.readers)
        .await
        .map_err(db_error)?;
        Ok(rows
            .into_iter()
            .map(|(key, value, updated_at, updated_by)| StoredSetting {
                key,
                value,
                updated_at,
                updated_by: updated_by.map(UserId),
            })
            .collect())
    }

    async fn change_site_settings(
        &self,
        changes: &[SettingChange],
        by: Option<UserId>,
        at: Timestamp,
    ) -> StoreResult<Vec<String>> {
        let mut tx = self.begin().await?;
        let mut changed = Vec::new();
        for change in changes {
            self.count();
            let before: Option<(String,)> =
                sqlx::query_as("SELECT value FROM site_settings WHERE key = $1")
                    .bind(&change.key)
                    .fetch_optional(&mut *tx)
                    .await
                    .map_err(db_error)?;
            let before = before.map(|(v,)| v);
            if before == change.value {
                continue;
            }
            self.count();
            match &change.value {
                Some(value) => sqlx::query(
                    "INSERT INTO site_settings (key, value, updated_at, updated_by) \
                     VALUES ($1, $2, $3, $4) ON CONFLICT (key) DO UPDATE SET \
                     value = excluded.value, updated_at = excluded.updated_at, \
                     updated_by = excluded.updated_by",
                )
                .bind(&change.key)
                .bind(value)
                .bind(at)
                .bind(by.map(|u| u.0)),
                None => sqlx::query("DELETE FROM site_settings WHERE key = $1").bind(&change.key),
            }
            .execute(&mut *tx)
            .await
            .map_err(db_error)?;
            if let Some(moderator) = by {
                let note = format!(
                    "{}: {} → {}",
                    change.key,
                    quoted(before.as_deref()),
                    quoted(change.value.as_deref())
                );
                self.count();
                sqlx::query(
                    "INSERT INTO moderation_log (moderator_id, action, target_kind, target_id, reason, created_at) \
                     VALUES ($1, 'setting_change', 'setting', 0, $2, $3)",
                )
                .bind(moderator.0)
                .bind(note)
                .bind(at)
                .execute(&mut *tx)
                .await
                .map_err(db_error)?;
            }
            changed.push(change.key.clone());
        }
        if changed.is_empty() {
            return Ok(changed);
        }
        self.log_change_at(
            &mut tx,
            ChangeKind::SettingsChanged,
            by.map_or(0, |u| u.0),
            at,
        )
        .await?;
        self.commit(tx).await?;
        Ok(changed)
    }

    async fn member_count(&self) -> StoreResult<i64> {
        self.count();
        let (n,): (i64,) = sqlx::query_as("SELECT count(*) FROM users WHERE deleted_at IS NULL")
            .fetch_one(&self.readers)
            .await
            .map_err(db_error)?;
        Ok(n)
    }
}
