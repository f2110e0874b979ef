//! Backups of an SQLite site, and restoring one: [`back_up`] writes a consistent
//! copy of a database that may be serving (SQLite's `VACUUM INTO`, one read
//! transaction, so writes go on meanwhile), [`restore`] puts such a copy in
//! place of a site's database once nothing has it open.
//!
//! Neither migrates anything: a backup is the schema the site ran, and a restored
//! older one is brought up to date by the next `ponder serve` or `ponder migrate`.
//! A copy is written beside its destination under a temporary name, checked,
//! flushed to the disk and only then renamed into place, so that a destination
//! either does not exist or holds a whole, checked database.

use crate::migrations;
use sqlx::sqlite::{SqliteConnectOptions, SqliteConnection};
use sqlx::{ConnectOptions as _, Connection as _};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Why a backup or a restore did not happen.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    /// The destination exists already and may not be replaced.
    #[error("{} exists already{}", .path.display(), if *.restore { "; add --force to replace the site there" } else { "; choose a new file name" })]
    Exists {
        /// The destination.
        path: PathBuf,
        /// Whether it was a restore (which `--force` may replace).
        restore: bool,
    },
    /// The file is not a Ponder site's database.
    #[error("{} is not a Ponder site's database: {why}", .path.display())]
    NotASite {
        /// The file.
        path: PathBuf,
        /// What was wrong with it.
        why: String,
    },
    /// The backup was made by a newer Ponder than this one.
    #[error(
        "{} was made by a newer Ponder (schema {found}; this one knows up to {known}); restore it with that version",
        .path.display()
    )]
    Newer {
        /// The backup.
        path: PathBuf,
        /// Its schema's newest migration.
        found: i64,
        /// The newest this binary has.
        known: i64,
    },
    /// Another process (a server) has the site's database open.
    #[error("{} is in use (a server or another command has it open); stop it first", .path.display())]
    InUse {
        /// The database.
        path: PathBuf,
    },
    /// Reading or writing a file failed.
    #[error("{what} {}: {source}", .path.display())]
    Io {
        /// What was being done.
        what: &'static str,
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// SQLite failed.
    #[error("{what}: {source}")]
    Database {
        /// What was being done.
        what: &'static str,
        /// The cause.
        source: sqlx::Error,
    },
}

/// What a backup or a restore wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Copied {
    /// The file's size in bytes.
    pub bytes: u64,
    /// The newest migration in its schema.
    pub schema: i64,
}

/// Writes a consistent copy of the SQLite database at `database` into `into`,
/// which must not exist. The site may be serving meanwhile: the copy is one read
/// transaction, and its writes wait for nothing.
pub async fn back_up(database: &Path, into: &Path) -> Result<Copied, BackupError> {
    if into.exists() {
        return Err(BackupError::Exists {
            path: into.to_owned(),
            restore: false,
        });
    }
    let mut source = open(database, true).await?;
    let schema = schema_of(&mut source, database).await?;
    let partial = partial_name(into);
    remove_if_there(&partial)?;
    let path = partial.to_string_lossy().into_owned();
    let copied = sqlx::query("VACUUM INTO ?")
        .bind(&path)
        .execute(&mut source)
        .await;
    let _ = source.close().await;
    if let Err(source) = copied {
        let _ = std::fs::remove_file(&partial);
        return Err(BackupError::Database {
            what: "the copy failed",
            source,
        });
    }
    let bytes = settle(&partial, into).await?;
    Ok(Copied { bytes, schema })
}

/// Puts the backup `from` in place of the database at `database`: refused when
/// one is there unless `replace`, and when anything has it open. The backup is
/// checked first (a Ponder database, sound, not newer than this binary).
pub async fn restore(from: &Path, database: &Path, replace: bool) -> Result<Copied, BackupError> {
    let mut backup = open(from, true).await?;
    let schema = schema_of(&mut backup, from).await?;
    let known = migrations::newest();
    if schema > known {
        return Err(BackupError::Newer {
            path: from.to_owned(),
            found: schema,
            known,
        });
    }
    check_sound(&mut backup, from).await?;
    let _ = backup.close().await;
    if database.exists() {
        if !replace {
            return Err(BackupError::Exists {
                path: database.to_owned(),
                restore: true,
            });
        }
        take_out_of_use(database).await?;
    }
    let partial = partial_name(database);
    std::fs::copy(from, &partial).map_err(|source| BackupError::Io {
        what: "cannot copy the backup to",
        path: partial.clone(),
        source,
    })?;
    for leftover in ["-wal", "-shm"] {
        remove_if_there(&with_suffix(database, leftover))?;
    }
    let bytes = settle(&partial, database).await?;
    Ok(Copied { bytes, schema })
}

/// Opens the file at `path` for a backup's work, read-only or not, never creating it.
async fn open(path: &Path, read_only: bool) -> Result<SqliteConnection, BackupError> {
    if !path.is_file() {
        return Err(BackupError::NotASite {
            path: path.to_owned(),
            why: "there is no such file".into(),
        });
    }
    SqliteConnectOptions::new()
        .filename(path)
        .read_only(read_only)
        .busy_timeout(Duration::from_secs(10))
        .disable_statement_logging()
        .connect()
        .await
        .map_err(|source| BackupError::Database {
            what: "cannot open the database",
            source,
        })
}

/// The newest migration recorded in the database `path`; refuses files that are
/// not SQLite or have no Ponder schema.
async fn schema_of(conn: &mut SqliteConnection, path: &Path) -> Result<i64, BackupError> {
    let not_a_site = |why: String| BackupError::NotASite {
        path: path.to_owned(),
        why,
    };
    let version: Option<i64> = sqlx::query_scalar("SELECT max(version) FROM schema_migrations")
        .fetch_one(&mut *conn)
        .await
        .map_err(|err| not_a_site(err.to_string()))?;
    version.ok_or_else(|| not_a_site("its schema has no migration recorded".into()))
}

/// Refuses a database SQLite finds damaged.
async fn check_sound(conn: &mut SqliteConnection, path: &Path) -> Result<(), BackupError> {
    let verdict: String = sqlx::query_scalar("PRAGMA quick_check")
        .fetch_one(&mut *conn)
        .await
        .map_err(|source| BackupError::Database {
            what: "cannot check the database",
            source,
        })?;
    if verdict == "ok" {
        Ok(())
    } else {
        Err(BackupError::NotASite {
            path: path.to_owned(),
            why: format!("SQLite finds it damaged: {verdict}"),
        })
    }
}

/// Makes sure no other connection has `database` open, and leaves it without a
/// log: leaving WAL mode needs the only connection to the file.
async fn take_out_of_use(database: &Path) -> Result<(), BackupError> {
    let in_use = || BackupError::InUse {
        path: database.to_owned(),
    };
    let mut conn = SqliteConnectOptions::new()
        .filename(database)
        .busy_timeout(Duration::ZERO)
        .disable_statement_logging()
        .connect()
        .await
        .map_err(|_| in_use())?;
    let mode: Result<String, _> = sqlx::query_scalar("PRAGMA journal_mode = DELETE")
        .fetch_one(&mut conn)
        .await;
    let _ = conn.close().await;
    match mode {
        Ok(mode) if mode.eq_ignore_ascii_case("delete") => Ok(()),
        _ => Err(in_use()),
    }
}

/// Checks the copy at `partial`, flushes it to the disk and renames it to `into`;
/// its size.
async fn settle(partial: &Path, into: &Path) -> Result<u64, BackupError> {
    let checked = async {
        let mut copy = open(partial, true).await?;
        let result = check_sound(&mut copy, partial).await;
        let _ = copy.close().await;
        result
    };
    if let Err(err) = checked.await {
        let _ = std::fs::remove_file(partial);
        return Err(err);
    }
    let io = |what, path: &Path| {
        let path = path.to_owned();
        move |source| BackupError::Io { what, path, source }
    };
    let file = std::fs::File::open(partial).map_err(io("cannot read", partial))?;
    file.sync_all().map_err(io("cannot flush", partial))?;
    let bytes = file.metadata().map_err(io("cannot read", partial))?.len();
    drop(file);
    std::fs::rename(partial, into).map_err(io("cannot rename the copy to", into))?;
    // The rename itself is on the disk once the folder is.
    if let Some(folder) = into.parent().filter(|p| !p.as_os_str().is_empty())
        && let Ok(folder) = std::fs::File::open(folder)
    {
        let _ = folder.sync_all();
    }
    Ok(bytes)
}

/// `path` with `.partial` added: where a copy is written before it is whole.
fn partial_name(path: &Path) -> PathBuf {
    with_suffix(path, ".partial")
}

/// `path` with `suffix` added to its file name.
fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// Removes the file at `path` if there is one.
fn remove_if_there(path: &Path) -> Result<(), BackupError> {
    match std::fs::remove_file(path) {
        Err(source) if source.kind() != std::io::ErrorKind::NotFound => Err(BackupError::Io {
            what: "cannot remove",
            path: path.to_owned(),
            source,
        }),
        _ => Ok(()),
    }
}
