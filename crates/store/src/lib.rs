//! The storage boundary of Ponder: the [`Store`] trait that every backend implements,
//! the rows it returns and the inputs it takes ([`types`]), and its error
//! ([`StoreError`], whose [`StoreError::Refused`] carries a rule's
//! `ponder_core::refusal::Refusal`); [`rows`] holds the column lists and row mapping
//! the backends share. The web layer holds an `Arc<dyn Store>` and never writes SQL.
//! The SQL both backends run is written once in `crates/store-sql/` and included by
//! each backend crate (`ponder-store-sqlite`, `ponder-store-postgres`), which keeps
//! its own migrations and dialect (`dialect.rs`).
//!
//! With the `testing` feature, [`conformance`] holds the suite that every backend runs
//! against itself, so that the two behave the same.

pub mod error;
pub mod rows;
pub mod traits;
pub mod types;

#[cfg(feature = "testing")]
pub mod conformance;

pub use error::{StoreError, StoreResult};
pub use traits::*;
pub use types::*;

/// The database's figures for the metrics ([`Store::figures`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StoreFigures {
    /// Connections this process has open.
    pub connections_open: u32,
    /// Of those, idle ones.
    pub connections_idle: u32,
    /// The most this process may open.
    pub connections_max: u32,
    /// How long this call waited for a connection to read with: near zero
    /// unless every connection is busy.
    pub connection_wait: std::time::Duration,
    /// Mail waiting in the outbox to be sent (or retried).
    pub mail_waiting: i64,
    /// Webhook deliveries waiting to be made (or retried).
    pub webhooks_waiting: i64,
    /// The newest change in the change log.
    pub last_change: i64,
}

/// The store's traits, to bring their methods into scope: `use ponder_store::prelude::*;`.
pub mod prelude {
    pub use crate::Store;
    pub use crate::traits::*;
}

use async_trait::async_trait;

/// Everything Ponder reads from and writes to its database.
///
/// Every write runs in one transaction that writes the rows, updates the counters
/// on them and appends to the change log, so a reader never sees one without the other.
#[async_trait]
pub trait Store:
    AccountStore
    + SignupStore
    + ReadStore
    + WriteStore
    + VoteStore
    + EditStore
    + SuggestionStore
    + ModerationStore
    + BulkStore
    + RenderedTextStore
    + FeedStore
    + SettingsStore
    + CategoryStore
    + InvitationStore
    + TagStore
    + NoticeStore
    + MailStore
    + TokenStore
    + ExchangeStore
    + WebhookStore
    + LinkStore
    + UploadStore
    + Send
    + Sync
    + 'static
{
    /// The engine's name, for logs and `/readyz`: `"sqlite"` or `"postgres"`.
    fn backend(&self) -> &'static str;

    /// How many SQL statements this store has executed since it was opened. Tests
    /// use it to show that a page's queries do not grow with its content.
    fn queries_executed(&self) -> u64;

    /// Checks that the database answers.
    async fn ping(&self) -> StoreResult<()>;

    /// What the metrics show of the database: this process's connections to it,
    /// the queues waiting in it and the newest change.
    async fn figures(&self) -> StoreResult<StoreFigures>;

    /// The lease of `work` that must run on one node at a time, if no other node
    /// holds it now (`None` then: try again later). On PostgreSQL an advisory
    /// lock, released when the lease is dropped or the node dies; on SQLite the
    /// site is one process, which always leads.
    async fn lead(&self, work: &str) -> StoreResult<Option<Lease>>;
}
