//! What a question's page lists beside it: the questions linked to and from its
//! thread, and its related questions, read with the thread (`Store::question_page`). Related
//! questions are read from the database, where they were stored when last
//! computed, so that a view costs no query of the search index. Lists are computed
//!
//! - for every question that has none, or one older than [`PERIOD`], by a task
//!   on the node that holds its lease ([`RelatedFiller`]), and by `ponder reindex`
//!   (so a bulk load or a new site starts with them);
//! - on a view of a question that has none yet (new, or edited: an edit drops
//!   its list), shown at once and stored a moment later in one batch with others.

use crate::AppState;
use crate::views::common::{Link, question_path};
use ponder_core::{CategoryId, PostId};
use ponder_feed::leased::Leadership;
use ponder_search::{SearchIndex, Subject};
use ponder_store::{
    Category, LinkedQuestion, QuestionThread, RelatedSubject, Store, StoreResult, ThreadLinks,
};
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// How old a stored list may be before it is computed again (in seconds): new
/// questions that belong in it appear within this period.
pub const PERIOD: i64 = 24 * 60 * 60;

/// How many related questions a page lists, at most.
pub const SHOWN: usize = 5;

/// How long computed lists wait, to be stored together.
const BATCH_DELAY: Duration = Duration::from_millis(250);

/// The most lists waiting to be stored; past it, a list is shown but not stored
/// (the database is behind; the next view computes it again).
const MAX_WAITING: usize = 5_000;

/// Lists computed and not yet stored.
#[derive(Default)]
pub struct RelatedWrites {
    waiting: Mutex<Vec<(PostId, Vec<PostId>)>>,
    scheduled: AtomicBool,
}

impl RelatedWrites {
    /// Queues `related` as `question`'s list, to be stored in `store` shortly.
    fn queue(self: &Arc<Self>, store: &Arc<dyn Store>, question: PostId, related: Vec<PostId>) {
        {
            let mut waiting = match self.waiting.lock() {
                Ok(guard) => guard,
                Err(poisoned) => poisoned.into_inner(),
            };
            if waiting.len() >= MAX_WAITING {
                return;
            }
            waiting.push((question, related));
        }
        if !self.scheduled.swap(true, Ordering::AcqRel) {
            let writes = Arc::clone(self);
            let store = Arc::clone(store);
            tokio::spawn(async move {
                tokio::time::sleep(BATCH_DELAY).await;
                writes.store(&*store).await;
            });
        }
    }

    /// Stores the lists waiting now, at once (before the process exits).
    pub async fn flush(&self, store: &dyn Store) {
        let waiting = match self.waiting.lock() {
            Ok(guard) => !guard.is_empty(),
            Err(poisoned) => !poisoned.into_inner().is_empty(),
        };
        if waiting {
            self.store(store).await;
        }
    }

    /// Stores every waiting list in one transaction.
    async fn store(&self, store: &dyn Store) {
        // Cleared first: a list queued from here on schedules another batch.
        self.scheduled.store(false, Ordering::Release);
        let batch = std::mem::take(&mut *match self.waiting.lock() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        });
        if let Err(err) = store.store_related(&batch, ponder_core::time::now()).await {
            tracing::warn!(%err, lists = batch.len(), "related questions not stored");
        }
    }
}

/// What `thread`'s question is about, for finding its related questions.
pub fn subject_of(thread: &QuestionThread) -> Subject {
    Subject {
        tags: thread.tags.clone(),
        category: thread.category_path.last().map(|c| c.id),
        area: thread.category_path.first().map(|c| c.id),
    }
}

/// How many linked questions a page lists, at most.
pub const LINKED_SHOWN: u32 = 10;

/// What a question's page lists beside it, as links.
#[derive(Debug, Default)]
pub struct Beside {
    /// The questions linked to and from its thread.
    pub linked: Vec<Link>,
    /// Its related questions.
    pub related: Vec<Link>,
}

/// The linked questions of `thread` and its related ones, from what the store read
/// with it (`stored`); if no related list is stored, one is computed now (and
/// stored shortly). An index that fails gives an empty list (logged), which is not
/// stored.
pub fn beside(state: &AppState, thread: &QuestionThread, stored: ThreadLinks) -> Beside {
    let id = thread.question.id;
    let link = |q: LinkedQuestion| Link {
        url: question_path(q.id, &q.title),
        label: q.title,
    };
    let linked = stored.linked.into_iter().map(link).collect();
    if let Some(list) = stored.related {
        return Beside {
            linked,
            related: list.questions.into_iter().map(link).collect(),
        };
    }
    let title: String = thread.question.title.chars().take(300).collect();
    let hits = match state
        .search
        .related(&title, &subject_of(thread), Some(id), SHOWN)
    {
        Ok(hits) => hits,
        Err(err) => {
            tracing::warn!(%err, "related questions unavailable");
            return Beside {
                linked,
                related: Vec::new(),
            };
        }
    };
    state
        .related
        .queue(&state.store, id, hits.iter().map(|hit| hit.id).collect());
    Beside {
        linked,
        related: hits
            .into_iter()
            .map(|hit| Link {
                url: question_path(hit.id, &hit.title),
                label: hit.title,
            })
            .collect(),
    }
}

/// How many lists [`fill_due`] computes and stores at a time.
const BATCH: u32 = 200;

/// The name of the lease that lets one node fill lists.
const FILLER_LEASE: &str = "related questions";

/// Computes and stores the related lists of every question that has none, or one
/// older than [`PERIOD`], from `search` (which should have caught up with the
/// database), a batch at a time on `threads` threads with `pause` between
/// batches; how many it stored.
pub async fn fill_due(
    store: &Arc<dyn Store>,
    search: &Arc<SearchIndex>,
    threads: usize,
    pause: Duration,
) -> StoreResult<u64> {
    let areas = areas(&store.categories().await?);
    let mut after = None;
    let mut stored = 0;
    loop {
        let now = ponder_core::time::now();
        let due = store.related_due(after, now - PERIOD, BATCH).await?;
        let Some(last) = due.last().map(RelatedSubject::position) else {
            return Ok(stored);
        };
        after = Some(last);
        let search = Arc::clone(search);
        let areas = areas.clone();
        // Index queries are CPU work: off the async workers, split over threads.
        let chunk = due.len().div_ceil(threads.max(1));
        let lists = tokio::task::spawn_blocking(move || {
            std::thread::scope(|scope| {
                let parts: Vec<_> = due
                    .chunks(chunk)
                    .map(|part| {
                        scope.spawn(|| {
                            part.iter()
                                .filter_map(|due| {
                                    compute(&search, due, &areas).map(|list| (due.id, list))
                                })
                                .collect::<Vec<_>>()
                        })
                    })
                    .collect();
                parts
                    .into_iter()
                    .flat_map(|part| part.join().unwrap_or_default())
                    .collect::<Vec<_>>()
            })
        })
        .await
        .unwrap_or_default();
        store.store_related(&lists, now).await?;
        stored += lists.len() as u64;
        tokio::time::sleep(pause).await;
    }
}

/// `due`'s related questions from `search`; `None` (logged) if the index fails.
fn compute(
    search: &SearchIndex,
    due: &RelatedSubject,
    areas: &HashMap<CategoryId, CategoryId>,
) -> Option<Vec<PostId>> {
    let subject = Subject {
        tags: due.tags.clone(),
        category: Some(due.category),
        area: areas.get(&due.category).copied(),
    };
    let title: String = due.title.chars().take(300).collect();
    match search.related_ids(&title, &subject, Some(due.id), SHOWN) {
        Ok(ids) => Some(ids),
        Err(err) => {
            tracing::warn!(%err, question = %due.id, "related questions not computed");
            None
        }
    }
}

/// The top of each category's tree, by category.
fn areas(categories: &[Category]) -> HashMap<CategoryId, CategoryId> {
    let parents: HashMap<CategoryId, Option<CategoryId>> =
        categories.iter().map(|c| (c.id, c.parent_id)).collect();
    categories
        .iter()
        .map(|c| {
            let mut top = c.id;
            // Bounded: a tree deeper than this (or a cycle) stops where it is.
            for _ in 0..64 {
                match parents.get(&top).copied().flatten() {
                    Some(parent) => top = parent,
                    None => break,
                }
            }
            (c.id, top)
        })
        .collect()
}

/// Keeps every question's related list computed and fresh, on the node that
/// holds the lease, once the search index has caught up with the database.
pub struct RelatedFiller {
    store: Arc<dyn Store>,
    search: Arc<SearchIndex>,
    leadership: Leadership,
}

impl RelatedFiller {
    /// A filler for the site in `store`, indexed in `search`.
    pub fn new(store: Arc<dyn Store>, search: Arc<SearchIndex>) -> Self {
        Self {
            store,
            search,
            leadership: Leadership::new(FILLER_LEASE),
        }
    }

    /// One pass, if this node leads and its index is up to date: how many lists
    /// it stored.
    pub async fn pass(&self) -> StoreResult<u64> {
        let store = &self.store;
        if !self.leadership.leads(&**store).await? {
            return Ok(0);
        }
        if self.search.last_change() < store.last_change_id().await? {
            // Lists computed from an index still catching up would miss questions.
            return Ok(0);
        }
        // One thread, with pauses: the server's readers come first.
        fill_due(store, &self.search, 1, Duration::from_millis(50)).await
    }

    /// Runs a pass every `every` until the process ends; a failed pass is logged.
    pub async fn run(self, every: Duration) {
        let mut tick = tokio::time::interval(every);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            match self.pass().await {
                Ok(0) => {}
                Ok(stored) => tracing::info!(stored, "related questions computed"),
                Err(err) => tracing::warn!(%err, "related questions pass failed"),
            }
        }
    }
}
