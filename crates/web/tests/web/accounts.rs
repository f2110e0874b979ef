//! Accounts through the Router: log-in, sessions, CSRF, rate limits, password
//! reset by mailed link (sign-up is in `signup`, settings in `settings`).

use crate::signup::sign_up;
use crate::support::{Client, TestApp};
use axum::http::{StatusCode, header};
use ponder_store::Role;
use ponder_web::auth::limits::RateLimitConfig;

#[tokio::test]
async fn wrong_password_and_unknown_account_read_the_same() {
    let app = TestApp::new().await;
    app.account("ann", "maple tree 1", Role::User).await;
    let browser = app.client("10.0.0.3");
    let mut messages = Vec::new();
    for (login, password) in [
        ("ann", "wrong-password"),
        ("nobody", "maple tree 1"),
        ("ann@example.org", "Password1"),
    ] {
        let csrf = browser.csrf("/login").await;
        let page = browser
            .post(
                "/login",
                &[("csrf", &csrf), ("login", login), ("password", password)],
            )
            .await;
        assert_eq!(page.status, StatusCode::UNAUTHORIZED);
        assert_eq!(
            page.attrs("#login", "value"),
            [login],
            "the login stays filled in"
        );
        messages.push(page.text(".flash.error"));
    }
    assert!(messages.windows(2).all(|w| w[0] == w[1]), "{messages:?}");
    assert!(browser.cookie("__Host-ponder_session").is_none());
    let csrf = browser.csrf("/login").await;
    let empty = browser.post("/login", &[("csrf", &csrf)]).await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        empty.count("#login-error") + empty.count("#password-error"),
        2
    );
    browser.log_in("ANN@example.org", "maple tree 1").await;
    assert_eq!(browser.get("/").await.text(".viewer"), "ann");
}

#[tokio::test]
async fn log_in_rotates_the_session_and_log_out_ends_it() {
    let app = TestApp::new().await;
    app.account("ann", "maple tree 1", Role::User).await;
    let browser = app.client("10.0.0.4");
    browser.log_in("ann", "maple tree 1").await;
    let first = browser.cookie("__Host-ponder_session").unwrap();
    browser.log_in("ann", "maple tree 1").await;
    let second = browser.cookie("__Host-ponder_session").unwrap();
    assert_ne!(first, second, "a new id at each log-in");
    let stale = app.client("10.0.0.5");
    stale.set_cookie("__Host-ponder_session", &first);
    assert!(
        stale.get("/").await.texts(".viewer").is_empty(),
        "the old session ended"
    );

    // A forged or missing token cannot log anyone out.
    let refused = browser
        .post("/logout", &[("csrf", "0".repeat(64).as_str())])
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert_eq!(browser.get("/").await.text(".viewer"), "ann");
    let csrf = browser.csrf("/").await;
    let out = browser.post("/logout", &[("csrf", &csrf)]).await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    assert!(browser.get("/").await.texts(".viewer").is_empty());
    let replay = app.client("10.0.0.6");
    replay.set_cookie("__Host-ponder_session", &second);
    assert!(
        replay.get("/").await.texts(".viewer").is_empty(),
        "the logged-out id is dead"
    );
}

#[tokio::test]
async fn a_hash_made_with_older_settings_is_renewed_at_log_in() {
    use argon2::password_hash::{PasswordHasher, SaltString};
    let app = TestApp::new().await;
    let ann = app.account("ann", "maple tree 1", Role::User).await;
    // What a site made before the settings changed stored: the argon2 crate's own
    // defaults (19 MiB, two passes).
    let salt = SaltString::from_b64("c29tZXNhbHRzb21lc2FsdA").unwrap();
    let older = argon2::Argon2::default()
        .hash_password(b"maple tree 1", &salt)
        .unwrap()
        .to_string();
    assert!(older.contains("$m=19456,t=2,p=1$"), "{older}");
    app.store.set_password_hash(ann.id, &older).await.unwrap();
    let stored = || async {
        app.store
            .login_record("ann")
            .await
            .unwrap()
            .unwrap()
            .password_hash
            .unwrap()
    };

    // A wrong password changes nothing.
    let browser = app.client("10.0.0.7");
    let page = browser.try_log_in("ann", "maple tree 2").await;
    assert_eq!(page.status, StatusCode::UNAUTHORIZED);
    assert_eq!(stored().await, older);

    browser.log_in("ann", "maple tree 1").await;
    let renewed = stored().await;
    assert!(renewed.contains("$m=7168,t=5,p=1$"), "{renewed}");
    // The renewed hash is of the same password.
    app.client("10.0.0.8").log_in("ann", "maple tree 1").await;
    assert_eq!(stored().await, renewed, "made once, not at every log-in");
}

#[tokio::test]
async fn sessions_survive_a_restart_and_expire() {
    let app = TestApp::new().await;
    app.account("ann", "maple tree 1", Role::User).await;
    let browser = app.client("10.0.0.7");
    browser.log_in("ann", "maple tree 1").await;
    let id = browser.cookie("__Host-ponder_session").unwrap();
    // A new process: a new store over the same file, a new router.
    let reopened: std::sync::Arc<dyn ponder_store::Store> = std::sync::Arc::new(
        ponder_store_sqlite::SqliteStore::open(&app.dir.path().join("ponder.db"))
            .await
            .unwrap(),
    );
    let restarted = TestApp::router_over(
        reopened.clone(),
        RateLimitConfig::default(),
        app.mail.clone(),
    );
    let page = tower::ServiceExt::oneshot(
        restarted,
        axum::http::Request::get("/")
            .header(header::COOKIE, format!("__Host-ponder_session={id}"))
            .body(axum::body::Body::empty())
            .unwrap(),
    )
    .await
    .unwrap();
    let body = http_body_util::BodyExt::collect(page.into_body())
        .await
        .unwrap()
        .to_bytes();
    assert!(
        String::from_utf8_lossy(&body).contains(r#"class="viewer""#),
        "the session outlived the process"
    );
    // Expired sessions do not work, and are cleaned up.
    let hash = ponder_web::auth::tokens::sha256_hex(&id);
    let far_future = ponder_core::time::now() + 31 * 86_400;
    assert!(reopened.session(&hash, far_future).await.unwrap().is_none());
    assert_eq!(
        reopened.delete_expired_sessions(far_future).await.unwrap(),
        1
    );
}

#[tokio::test]
async fn forged_cross_site_posts_change_nothing() {
    let app = TestApp::new().await;
    let ann = app.account("ann", "maple tree 1", Role::User).await;
    let browser = app.client("10.0.0.8");
    browser.log_in("ann", "maple tree 1").await;
    let csrf = browser.csrf("/settings").await;
    let fields = [
        ("csrf", csrf.as_str()),
        ("display_name", "Hacked"),
        ("about", "pwned"),
    ];
    for headers in [
        vec![("sec-fetch-site", "cross-site")],
        vec![("sec-fetch-site", "same-site")],
        vec![
            ("origin", "https://evil.example"),
            ("host", "ask.example.org"),
        ],
        vec![("origin", "null"), ("host", "ask.example.org")],
    ] {
        let page = browser
            .post_with("/settings/profile", &fields, &headers)
            .await;
        assert_eq!(page.status, StatusCode::FORBIDDEN, "{headers:?}");
    }
    // Without the right token, even from the same origin.
    let wrong = browser
        .post(
            "/settings/profile",
            &[
                ("csrf", "f".repeat(64).as_str()),
                ("display_name", "Hacked"),
                ("about", ""),
            ],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::FORBIDDEN);
    let missing = browser
        .post("/settings/profile", &[("display_name", "Hacked")])
        .await;
    assert_eq!(missing.status, StatusCode::FORBIDDEN);
    // A visitor's token (from their CSRF cookie) is not a logged-in user's.
    let visitor = app.client("10.0.0.9");
    let visitor_token = visitor.csrf("/login").await;
    let borrowed = browser
        .post(
            "/settings/profile",
            &[
                ("csrf", &visitor_token),
                ("display_name", "Hacked"),
                ("about", ""),
            ],
        )
        .await;
    assert_eq!(borrowed.status, StatusCode::FORBIDDEN);
    assert_eq!(
        app.store.user(ann.id).await.unwrap().unwrap().display_name,
        "ann",
        "nothing changed"
    );
    // The real form works.
    let ok = browser.post("/settings/profile", &fields).await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER);
    assert_eq!(
        app.store.user(ann.id).await.unwrap().unwrap().display_name,
        "Hacked"
    );
}

#[tokio::test]
async fn log_ins_and_sign_ups_are_rate_limited() {
    let app = TestApp::with_limits(RateLimitConfig {
        login_per_ip_per_minute: 3,
        login_per_account_per_minute: 2,
        signups_per_ip_per_hour: 1,
        ..RateLimitConfig::default()
    })
    .await;
    app.account("ann", "maple tree 1", Role::User).await;
    let attacker = app.client("10.1.0.1");
    let csrf = attacker.csrf("/login").await;
    for _ in 0..2 {
        let page = attacker
            .post(
                "/login",
                &[("csrf", &csrf), ("login", "ann"), ("password", "guess123")],
            )
            .await;
        assert_eq!(page.status, StatusCode::UNAUTHORIZED);
    }
    // The account's email shares the allowance of its handle (issue 16).
    let limited = attacker
        .post(
            "/login",
            &[
                ("csrf", &csrf),
                ("login", "ann@example.org"),
                ("password", "guess123"),
            ],
        )
        .await;
    assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS);
    let retry: u64 = limited
        .header(header::RETRY_AFTER)
        .parse()
        .expect("Retry-After in seconds");
    assert!((1..=60).contains(&retry));
    assert_eq!(limited.text("h1"), "Too many attempts");
    // A stranger's guesses do not lock the owner out: from another address she
    // logs in (issue 16).
    let other = app.client("10.1.0.2");
    let csrf2 = other.csrf("/login").await;
    let page = other
        .post(
            "/login",
            &[
                ("csrf", &csrf2),
                ("login", "ANN"),
                ("password", "maple tree 1"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);

    let signer = app.client("10.1.0.3");
    assert_eq!(
        sign_up(&signer, "first", "first@example.org", "maple tree 1")
            .await
            .status,
        StatusCode::OK
    );
    let second = app.client("10.1.0.3");
    assert_eq!(
        sign_up(&second, "second", "second@example.org", "maple tree 1")
            .await
            .status,
        StatusCode::TOO_MANY_REQUESTS
    );
}

#[tokio::test]
async fn passwords_reset_by_mailed_link() {
    let app = TestApp::new().await;
    app.account("ann", "maple tree 1", Role::User).await;
    let old_session = app.client("10.6.0.1");
    old_session.log_in("ann", "maple tree 1").await;

    let browser = app.client("10.6.0.2");
    let csrf = browser.csrf("/reset-password").await;
    let unknown = browser
        .post(
            "/reset-password",
            &[("csrf", &csrf), ("email", "nobody@example.org")],
        )
        .await;
    let known = browser
        .post(
            "/reset-password",
            &[("csrf", &csrf), ("email", "ann@example.org")],
        )
        .await;
    assert_eq!(
        (unknown.status, known.status),
        (StatusCode::OK, StatusCode::OK)
    );
    assert_eq!(
        unknown
            .text(".flash.success")
            .replace("nobody@example.org", "X"),
        known.text(".flash.success").replace("ann@example.org", "X"),
        "the answer does not reveal who has an account"
    );
    assert_eq!(
        app.mail
            .sent
            .lock()
            .unwrap()
            .iter()
            .filter(|m| m.to == "nobody@example.org")
            .count(),
        0
    );
    let bad_email = browser
        .post("/reset-password", &[("csrf", &csrf), ("email", "nope")])
        .await;
    assert_eq!(bad_email.status, StatusCode::UNPROCESSABLE_ENTITY);

    let link = app.mail.last_link_to("ann@example.org").await;
    assert!(link.starts_with("/reset-password/new?token="), "{link}");
    let form = browser.get(&link).await;
    let token = form.attrs("input[name=token]", "value").remove(0);
    let short = browser
        .post(
            "/reset-password/new",
            &[("csrf", &csrf), ("token", &token), ("password", "short")],
        )
        .await;
    assert_eq!(short.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(short.count("#password-error"), 1);
    let done = browser
        .post(
            "/reset-password/new",
            &[
                ("csrf", &csrf),
                ("token", &token),
                ("password", "maple tree 9"),
            ],
        )
        .await;
    assert_eq!(
        done.status,
        StatusCode::SEE_OTHER,
        "a typo did not use the link up: {}",
        done.body
    );
    assert_eq!(done.location(), "/login?reset=done");
    assert!(
        old_session.get("/").await.texts(".viewer").is_empty(),
        "old sessions end"
    );
    let reused = browser
        .post(
            "/reset-password/new",
            &[
                ("csrf", &csrf),
                ("token", &token),
                ("password", "maple tree 8"),
            ],
        )
        .await;
    assert_eq!(reused.status, StatusCode::BAD_REQUEST);
    let forged = browser
        .post(
            "/reset-password/new",
            &[
                ("csrf", &csrf),
                ("token", "nonsense"),
                ("password", "maple tree 8"),
            ],
        )
        .await;
    assert_eq!(forged.status, StatusCode::BAD_REQUEST);
    browser.log_in("ann", "maple tree 9").await;
}

/// Waits, if needed, until a minute window has at least 15 seconds left, so that
/// the attempts of a test fall in one window of the site-wide count.
async fn early_in_a_minute() {
    let into = ponder_core::time::now().rem_euclid(60);
    if into > 45 {
        tokio::time::sleep(std::time::Duration::from_secs((61 - into) as u64)).await;
    }
}

#[tokio::test]
async fn log_in_limits_hold_across_nodes() {
    let app = TestApp::with_limits(RateLimitConfig {
        login_per_ip_per_minute: 3,
        ..TestApp::generous_limits()
    })
    .await;
    app.account("ann", "maple tree 1", Role::User).await;
    // A second node over the same database, with its own limiters in memory.
    let other = TestApp::router_over(
        app.store.clone(),
        RateLimitConfig {
            login_per_ip_per_minute: 3,
            ..TestApp::generous_limits()
        },
        std::sync::Arc::new(crate::support::CaptureMailer::default()),
    );
    let nodes = [app.client("10.1.9.1"), Client::of(other, "10.1.9.1")];
    early_in_a_minute().await;
    let mut statuses = Vec::new();
    for attempt in 0..4 {
        let node = &nodes[attempt % 2];
        statuses.push(node.try_log_in("ann", "wrong guess 1").await.status);
    }
    // Each node let through two; together they stop at the third.
    assert_eq!(
        statuses,
        [
            StatusCode::UNAUTHORIZED,
            StatusCode::UNAUTHORIZED,
            StatusCode::UNAUTHORIZED,
            StatusCode::TOO_MANY_REQUESTS
        ]
    );
    // Another address is still served.
    let elsewhere = Client::of(app.router.clone(), "10.1.9.2");
    let page = elsewhere.try_log_in("ann", "maple tree 1").await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
}
