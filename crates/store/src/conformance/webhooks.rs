//! Webhooks: registered for events, their deliveries queued once per change-log
//! batch, claimed once, retried and given up as the sender says, and logged.

use super::*;
use ponder_core::webhooks::WebhookEvent;

fn hook(admin: UserId, url: &str, events: &[WebhookEvent]) -> NewWebhook {
    NewWebhook {
        url: url.to_owned(),
        secret: format!("secret for {url}"),
        events: events.to_vec(),
        created_by: admin,
        created_at: at(0),
    }
}

/// Deliveries go to the webhooks that take their event, once, and are logged.
pub async fn webhook_deliveries_are_queued_claimed_and_logged(store: Arc<dyn Store>) {
    let admin = user(&*store, "admin").await;
    let questions = store
        .create_webhook(hook(
            admin.id,
            "https://a.example/in",
            &[WebhookEvent::Question],
        ))
        .await
        .unwrap();
    let both = store
        .create_webhook(hook(
            admin.id,
            "https://b.example/in",
            &[WebhookEvent::Question, WebhookEvent::Answer],
        ))
        .await
        .unwrap();
    assert_eq!(both.events, [WebhookEvent::Question, WebhookEvent::Answer]);
    assert_eq!(store.webhooks().await.unwrap().len(), 2);

    let events = vec![
        (WebhookEvent::Question, r#"{"n":1}"#.to_owned()),
        (WebhookEvent::Answer, r#"{"n":2}"#.to_owned()),
        (WebhookEvent::Flag, r#"{"n":3}"#.to_owned()),
    ];
    let queued = store
        .enqueue_webhook_events("webhooks", 0, 10, &events, at(1))
        .await
        .unwrap();
    assert_eq!(
        queued,
        Some(3),
        "a question to both, an answer to one, a flag to none"
    );
    let again = store
        .enqueue_webhook_events("webhooks", 0, 10, &events, at(1))
        .await
        .unwrap();
    assert_eq!(again, None, "a batch another node took is not queued twice");

    let due = store.due_webhook_deliveries(at(1), 10).await.unwrap();
    assert_eq!(due.len(), 3);
    assert!(due.iter().all(|d| d.attempts == 0 && !d.secret.is_empty()));
    let first = &due[0];
    assert!(store.claim_webhook_delivery(first.id, at(2)).await.unwrap());
    assert!(
        !store.claim_webhook_delivery(first.id, at(2)).await.unwrap(),
        "claimed once"
    );
    assert_eq!(
        store.due_webhook_deliveries(at(2), 10).await.unwrap().len(),
        2
    );
    store
        .finish_webhook_delivery(
            first.id,
            DeliveryOutcome::Retry {
                status: Some(500),
                error: "server error".into(),
                next_attempt_at: at(60),
            },
            at(3),
        )
        .await
        .unwrap();
    assert_eq!(
        store.due_webhook_deliveries(at(4), 10).await.unwrap().len(),
        2,
        "not due yet"
    );
    let later = store.due_webhook_deliveries(at(60), 10).await.unwrap();
    let retried = later.iter().find(|d| d.id == first.id).expect("due again");
    assert_eq!(retried.attempts, 1);
    assert!(
        store
            .claim_webhook_delivery(first.id, at(61))
            .await
            .unwrap()
    );
    store
        .finish_webhook_delivery(first.id, DeliveryOutcome::Delivered { status: 204 }, at(62))
        .await
        .unwrap();
    let log = store
        .webhook_deliveries(first.webhook_id, 10)
        .await
        .unwrap();
    let entry = log.iter().find(|l| l.id == first.id).unwrap();
    assert_eq!(
        (entry.attempts, entry.last_status, entry.delivered_at),
        (2, Some(204), Some(at(62)))
    );

    let second = &later.iter().find(|d| d.id != first.id).unwrap().clone();
    assert!(
        store
            .claim_webhook_delivery(second.id, at(63))
            .await
            .unwrap()
    );
    store
        .finish_webhook_delivery(
            second.id,
            DeliveryOutcome::GivenUp {
                status: None,
                error: "connection refused".into(),
            },
            at(64),
        )
        .await
        .unwrap();
    let log = store
        .webhook_deliveries(second.webhook_id, 10)
        .await
        .unwrap();
    let entry = log.iter().find(|l| l.id == second.id).unwrap();
    assert_eq!(
        (entry.failed_at, entry.last_error.as_str()),
        (Some(at(64)), "connection refused")
    );

    // A test delivery; a deleted webhook gets none and sends nothing more.
    let ping = store
        .enqueue_webhook_test(questions.id, "{}", at(70))
        .await
        .unwrap();
    assert!(ping.is_some());
    assert!(store.delete_webhook(questions.id, at(71)).await.unwrap());
    assert!(!store.delete_webhook(questions.id, at(71)).await.unwrap());
    assert_eq!(
        store
            .enqueue_webhook_test(questions.id, "{}", at(72))
            .await
            .unwrap(),
        None
    );
    assert!(
        store
            .due_webhook_deliveries(at(100), 10)
            .await
            .unwrap()
            .iter()
            .all(|d| d.webhook_id != questions.id),
        "nothing goes to a deleted webhook"
    );
    assert_eq!(store.webhooks().await.unwrap().len(), 1);
}
