//! Site settings, which administrators change: each value already checked by
//! `ponder_core::settings`; a value equal to the one in force changes nothing,
//! and one equal to the default under it (a flag, or the built-in value) removes
//! the stored one, so that the default is in force again.

use super::{ActionResult, Changed, Outcome, writer};
use crate::AppState;
use ponder_core::settings::{Settings, Source};
use ponder_store::{SettingChange, User};

/// What storing `checked` (key and checked value) changes, against the settings
/// in force and the ones given at start.
pub fn changes_to_store(
    in_force: &Settings,
    startup: &Settings,
    checked: &[(&'static str, String)],
) -> Vec<SettingChange> {
    checked
        .iter()
        .filter(|(key, value)| in_force.get(key) != value)
        .map(|(key, value)| SettingChange {
            key: (*key).to_owned(),
            // Back to the default under it: the stored value goes.
            value: (startup.get(key) != value).then(|| value.clone()),
        })
        .collect()
}

/// Stores `checked` (key and value, each checked by its setting) as changed by
/// `user`, an administrator; logs each change, puts the settings in force on
/// this node at once (other nodes follow the change feed), and answers the keys
/// that changed.
pub async fn change_settings(
    state: &AppState,
    user: &User,
    checked: &[(&'static str, String)],
) -> ActionResult<Vec<String>> {
    writer(user)?.require_administrator()?;
    let in_force = state.settings();
    let startup = state.defaults();
    let changes = changes_to_store(&in_force.settings, &startup, checked);
    let changed = if changes.is_empty() {
        Vec::new()
    } else {
        state
            .store
            .change_site_settings(&changes, Some(user.id), ponder_core::time::now())
            .await?
    };
    if !changed.is_empty() {
        state.reload_settings().await?;
    }
    Ok(Outcome {
        value: changed,
        changed: Changed::Everything,
    })
}

/// Whether `key`'s value in force is one an administrator set.
pub fn is_stored(settings: &Settings, key: &str) -> bool {
    settings.source(key) == Source::Stored
}

#[cfg(test)]
mod tests {
    use super::*;
    use ponder_core::settings::Startup;

    #[test]
    fn only_values_that_differ_are_stored_and_defaults_remove_the_stored_one() {
        let mut startup = Startup::new();
        assert!(startup.set("site.name", "Flagged").is_ok());
        let in_force = Settings::resolve(&startup, [("privileges.vote_up", "20")]);
        let under = Settings::resolve(&startup, std::iter::empty());
        let changes = changes_to_store(
            &in_force,
            &under,
            &[
                ("site.name", "Flagged".to_owned()),
                ("site.tagline", "New".to_owned()),
                ("privileges.vote_up", "15".to_owned()),
                ("privileges.flag", "15".to_owned()),
            ],
        );
        assert_eq!(
            changes,
            [
                SettingChange {
                    key: "site.tagline".into(),
                    value: Some("New".into())
                },
                SettingChange {
                    key: "privileges.vote_up".into(),
                    value: None
                },
            ]
        );
        assert!(is_stored(&in_force, "privileges.vote_up"));
        assert!(!is_stored(&in_force, "site.name"));
    }
}
