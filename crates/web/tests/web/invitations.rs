//! Registration by invitation (issue 18): links made by administrators (or by
//! members above the reputation the settings name), each making as many accounts
//! as it allows until it expires or is withdrawn; a sign-up without one is
//! refused with a clear message.

use crate::support::{Client, Page, TestApp};
use axum::http::StatusCode;
use ponder_store::Role;

async fn send(client: &Client, uri: &str, fields: &[(&str, &str)]) -> Page {
    let csrf = client.csrf("/settings").await;
    let mut all = vec![("csrf", csrf.as_str())];
    all.extend_from_slice(fields);
    client.post(uri, &all).await
}

/// Makes an invitation as `client`; its link's path.
async fn invite(client: &Client, uses: &str) -> String {
    let made = send(
        client,
        "/invitations",
        &[("uses", uses), ("days", "7"), ("note", "the lab")],
    )
    .await;
    assert_eq!(made.status, StatusCode::OK, "{}", made.body);
    let link = made.attrs("#invitation-link", "value").remove(0);
    link.trim_start_matches("https://ask.example.org")
        .to_owned()
}

/// Signs up from `link` (a `/signup?invite=` path) as `handle`; the answer.
async fn sign_up_from(client: &Client, link: &str, handle: &str) -> Page {
    let form = client.get(link).await;
    if form.status != StatusCode::OK {
        return form;
    }
    let csrf = form.attrs("input[name=csrf]", "value").remove(0);
    let invite = form.attrs("input[name=invite]", "value").remove(0);
    let email = format!("{handle}@example.org");
    client
        .post(
            "/signup",
            &[
                ("csrf", csrf.as_str()),
                ("invite", invite.as_str()),
                ("handle", handle),
                ("email", email.as_str()),
                ("password", "a long passphrase"),
            ],
        )
        .await
}

/// Opens the link mailed to `handle` and makes the account; the answer.
async fn finish(app: &TestApp, client: &Client, handle: &str) -> Page {
    let link = app
        .mail
        .last_link_to(&format!("{handle}@example.org"))
        .await;
    let form = client.get(&link).await;
    let csrf = form.attrs("input[name=csrf]", "value").remove(0);
    let token = form.attrs("input[name=token]", "value").remove(0);
    client
        .post(
            "/signup/finish",
            &[("csrf", &csrf), ("token", &token), ("handle", handle)],
        )
        .await
}

async fn an_invitation_makes_as_many_accounts_as_it_allows(engine: &str) {
    let Some(app) = TestApp::on(engine, TestApp::open_privileges()).await else {
        return;
    };
    app.account("root", "maple tree 1", Role::Admin).await;
    let admin = app.client("10.42.0.1");
    admin.log_in("root", "maple tree 1").await;
    let saved = send(
        &admin,
        "/admin/settings",
        &[
            ("group", "registration"),
            ("registration.mode", "invitation"),
        ],
    )
    .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);

    // Without an invitation, or with a made-up one: refused, saying why.
    let stranger = app.client("10.42.0.2");
    let bare = stranger.get("/signup").await;
    assert_eq!(bare.status, StatusCode::FORBIDDEN);
    assert!(bare.body.contains("takes an invitation link"));
    let made_up = stranger
        .get(&format!("/signup?invite={}", "a".repeat(43)))
        .await;
    assert_eq!(made_up.status, StatusCode::FORBIDDEN);
    assert!(made_up.body.contains("no longer works"));
    let csrf = stranger.csrf("/login").await;
    let forged = stranger
        .post(
            "/signup",
            &[
                ("csrf", csrf.as_str()),
                ("invite", "nonsense"),
                ("handle", "forger"),
                ("email", "f@example.org"),
                ("password", "a long passphrase"),
            ],
        )
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);

    // Bad values come back beside their field.
    let bad = send(
        &admin,
        "/invitations",
        &[("uses", "0"), ("days", "91"), ("note", "x")],
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad.count("#uses-error"), 1);
    assert_eq!(bad.count("#days-error"), 1);
    assert_eq!(bad.attrs("#note", "value"), ["x"]);

    // A link for two: two accounts, then no more.
    let link = invite(&admin, "2").await;
    assert!(link.starts_with("/signup?invite="), "{link}");
    for (n, handle) in ["ann", "bob"].into_iter().enumerate() {
        let browser = app.client(&format!("10.42.1.{n}"));
        let asked = sign_up_from(&browser, &link, handle).await;
        assert_eq!(asked.status, StatusCode::OK, "{}", asked.body);
        assert_eq!(asked.text("h1"), "Check your inbox");
        let made = finish(&app, &browser, handle).await;
        assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.body);
        assert!(app.store.login_record(handle).await.unwrap().is_some());
    }
    let third = sign_up_from(&app.client("10.42.1.9"), &link, "cy").await;
    assert_eq!(third.status, StatusCode::FORBIDDEN);
    let list = admin.get("/invitations").await;
    assert!(
        list.text("tbody").contains("2 of 2 uses"),
        "{}",
        list.text("tbody")
    );
    assert!(list.text("tbody").contains("used up"));

    // Withdrawn between the sign-up and the mailed link: no account.
    let other = invite(&admin, "5").await;
    let dee = app.client("10.42.2.1");
    assert_eq!(
        sign_up_from(&dee, &other, "dee").await.status,
        StatusCode::OK
    );
    let id = app.store.invitations(None, 1).await.unwrap()[0].id;
    let withdrawn = send(&admin, &format!("/invitations/{id}/revoke"), &[]).await;
    assert_eq!(withdrawn.status, StatusCode::SEE_OTHER);
    let refused = finish(&app, &dee, "dee").await;
    assert_eq!(refused.status, StatusCode::CONFLICT);
    assert!(refused.body.contains("withdrawn"));
    assert_eq!(app.store.login_record("dee").await.unwrap(), None);
}

#[tokio::test]
async fn members_invite_only_when_the_settings_let_them() {
    let app = TestApp::new().await;
    app.account("root", "maple tree 1", Role::Admin).await;
    app.account("ann", "maple tree 1", Role::User).await;
    app.account("bob", "maple tree 1", Role::User).await;
    let admin = app.client("10.43.0.1");
    admin.log_in("root", "maple tree 1").await;
    let ann = app.client("10.43.0.2");
    ann.log_in("ann", "maple tree 1").await;
    assert_eq!(ann.get("/invitations").await.status, StatusCode::FORBIDDEN);
    assert_eq!(app.get("/invitations").await.status, StatusCode::SEE_OTHER);
    let refused = send(&ann, "/invitations", &[("uses", "1"), ("days", "7")]).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);

    send(
        &admin,
        "/admin/settings",
        &[
            ("group", "registration"),
            ("registration.invite_reputation", "1"),
        ],
    )
    .await;
    assert_eq!(ann.get("/invitations").await.status, StatusCode::OK);
    invite(&ann, "1").await;
    let mine = app.store.invitations(None, 1).await.unwrap()[0].id;
    // Another member cannot withdraw it; its maker and administrators can.
    let bob = app.client("10.43.0.3");
    bob.log_in("bob", "maple tree 1").await;
    let theirs = send(&bob, &format!("/invitations/{mine}/revoke"), &[]).await;
    assert_eq!(theirs.status, StatusCode::FORBIDDEN);
    assert!(
        app.store
            .invitation_by_id(mine)
            .await
            .unwrap()
            .unwrap()
            .revoked_at
            .is_none()
    );
    let own = send(&ann, &format!("/invitations/{mine}/revoke"), &[]).await;
    assert_eq!(own.status, StatusCode::SEE_OTHER);
    assert!(
        app.store
            .invitation_by_id(mine)
            .await
            .unwrap()
            .unwrap()
            .revoked_at
            .is_some()
    );
    assert_eq!(
        send(&admin, "/invitations/999999/revoke", &[]).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        send(&admin, "/invitations/x/revoke", &[]).await.status,
        StatusCode::NOT_FOUND
    );
    // The administrator sees everyone's; a member only their own.
    assert!(
        admin
            .get("/invitations")
            .await
            .text("tbody")
            .contains("@ann")
    );
    assert!(
        !ann.get("/invitations")
            .await
            .body
            .contains("Every invitation")
    );
}

on_both_databases!(an_invitation_makes_as_many_accounts_as_it_allows);
