//! Administering accounts at `/admin/users` (issue 18): activity beside each
//! account, roles (never leaving the site without an administrator), and the two
//! ways to delete an account; a member's own data as JSON from `/settings`.

use crate::support::{Client, Page, TestApp};
use axum::http::{StatusCode, header};
use ponder_store::Role;
use ponder_store::conformance as fx;

async fn send(client: &Client, uri: &str, fields: &[(&str, &str)]) -> Page {
    let csrf = client.csrf("/settings").await;
    let mut all = vec![("csrf", csrf.as_str())];
    all.extend_from_slice(fields);
    client.post(uri, &all).await
}

async fn accounts_are_administered_without_losing_the_last_administrator(engine: &str) {
    let Some(app) = TestApp::on(engine, TestApp::open_privileges()).await else {
        return;
    };
    let root = app.account("root", "maple tree 1", Role::Admin).await;
    let ann = app.account("ann", "maple tree 1", Role::User).await;
    let spammer = app.account("spammer", "maple tree 1", Role::User).await;
    let cat = fx::category(&*app.store, None, "general").await;
    let q = fx::ask(
        &*app.store,
        ann.id,
        cat.id,
        "A question ann asked here",
        &["x"],
        0,
    )
    .await;
    let spam = fx::ask(
        &*app.store,
        spammer.id,
        cat.id,
        "Cheap watches for sale now",
        &["x"],
        1,
    )
    .await;
    let kept = fx::ask(
        &*app.store,
        spammer.id,
        cat.id,
        "A fair question by a spammer",
        &["x"],
        2,
    )
    .await;
    fx::comment(&*app.store, q, spammer.id, 3).await;
    let admin = app.client("10.44.0.1");
    admin.log_in("root", "maple tree 1").await;

    let page = admin.get("/admin/users?q=spammer").await;
    assert_eq!(page.status, StatusCode::OK);
    let row = page.text(&format!("#user-{}", spammer.id.0));
    assert!(row.contains("never"), "{row}");
    assert_eq!(page.texts(&format!("#user-{} td", spammer.id.0))[6], "2");
    let me = admin.get("/admin/users?q=root").await;
    assert_ne!(me.texts(&format!("#user-{} td", root.id.0))[5], "never");
    assert_eq!(
        me.count(&format!("#user-{} details.delete-user", root.id.0)),
        0
    );

    // Roles: the last administrator cannot step down; with another, they can.
    let alone = send(
        &admin,
        &format!("/admin/users/{}/role", root.id.0),
        &[("role", "user")],
    )
    .await;
    assert_eq!(alone.status, StatusCode::CONFLICT);
    assert!(alone.body.contains("last administrator"));
    assert_eq!(
        app.store.user(root.id).await.unwrap().unwrap().role,
        Role::Admin
    );
    let made = send(
        &admin,
        &format!("/admin/users/{}/role", ann.id.0),
        &[("role", "admin")],
    )
    .await;
    assert_eq!(made.status, StatusCode::SEE_OTHER);
    assert_eq!(
        app.store.user(ann.id).await.unwrap().unwrap().role,
        Role::Admin
    );
    let bad = send(
        &admin,
        &format!("/admin/users/{}/role", ann.id.0),
        &[("role", "emperor")],
    )
    .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    // An administrator is not deleted here, and not by their own settings.
    let admin_gone = send(
        &admin,
        &format!("/admin/users/{}/delete", ann.id.0),
        &[("mode", "anonymise"), ("confirm", "ann")],
    )
    .await;
    assert_eq!(admin_gone.status, StatusCode::FORBIDDEN);
    let own = send(
        &admin,
        "/settings/delete",
        &[("password", "maple tree 1"), ("confirm", "delete")],
    )
    .await;
    assert_ne!(own.status, StatusCode::SEE_OTHER, "{}", own.body);
    assert!(!app.store.user(root.id).await.unwrap().unwrap().deleted);
    send(
        &admin,
        &format!("/admin/users/{}/role", ann.id.0),
        &[("role", "user")],
    )
    .await;

    // Deletion needs the handle typed; with content, the spam goes.
    let unconfirmed = send(
        &admin,
        &format!("/admin/users/{}/delete", spammer.id.0),
        &[("mode", "content"), ("confirm", "someone")],
    )
    .await;
    assert_eq!(unconfirmed.status, StatusCode::BAD_REQUEST);
    assert!(!app.store.user(spammer.id).await.unwrap().unwrap().deleted);
    let deleted = send(
        &admin,
        &format!("/admin/users/{}/delete", spammer.id.0),
        &[("mode", "content"), ("confirm", "Spammer")],
    )
    .await;
    assert_eq!(deleted.status, StatusCode::SEE_OTHER, "{}", deleted.body);
    let back = admin.get(&deleted.location()).await;
    assert!(
        back.text(".flash.success")
            .contains("2 posts and 1 comment"),
        "{}",
        back.text(".flash.success")
    );
    for post in [spam, kept] {
        let path = format!("/questions/{post}");
        let first = app.get(&path).await;
        let page = if first.status == StatusCode::MOVED_PERMANENTLY {
            app.get(&first.location()).await
        } else {
            first
        };
        assert_eq!(page.status, StatusCode::NOT_FOUND, "{path}");
    }
    assert!(app.store.login_record("spammer").await.unwrap().is_none());

    // Anonymised: the posts stay, unsigned.
    let anonymised = send(
        &admin,
        &format!("/admin/users/{}/delete", ann.id.0),
        &[("mode", "anonymise"), ("confirm", "ann")],
    )
    .await;
    assert_eq!(
        anonymised.status,
        StatusCode::SEE_OTHER,
        "{}",
        anonymised.body
    );
    let question = app.get(&format!("/questions/{q}")).await;
    assert_eq!(question.status, StatusCode::MOVED_PERMANENTLY);
    let shown = app.get(&question.location()).await;
    assert_eq!(shown.status, StatusCode::OK);
    assert!(!shown.body.contains(">Ann<"));
    let log = app.store.moderation_log(1).await.unwrap();
    let actions: Vec<&str> = log.items.iter().map(|e| e.action.as_str()).collect();
    for action in [
        "user_delete",
        "user_delete_with_content",
        "role_admin",
        "role_user",
    ] {
        assert!(actions.contains(&action), "{action} in {actions:?}");
    }
}

#[tokio::test]
async fn only_administrators_delete_accounts() {
    let app = TestApp::new().await;
    let ann = app.account("ann", "maple tree 1", Role::User).await;
    app.account("mod", "maple tree 1", Role::Moderator).await;
    let moderator = app.client("10.44.1.1");
    moderator.log_in("mod", "maple tree 1").await;
    let refused = send(
        &moderator,
        &format!("/admin/users/{}/delete", ann.id.0),
        &[("mode", "content"), ("confirm", "ann")],
    )
    .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert!(!app.store.user(ann.id).await.unwrap().unwrap().deleted);
}

#[tokio::test]
async fn members_download_their_own_data() {
    let app = TestApp::new().await;
    let ann = app.account("ann", "maple tree 1", Role::User).await;
    let bob = app.account("bob", "maple tree 1", Role::User).await;
    let cat = fx::category(&*app.store, None, "general").await;
    let q = fx::ask(
        &*app.store,
        ann.id,
        cat.id,
        "What ann asked about",
        &["x"],
        0,
    )
    .await;
    fx::answer(&*app.store, q, bob.id, 1).await;
    fx::comment(&*app.store, q, ann.id, 2).await;
    let visitor = app.get("/settings/data.json").await;
    assert_eq!(visitor.status, StatusCode::SEE_OTHER);
    let client = app.client("10.44.2.1");
    client.log_in("ann", "maple tree 1").await;
    let settings = client.get("/settings").await;
    assert_eq!(
        settings
            .attrs("a[href='/settings/data.json']", "href")
            .len(),
        1
    );
    let data = client.get("/settings/data.json").await;
    assert_eq!(data.status, StatusCode::OK);
    assert!(
        data.header(header::CONTENT_DISPOSITION)
            .contains("ann-data.json")
    );
    assert!(data.header(header::CACHE_CONTROL).contains("no-store"));
    let json: serde_json::Value = serde_json::from_str(&data.body).unwrap();
    assert_eq!(json["profile"]["handle"], "ann");
    assert_eq!(json["profile"]["email"], "ann@example.org");
    assert_eq!(json["posts"].as_array().unwrap().len(), 1);
    assert_eq!(json["posts"][0]["title"], "What ann asked about");
    assert_eq!(json["comments"].as_array().unwrap().len(), 1);
    assert!(!data.body.contains("password"));
    assert_eq!(json["mail"]["direct"], true);
    assert_eq!(json["mail"]["digest"], "weekly");
    assert_eq!(json["following"].as_array().unwrap().len(), 0);
    assert_eq!(json["api_tokens"].as_array().unwrap().len(), 0);
    // What ann follows and her tokens are hers to take too (never a token itself).
    app.store
        .follow(
            ann.id,
            ponder_core::notices::FollowKind::Question,
            q.0,
            ponder_core::notices::FollowLevel::Inbox,
            fx::at(3),
        )
        .await
        .unwrap();
    let csrf = client.csrf("/settings").await;
    let made = client
        .post(
            "/settings/tokens",
            &[
                ("csrf", &csrf),
                ("name", "my bot"),
                ("scope", "read"),
                ("days", "7"),
            ],
        )
        .await;
    let secret = made.attrs("#new-token", "value").remove(0);
    let data = client.get("/settings/data.json").await;
    let json: serde_json::Value = serde_json::from_str(&data.body).unwrap();
    assert_eq!(json["following"][0]["kind"], "question");
    assert_eq!(json["following"][0]["name"], "What ann asked about");
    assert_eq!(json["api_tokens"][0]["name"], "my bot");
    assert!(!data.body.contains(secret.trim_start_matches("ponder_pat_")));
}

on_both_databases!(accounts_are_administered_without_losing_the_last_administrator);
