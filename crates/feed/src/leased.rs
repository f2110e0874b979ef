//! What a subscriber that works on one node at a time needs: its position in the
//! database, and the store's lease for its work.
//!
//! The position starts at the end of the log the first time (what came before
//! is not news), never moves back, and follows the stored one while another node
//! holds the lease, so that this node is ready to take over.

use ponder_store::{Change, Lease, Store, StoreResult};
use std::sync::Mutex;
use std::sync::atomic::{AtomicI64, Ordering};

/// What a subscriber does with a chunk of the change log, for
/// [`LeasedPosition::take_in_chunks`].
#[async_trait::async_trait]
pub trait ChunkWork: Send + Sync {
    /// Does the work of `chunk` and moves the stored position from `after` to the
    /// chunk's last change, in one transaction; how much it wrote, or `None` when
    /// the stored position was not `after`.
    async fn deliver(
        &self,
        store: &dyn Store,
        after: i64,
        chunk: &[Change],
    ) -> StoreResult<Option<u64>>;
}

/// The store's lease of one kind of work, held by this node while it leads.
pub struct Leadership {
    name: &'static str,
    lease: Mutex<Option<Lease>>,
}

impl Leadership {
    /// Not leading yet, for the work called `name`.
    pub fn new(name: &'static str) -> Self {
        Self {
            name,
            lease: Mutex::new(None),
        }
    }

    /// Whether this node holds the lease, taking it if it is free.
    pub async fn leads(&self, store: &dyn Store) -> StoreResult<bool> {
        if self.held().is_some() {
            return Ok(true);
        }
        let Some(lease) = store.lead(self.name).await? else {
            return Ok(false);
        };
        *self.held() = Some(lease);
        Ok(true)
    }

    /// Gives the lease up: another node did this work, so this one's is stale.
    pub fn resign(&self) {
        *self.held() = None;
    }

    fn held(&self) -> std::sync::MutexGuard<'_, Option<Lease>> {
        self.lease.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// A position kept in `feed_positions` under a name, and the lease of that name.
pub struct LeasedPosition {
    name: &'static str,
    position: AtomicI64,
    leadership: Leadership,
}

impl LeasedPosition {
    /// The stored position of `name`, or the end of the log, stored, the first time.
    pub async fn start(store: &dyn Store, name: &'static str) -> StoreResult<Self> {
        let mut position = store.feed_position(name).await?;
        if position == 0 {
            position = store.last_change_id().await?;
            store
                .set_feed_position(name, position, ponder_core::time::now())
                .await?;
            // Another node may have stored a later one meanwhile; positions never
            // move back.
            position = store.feed_position(name).await?;
        }
        Ok(Self {
            name,
            position: AtomicI64::new(position),
            leadership: Leadership::new(name),
        })
    }

    /// The name it is kept under.
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// The last change taken in.
    pub fn get(&self) -> i64 {
        self.position.load(Ordering::Acquire)
    }

    /// Moves on to `last` (never back).
    pub fn advance(&self, last: i64) {
        self.position.fetch_max(last, Ordering::AcqRel);
    }

    /// Whether this node holds the lease, taking it if it is free.
    pub async fn leads(&self, store: &dyn Store) -> StoreResult<bool> {
        self.leadership.leads(store).await
    }

    /// Gives the lease up (another node took a batch: this one's lease is stale)
    /// and follows the stored position.
    pub async fn yield_to_others(&self, store: &dyn Store) -> StoreResult<()> {
        self.leadership.resign();
        self.follow_stored(store).await
    }

    /// Takes `changes` in a chunk of at most `chunk` at a time while this node
    /// leads: `work` gets the position and the chunk, does the chunk's work and
    /// moves the stored position in one transaction, and answers how much it
    /// wrote, or `None` when the stored position was not the one it was given
    /// (another node did the chunk: this node's lease is stale, so it yields and
    /// follows). A node that does not lead follows the stored position.
    pub async fn take_in_chunks(
        &self,
        store: &dyn Store,
        changes: &[Change],
        chunk: usize,
        work: &dyn ChunkWork,
    ) -> StoreResult<()> {
        if !self.leads(store).await? {
            return self.follow_stored(store).await;
        }
        for batch in changes.chunks(chunk.max(1)) {
            let Some(last) = batch.last().map(|c| c.id) else {
                continue;
            };
            match work.deliver(store, self.get(), batch).await? {
                Some(written) => {
                    if written > 0 {
                        tracing::debug!(subscriber = self.name, written, "a batch delivered");
                    }
                    self.advance(last);
                }
                None => return self.yield_to_others(store).await,
            }
        }
        Ok(())
    }

    /// Moves on to the stored position, where the leading node left it.
    pub async fn follow_stored(&self, store: &dyn Store) -> StoreResult<()> {
        let stored = store.feed_position(self.name).await?;
        self.advance(stored);
        Ok(())
    }
}
