//! `ponder reputation recompute`: replays every user's reputation ledger and fixes
//! any stored total that differs (with `--check`, only reports).

use crate::{SiteArgs, open_store};
use anyhow::{Context, Result, bail};
use clap::Subcommand;

/// `ponder reputation ...`.
#[derive(Subcommand)]
pub enum ReputationCommand {
    /// Rebuild every user's reputation from the stored events.
    Recompute {
        /// Only report differences; change nothing, and exit with an error if any.
        #[arg(long)]
        check: bool,
    },
}

/// Runs a `reputation` subcommand.
pub async fn run(site: &SiteArgs, command: ReputationCommand) -> Result<()> {
    let ReputationCommand::Recompute { check } = command;
    let store = open_store(site).await?;
    let mismatches = store
        .recompute_reputation(!check)
        .await
        .context("cannot replay the reputation ledger")?;
    for m in &mismatches {
        println!(
            "user {}: stored {}, events give {}",
            m.user, m.stored, m.computed
        );
    }
    match (mismatches.len(), check) {
        (0, _) => println!("every user's reputation matches the stored events"),
        (n, true) => bail!(
            "{n} users' reputation differs from the stored events; run without --check to fix"
        ),
        (n, false) => println!("corrected {n} users' reputation"),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    #[tokio::test]
    async fn the_demo_site_replays_exactly() {
        let dir = tempfile::tempdir().unwrap();
        let site = SiteArgs {
            data: PathBuf::from(dir.path()),
            database_url: None,
        };
        let store = open_store(&site).await.unwrap();
        crate::demo::seed_if_empty(&*store).await.unwrap();
        assert!(store.recompute_reputation(false).await.unwrap().is_empty());
        run(&site, ReputationCommand::Recompute { check: true })
            .await
            .unwrap();
    }
}
