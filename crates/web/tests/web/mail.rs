//! The inbox's mail over a real SMTP conversation (a server started by the test,
//! over TCP): a direct item mailed once with text and HTML parts and an RFC 8058
//! one-click unsubscribe link; the server down and back with nothing lost or sent
//! twice; two nodes sending from one outbox; digests; and the unsubscribe link
//! tampered with, or used without logging in.

use crate::smtp::{Received, SmtpServer};
use crate::support::{Client, TestApp};
use axum::http::StatusCode;
use ponder_store::Role;
use ponder_store::conformance as fx;
use ponder_web::outbox::{OutboxSender, Round};
use ponder_web::{AppState, SiteConfig};
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

/// What a mail provider posts to a one-click unsubscribe address (RFC 8058).
const ONE_CLICK: &[u8] = b"List-Unsubscribe=One-Click";
const FORM: &str = "application/x-www-form-urlencoded";

/// Another node of the site, over the same database, that mails through `smtp`.
fn node(app: &TestApp, smtp: &SmtpServer) -> AppState {
    let mailer =
        ponder_web::auth::mail::SmtpMailer::new(&smtp.url(), "Testing Site <noreply@example.org>")
            .unwrap();
    AppState::new(
        app.store.clone(),
        Arc::new(ponder_search::SearchIndex::in_memory().unwrap()),
        SiteConfig {
            name: "Testing Site".into(),
            base_url: "https://ask.example.org".into(),
            webhooks_reach_private: false,
            images_reach_private: false,
        },
    )
    .with_mailer(Arc::new(mailer))
}

/// A verified member.
async fn member(app: &TestApp, handle: &str) -> ponder_store::User {
    let user = app.account(handle, "maple tree 1", Role::User).await;
    app.store
        .set_email_verified(user.id, fx::at(0))
        .await
        .unwrap();
    user
}

/// The address in a `List-Unsubscribe: <…>` header, as a path on the site.
fn unsubscribe_path(mail: &Received) -> String {
    let header = mail
        .header("List-Unsubscribe")
        .expect("a List-Unsubscribe header");
    header
        .trim_start_matches("<https://ask.example.org")
        .trim_end_matches('>')
        .to_owned()
}

async fn a_direct_item_is_mailed_once_and_survives_the_server_going_down(engine: &str) {
    let Some(app) = TestApp::on(engine, TestApp::open_privileges()).await else {
        return;
    };
    let mut smtp = SmtpServer::start().await;
    let node = node(&app, &smtp);
    let sender = OutboxSender::new(node.clone()).first_retry_after(1);
    let inbox = app.start_inbox().await;
    let ann = member(&app, "ann").await;
    let bob = member(&app, "bob").await;
    let carl = app.account("carl", "maple tree 1", Role::User).await; // not verified
    let general = fx::category(&*app.store, None, "general").await;
    let q = fx::ask(
        &*app.store,
        ann.id,
        general.id,
        "Where do lifetimes end",
        &[],
        0,
    )
    .await;
    let unverified = fx::ask(&*app.store, carl.id, general.id, "Carl asks too", &[], 1).await;
    fx::answer(&*app.store, q, bob.id, 2).await;
    fx::answer(&*app.store, unverified, bob.id, 3).await;
    app.deliver(&inbox).await;

    let round = sender.round().await.unwrap();
    assert_eq!(
        (round.leading, round.sent, round.failed),
        (true, 1, 0),
        "{round:?}"
    );
    let mails = smtp.messages_to("ann@example.org");
    assert_eq!(mails.len(), 1);
    assert!(
        smtp.messages_to("carl@example.org").is_empty(),
        "no mail to an unverified address"
    );
    let mail = &mails[0];
    assert_eq!(
        mail.header("Subject").unwrap(),
        "New answer to your question: Where do lifetimes end"
    );
    assert_eq!(
        mail.header("List-Unsubscribe-Post").unwrap(),
        "List-Unsubscribe=One-Click"
    );
    let unsubscribe = unsubscribe_path(mail);
    assert!(
        unsubscribe.starts_with("/unsubscribe?token="),
        "{unsubscribe}"
    );
    assert!(
        mail.header("Content-Type")
            .unwrap()
            .starts_with("multipart/alternative")
    );
    assert!(mail.data.contains("Content-Type: text/plain"));
    assert!(mail.data.contains("Content-Type: text/html"));
    assert!(mail.data.contains("https://ask.example.org/settings#mail"));

    // Another round sends nothing again.
    let again = sender.round().await.unwrap();
    assert_eq!(again.sent, 0);
    assert_eq!(smtp.messages().len(), 1);

    // The server goes down: the mail waits, and goes once it is back.
    smtp.stop().await;
    fx::comment(&*app.store, q, bob.id, 4).await;
    app.store
        .create_comment(ponder_store::NewComment {
            post: q,
            author: bob.id,
            body: ponder_store::PostBody::from_markdown("@ann one more thing"),
            created_at: fx::at(5),
        })
        .await
        .unwrap();
    app.deliver(&inbox).await;
    let down = sender.round().await.unwrap();
    assert_eq!((down.sent, down.failed), (0, 1), "{down:?}");
    smtp.restart().await;
    let mut sent = Round::default();
    for _ in 0..50 {
        sent = sender.round().await.unwrap();
        if sent.sent > 0 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    assert_eq!(sent.sent, 1, "{sent:?}");
    let mails = smtp.messages_to("ann@example.org");
    assert_eq!(
        mails.len(),
        2,
        "the mention, once; a comment alone mails nobody"
    );
    assert!(
        mails[1]
            .header("Subject")
            .unwrap()
            .starts_with("You were mentioned")
    );

    // The one-click link, posted as a mail provider posts it: no session, no token.
    let stranger = Client::of(ponder_web::app(node.clone()), "10.23.0.1");
    let mut tampered = unsubscribe.clone();
    tampered.pop();
    tampered.push(if unsubscribe.ends_with('a') { 'b' } else { 'a' });
    let refused = stranger
        .post_raw(&tampered, FORM, ONE_CLICK.to_vec(), &[])
        .await;
    assert_eq!(refused.status, StatusCode::NOT_FOUND);
    assert!(app.store.mail_preferences(ann.id).await.unwrap().direct);
    let bad = stranger
        .post_raw("/unsubscribe?token=short", FORM, ONE_CLICK.to_vec(), &[])
        .await;
    assert_eq!(bad.status, StatusCode::NOT_FOUND);
    let asked = stranger.get(&unsubscribe).await;
    assert_eq!(asked.status, StatusCode::OK, "a click asks first");
    assert_eq!(asked.count("form[method=post] button"), 1);
    assert!(app.store.mail_preferences(ann.id).await.unwrap().direct);
    let done = stranger
        .post_raw(&unsubscribe, FORM, ONE_CLICK.to_vec(), &[])
        .await;
    assert_eq!(done.status, StatusCode::OK);
    assert!(done.text("h1").contains("Unsubscribed"));
    let prefs = app.store.mail_preferences(ann.id).await.unwrap();
    assert!(!prefs.direct, "direct mail is off");
    assert_eq!(
        prefs.digest,
        ponder_core::notices::DigestFrequency::Weekly,
        "the digest is not"
    );

    // Nothing more comes of direct items; the inbox still has them.
    fx::answer(&*app.store, q, carl.id, 6).await;
    app.deliver(&inbox).await;
    assert_eq!(sender.round().await.unwrap().sent, 0);
    assert_eq!(smtp.messages_to("ann@example.org").len(), 2);
    assert!(app.store.unread_notices(ann.id).await.unwrap() > 0);
}

async fn two_nodes_send_each_mail_once(engine: &str) {
    let Some(app) = TestApp::on(engine, TestApp::open_privileges()).await else {
        return;
    };
    let smtp = SmtpServer::start().await;
    let (one, two) = (
        OutboxSender::new(node(&app, &smtp)),
        OutboxSender::new(node(&app, &smtp)),
    );
    let inbox = app.start_inbox().await;
    let general = fx::category(&*app.store, None, "general").await;
    let answerer = member(&app, "zed").await;
    let mut askers = Vec::new();
    for n in 0..12 {
        let asker = member(&app, &format!("asker{n}")).await;
        let q = fx::ask(
            &*app.store,
            asker.id,
            general.id,
            &format!("Question number {n} here"),
            &[],
            n,
        )
        .await;
        fx::answer(&*app.store, q, answerer.id, 100 + n).await;
        askers.push(asker);
    }
    app.deliver(&inbox).await;
    for _ in 0..5 {
        let (a, b) = tokio::join!(one.round(), two.round());
        let (a, b) = (a.unwrap(), b.unwrap());
        if engine == "postgres" {
            assert!(!(a.leading && b.leading), "one node leads: {a:?} {b:?}");
        }
    }
    for asker in &askers {
        let to = format!("{}@example.org", asker.handle);
        assert_eq!(smtp.messages_to(&to).len(), 1, "{to}");
    }
    assert_eq!(smtp.messages().len(), 12);
}

async fn a_digest_lists_new_questions_in_what_is_followed(engine: &str) {
    let Some(app) = TestApp::on(engine, TestApp::open_privileges()).await else {
        return;
    };
    let smtp = SmtpServer::start().await;
    static SHIFT: AtomicI64 = AtomicI64::new(0);
    SHIFT.store(0, Ordering::SeqCst);
    let sender = OutboxSender::new(node(&app, &smtp)).with_clock(Arc::new(|| {
        ponder_core::time::now() + SHIFT.load(Ordering::SeqCst)
    }));
    let erin = member(&app, "erin").await;
    let ann = member(&app, "ann").await;
    let general = fx::category(&*app.store, None, "general").await;
    fx::ask(
        &*app.store,
        ann.id,
        general.id,
        "The tag's first question",
        &["rust"],
        0,
    )
    .await;
    let rust = app.store.tag("rust").await.unwrap().unwrap().id.0;
    app.store
        .follow(
            erin.id,
            ponder_core::notices::FollowKind::Tag,
            rust,
            ponder_core::notices::FollowLevel::Digest,
            fx::at(1),
        )
        .await
        .unwrap();
    assert_eq!(
        sender.round().await.unwrap().digests,
        0,
        "the first period starts now"
    );
    // Asked "tomorrow", within the week the digest covers.
    SHIFT.store(86_400, Ordering::SeqCst);
    let q = app
        .store
        .create_question(ponder_store::NewQuestion {
            author: ann.id,
            category: general.id,
            title: "A rust question for the digest".into(),
            body: ponder_store::PostBody::from_markdown("Body long enough to be a question."),
            tags: vec!["rust".into()],
            created_at: ponder_core::time::now() + 86_400,
        })
        .await
        .unwrap();
    SHIFT.store(7 * 86_400 + 60, Ordering::SeqCst);
    let round = sender.round().await.unwrap();
    assert_eq!((round.digests, round.sent), (1, 1), "{round:?}");
    let mails = smtp.messages_to("erin@example.org");
    assert_eq!(mails.len(), 1);
    assert_eq!(
        mails[0].header("Subject").unwrap(),
        "Testing Site: 1 new question in what you follow"
    );
    assert!(mails[0].data.contains("A rust question for the digest"));
    assert!(
        mails[0]
            .data
            .contains(&format!("/questions/{q}/a-rust-question-for-the-digest"))
    );
    assert!(
        smtp.messages_to("ann@example.org").is_empty(),
        "ann follows nothing"
    );
    // A week with nothing new sends nothing.
    SHIFT.store(14 * 86_400 + 120, Ordering::SeqCst);
    let quiet = sender.round().await.unwrap();
    assert_eq!(
        (quiet.digests, quiet.sent, quiet.skipped),
        (1, 0, 1),
        "{quiet:?}"
    );
}

on_both_databases!(
    a_direct_item_is_mailed_once_and_survives_the_server_going_down,
    two_nodes_send_each_mail_once,
    a_digest_lists_new_questions_in_what_is_followed
);
