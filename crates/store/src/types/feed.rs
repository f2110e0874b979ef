//! The change log's rows, and the lease of work that runs on one node at a time.

use ponder_core::time::Timestamp;

/// One entry of the change log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// Increasing id; followers remember the last one they handled.
    pub id: i64,
    /// What happened, as stored (see [`Change::kind`]).
    pub kind: String,
    /// The id of the thing it happened to.
    pub entity_id: i64,
    /// When.
    pub created_at: Timestamp,
}

impl Change {
    /// What happened; `None` for a kind this version does not know (a newer node
    /// may log kinds an older one does not).
    pub fn kind(&self) -> Option<ponder_core::changes::ChangeKind> {
        ponder_core::changes::ChangeKind::parse(&self.kind)
    }
}

/// The right to do work that must run on one node at a time, held until dropped
/// (see `Store::lead`).
pub struct Lease {
    _held: Box<dyn std::any::Any + Send>,
}

impl Lease {
    /// A lease that lasts as long as `held` (a connection holding a lock, say).
    pub fn new(held: impl std::any::Any + Send) -> Self {
        Self {
            _held: Box::new(held),
        }
    }
}

impl std::fmt::Debug for Lease {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Lease")
    }
}
