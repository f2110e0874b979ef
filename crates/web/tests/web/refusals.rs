//! Refusals through the Router, on both databases: a rule's refusal answers the
//! status of its kind with its sentence, or `{"error":{"code","message"}}` to a
//! request that asks for JSON; and writes that race another write answer a
//! refusal, never a 500 (issue 17).

use crate::support::{Client, Page, TestApp};
use axum::http::{StatusCode, header};
use ponder_core::PostId;
use ponder_core::reputation::Privileges;
use ponder_store::Role;
use ponder_store::conformance as fx;

on_both_databases!(
    refusals_answer_as_json_with_a_stable_code,
    writes_that_race_another_answer_a_refusal_never_a_failure,
);

const ANSWER: &str = "An answer with enough words to be worth reading here.";

async fn logged_in(app: &TestApp, handle: &str, ip: &str) -> Client {
    app.account(handle, "maple tree 1", Role::User).await;
    let client = app.client(ip);
    client.log_in(handle, "maple tree 1").await;
    client
}

/// Posts `fields` (with the client's token) asking for JSON.
async fn post_json(client: &Client, uri: &str, fields: &[(&str, &str)]) -> Page {
    let csrf = client.csrf("/settings").await;
    let mut all = vec![("csrf", csrf.as_str())];
    all.extend_from_slice(fields);
    client
        .post_with(uri, &all, &[("accept", "application/json")])
        .await
}

fn error_of(page: &Page) -> serde_json::Value {
    assert_eq!(page.header(header::CONTENT_TYPE), "application/json");
    serde_json::from_str(&page.body).unwrap_or_else(|e| panic!("{e}: {}", page.body))
}

async fn refusals_answer_as_json_with_a_stable_code(engine: &str) {
    let privileges = Privileges {
        vote_down: 125,
        ..TestApp::open_privileges()
    };
    let Some(app) = TestApp::on(engine, privileges).await else {
        return;
    };
    let cat = fx::category(&*app.store, None, "general").await;
    let ann = logged_in(&app, "ann", "10.7.0.1").await;
    let ann_id = app
        .store
        .login_record("ann")
        .await
        .unwrap()
        .unwrap()
        .user
        .id;
    let q = fx::ask(&*app.store, ann_id, cat.id, "Refused", &[], 1).await;
    let vote_uri = format!("/posts/{q}/vote");

    let own = post_json(&ann, &vote_uri, &[("value", "up")]).await;
    assert_eq!(own.status, StatusCode::FORBIDDEN);
    assert_eq!(
        error_of(&own),
        serde_json::json!({ "error": {
            "code": "own_post_vote",
            "message": "You cannot vote on your own post."
        }})
    );
    // The same refusal to a form: the page, with the same sentence.
    let csrf = ann.csrf("/settings").await;
    let page = ann
        .post(&vote_uri, &[("csrf", &csrf), ("value", "up")])
        .await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    assert_eq!(
        page.text(".error-page .message"),
        "You cannot vote on your own post."
    );

    let bob = logged_in(&app, "bob", "10.7.0.2").await;
    let down = post_json(&bob, &vote_uri, &[("value", "down")]).await;
    assert_eq!(down.status, StatusCode::FORBIDDEN);
    assert_eq!(
        error_of(&down)["error"],
        serde_json::json!({
            "code": "reputation_too_low",
            "message": "You need 125 reputation to vote down; you have 1."
        })
    );
    // What is not a rule's refusal has a code too.
    let missing = post_json(&bob, "/posts/99999999/vote", &[("value", "up")]).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_eq!(error_of(&missing)["error"]["code"], "not_found");
    let unknown = post_json(&bob, &vote_uri, &[("value", "sideways")]).await;
    assert_eq!(unknown.status, StatusCode::BAD_REQUEST);
    assert_eq!(error_of(&unknown)["error"]["code"], "bad_request");
    // A visitor is told to log in, not sent to the log-in page.
    let visitor = app.client("10.7.0.3");
    let csrf = visitor.csrf("/login").await;
    let anonymous = visitor
        .post_with(
            &vote_uri,
            &[("csrf", &csrf), ("value", "up")],
            &[("accept", "application/json")],
        )
        .await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
    assert_eq!(error_of(&anonymous)["error"]["code"], "login_required");
    // Nothing changed.
    assert_eq!(app.store.post_score(q).await.unwrap(), Some(0));
}

/// The statuses a refused or a successful write may answer.
fn refused_or_done(page: &Page) {
    assert!(
        [
            StatusCode::SEE_OTHER,
            StatusCode::FORBIDDEN,
            StatusCode::NOT_FOUND,
            StatusCode::CONFLICT,
            StatusCode::UNPROCESSABLE_ENTITY,
        ]
        .contains(&page.status),
        "{}: {}",
        page.status,
        page.body
    );
}

async fn writes_that_race_another_answer_a_refusal_never_a_failure(engine: &str) {
    let Some(app) = TestApp::on(engine, TestApp::open_privileges()).await else {
        return;
    };
    let cat = fx::category(&*app.store, None, "general").await;
    let asker = logged_in(&app, "asker", "10.8.0.1").await;
    let asker_id = app
        .store
        .login_record("asker")
        .await
        .unwrap()
        .unwrap()
        .user
        .id;
    let mut answerers = Vec::new();
    for n in 0..4 {
        answerers.push(logged_in(&app, &format!("answerer{n}"), &format!("10.8.1.{n}")).await);
    }
    let moderator = app.account("mod", "maple tree 1", Role::Moderator).await;

    for round in 0..3 {
        let q = fx::ask(&*app.store, asker_id, cat.id, "Raced", &[], round).await;
        // Four answers posted while the question closes.
        let post = |n: usize| {
            let client = &answerers[n];
            async move {
                let csrf = client.csrf("/settings").await;
                client
                    .post(
                        &format!("/questions/{q}/answers"),
                        &[("csrf", &csrf), ("body", ANSWER)],
                    )
                    .await
            }
        };
        let close = async {
            tokio::task::yield_now().await;
            app.store
                .cast_close_vote(ponder_store::NewCloseVote {
                    question: q,
                    user: moderator.id,
                    close: true,
                    reason: "needs more focus".into(),
                    duplicate_of: None,
                    at: fx::at(100 + round),
                    threshold: 1,
                })
                .await
                .unwrap();
        };
        let (a, b, c, d, ()) = tokio::join!(post(0), post(1), post(2), post(3), close);
        for page in [&a, &b, &c, &d] {
            refused_or_done(page);
        }

        // An accept while the answer's author deletes it.
        let reopened = app
            .store
            .cast_close_vote(ponder_store::NewCloseVote {
                question: q,
                user: moderator.id,
                close: false,
                reason: String::new(),
                duplicate_of: None,
                at: fx::at(200 + round),
                threshold: 1,
            })
            .await;
        assert!(reopened.is_ok(), "{reopened:?}");
        let answer = fx::answer(&*app.store, q, answerer_id(&app, 0).await, 300 + round).await;
        let accept = async {
            let csrf = asker.csrf("/settings").await;
            asker
                .post(
                    &format!("/posts/{answer}/accept"),
                    &[("csrf", &csrf), ("value", "accept")],
                )
                .await
        };
        let delete = async {
            let csrf = answerers[0].csrf("/settings").await;
            answerers[0]
                .post(&format!("/posts/{answer}/delete"), &[("csrf", &csrf)])
                .await
        };
        let (accepted, deleted) = tokio::join!(accept, delete);
        refused_or_done(&accepted);
        refused_or_done(&deleted);
        let thread = app.store.question_thread(q).await.unwrap().unwrap();
        assert!(
            thread.question.accepted_answer_id.is_none()
                || thread.question.accepted_answer_id == Some(PostId(answer.0)),
        );
    }
}

async fn answerer_id(app: &TestApp, n: usize) -> ponder_core::UserId {
    app.store
        .login_record(&format!("answerer{n}"))
        .await
        .unwrap()
        .unwrap()
        .user
        .id
}
