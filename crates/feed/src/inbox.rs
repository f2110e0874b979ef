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
use async_trait::async_trait;
use ponder_store::{Change, Lease, Store, StoreResult};
use std::sync::Mutex;
use std::sync::atomic::{AtomicI64, Ordering};

/// The inbox subscriber's name, for its stored position and its lease.
pub const INBOX: &str = "inbox";

/// Changes delivered in one transaction at most: on SQLite the one writer is held
/// while a batch is delivered, so batches stay small beside the site's own writes.
pub const CHUNK: usize = 100;

/// Writes inbox items from the change log, when this node leads.
pub struct InboxSubscriber {
    position: AtomicI64,
    mail: bool,
    lease: Mutex<Option<Lease>>,
}

impl InboxSubscriber {
    /// The subscriber, from its stored position. A site that never had one (new,
    /// or upgraded from a version without an inbox) starts at the end of the log:
    /// members are told of what happens from now on, not of years of history.
    /// With `mail` (the site has SMTP), direct items also go to the mail outbox.
    pub async fn start(store: &dyn Store, mail: bool) -> StoreResult<Self> {
        let mut position = store.feed_position(INBOX).await?;
        if position == 0 {
            position = store.last_change_id().await?;
            store
                .set_feed_position(INBOX, position, ponder_core::time::now())
                .await?;
            // Another node may have stored a later one meanwhile; positions never
            // move back.
            position = store.feed_position(INBOX).await?;
        }
        Ok(Self {
            position: AtomicI64::new(position),
            mail,
            lease: Mutex::new(None),
        })
    }

    /// Whether this node holds the lease, taking it when it is free.
    async fn leads(&self, store: &dyn Store) -> StoreResult<bool> {
        if self.held().is_some() {
            return Ok(true);
        }
        let Some(lease) = store.lead(INBOX).await? else {
            return Ok(false);
        };
        *self.held() = Some(lease);
        Ok(true)
    }

    /// The lease slot (a poisoned lock still holds a usable lease).
    fn held(&self) -> std::sync::MutexGuard<'_, Option<Lease>> {
        self.lease.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Goes on from the position stored by whoever delivered last.
    async fn follow_stored(&self, store: &dyn Store) -> StoreResult<()> {
        let stored = store.feed_position(INBOX).await?;
        self.position.fetch_max(stored, Ordering::AcqRel);
        Ok(())
    }
}

#[async_trait]
impl Subscriber for InboxSubscriber {
    fn name(&self) -> &'static str {
        "inbox"
    }

    fn position(&self) -> i64 {
        self.position.load(Ordering::Acquire)
    }

    async fn take(&self, store: &dyn Store, changes: &[Change]) -> Result<(), SubscriberError> {
        if !self.leads(store).await? {
            self.follow_stored(store).await?;
            return Ok(());
        }
        for chunk in changes.chunks(CHUNK) {
            let Some(last) = chunk.last().map(|c| c.id) else {
                continue;
            };
            let after = self.position();
            match store
                .deliver_notices(INBOX, after, chunk, self.mail, ponder_core::time::now())
                .await?
            {
                Some(written) => {
                    if written > 0 {
                        tracing::debug!(written, "inbox items delivered");
                    }
                    self.position.fetch_max(last, Ordering::AcqRel);
                }
                None => {
                    // Another node delivered these: this one's lease is stale.
                    *self.held() = None;
                    self.follow_stored(store).await?;
                    return Ok(());
                }
            }
        }
        Ok(())
    }
}
