//! The search index from the command line: opening it beside the data, keeping it in
//! step while serving, and `ponder reindex` (which also computes the related
//! questions of every question from the new index).

use crate::{SiteArgs, open_store};
use anyhow::{Context, Result};
use indicatif::{ProgressBar, ProgressStyle};
use ponder_search::SearchIndex;
use ponder_store::QuestionQuery;
use ponder_web::AppState;
use std::sync::Arc;
use std::time::Duration;

/// How often the follower reads the change log: new posts are searchable within this.
const FOLLOW_INTERVAL: Duration = Duration::from_millis(250);

/// Opens the index in `<data>/index`.
pub fn open_index(site: &SiteArgs) -> Result<Arc<SearchIndex>> {
    let dir = site.data.join("index");
    let index = SearchIndex::open(&dir)
        .with_context(|| format!("cannot open the search index in {}", dir.display()))?;
    Ok(Arc::new(index))
}

/// Brings the index up to date in the background (rebuilding a new, empty index, or
/// one that a bulk load such as an import has passed by, from the database;
/// otherwise taking in the changes made while it was down), then follows the change
/// log for as long as the server runs. What it takes in makes the pages kept for
/// visitors stale (see `PageCache::followed`), and settings changed elsewhere are
/// read again, as writes made by other nodes or commands reach this node only
/// through the log. Members' inbox items and webhook deliveries are queued by a
/// follower of their own, started at once (each on the one node that holds its lease).
pub fn start_following(state: AppState) {
    let index = state.search.clone();
    let store = state.store.clone();
    let pages = state.pages.clone();
    let mail = state.mailer.delivers();
    // The inbox follows on its own, from the start: it does not wait for the index
    // to catch up or rebuild.
    let inbox_store = state.store.clone();
    let base_url = state.site.base_url.clone();
    tokio::spawn(async move {
        loop {
            let started = async {
                let inbox = ponder_feed::InboxSubscriber::start(&*inbox_store, mail).await?;
                let hooks = ponder_feed::WebhookSubscriber::start(&*inbox_store, &base_url).await?;
                Ok::<_, ponder_store::StoreError>((inbox, hooks))
            };
            match started.await {
                Ok((inbox, hooks)) => {
                    let subscribers: Vec<Arc<dyn ponder_feed::Subscriber>> =
                        vec![Arc::new(inbox), Arc::new(hooks)];
                    ponder_web::metrics::metrics().watch_feed(&subscribers);
                    ponder_feed::Follower::new(inbox_store.clone(), subscribers, 1_000)
                        .run(FOLLOW_INTERVAL)
                        .await;
                }
                Err(err) => {
                    tracing::warn!(%err, "the inbox and webhooks cannot read their positions yet; trying again");
                    tokio::time::sleep(std::time::Duration::from_secs(5)).await;
                }
            }
        }
    });
    tokio::spawn(async move {
        let started = std::time::Instant::now();
        // Only the changes the index has not seen are read.
        let bulk_loaded = store
            .last_change_of(
                ponder_core::changes::ChangeKind::BulkLoaded,
                index.last_change(),
            )
            .await
            .unwrap_or(0);
        let rebuild = (index.last_change() == 0 && index.num_docs() == 0) || bulk_loaded > 0;
        let result = if rebuild {
            index
                .rebuild(&*store, |_| {})
                .await
                .map(|n| format!("built from {n} questions"))
        } else {
            index
                .catch_up(&*store)
                .await
                .map(|n| format!("caught up with {n} changes"))
        };
        pages.invalidate();
        match result {
            Ok(what) => tracing::info!("search index {what} in {:.1?}", started.elapsed()),
            Err(err) => {
                tracing::warn!(%err, "the search index could not catch up; it will keep trying")
            }
        }
        // The page cache follows from where the index stands now: it was emptied
        // just above. Each subscriber keeps its own position, so a failing index
        // does not keep other nodes' writes from reaching the kept pages.
        let position = index.last_change();
        let pages = ponder_web::page_cache::FeedSubscriber::new(pages, position);
        let settings = ponder_web::site_settings::SettingsSubscriber::new(state, position);
        let subscribers: Vec<Arc<dyn ponder_feed::Subscriber>> =
            vec![index, Arc::new(pages), Arc::new(settings)];
        ponder_web::metrics::metrics().watch_feed(&subscribers);
        ponder_feed::Follower::new(store, subscribers, 1_000)
            .run(FOLLOW_INTERVAL)
            .await;
    });
}

/// `ponder reindex`: rebuilds the index from the database, with a progress bar,
/// then computes every question's related questions from it.
pub async fn reindex(site: &SiteArgs) -> Result<()> {
    rebuild_index(site).await?;
    let store = open_store(site).await?;
    let index = open_index(site)?;
    let started = std::time::Instant::now();
    let threads = std::thread::available_parallelism().map_or(1, usize::from);
    let lists = ponder_web::related::fill_due(&store, &index, threads, Duration::ZERO)
        .await
        .context("cannot compute the related questions")?;
    println!(
        "computed the related questions of {lists} questions in {:.1?}",
        started.elapsed()
    );
    Ok(())
}

/// Rebuilds the index from the database, with a progress bar.
pub async fn rebuild_index(site: &SiteArgs) -> Result<()> {
    let store = open_store(site).await?;
    let index = open_index(site)?;
    let total = store
        .list_questions(&QuestionQuery::default())
        .await?
        .total
        .max(0) as u64;
    let bar = ProgressBar::new(total).with_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} questions, {per_sec}, {eta} left")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let started = std::time::Instant::now();
    let done = index
        .rebuild(&*store, |n| bar.set_position(n))
        .await
        .context("cannot rebuild the search index")?;
    bar.finish_and_clear();
    println!(
        "indexed {done} questions ({} posts) in {:.1?}",
        index.num_docs(),
        started.elapsed()
    );
    Ok(())
}
