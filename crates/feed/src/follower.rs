//! The subscribers and the follower that feeds them.

use async_trait::async_trait;
use ponder_store::{Change, Store};
use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Why a subscriber could not take in a batch.
pub type SubscriberError = Box<dyn std::error::Error + Send + Sync>;

/// Something that follows the change log.
#[async_trait]
pub trait Subscriber: Send + Sync {
    /// Its name, for the log.
    fn name(&self) -> &'static str;

    /// The id of the last change it took in.
    fn position(&self) -> i64;

    /// Takes in `changes`: the next ones after its position, in id order, never
    /// none. When that worked its position is the last one's id; on an error it
    /// stays where it was, and the same changes come again.
    async fn take(&self, store: &dyn Store, changes: &[Change]) -> Result<(), SubscriberError>;
}

/// How one subscriber fared in a pass.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fed {
    /// It took in this many changes.
    Took(usize),
    /// There was nothing new for it.
    UpToDate,
    /// It failed (this is why) and waits before its next try.
    Failed(String),
    /// It is waiting out an earlier failure.
    Waiting,
}

/// A subscriber and when it may next be fed.
struct Follow {
    subscriber: Arc<dyn Subscriber>,
    /// Not before then (after a failure).
    next_try: Option<Instant>,
    /// The pause after the next failure.
    pause: Duration,
}

/// The pause after a subscriber's first failure; it doubles with each next one.
const FIRST_PAUSE: Duration = Duration::from_millis(500);

/// The longest pause between a failing subscriber's tries.
const LONGEST_PAUSE: Duration = Duration::from_secs(30);

/// Hands the change log to its subscribers, each from its own position.
pub struct Follower {
    store: Arc<dyn Store>,
    follows: Mutex<Vec<Follow>>,
    batch: u32,
}

impl Follower {
    /// A follower of `store`'s change log for `subscribers`, handing each at most
    /// `batch` changes a pass.
    pub fn new(store: Arc<dyn Store>, subscribers: Vec<Arc<dyn Subscriber>>, batch: u32) -> Self {
        let follows = subscribers
            .into_iter()
            .map(|subscriber| Follow {
                subscriber,
                next_try: None,
                pause: FIRST_PAUSE,
            })
            .collect();
        Self {
            store,
            follows: Mutex::new(follows),
            batch: batch.max(1),
        }
    }

    /// One pass: each subscriber not waiting out a failure takes the changes after
    /// its position. Subscribers at the same position share one read. A failure is
    /// logged and makes that subscriber wait; the others go on. How each fared, in
    /// the order they were given.
    pub async fn pass(&self) -> Vec<Fed> {
        let now = Instant::now();
        let due: Vec<Option<Arc<dyn Subscriber>>> = self
            .lock()
            .iter()
            .map(|f| {
                f.next_try
                    .is_none_or(|at| at <= now)
                    .then(|| f.subscriber.clone())
            })
            .collect();
        let mut read: HashMap<i64, Result<Arc<Vec<Change>>, String>> = HashMap::new();
        let mut fed = Vec::with_capacity(due.len());
        for subscriber in due {
            let Some(subscriber) = subscriber else {
                fed.push(Fed::Waiting);
                continue;
            };
            let position = subscriber.position();
            if let Entry::Vacant(slot) = read.entry(position) {
                let changes = self
                    .store
                    .changes_since(position, self.batch)
                    .await
                    .map(Arc::new)
                    .map_err(|e| e.to_string());
                slot.insert(changes);
            }
            let outcome = match &read[&position] {
                Err(err) => Fed::Failed(format!("the change log could not be read: {err}")),
                Ok(changes) if changes.is_empty() => Fed::UpToDate,
                Ok(changes) => match subscriber.take(&*self.store, changes).await {
                    Ok(()) => Fed::Took(changes.len()),
                    Err(err) => Fed::Failed(err.to_string()),
                },
            };
            fed.push(outcome);
        }
        self.note(&fed);
        fed
    }

    /// Sets each subscriber's next try from how it fared.
    fn note(&self, fed: &[Fed]) {
        let now = Instant::now();
        for (follow, outcome) in self.lock().iter_mut().zip(fed) {
            match outcome {
                Fed::Failed(err) => {
                    tracing::warn!(
                        subscriber = follow.subscriber.name(),
                        "could not take in changes, trying again in {:?}: {err}",
                        follow.pause
                    );
                    follow.next_try = Some(now + follow.pause);
                    follow.pause = (follow.pause * 2).min(LONGEST_PAUSE);
                }
                Fed::Took(_) | Fed::UpToDate => {
                    follow.next_try = None;
                    follow.pause = FIRST_PAUSE;
                }
                Fed::Waiting => {}
            }
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Follow>> {
        self.follows.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Passes every `interval` until the process ends; a pass that fed someone a
    /// full batch is followed at once by the next.
    pub async fn run(self, interval: Duration) {
        loop {
            let fed = self.pass().await;
            let full = fed
                .iter()
                .any(|f| matches!(f, Fed::Took(n) if *n >= self.batch as usize));
            if !full {
                tokio::time::sleep(interval).await;
            }
        }
    }
}
