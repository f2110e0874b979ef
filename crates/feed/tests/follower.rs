//! The follower on a real store: each subscriber takes the log from its own
//! position, subscribers at one position share a read, and one that fails holds
//! back no other (issue 17).

#![expect(
    clippy::unwrap_used,
    reason = "test code: a failed step should fail the test"
)]

use async_trait::async_trait;
use ponder_feed::follower::Fed;
use ponder_feed::{Follower, Subscriber, SubscriberError};
use ponder_store::conformance as fx;
use ponder_store::{Change, Store};
use std::sync::atomic::{AtomicI64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

/// Takes everything in and remembers the kinds it saw.
#[derive(Default)]
struct Recorder {
    position: AtomicI64,
    seen: Mutex<Vec<String>>,
}

#[async_trait]
impl Subscriber for Recorder {
    fn name(&self) -> &'static str {
        "recorder"
    }

    fn position(&self) -> i64 {
        self.position.load(Ordering::Acquire)
    }

    async fn take(&self, _: &dyn Store, changes: &[Change]) -> Result<(), SubscriberError> {
        let mut seen = self.seen.lock().unwrap();
        seen.extend(changes.iter().map(|c| c.kind.clone()));
        self.position
            .store(changes.last().unwrap().id, Ordering::Release);
        Ok(())
    }
}

/// Fails every time, as an index whose disk is full would.
#[derive(Default)]
struct Broken {
    tries: AtomicUsize,
}

#[async_trait]
impl Subscriber for Broken {
    fn name(&self) -> &'static str {
        "broken"
    }

    fn position(&self) -> i64 {
        0
    }

    async fn take(&self, _: &dyn Store, _: &[Change]) -> Result<(), SubscriberError> {
        self.tries.fetch_add(1, Ordering::AcqRel);
        Err("no space left on device".into())
    }
}

#[tokio::test]
async fn a_failing_subscriber_holds_back_no_other() {
    let test_store = ponder_store_sqlite::testing::fresh_store().await.unwrap();
    let store = test_store.store.clone();
    let ann = fx::user(&*store, "ann").await;
    let cat = fx::category(&*store, None, "general").await;
    fx::ask(&*store, ann.id, cat.id, "Fed to everyone", &[], 1).await;
    let newest = store.last_change_id().await.unwrap();

    let (first, broken, second) = (
        Arc::new(Recorder::default()),
        Arc::new(Broken::default()),
        Arc::new(Recorder::default()),
    );
    let subscribers: Vec<Arc<dyn Subscriber>> = vec![first.clone(), broken.clone(), second.clone()];
    let follower = Follower::new(store.clone(), subscribers, 1_000);
    let before = store.queries_executed();
    let fed = follower.pass().await;
    assert_eq!(
        store.queries_executed() - before,
        1,
        "one read for all three"
    );
    let taken = usize::try_from(newest).unwrap();
    assert_eq!(fed[0], Fed::Took(taken));
    assert!(
        matches!(&fed[1], Fed::Failed(why) if why.contains("no space")),
        "{fed:?}"
    );
    assert_eq!(fed[2], Fed::Took(taken), "the one after the failure is fed");
    assert_eq!(first.position(), newest);
    assert_eq!(second.position(), newest);
    assert_eq!(
        first.seen.lock().unwrap().as_slice(),
        ["user.created", "category.created", "post.created"]
    );

    // The next pass: the failing one waits out its pause; the others go on.
    fx::answer(&*store, ponder_core::PostId(1), ann.id, 2).await;
    let fed = follower.pass().await;
    assert_eq!(fed, [Fed::Took(1), Fed::Waiting, Fed::Took(1)]);
    assert_eq!(broken.tries.load(Ordering::Acquire), 1);
    assert_eq!(first.position(), store.last_change_id().await.unwrap());
    let fed = follower.pass().await;
    assert_eq!(fed, [Fed::UpToDate, Fed::Waiting, Fed::UpToDate]);

    // After its pause it is tried again, from where it stood.
    tokio::time::sleep(std::time::Duration::from_millis(600)).await;
    let fed = follower.pass().await;
    assert!(matches!(fed[1], Fed::Failed(_)), "{fed:?}");
    assert_eq!(broken.tries.load(Ordering::Acquire), 2);
}
