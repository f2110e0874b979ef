//! Moderation through the Router, on both databases: flags and spam hiding, closing
//! and reopening, locks and protection, suspensions, the review queue, the log, and
//! every permission boundary (one reputation point short is refused; a suspended user
//! is refused everywhere; a regular user forging a moderator's form is refused), one
//! module a concern; the helpers they share are here.

use crate::support::{Client, Page, TestApp};
use axum::http::StatusCode;
use ponder_core::reputation::Privileges;
use ponder_core::{PostId, UserId};
use ponder_store::conformance as fx;
use ponder_store::{Category, Role, VoteValue};

mod closing;
mod flags;
mod locks;
mod permissions;
mod review;
mod suspensions;

const ANSWER: &str = "An answer with enough words to be worth reading here.";

/// Thresholds a test can sit exactly on: flagging, close votes and review at 12,
/// answering a protected question at 11 earned (12 total); votes and comments open.
fn twelve_point_privileges() -> Privileges {
    Privileges {
        flag: 12,
        vote_to_close: 12,
        edit_others: 12,
        answer_protected: 11,
        ..TestApp::open_privileges()
    }
}

/// A site on `engine` with one category, or `None` when the engine is not configured.
async fn site(engine: &str, privileges: Privileges) -> Option<(TestApp, Category)> {
    let app = TestApp::on(engine, privileges).await?;
    let cat = fx::category(&*app.store, None, "general").await;
    Some((app, cat))
}

/// A logged-in browser for a new account with `role`.
async fn member(app: &TestApp, handle: &str, role: Role, ip: &str) -> (UserId, Client) {
    let user = app.account(handle, "maple tree 1", role).await;
    let client = app.client(ip);
    client.log_in(handle, "maple tree 1").await;
    (user.id, client)
}

/// The question's thread as the store has it now.
async fn thread_of(app: &TestApp, q: PostId) -> ponder_store::QuestionThread {
    app.store.question_thread(q).await.unwrap().unwrap()
}

/// The revision an edit of `post` must name.
async fn base_revision(app: &TestApp, post: PostId) -> String {
    app.store
        .editable_post(post)
        .await
        .unwrap()
        .unwrap()
        .latest_revision
        .to_string()
}

async fn reputation(app: &TestApp, user: UserId) -> i64 {
    app.store.user(user).await.unwrap().unwrap().reputation
}

/// Brings a new user (reputation 1) to exactly 11: one upvoted question.
async fn raise_to_eleven(app: &TestApp, cat: &Category, user: UserId, tag: &str) {
    let q = fx::ask(
        &*app.store,
        user,
        cat.id,
        &format!("A question that earns {tag} ten points"),
        &["x"],
        0,
    )
    .await;
    let voter = fx::user(&*app.store, &format!("{tag}-voter")).await;
    fx::vote(&*app.store, q, voter.id, VoteValue::Up).await;
    assert_eq!(reputation(app, user).await, 11);
}

/// Brings a new user (reputation 1) to exactly 12: an accepted answer (+15) that
/// drew two downvotes (-2 each).
async fn raise_to_twelve(app: &TestApp, cat: &Category, user: UserId, tag: &str) {
    let asker = fx::user(&*app.store, &format!("{tag}-asker")).await;
    let q = fx::ask(
        &*app.store,
        asker.id,
        cat.id,
        &format!("A question {tag} answers well"),
        &["x"],
        0,
    )
    .await;
    let a = fx::answer(&*app.store, q, user, 1).await;
    app.store
        .accept_answer(q, Some(a), Default::default())
        .await
        .unwrap();
    for n in 0..2 {
        let voter = fx::user(&*app.store, &format!("{tag}-critic{n}")).await;
        fx::vote(&*app.store, a, voter.id, VoteValue::Down).await;
    }
    assert_eq!(reputation(app, user).await, 12);
}

/// Posts a form with the client's CSRF token.
async fn act(client: &Client, uri: &str, fields: &[(&str, &str)]) -> Page {
    let csrf = client.csrf("/settings").await;
    let mut all = vec![("csrf", csrf.as_str())];
    all.extend_from_slice(fields);
    client.post(uri, &all).await
}

fn refused(page: &Page, status: StatusCode, says: &str) {
    assert_eq!(page.status, status, "{}", page.body);
    let message = page.text(".error-page .message");
    assert!(message.contains(says), "{message:?} should say {says:?}");
}

async fn question_page(client: &Client, q: PostId) -> Page {
    let page = client.get(&format!("/questions/{q}")).await;
    if page.status == StatusCode::MOVED_PERMANENTLY || page.status == StatusCode::SEE_OTHER {
        return client.get(&page.location()).await;
    }
    page
}

async fn log_actions(app: &TestApp) -> Vec<(String, String, i64, String)> {
    let log = app.store.moderation_log(1).await.unwrap();
    log.items
        .into_iter()
        .map(|e| (e.action, e.target_kind, e.target_id, e.reason))
        .collect()
}
