//! Site settings at `/admin/settings` (issue 18): administrators only; a saved
//! value is in force at once on this node and, through the change feed, on
//! others; bad values come back beside their field with nothing saved; the
//! registration mode, the domain allow-list, launch mode and rate limits act on
//! what members can do.

use crate::support::{Client, Page, TestApp};
use axum::http::StatusCode;
use ponder_core::reputation::Privileges;
use ponder_store::Role;
use ponder_store::conformance as fx;
use std::sync::Arc;

/// Posts the `group` section of the settings with `fields`.
async fn save(client: &Client, group: &str, fields: &[(&str, &str)]) -> Page {
    let csrf = client.csrf("/settings").await;
    let mut all = vec![("csrf", csrf.as_str()), ("group", group)];
    all.extend_from_slice(fields);
    client.post("/admin/settings", &all).await
}

/// An administrator logged in on `app`.
async fn administrator(app: &TestApp) -> Client {
    app.account("root", "maple tree 1", Role::Admin).await;
    let admin = app.client("10.40.0.1");
    admin.log_in("root", "maple tree 1").await;
    admin
}

#[tokio::test]
async fn only_administrators_reach_the_settings() {
    let app = TestApp::new().await;
    let visitor = app.get("/admin/settings").await;
    assert_eq!(visitor.status, StatusCode::SEE_OTHER);
    assert!(
        visitor.location().starts_with("/login"),
        "{}",
        visitor.location()
    );
    app.account("mod", "maple tree 1", Role::Moderator).await;
    let moderator = app.client("10.40.0.2");
    moderator.log_in("mod", "maple tree 1").await;
    assert_eq!(
        moderator.get("/admin/settings").await.status,
        StatusCode::FORBIDDEN
    );
    let refused = save(&moderator, "site", &[("site.name", "Taken Over")]).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert!(app.store.site_settings().await.unwrap().is_empty());
    // A form without the session's token changes nothing.
    let admin = administrator(&app).await;
    let forged = admin
        .post(
            "/admin/settings",
            &[
                ("csrf", "forged"),
                ("group", "site"),
                ("site.name", "Forged"),
            ],
        )
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    assert!(app.store.site_settings().await.unwrap().is_empty());
}

async fn a_saved_setting_is_in_force_at_once_and_logged(engine: &str) {
    let Some(app) = TestApp::on(engine, TestApp::open_privileges()).await else {
        return;
    };
    let admin = administrator(&app).await;
    let page = admin.get("/admin/settings").await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.attrs("#site-name", "value"), ["Testing Site"]);
    assert!(
        page.text("#site-name-hint").contains("From a flag"),
        "{}",
        page.text("#site-name-hint")
    );
    assert!(page.text("#site-tagline-hint").contains("built-in default"));

    let saved = save(
        &admin,
        "site",
        &[
            ("site.name", "  Ask   Rust "),
            ("site.tagline", "Questions about Rust, answered"),
            (
                "site.welcome",
                "Welcome, **reader**. <script>alert(1)</script>",
            ),
            ("site.about", "We are a *small* team."),
            ("site.rules", ""),
            ("site.contact", "team@example.org"),
        ],
    )
    .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let back = admin.get(&saved.location()).await;
    assert!(
        back.text(".flash.success").contains("5 values changed"),
        "{}",
        back.text(".flash.success")
    );
    assert_eq!(back.attrs("#site-name", "value"), ["Ask Rust"]);
    assert!(back.text("#site-name-hint").contains("Set here"));

    // Every page shows the new name at once; the home page greets visitors.
    let home = app.get("/").await;
    assert!(
        home.text("title").ends_with("- Ask Rust"),
        "{}",
        home.text("title")
    );
    assert_eq!(home.text(".brand span"), "Ask Rust");
    assert_eq!(home.text(".tagline"), "Questions about Rust, answered");
    assert!(home.body.contains("Welcome, <strong>reader</strong>."));
    assert!(!home.body.contains("<script>alert"));
    assert_eq!(
        home.attrs(".site-footer a[href='/about']", "href"),
        ["/about"]
    );
    assert!(
        home.attrs(".site-footer a[href='/rules']", "href")
            .is_empty()
    );
    assert_eq!(
        home.attrs(".site-footer a[href^='mailto:']", "href"),
        ["mailto:team@example.org"]
    );
    let about = app.get("/about").await;
    assert_eq!(about.status, StatusCode::OK);
    assert!(about.body.contains("<em>small</em>"));
    assert_eq!(app.get("/rules").await.status, StatusCode::NOT_FOUND);

    // The moderation log says who changed what.
    let log = admin.get("/mod/log").await;
    let rows = log.texts("tbody tr");
    assert_eq!(rows.len(), 5, "{rows:?}");
    assert!(
        rows.iter()
            .any(|r| r.contains("site.name: the default → “Ask Rust”")),
        "{rows:?}"
    );
    assert!(
        rows.iter()
            .all(|r| r.contains("root") && r.contains("setting_change")),
        "{rows:?}"
    );

    // Saving the same values again changes nothing; typing the default back
    // removes the stored value.
    let again = save(&admin, "site", &[("site.name", "Ask Rust")]).await;
    assert!(
        admin
            .get(&again.location())
            .await
            .text(".flash.success")
            .contains("Nothing")
    );
    let reset = save(&admin, "site", &[("site.name", "Testing Site")]).await;
    assert_eq!(reset.status, StatusCode::SEE_OTHER);
    let stored = app.store.site_settings().await.unwrap();
    assert!(stored.iter().all(|s| s.key != "site.name"), "{stored:?}");
    assert_eq!(app.get("/").await.text(".brand span"), "Testing Site");
}

async fn bad_values_come_back_beside_their_fields_and_nothing_is_saved(engine: &str) {
    let Some(app) = TestApp::on(engine, TestApp::open_privileges()).await else {
        return;
    };
    let admin = administrator(&app).await;
    let refused = save(
        &admin,
        "privileges",
        &[
            ("privileges.vote_up", "ten"),
            ("privileges.flag", "5"),
            ("privileges.vote_down", "0"),
        ],
    )
    .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.text(".flash.error").contains("2 values to correct"));
    assert!(
        refused
            .text("#privileges-vote_up-error")
            .contains("whole number")
    );
    assert!(
        refused
            .text("#privileges-vote_down-error")
            .contains("from 1")
    );
    assert_eq!(refused.count("#privileges-flag-error"), 0);
    // What was typed is still there, and nothing in the section was saved.
    assert_eq!(refused.attrs("#privileges-vote_up", "value"), ["ten"]);
    assert_eq!(refused.attrs("#privileges-flag", "value"), ["5"]);
    assert!(app.store.site_settings().await.unwrap().is_empty());

    for (group, key, value, id) in [
        ("site", "site.name", "", "site-name"),
        ("site", "site.contact", "nobody", "site-contact"),
        ("site", "site.tagline", "one\u{0}two", "site-tagline"),
        (
            "registration",
            "registration.mode",
            "sometimes",
            "registration-mode",
        ),
        (
            "registration",
            "registration.email_domains",
            "localhost",
            "registration-email_domains",
        ),
        ("launch", "launch.mode", "perhaps", "launch-mode"),
        (
            "moderation",
            "moderation.off_topic_reasons",
            " \n ",
            "moderation-off_topic_reasons",
        ),
        (
            "limits",
            "limits.searches_per_ip_per_minute",
            "-1",
            "limits-searches_per_ip_per_minute",
        ),
    ] {
        let page = save(&admin, group, &[(key, value)]).await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{key}");
        assert_eq!(page.count(&format!("#{id}-error")), 1, "{key}");
    }
    let unknown = save(&admin, "nonsense", &[("site.name", "X")]).await;
    assert_eq!(unknown.status, StatusCode::BAD_REQUEST);
    // A key of another section is not saved with this one.
    let other = save(&admin, "limits", &[("site.name", "Sneaked In")]).await;
    assert_eq!(other.status, StatusCode::SEE_OTHER);
    assert!(app.store.site_settings().await.unwrap().is_empty());
}

async fn another_node_follows_a_settings_change(engine: &str) {
    let Some(app) = TestApp::on(engine, TestApp::open_privileges()).await else {
        return;
    };
    let other = ponder_web::AppState::new(
        app.store.clone(),
        Arc::new(ponder_search::SearchIndex::in_memory().unwrap()),
        ponder_web::SiteConfig {
            name: "Testing Site".into(),
            base_url: "https://ask.example.org".into(),
            webhooks_reach_private: false,
            images_reach_private: false,
        },
    );
    let other_router = ponder_web::app(other.clone());
    let home_there = || async {
        use tower::ServiceExt;
        let response = other_router
            .clone()
            .oneshot(
                axum::http::Request::get("/")
                    .body(axum::body::Body::empty())
                    .unwrap(),
            )
            .await
            .unwrap();
        let bytes = http_body_util::BodyExt::collect(response.into_body())
            .await
            .unwrap()
            .to_bytes();
        String::from_utf8(bytes.to_vec()).unwrap()
    };
    assert!(home_there().await.contains("- Testing Site</title>"));
    let position = app.store.last_change_id().await.unwrap();
    let admin = administrator(&app).await;
    let saved = save(&admin, "site", &[("site.name", "Renamed Elsewhere")]).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    // The other node learns of it from the change feed, not from a restart.
    let subscriber = ponder_web::site_settings::SettingsSubscriber::new(other.clone(), position);
    let follower = ponder_feed::Follower::new(
        app.store.clone(),
        vec![Arc::new(subscriber) as Arc<dyn ponder_feed::Subscriber>],
        100,
    );
    let mut renamed = false;
    for _ in 0..100 {
        follower.pass().await;
        if other.settings().name() == "Renamed Elsewhere" {
            renamed = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(renamed, "the other node kept {}", other.settings().name());
    assert!(home_there().await.contains("- Renamed Elsewhere</title>"));
}

async fn registration_modes_and_domains_decide_who_signs_up(engine: &str) {
    let Some(app) = TestApp::on(engine, TestApp::open_privileges()).await else {
        return;
    };
    let admin = administrator(&app).await;
    let visitor = app.client("10.40.0.9");
    let signup = |email: &'static str| {
        let visitor = &visitor;
        async move {
            let csrf = visitor.csrf("/login").await;
            visitor
                .post(
                    "/signup",
                    &[
                        ("csrf", csrf.as_str()),
                        ("handle", "newcomer"),
                        ("email", email),
                        ("password", "a long passphrase"),
                    ],
                )
                .await
        }
    };
    let saved = save(
        &admin,
        "registration",
        &[("registration.email_domains", "Corp.example, lab.example")],
    )
    .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    let elsewhere = signup("newcomer@gmail.example").await;
    assert_eq!(elsewhere.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        elsewhere
            .text("#email-error")
            .contains("corp.example, lab.example")
    );
    assert_eq!(
        elsewhere.attrs("#email", "value"),
        ["newcomer@gmail.example"]
    );
    assert_eq!(signup("newcomer@corp.example").await.status, StatusCode::OK);

    save(&admin, "registration", &[("registration.mode", "closed")]).await;
    let closed = visitor.get("/signup").await;
    assert_eq!(closed.status, StatusCode::FORBIDDEN);
    assert!(closed.body.contains("not taking new members"));
    assert_eq!(
        signup("other@corp.example").await.status,
        StatusCode::FORBIDDEN
    );

    save(
        &admin,
        "registration",
        &[("registration.mode", "invitation")],
    )
    .await;
    let invited_only = visitor.get("/signup").await;
    assert_eq!(invited_only.status, StatusCode::FORBIDDEN);
    assert!(invited_only.body.contains("invitation"));
}

async fn launch_mode_lowers_thresholds_until_the_site_has_enough_members(engine: &str) {
    let Some(app) = TestApp::on(engine, Privileges::default()).await else {
        return;
    };
    let admin = administrator(&app).await;
    let ann = app.account("ann", "maple tree 1", Role::User).await;
    app.account("bob", "maple tree 1", Role::User).await;
    let cat = fx::category(&*app.store, None, "general").await;
    let q = fx::ask(
        &*app.store,
        ann.id,
        cat.id,
        "A question in a young site",
        &["x"],
        0,
    )
    .await;
    let bob = app.client("10.40.0.3");
    bob.log_in("bob", "maple tree 1").await;
    let vote = || async {
        let csrf = bob.csrf("/settings").await;
        bob.post(
            &format!("/posts/{q}/vote"),
            &[("csrf", &csrf), ("value", "up")],
        )
        .await
    };
    assert_eq!(
        vote().await.status,
        StatusCode::FORBIDDEN,
        "15 reputation needed"
    );

    let saved = save(
        &admin,
        "launch",
        &[("launch.mode", "on"), ("launch.until_members", "10")],
    )
    .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let privileges = bob.get("/privileges").await;
    assert!(
        privileges
            .text(".flash.notice")
            .contains("lowered until it has 10 members (it has 3)"),
        "{}",
        privileges.text(".flash.notice")
    );
    let up = vote().await;
    assert!(
        up.status.is_redirection() || up.status.is_success(),
        "{}",
        up.body
    );
    assert_eq!(app.store.post_score(q).await.unwrap(), Some(1));

    // At the number of members set, launch mode ends by itself.
    let ended = save(&admin, "launch", &[("launch.until_members", "3")]).await;
    assert_eq!(ended.status, StatusCode::SEE_OTHER);
    let settings = admin.get("/admin/settings").await;
    assert!(settings.text("#launch .flash.notice").contains("has ended"));
    let csrf = bob.csrf("/settings").await;
    let down = bob
        .post(
            &format!("/posts/{q}/vote"),
            &[("csrf", &csrf), ("value", "down")],
        )
        .await;
    assert_eq!(down.status, StatusCode::FORBIDDEN);
    assert!(bob.get("/privileges").await.count(".flash.notice") == 0);
}

async fn rate_limits_changed_here_apply_without_a_restart(engine: &str) {
    let Some(app) = TestApp::on(engine, TestApp::open_privileges()).await else {
        return;
    };
    let admin = administrator(&app).await;
    let ann = app.account("ann", "maple tree 1", Role::User).await;
    let cat = fx::category(&*app.store, None, "general").await;
    let q = fx::ask(
        &*app.store,
        ann.id,
        cat.id,
        "A question to comment on",
        &["x"],
        0,
    )
    .await;
    let saved = save(
        &admin,
        "limits",
        &[("limits.comments_per_user_per_minute", "1")],
    )
    .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    let client = app.client("10.40.0.4");
    client.log_in("ann", "maple tree 1").await;
    let comment = |text: &'static str| {
        let client = &client;
        async move {
            let csrf = client.csrf("/settings").await;
            client
                .post(
                    &format!("/posts/{q}/comments"),
                    &[("csrf", csrf.as_str()), ("body", text)],
                )
                .await
        }
    };
    assert_eq!(
        comment("The first comment is welcome.").await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        comment("The second one within the minute is not.")
            .await
            .status,
        StatusCode::TOO_MANY_REQUESTS
    );
}

on_both_databases!(
    a_saved_setting_is_in_force_at_once_and_logged,
    bad_values_come_back_beside_their_fields_and_nothing_is_saved,
    another_node_follows_a_settings_change,
    registration_modes_and_domains_decide_who_signs_up,
    launch_mode_lowers_thresholds_until_the_site_has_enough_members,
    rate_limits_changed_here_apply_without_a_restart,
);
