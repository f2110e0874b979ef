//! The inbox's subscriber: turns the change log into members' inbox items, on one
//! node at a time.
//!
//! It keeps its position in the database (`feed_positions`, under [`INBOX`]) and
//! hands each batch to `Store::deliver_notices`, which writes the items and moves
//! that position in one transaction, and refuses when the position moved under it:
//! so a batch is delivered once, after a restart, a retry, or a lease lost to
//! another node. The node that holds the store's lease for the inbox delivers; the
//! others follow the stored position so that they are ready to take over.

use crate::follower::{Subscriber, SubscriberError};
use crate::leased::{ChunkWork, LeasedPosition};
use async_trait::async_trait;
use ponder_store::{Change, Store, StoreResult};

/// The inbox subscriber's name, for its stored position and its lease.
pub const INBOX: &str = "inbox";

/// Changes delivered in one transaction at most: on SQLite the one writer is held
/// while a batch is delivered, so batches stay small beside the site's own writes.
pub const CHUNK: usize = 100;

/// Writes inbox items from the change log, when this node leads.
pub struct InboxSubscriber {
    position: LeasedPosition,
    mail: bool,
}

impl InboxSubscriber {
    /// The subscriber, from its stored position. A site that never had one (new,
    /// or upgraded from a version without an inbox) starts at the end of the log:
    /// members are told of what happens from now on, not of years of history.
    /// With `mail` (the site has SMTP), direct items also go to the mail outbox.
    pub async fn start(store: &dyn Store, mail: bool) -> StoreResult<Self> {
        Ok(Self {
            position: LeasedPosition::start(store, INBOX).await?,
            mail,
        })
    }
}

#[async_trait]
impl Subscriber for InboxSubscriber {
    fn name(&self) -> &'static str {
        "inbox"
    }

    fn position(&self) -> i64 {
        self.position.get()
    }

    async fn take(&self, store: &dyn Store, changes: &[Change]) -> Result<(), SubscriberError> {
        self.position
            .take_in_chunks(store, changes, CHUNK, self)
            .await?;
        Ok(())
    }
}

#[async_trait]
impl ChunkWork for InboxSubscriber {
    async fn deliver(
        &self,
        store: &dyn Store,
        after: i64,
        chunk: &[Change],
    ) -> StoreResult<Option<u64>> {
        store
            .deliver_notices(INBOX, after, chunk, self.mail, ponder_core::time::now())
            .await
    }
}
