//! `ponder backup FILE` and `ponder restore FILE`: a consistent copy of a
//! serving SQLite site, and putting one back. The search index is not in a
//! backup; a restored site rebuilds it when it starts. On PostgreSQL, the
//! server's own tools do both, and the commands say how.

use crate::SiteArgs;
use anyhow::{Context, Result};
use clap::Args;
use std::path::PathBuf;

/// What a PostgreSQL site's operator is told to run instead.
const ON_POSTGRES: &str = "this site is on PostgreSQL: back it up with pg_dump \
     (pg_dump --format=custom --file=ponder.dump \"$PONDER_DATABASE_URL\") and restore it with \
     pg_restore (pg_restore --clean --if-exists --dbname=\"$PONDER_DATABASE_URL\" ponder.dump); \
     the deployment guide (docs/deploy.md) shows both";

/// Options of `ponder backup`.
#[derive(Args)]
pub struct BackupArgs {
    /// The file to write (it must not exist yet).
    file: PathBuf,
}

/// Options of `ponder restore`.
#[derive(Args)]
pub struct RestoreArgs {
    /// The backup to restore (a file `ponder backup` wrote).
    file: PathBuf,
    /// Replace the site's database if it has one (never while a server runs on it).
    #[arg(long)]
    force: bool,
}

/// `ponder backup FILE`.
pub async fn back_up(site: &SiteArgs, args: &BackupArgs) -> Result<()> {
    let database = sqlite_file(site)?;
    let copied = ponder_store_sqlite::backup::back_up(&database, &args.file)
        .await
        .with_context(|| format!("cannot back up {}", database.display()))?;
    println!(
        "backed up {} to {} ({}, schema {}); the search index is not in it and is rebuilt when a restored site starts",
        database.display(),
        args.file.display(),
        size(copied.bytes),
        copied.schema
    );
    Ok(())
}

/// `ponder restore FILE`.
pub async fn restore(site: &SiteArgs, args: &RestoreArgs) -> Result<()> {
    let database = sqlite_file(site)?;
    if let Some(folder) = database.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(folder)
            .with_context(|| format!("cannot create the folder {}", folder.display()))?;
    }
    let copied = ponder_store_sqlite::backup::restore(&args.file, &database, args.force)
        .await
        .with_context(|| format!("cannot restore {}", args.file.display()))?;
    // The index describes the database that was there; it is built again at start.
    let index = site.data.join("index");
    if index.exists() {
        std::fs::remove_dir_all(&index)
            .with_context(|| format!("cannot remove the old search index {}", index.display()))?;
    }
    println!(
        "restored {} into {} ({}, schema {}); `ponder serve` brings its schema up to date and builds the search index",
        args.file.display(),
        database.display(),
        size(copied.bytes),
        copied.schema
    );
    Ok(())
}

/// The site's SQLite file, or the advice for a PostgreSQL site.
fn sqlite_file(site: &SiteArgs) -> Result<PathBuf> {
    if site.on_postgres() {
        anyhow::bail!(ON_POSTGRES);
    }
    match site.url() {
        Some(url) if url.starts_with("sqlite:") => Ok(PathBuf::from(
            url.trim_start_matches("sqlite://")
                .trim_start_matches("sqlite:"),
        )),
        Some(other) => {
            let scheme = other.split(':').next().unwrap_or(other);
            anyhow::bail!("unsupported database URL scheme {scheme:?}")
        }
        None => Ok(site.data.join("ponder.db")),
    }
}

/// `bytes` for people: "1.2 MB".
fn size(bytes: u64) -> String {
    let megabytes = bytes as f64 / 1_000_000.0;
    if megabytes >= 0.1 {
        format!("{megabytes:.1} MB")
    } else {
        format!("{bytes} bytes")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn on_postgresql_both_commands_point_to_pg_dump_without_connecting() {
        let site = SiteArgs {
            data: PathBuf::from("."),
            database_url: Some("postgres://nobody@192.0.2.1:1/none".into()),
        };
        let err = back_up(
            &site,
            &BackupArgs {
                file: PathBuf::from("x.db"),
            },
        )
        .await
        .unwrap_err();
        assert!(err.to_string().contains("pg_dump"), "{err}");
        let err = restore(
            &site,
            &RestoreArgs {
                file: PathBuf::from("x.db"),
                force: false,
            },
        )
        .await
        .unwrap_err();
        assert!(err.to_string().contains("pg_restore"), "{err}");
        assert!(!std::path::Path::new("x.db").exists());
    }

    #[test]
    fn sizes_read_as_people_write_them() {
        assert_eq!(size(512), "512 bytes");
        assert_eq!(size(1_234_567), "1.2 MB");
    }
}
