//! The store's error type. Each backend maps its engine's errors onto it, so the
//! web layer can tell a user's mistake (a conflict, a missing row) from a failure.

/// What went wrong in a store call.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A row the call needs does not exist (a parent question, a category, a user).
    #[error("{what} not found")]
    NotFound {
        /// What was missing, e.g. `"question 42"`.
        what: String,
    },
    /// A unique constraint refused the write: the handle, email or slug is taken.
    #[error("conflict on {constraint}")]
    Conflict {
        /// The constraint's name, e.g. `"users_handle_key"`.
        constraint: String,
    },
    /// The thing changed since the caller read it (another editor saved first).
    #[error("changed since it was read: now at revision {current}")]
    Stale {
        /// The newest revision's id now.
        current: i64,
    },
    /// A rule checked inside the transaction refused the write (an answer to a
    /// question closed a moment before, a vote on one's own post).
    #[error("refused: {0}")]
    Refused(#[from] ponder_core::refusal::Refusal),
    /// The database gave up on the transaction for another's sake (a deadlock, a
    /// serialization failure): nothing was written, and trying again may work.
    #[error("contention: {0}")]
    Contention(#[source] Box<dyn std::error::Error + Send + Sync>),
    /// The database cannot hold a value it was given (PostgreSQL takes no NUL in
    /// text): input the rule for characters should have refused before; the
    /// caller's mistake, not the database's failure.
    #[error("cannot be stored: {0}")]
    Unstorable(String),
    /// The database cannot be reached or cannot write just now (the server is down
    /// or unreachable, no connection came free in time, the disk is full, the file
    /// is read-only): nothing was written, and the same request may work once it
    /// is back.
    #[error("database unavailable: {0}")]
    Unavailable(#[source] Box<dyn std::error::Error + Send + Sync>),
    /// The database failed.
    #[error("database error: {0}")]
    Database(#[source] Box<dyn std::error::Error + Send + Sync>),
}

/// Result of a store call.
pub type StoreResult<T> = Result<T, StoreError>;

impl StoreError {
    /// A [`StoreError::NotFound`] for `what`.
    pub fn not_found(what: impl Into<String>) -> Self {
        Self::NotFound { what: what.into() }
    }
}
