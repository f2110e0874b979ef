//! The webhook subscriber on real stores: it starts at the end of the log, turns
//! posts, comments, acceptances, edits and flags into payloads for the webhooks
//! that take them, and two nodes following one database queue each once.

#![expect(
    clippy::unwrap_used,
    reason = "test code: a failed step should fail the test"
)]

use ponder_core::webhooks::WebhookEvent;
use ponder_feed::{Follower, Subscriber, WebhookSubscriber};
use ponder_store::conformance as fx;
use ponder_store::{NewWebhook, Store};
use serde_json::Value;
use std::sync::Arc;

async fn webhooks_hear_each_event_once(store: Arc<dyn Store>) {
    let ann = fx::user(&*store, "ann").await;
    let bob = fx::user(&*store, "bob").await;
    let cat = fx::category(&*store, None, "general").await;
    fx::ask(&*store, ann.id, cat.id, "Asked before any webhook", &[], 1).await;
    store
        .create_webhook(NewWebhook {
            url: "https://hooks.example/all".into(),
            secret: "s".into(),
            events: WebhookEvent::ALL.to_vec(),
            created_by: ann.id,
            created_at: fx::at(0),
        })
        .await
        .unwrap();
    store
        .create_webhook(NewWebhook {
            url: "https://hooks.example/answers".into(),
            secret: "t".into(),
            events: vec![WebhookEvent::Answer],
            created_by: ann.id,
            created_at: fx::at(0),
        })
        .await
        .unwrap();

    let base = "https://q.example/";
    let one = Arc::new(WebhookSubscriber::start(&*store, base).await.unwrap());
    let two = Arc::new(WebhookSubscriber::start(&*store, base).await.unwrap());
    assert_eq!(one.position(), store.last_change_id().await.unwrap());
    let follower = |s: &Arc<WebhookSubscriber>| {
        Follower::new(store.clone(), vec![s.clone() as Arc<dyn Subscriber>], 2)
    };
    let (first, second) = (follower(&one), follower(&two));

    let q = fx::ask(
        &*store,
        ann.id,
        cat.id,
        "Asked after the webhooks",
        &["x"],
        2,
    )
    .await;
    let a = fx::answer(&*store, q, bob.id, 3).await;
    fx::comment(&*store, a, ann.id, 4).await;
    store
        .accept_answer(
            q,
            Some(a),
            ponder_core::reputation::ReputationRules::default(),
        )
        .await
        .unwrap();
    let last = store.last_change_id().await.unwrap();
    for _ in 0..200 {
        tokio::join!(first.pass(), second.pass());
        if one.position() >= last && two.position() >= last {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert_eq!((one.position(), two.position()), (last, last));

    let due = store
        .due_webhook_deliveries(ponder_core::time::now() + 1, 100)
        .await
        .unwrap();
    let mut seen: Vec<(String, String)> = due
        .iter()
        .map(|d| (d.url.clone(), d.event.clone()))
        .collect();
    seen.sort();
    assert_eq!(
        seen,
        [
            (
                "https://hooks.example/all".to_owned(),
                "answer.accepted".to_owned()
            ),
            (
                "https://hooks.example/all".to_owned(),
                "answer.created".to_owned()
            ),
            (
                "https://hooks.example/all".to_owned(),
                "comment.created".to_owned()
            ),
            (
                "https://hooks.example/all".to_owned(),
                "question.created".to_owned()
            ),
            (
                "https://hooks.example/answers".to_owned(),
                "answer.created".to_owned()
            ),
        ],
        "each event once, to the webhooks that take it; nothing from before"
    );
    let payload = |event: &str| -> Value {
        let d = due.iter().find(|d| d.event == event).unwrap();
        serde_json::from_str(&d.payload).unwrap()
    };
    let answered = payload("answer.created");
    assert_eq!(answered["post"]["id"], a.0);
    assert_eq!(answered["post"]["question_id"], q.0);
    assert_eq!(answered["post"]["kind"], "answer");
    assert_eq!(
        answered["post"]["url"],
        format!("https://q.example/questions/{q}#answer-{a}")
    );
    assert_eq!(
        payload("question.created")["post"]["title"],
        "Asked after the webhooks"
    );
    assert_eq!(payload("comment.created")["post"]["id"], a.0);
    assert!(payload("comment.created")["comment_id"].is_i64());
    assert_eq!(payload("answer.accepted")["accepted_answer_id"], a.0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_nodes_on_sqlite_queue_each_event_once() {
    let fresh = ponder_store_sqlite::testing::fresh_store().await.unwrap();
    webhooks_hear_each_event_once(fresh.store.clone()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_nodes_on_postgres_queue_each_event_once() {
    let Some(fresh) = ponder_store_postgres::testing::fresh_store().await else {
        return;
    };
    webhooks_hear_each_event_once(fresh.store.clone()).await;
}
