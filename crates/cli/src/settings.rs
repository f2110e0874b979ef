//! `ponder settings list|get|set|reset`: the site settings of `/admin/settings`,
//! for scripts. Values are checked as the page checks them; each change is in the
//! change log, so running servers put it in force at once, and in the moderation
//! log under the administrator named by `--as` (which a site with an
//! administrator requires).

use crate::{SiteArgs, open_store};
use anyhow::{Context, Result, bail};
use clap::Subcommand;
use ponder_core::settings::{self, Settings, Source, Startup};
use ponder_store::{SettingChange, Store};

/// `ponder settings ...`.
#[derive(Subcommand)]
pub enum SettingsCommand {
    /// Every setting with its value (stored, else built-in) and where it comes from.
    List,
    /// Print one setting's value.
    Get {
        /// The setting, e.g. site.name.
        key: String,
    },
    /// Store a setting's value.
    Set {
        /// The setting, e.g. site.name.
        key: String,
        /// Its value.
        value: String,
        /// The administrator to log the change under (handle or email).
        #[arg(long = "as", value_name = "HANDLE")]
        by: Option<String>,
    },
    /// Remove a setting's stored value, so that the default is in force again.
    Reset {
        /// The setting, e.g. site.name.
        key: String,
        /// The administrator to log the change under (handle or email).
        #[arg(long = "as", value_name = "HANDLE")]
        by: Option<String>,
    },
}

/// Runs a `settings` subcommand.
pub async fn run(site: &SiteArgs, command: SettingsCommand) -> Result<()> {
    let store = open_store(site).await?;
    let stored = store
        .site_settings()
        .await
        .context("cannot read the site settings")?;
    let in_force = Settings::resolve(
        &Startup::new(),
        stored.iter().map(|s| (s.key.as_str(), s.value.as_str())),
    );
    match command {
        SettingsCommand::List => {
            for setting in settings::ALL {
                let value = in_force.get(setting.key);
                let shown: String = value.replace('\n', "⏎").chars().take(60).collect();
                let source = match in_force.source(setting.key) {
                    Source::Stored => "stored",
                    _ => "default",
                };
                println!("{}\t{source}\t{shown}", setting.key);
            }
            Ok(())
        }
        SettingsCommand::Get { key } => {
            known(&key)?;
            println!("{}", in_force.get(&key));
            Ok(())
        }
        SettingsCommand::Set { key, value, by } => {
            let setting = known(&key)?;
            let value = setting
                .check(&value)
                .map_err(|message| anyhow::anyhow!("{key}: {message}"))?;
            change(&*store, &key, Some(value), by.as_deref()).await
        }
        SettingsCommand::Reset { key, by } => {
            known(&key)?;
            change(&*store, &key, None, by.as_deref()).await
        }
    }
}

/// The setting `key`, or an error naming the keys there are.
fn known(key: &str) -> Result<&'static settings::Setting> {
    settings::find(key).ok_or_else(|| {
        anyhow::anyhow!("there is no setting {key:?}; `ponder settings list` shows them all")
    })
}

/// Stores (or, for `None`, removes) `key`'s value as changed by the
/// administrator `by`, who must be given on a site that has one.
async fn change(
    store: &dyn Store,
    key: &str,
    value: Option<String>,
    by: Option<&str>,
) -> Result<()> {
    let admin = match by {
        Some(login) => Some(crate::administrator(store, login).await?.id),
        None if store.has_administrator().await? => {
            bail!(
                "name the administrator making the change with --as HANDLE; it goes in the moderation log"
            )
        }
        None => None,
    };
    let changed = store
        .change_site_settings(
            &[SettingChange {
                key: key.to_owned(),
                value,
            }],
            admin,
            ponder_core::time::now(),
        )
        .await
        .context("cannot store the setting")?;
    if changed.is_empty() {
        println!("{key} is unchanged");
    } else {
        println!("{key} changed; running servers put it in force within a second");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn set(key: &str, value: &str, by: Option<&str>) -> SettingsCommand {
        SettingsCommand::Set {
            key: key.into(),
            value: value.into(),
            by: by.map(str::to_owned),
        }
    }

    #[tokio::test]
    async fn settings_are_checked_stored_and_attributed_to_an_administrator() {
        let dir = tempfile::tempdir().unwrap();
        let site = SiteArgs {
            data: PathBuf::from(dir.path()),
            database_url: None,
        };
        // A site without an administrator can be set up by a script.
        run(&site, set("site.name", " Ask  Rust ", None))
            .await
            .unwrap();
        let store = open_store(&site).await.unwrap();
        let stored = store.site_settings().await.unwrap();
        assert_eq!(stored.len(), 1);
        assert_eq!(
            (stored[0].key.as_str(), stored[0].value.as_str()),
            ("site.name", "Ask Rust")
        );
        assert!(run(&site, set("site.nope", "x", None)).await.is_err());
        assert!(
            run(&site, set("privileges.vote_up", "-3", None))
                .await
                .is_err()
        );
        assert!(
            run(&site, SettingsCommand::Get { key: "nope".into() })
                .await
                .is_err()
        );
        run(&site, SettingsCommand::List).await.unwrap();

        for (handle, admin) in [("root", true), ("ann", false)] {
            let account = crate::users::CreateArgs {
                handle: handle.into(),
                email: format!("{handle}@example.org"),
                admin,
                moderator: false,
            };
            crate::users::create(&site, account, "maple tree 1".into())
                .await
                .unwrap();
        }
        let unnamed = run(&site, set("site.name", "Other", None)).await;
        assert!(unnamed.unwrap_err().to_string().contains("--as"));
        assert!(
            run(&site, set("site.name", "Other", Some("ann")))
                .await
                .is_err()
        );
        assert!(
            run(&site, set("site.name", "Other", Some("nobody")))
                .await
                .is_err()
        );
        run(&site, set("site.name", "Other", Some("root")))
            .await
            .unwrap();
        let log = store.moderation_log(1).await.unwrap();
        assert_eq!(log.total, 1);
        assert_eq!(log.items[0].reason, "site.name: “Ask Rust” → “Other”");
        run(
            &site,
            SettingsCommand::Reset {
                key: "site.name".into(),
                by: Some("root".into()),
            },
        )
        .await
        .unwrap();
        assert!(store.site_settings().await.unwrap().is_empty());
        assert_eq!(store.moderation_log(1).await.unwrap().total, 2);
    }
}
