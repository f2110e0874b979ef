//! Webhooks (issue 20, item 4): registered by an administrator (a private address
//! refused), queued from the change log, POSTed to a real HTTP receiver on
//! 127.0.0.1 with a signature it can check, retried after a failure, logged, and
//! never sent to a private address unless the site allows it.

use crate::support::TestApp;
use axum::http::StatusCode;
use ponder_core::webhooks::{WebhookEvent, signature};
use ponder_feed::{Follower, Subscriber, WebhookSubscriber};
use ponder_store::conformance as fx;
use ponder_store::{NewWebhook, Role};
use ponder_web::webhooks::WebhookSender;
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// One request the receiver took: its headers (lowercase names) and body.
#[derive(Debug, Clone)]
struct Received {
    headers: Vec<(String, String)>,
    body: String,
}

impl Received {
    fn header(&self, name: &str) -> &str {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map_or("", |(_, v)| v.as_str())
    }
}

/// A plain HTTP/1.1 receiver on 127.0.0.1: records each request and answers the
/// next status of `answers` (200 when they run out).
async fn receiver(answers: Vec<u16>) -> (String, Arc<Mutex<Vec<Received>>>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    let seen = Arc::new(Mutex::new(Vec::new()));
    let record = seen.clone();
    tokio::spawn(async move {
        let mut answers = answers.into_iter();
        loop {
            let Ok((mut socket, _)) = listener.accept().await else {
                return;
            };
            let mut buffer = Vec::new();
            let mut chunk = [0u8; 4096];
            let (head_end, length) = loop {
                let n = socket.read(&mut chunk).await.unwrap_or(0);
                if n == 0 {
                    break (None, 0);
                }
                buffer.extend_from_slice(&chunk[..n]);
                if let Some(end) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
                    let head = String::from_utf8_lossy(&buffer[..end]).to_lowercase();
                    let length = head
                        .lines()
                        .find_map(|l| l.strip_prefix("content-length:"))
                        .and_then(|v| v.trim().parse::<usize>().ok())
                        .unwrap_or(0);
                    break (Some(end + 4), length);
                }
            };
            let Some(start) = head_end else { continue };
            while buffer.len() < start + length {
                let n = socket.read(&mut chunk).await.unwrap_or(0);
                if n == 0 {
                    break;
                }
                buffer.extend_from_slice(&chunk[..n]);
            }
            let head = String::from_utf8_lossy(&buffer[..start]).to_string();
            let headers = head
                .lines()
                .skip(1)
                .filter_map(|l| l.split_once(':'))
                .map(|(n, v)| (n.trim().to_lowercase(), v.trim().to_owned()))
                .collect();
            let body = String::from_utf8_lossy(&buffer[start..]).to_string();
            record.lock().unwrap().push(Received { headers, body });
            let status = answers.next().unwrap_or(200);
            let reply =
                format!("HTTP/1.1 {status} X\r\ncontent-length: 2\r\nconnection: close\r\n\r\nok");
            let _ = socket.write_all(reply.as_bytes()).await;
        }
    });
    (url, seen)
}

async fn events_reach_a_receiver_signed_retried_and_logged(engine: &str) {
    let Some(app) = TestApp::on(engine, TestApp::open_privileges()).await else {
        return;
    };
    let admin = app.account("root", "maple tree 1", Role::Admin).await;
    let ann = app.account("ann", "maple tree 1", Role::User).await;
    let cat = fx::category(&*app.store, None, "general").await;
    let (url, seen) = receiver(vec![200, 500]).await;
    let hook = app
        .store
        .create_webhook(NewWebhook {
            url: url.clone(),
            secret: "the shared secret".into(),
            events: vec![WebhookEvent::Question, WebhookEvent::Answer],
            created_by: admin.id,
            created_at: fx::at(0),
        })
        .await
        .unwrap();
    let subscriber = Arc::new(
        WebhookSubscriber::start(&*app.store, "https://ask.example.org")
            .await
            .unwrap(),
    );
    let follower = Follower::new(
        app.store.clone(),
        vec![subscriber.clone() as Arc<dyn Subscriber>],
        1,
    );
    let sender = WebhookSender::new(app.store.clone(), true).first_retry_after(1);

    // A question: queued, POSTed, signed over the timestamp and the body.
    let q = fx::ask(
        &*app.store,
        ann.id,
        cat.id,
        "Will the hook hear this?",
        &[],
        1,
    )
    .await;
    let last = app.store.last_change_id().await.unwrap();
    for _ in 0..200 {
        follower.pass().await;
        if subscriber.position() >= last {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    let round = sender.round().await.unwrap();
    assert_eq!((round.delivered, round.failed), (1, 0));
    let first = seen.lock().unwrap()[0].clone();
    assert_eq!(first.header("ponder-event"), "question.created");
    assert_eq!(first.header("content-type"), "application/json");
    let sent = first.header("ponder-signature");
    let timestamp: i64 = sent
        .strip_prefix("t=")
        .and_then(|s| s.split(',').next())
        .and_then(|t| t.parse().ok())
        .unwrap();
    assert_eq!(
        sent,
        signature("the shared secret", timestamp, first.body.as_bytes())
    );
    assert!((ponder_core::time::now() - timestamp).abs() < 60);
    let body: serde_json::Value = serde_json::from_str(&first.body).unwrap();
    assert_eq!(
        (body["event"].clone(), body["post"]["id"].clone()),
        (
            serde_json::json!("question.created"),
            serde_json::json!(q.0)
        )
    );

    // An answer: the receiver fails it once (500), the retry delivers it.
    fx::answer(&*app.store, q, admin.id, 2).await;
    fx::comment(&*app.store, q, admin.id, 3).await; // not an event this webhook takes
    let last = app.store.last_change_id().await.unwrap();
    for _ in 0..200 {
        follower.pass().await;
        if subscriber.position() >= last {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    let failed = sender.round().await.unwrap();
    assert_eq!((failed.delivered, failed.failed), (0, 1));
    let log = app.store.webhook_deliveries(hook.id, 10).await.unwrap();
    assert_eq!(
        (log[0].last_status, log[0].attempts, log[0].delivered_at),
        (Some(500), 1, None)
    );
    tokio::time::sleep(std::time::Duration::from_millis(2100)).await;
    let retried = sender.round().await.unwrap();
    assert_eq!((retried.delivered, retried.failed), (1, 0));
    assert_eq!(
        seen.lock().unwrap().len(),
        3,
        "two tries of the answer, nothing for the comment"
    );
    let log = app.store.webhook_deliveries(hook.id, 10).await.unwrap();
    assert_eq!((log[0].last_status, log[0].attempts), (Some(200), 2));
    assert!(log[0].delivered_at.is_some());

    // The page: the log, a test event (sent as any delivery), deletion; members refused.
    let root = app.client("10.50.0.1");
    root.log_in("root", "maple tree 1").await;
    let page = root.get("/admin/webhooks").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text(&format!("#webhook-{}", hook.id)).contains(&url));
    assert!(
        page.text(&format!("#webhook-{}", hook.id))
            .contains("answer.created")
    );
    let csrf = root.csrf("/admin/webhooks").await;
    let tested = root
        .post(
            &format!("/admin/webhooks/{}/test", hook.id),
            &[("csrf", &csrf)],
        )
        .await;
    assert_eq!(tested.status, StatusCode::SEE_OTHER);
    assert_eq!(sender.round().await.unwrap().delivered, 1);
    assert_eq!(
        seen.lock().unwrap().last().unwrap().header("ponder-event"),
        "ping"
    );

    // A private address: refused at registration, and by a sender that may not reach it.
    let refused = root
        .post(
            "/admin/webhooks",
            &[("csrf", &csrf), ("url", &url), ("question.created", "on")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.text("#url-error").contains("not a public address"),
        "{}",
        refused.text("#url-error")
    );
    assert_eq!(refused.attrs("#url", "value"), [url.as_str()]);
    let no_events = root
        .post(
            "/admin/webhooks",
            &[("csrf", &csrf), ("url", "https://93.184.216.34/in")],
        )
        .await;
    assert!(no_events.text("#events-error").contains("at least one"));
    let made = root
        .post(
            "/admin/webhooks",
            &[
                ("csrf", &csrf),
                ("url", "https://93.184.216.34/in"),
                ("flag.created", "on"),
            ],
        )
        .await;
    assert_eq!(made.status, StatusCode::OK, "{}", made.text(".field-error"));
    assert_eq!(
        made.attrs("#webhook-secret", "value")[0].len(),
        64,
        "the secret, shown once"
    );
    drop(sender); // its lease, for the next sender (on PostgreSQL one holds it at a time)
    let strict = WebhookSender::new(app.store.clone(), false);
    app.store
        .enqueue_webhook_test(hook.id, "{}", ponder_core::time::now())
        .await
        .unwrap();
    let before = seen.lock().unwrap().len();
    assert_eq!(strict.round().await.unwrap().failed, 1);
    assert_eq!(
        seen.lock().unwrap().len(),
        before,
        "nothing reached the private address"
    );
    let log = app.store.webhook_deliveries(hook.id, 1).await.unwrap();
    assert!(
        log[0].last_error.contains("not a public address"),
        "{}",
        log[0].last_error
    );

    let member = app.client("10.50.0.2");
    member.log_in("ann", "maple tree 1").await;
    assert_eq!(
        member.get("/admin/webhooks").await.status,
        StatusCode::FORBIDDEN
    );
    let deleted = root
        .post(
            &format!("/admin/webhooks/{}/delete", hook.id),
            &[("csrf", &csrf)],
        )
        .await;
    assert_eq!(deleted.status, StatusCode::SEE_OTHER);
    assert_eq!(app.store.webhooks().await.unwrap().len(), 1);
}

on_both_databases!(events_reach_a_receiver_signed_retried_and_logged);
