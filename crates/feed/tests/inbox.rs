//! The inbox subscriber on real stores: it starts at the end of the log, and two
//! nodes following one database deliver each batch once (on PostgreSQL one holds
//! the lease; on SQLite both may try, and the stored position lets one win).

#![expect(
    clippy::unwrap_used,
    reason = "test code: a failed step should fail the test"
)]

use ponder_core::notices::NoticeKind;
use ponder_feed::{Follower, InboxSubscriber, Subscriber};
use ponder_store::Store;
use ponder_store::conformance as fx;
use std::sync::Arc;

async fn two_nodes_deliver_each_item_once(store: Arc<dyn Store>) {
    let ann = fx::user(&*store, "ann").await;
    let bob = fx::user(&*store, "bob").await;
    let cat = fx::category(&*store, None, "general").await;
    let old = fx::ask(&*store, ann.id, cat.id, "Asked before the inbox", &[], 1).await;
    fx::answer(&*store, old, bob.id, 2).await;

    let one = Arc::new(InboxSubscriber::start(&*store, false).await.unwrap());
    let two = Arc::new(InboxSubscriber::start(&*store, false).await.unwrap());
    assert_eq!(one.position(), store.last_change_id().await.unwrap());
    let follower = |s: &Arc<InboxSubscriber>| {
        Follower::new(store.clone(), vec![s.clone() as Arc<dyn Subscriber>], 2)
    };
    let (first, second) = (follower(&one), follower(&two));

    let q = fx::ask(
        &*store,
        ann.id,
        cat.id,
        "Asked after the inbox began",
        &[],
        3,
    )
    .await;
    for offset in 4..8 {
        fx::answer(&*store, q, bob.id, offset).await;
    }
    let last = store.last_change_id().await.unwrap();
    for _ in 0..200 {
        tokio::join!(first.pass(), second.pass());
        if one.position() >= last && two.position() >= last {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert_eq!(one.position(), last);
    assert_eq!(two.position(), last);
    assert_eq!(
        store
            .feed_position(ponder_feed::inbox::INBOX)
            .await
            .unwrap(),
        last
    );
    let inbox = store.inbox(ann.id, 1).await.unwrap();
    assert_eq!(
        inbox.total, 1,
        "history before the inbox began is not delivered"
    );
    assert_eq!(inbox.items[0].kind, NoticeKind::Answer);
    assert_eq!(inbox.items[0].count, 4, "four answers, each counted once");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_nodes_on_sqlite_deliver_each_item_once() {
    let fresh = ponder_store_sqlite::testing::fresh_store().await.unwrap();
    two_nodes_deliver_each_item_once(fresh.store.clone()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_nodes_on_postgres_deliver_each_item_once() {
    let Some(fresh) = ponder_store_postgres::testing::fresh_store().await else {
        return;
    };
    two_nodes_deliver_each_item_once(fresh.store.clone()).await;
}

/// A batch larger than a chunk is delivered chunk by chunk in one pass, each
/// change once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_large_batch_is_delivered_in_chunks() {
    let fresh = ponder_store_sqlite::testing::fresh_store().await.unwrap();
    let store = fresh.store.clone();
    let inbox = Arc::new(InboxSubscriber::start(&*store, false).await.unwrap());
    let ann = fx::user(&*store, "ann").await;
    let bob = fx::user(&*store, "bob").await;
    let cat = fx::category(&*store, None, "general").await;
    let q = fx::ask(
        &*store,
        ann.id,
        cat.id,
        "A question with many answers",
        &[],
        1,
    )
    .await;
    let answers = ponder_feed::inbox::CHUNK as i64 * 2 + 10;
    for offset in 0..answers {
        fx::answer(&*store, q, bob.id, 2 + offset).await;
    }
    let follower = Follower::new(
        store.clone(),
        vec![inbox.clone() as Arc<dyn Subscriber>],
        1_000,
    );
    let fed = follower.pass().await;
    assert!(
        matches!(fed[0], ponder_feed::follower::Fed::Took(n) if n as i64 > answers),
        "{fed:?}"
    );
    assert_eq!(inbox.position(), store.last_change_id().await.unwrap());
    let items = store.inbox(ann.id, 1).await.unwrap().items;
    assert_eq!(items.len(), 1);
    assert_eq!(items[0].count, answers);
}
