//! Tags beyond their name (issue 18): a wiki with its history, edited by those
//! who may edit others' posts; renames and merges that redirect the old page and
//! retag the questions; synonyms that become their master when asking; and tags
//! only moderators may use.

use crate::support::{Client, Page, TestApp};
use axum::http::StatusCode;
use ponder_core::reputation::Privileges;
use ponder_store::Role;
use ponder_store::conformance as fx;

async fn send(client: &Client, uri: &str, fields: &[(&str, &str)]) -> Page {
    let csrf = client.csrf("/settings").await;
    let mut all = vec![("csrf", csrf.as_str())];
    all.extend_from_slice(fields);
    client.post(uri, &all).await
}

async fn ask(client: &Client, category: i64, tags: &str) -> Page {
    send(
        client,
        "/ask",
        &[
            ("title", "How do lifetimes work in practice"),
            (
                "body",
                "I read the book and still cannot see how lifetimes are chosen.",
            ),
            ("tags", tags),
            ("category", &category.to_string()),
            ("action", "post"),
        ],
    )
    .await
}

async fn tags_have_wikis_synonyms_and_moderators_tags(engine: &str) {
    let Some(app) = TestApp::on(engine, Privileges::default()).await else {
        return;
    };
    let ann = app.account("ann", "maple tree 1", Role::User).await;
    app.account("mod", "maple tree 1", Role::Moderator).await;
    let cat = fx::category(&*app.store, None, "general").await;
    let q = fx::ask(
        &*app.store,
        ann.id,
        cat.id,
        "An old question on rustlang",
        &["rustlang"],
        0,
    )
    .await;
    let moderator = app.client("10.45.0.1");
    moderator.log_in("mod", "maple tree 1").await;
    let member = app.client("10.45.0.2");
    member.log_in("ann", "maple tree 1").await;

    // The wiki: members below the edit privilege are refused; a moderator writes it.
    assert_eq!(
        member.get("/tags/rustlang/edit").await.status,
        StatusCode::FORBIDDEN
    );
    let refused = send(
        &member,
        "/tags/rustlang/edit",
        &[("description", "x"), ("wiki", "y")],
    )
    .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let too_long = send(
        &moderator,
        "/tags/rustlang/edit",
        &[("description", &"d".repeat(501)), ("wiki", "fine")],
    )
    .await;
    assert_eq!(too_long.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(too_long.count("#description-error"), 1);
    assert_eq!(too_long.text("#wiki"), "fine");
    let saved = send(
        &moderator,
        "/tags/rustlang/edit",
        &[
            ("description", "The Rust language."),
            ("wiki", "Use it for **Rust** questions."),
        ],
    )
    .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let page = app.get("/tags/rustlang").await;
    assert!(
        page.body
            .contains("Use it for <strong>Rust</strong> questions.")
    );
    assert_eq!(page.text(".lead"), "The Rust language.");
    let history = app.get("/tags/rustlang/revisions").await;
    assert_eq!(history.count(".revision"), 1);

    // Renamed: the old page redirects, the question carries the new name.
    let renamed = send(
        &moderator,
        "/tags/rustlang/manage",
        &[("action", "rename"), ("name", "Rust")],
    )
    .await;
    assert_eq!(renamed.status, StatusCode::SEE_OTHER, "{}", renamed.body);
    assert_eq!(renamed.location(), "/tags/rust/edit?done=Saved.");
    let old = app.get("/tags/rustlang").await;
    assert_eq!(old.status, StatusCode::MOVED_PERMANENTLY);
    assert_eq!(old.location(), "/tags/rust");
    let thread = app.store.question_thread(q).await.unwrap().unwrap();
    assert_eq!(thread.tags, ["rust"]);
    app.follow().await;

    // A synonym typed when asking becomes its master.
    let added = send(
        &moderator,
        "/tags/rust/manage",
        &[("action", "add_synonym"), ("synonym", "rs")],
    )
    .await;
    assert_eq!(added.status, StatusCode::SEE_OTHER);
    let taken = send(
        &moderator,
        "/tags/rust/manage",
        &[("action", "add_synonym"), ("synonym", "rust")],
    )
    .await;
    assert_eq!(taken.status, StatusCode::CONFLICT);
    assert_eq!(taken.count("#synonym-error"), 1);
    let asked = ask(&member, cat.id.0, "rs lifetimes rustlang").await;
    assert_eq!(asked.status, StatusCode::SEE_OTHER, "{}", asked.body);
    let newest = app.store.question_ids_after(q, 10).await.unwrap();
    let thread = app.store.question_thread(newest[0]).await.unwrap().unwrap();
    assert_eq!(thread.tags, ["rust", "lifetimes"]);

    // Merged: the questions take the target; a merge into itself is refused.
    let itself = send(
        &moderator,
        "/tags/lifetimes/manage",
        &[("action", "merge"), ("into", "lifetimes")],
    )
    .await;
    assert_eq!(itself.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(itself.count("#into-error"), 1);
    let nowhere = send(
        &moderator,
        "/tags/lifetimes/manage",
        &[("action", "merge"), ("into", "nowhere")],
    )
    .await;
    assert_eq!(nowhere.status, StatusCode::CONFLICT);
    let merged = send(
        &moderator,
        "/tags/lifetimes/manage",
        &[("action", "merge"), ("into", "rust")],
    )
    .await;
    assert_eq!(merged.status, StatusCode::SEE_OTHER, "{}", merged.body);
    assert_eq!(app.get("/tags/lifetimes").await.location(), "/tags/rust");
    let rust = app.get("/tags/rust").await;
    assert_eq!(rust.count(".question-row"), 2);
    assert!(rust.text(".synonyms").contains("lifetimes"));

    // Moderator-only: a member cannot ask with it, a moderator can.
    send(
        &moderator,
        "/tags/rust/manage",
        &[("action", "moderator_only"), ("only", "on")],
    )
    .await;
    let kept_out = ask(&member, cat.id.0, "rust").await;
    assert_eq!(kept_out.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(kept_out.text("#tags-error").contains("Only moderators"));
    assert_eq!(kept_out.attrs("#tags", "value"), ["rust"]);
    let by_moderator = ask(&moderator, cat.id.0, "rust").await;
    assert_eq!(by_moderator.status, StatusCode::SEE_OTHER);
    // A member only refused by the manage forms.
    let not_mod = send(
        &member,
        "/tags/rust/manage",
        &[("action", "rename"), ("name", "mine")],
    )
    .await;
    assert_eq!(not_mod.status, StatusCode::FORBIDDEN);
    let log = app.store.moderation_log(1).await.unwrap();
    let actions: Vec<&str> = log.items.iter().map(|e| e.action.as_str()).collect();
    for action in [
        "tag_rename",
        "tag_merge",
        "tag_synonym_add",
        "tag_moderator_only",
    ] {
        assert!(actions.contains(&action), "{action} in {actions:?}");
    }
}

on_both_databases!(tags_have_wikis_synonyms_and_moderators_tags);
