//! What can stop an import or an export, said with the file and line where there is one.

use ponder_dump::DumpError;
use ponder_store::StoreError;
use std::path::PathBuf;

/// Why an import or export stopped.
#[derive(Debug, thiserror::Error)]
pub enum ExchangeError {
    /// A dump file is missing, unreadable or malformed.
    #[error("{0}")]
    Dump(#[from] DumpError),
    /// The folder lacks files every dump has.
    #[error(
        "{} has no {missing}: a Stack Exchange dump folder holds Users.xml, Posts.xml, \
         Comments.xml and Votes.xml (Tags.xml, PostHistory.xml, PostLinks.xml and Badges.xml \
         are read when present)",
        dir.display()
    )]
    MissingFiles {
        /// The folder.
        dir: PathBuf,
        /// The files it lacks, joined with commas.
        missing: String,
    },
    /// The site has content of its own, whose ids the dump's would collide with.
    #[error(
        "this site already has {users} users and {posts} posts of its own: the dump keeps \
         its ids, which would collide with them. Import into a new, empty site (another \
         --data folder or database), then create your admin account with `ponder user create`"
    )]
    NotEmpty {
        /// Users in the site.
        users: i64,
        /// Posts in the site.
        posts: i64,
    },
    /// The database refused a batch.
    #[error("the database refused the rows of {file} up to line {line}: {source}")]
    Store {
        /// The file the batch came from.
        file: String,
        /// Its last row's line.
        line: u64,
        /// The database's error.
        source: StoreError,
    },
    /// The database failed outside a batch.
    #[error("database: {0}")]
    Database(#[from] StoreError),
    /// The output folder could not be made.
    #[error("cannot create {}: {source}", path.display())]
    Create {
        /// The folder.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// Another platform's database could not be read.
    #[error("cannot read {what}: {source}")]
    Source {
        /// What was being read.
        what: String,
        /// The database's error.
        source: sqlx::Error,
    },
    /// What was given is not an Apache Answer database.
    #[error("{given} is not an Apache Answer database: {why}")]
    NotAnswer {
        /// What was given.
        given: String,
        /// Why not.
        why: String,
    },
    /// An import stopped after some batches had been committed.
    #[error(
        "{cause}\nThe import stopped there; what came before is in the site ({so_far}). \
         Fix the file and run the same command again: rows already imported are skipped \
         and the rest are added."
    )]
    Stopped {
        /// What stopped it.
        cause: Box<ExchangeError>,
        /// What had been imported.
        so_far: String,
    },
}
