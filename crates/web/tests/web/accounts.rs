//! Accounts through the Router: sign-up, log-in, sessions, CSRF, rate limits,
//! settings, roles, mailed links, and bad input of every kind.

use crate::support::{Client, TestApp};
use axum::http::{StatusCode, header};
use ponder_store::Role;
use ponder_web::auth::limits::RateLimitConfig;

async fn sign_up(
    client: &Client,
    handle: &str,
    email: &str,
    password: &str,
) -> crate::support::Page {
    let csrf = client.csrf("/signup").await;
    client
        .post(
            "/signup",
            &[
                ("csrf", &csrf),
                ("handle", handle),
                ("email", email),
                ("password", password),
                ("next", "/questions"),
            ],
        )
        .await
}

/// Opens the sign-up link last mailed to `email` and presses its button with
/// `handle`; the answer.
async fn finish_sign_up(
    app: &TestApp,
    client: &Client,
    email: &str,
    handle: &str,
) -> crate::support::Page {
    let link = app.mail.last_link_to(email).await;
    assert!(link.starts_with("/signup/finish?token="), "{link}");
    let form = client.get(&link).await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);
    let csrf = form.attrs("input[name=csrf]", "value").remove(0);
    let token = form.attrs("input[name=token]", "value").remove(0);
    client
        .post(
            "/signup/finish",
            &[("csrf", &csrf), ("token", &token), ("handle", handle)],
        )
        .await
}

#[tokio::test]
async fn signing_up_mails_a_link_that_makes_the_account_and_logs_in() {
    let app = TestApp::new().await;
    let browser = app.client("10.0.0.1");
    let page = sign_up(&browser, "ann", "Ann@Example.org", "correct horse").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert_eq!(page.text("h1"), "Check your inbox");
    assert!(page.text("main").contains("Ann@Example.org"));
    assert!(browser.cookie("__Host-ponder_session").is_none());
    assert_eq!(app.store.login_record("ann").await.unwrap(), None);

    // Opening the link makes nothing yet (a mail scanner may open it): the page
    // shows the handle asked for and a button.
    let link = app.mail.last_link_to("Ann@Example.org").await;
    let form = browser.get(&link).await;
    assert_eq!(form.status, StatusCode::OK);
    assert_eq!(form.attrs("#handle", "value"), ["ann"]);
    assert!(form.text("main").contains("Ann@Example.org"));
    assert_eq!(app.store.login_record("ann").await.unwrap(), None);

    let made = finish_sign_up(&app, &browser, "Ann@Example.org", "ann").await;
    assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.body);
    assert_eq!(made.location(), "/questions");
    let cookie = made
        .headers
        .get_all(header::SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .find(|c| c.starts_with("__Host-ponder_session="))
        .expect("session cookie");
    for part in [
        "HttpOnly",
        "SameSite=Lax",
        "Secure",
        "Path=/",
        "Max-Age=2592000",
    ] {
        assert!(cookie.contains(part), "{part} missing from {cookie}");
    }
    let home = browser.get("/").await;
    assert_eq!(home.text(".viewer"), "ann");
    assert_eq!(home.count("form[action='/logout']"), 1);

    let record = app.store.login_record("ann").await.unwrap().unwrap();
    assert!(record.password_hash.unwrap().starts_with("$argon2id$"));
    assert!(record.email_verified, "the link proved the address");
    assert_eq!(record.email.as_deref(), Some("Ann@Example.org"));
    browser.log_in("ann@example.org", "correct horse").await;

    // The link works once.
    let again = app.client("10.0.0.9");
    let used = again.get(&link).await;
    assert_eq!(used.status, StatusCode::BAD_REQUEST);
    assert_eq!(used.text("h1"), "This link does not work");
    assert_eq!(app.store.list_users(1).await.unwrap().total, 1);
}

/// Sign-up says nothing of whether an address has an account: the same answer,
/// the same status, no account made; its owner gets a note with a reset link
/// instead of a sign-up link (issue 16).
#[tokio::test]
async fn issue16_signing_up_with_a_taken_address_reads_as_a_new_one() {
    let app = TestApp::new().await;
    app.account("taken", "maple tree 1", Role::User).await;
    let browser = app.client("10.0.0.2");
    let fresh = sign_up(&browser, "fresh", "fresh@example.org", "maple tree 1").await;
    let taken = sign_up(&browser, "other", "TAKEN@example.org", "maple tree 1").await;
    assert_eq!(fresh.status, StatusCode::OK);
    assert_eq!(taken.status, fresh.status);
    assert_eq!(taken.text("h1"), fresh.text("h1"));
    assert_eq!(
        taken.text("main").replace("TAKEN@example.org", "ADDRESS"),
        fresh.text("main").replace("fresh@example.org", "ADDRESS")
    );
    assert_eq!(app.store.login_record("other").await.unwrap(), None);

    let note = app.mail.last_link_to("TAKEN@example.org").await;
    assert!(note.starts_with("/reset-password/new?token="), "{note}");
    let mail = app
        .mail
        .sent
        .lock()
        .unwrap()
        .iter()
        .find(|m| m.to == "TAKEN@example.org")
        .cloned()
        .unwrap();
    assert!(mail.subject.ends_with("you have an account already"));
    assert!(
        mail.body.contains("log in with it instead"),
        "{}",
        mail.body
    );
    assert!(
        !mail.body.contains("maple tree"),
        "the password typed is never mailed"
    );
    // The note's link chooses a new password for the account that has the address.
    let csrf = browser.csrf(&note).await;
    let token = note.trim_start_matches("/reset-password/new?token=");
    let reset = browser
        .post(
            "/reset-password/new",
            &[
                ("csrf", &csrf),
                ("token", token),
                ("password", "maple tree 7"),
            ],
        )
        .await;
    assert_eq!(reset.status, StatusCode::SEE_OTHER, "{}", reset.body);
    browser.log_in("taken", "maple tree 7").await;
    // A flood of sign-ups with the address mails its owner within the reset
    // allowance, not once each.
    let flood = app.client("10.0.0.3");
    for _ in 0..3 {
        sign_up(&flood, "other", "taken@example.org", "maple tree 1").await;
    }
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    assert_eq!(app.mail.count_to("taken@example.org"), 0);
    assert_eq!(app.mail.count_to("TAKEN@example.org"), 1, "one a minute");
}

/// The finishing page refuses what it must with a message beside the field and
/// the handle kept: a bad handle, a handle taken since the sign-up, a link that
/// does not work, an address that got an account meanwhile.
#[tokio::test]
async fn finishing_a_sign_up_refuses_with_messages() {
    let app = TestApp::new().await;
    let browser = app.client("10.0.0.4");
    sign_up(&browser, "bea", "bea@example.org", "maple tree 1").await;
    let link = app.mail.last_link_to("bea@example.org").await;
    let token = link.trim_start_matches("/signup/finish?token=").to_owned();
    let csrf = browser.csrf(&link).await;
    let finish = |handle: &'static str, token: String| {
        let csrf = csrf.clone();
        let browser = &browser;
        async move {
            browser
                .post(
                    "/signup/finish",
                    &[("csrf", &csrf), ("token", &token), ("handle", handle)],
                )
                .await
        }
    };
    let bad = finish("no spaces", token.clone()).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad.count("#handle-error"), 1);
    assert_eq!(bad.attrs("#handle", "value"), ["no spaces"]);
    assert_eq!(bad.attrs("input[name=token]", "value"), [token.as_str()]);

    app.account("beatrix", "maple tree 2", Role::User).await;
    let taken = finish("BEATRIX", token.clone()).await;
    assert_eq!(taken.status, StatusCode::CONFLICT);
    assert!(taken.text("#handle-error").contains("taken"));
    assert_eq!(taken.attrs("#handle", "value"), ["BEATRIX"]);

    for forged in ["nonsense".to_owned(), "a".repeat(64)] {
        let dead = finish("bea2", forged).await;
        assert_eq!(dead.status, StatusCode::BAD_REQUEST);
        assert_eq!(dead.text("h1"), "This link does not work");
    }
    let no_csrf = browser
        .post("/signup/finish", &[("token", &token), ("handle", "bea2")])
        .await;
    assert_eq!(no_csrf.status, StatusCode::FORBIDDEN);

    let made = finish("bea2", token.clone()).await;
    assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.body);
    assert_eq!(made.location(), "/questions");
    assert_eq!(browser.get("/").await.text(".viewer"), "bea2");

    // An address that got an account between the sign-up and the link.
    let other = app.client("10.0.0.5");
    sign_up(&other, "dan", "dup@example.org", "maple tree 1").await;
    let link = app.mail.last_link_to("dup@example.org").await;
    app.account("dup", "maple tree 3", Role::User).await;
    let late = finish_sign_up(&app, &other, "dup@example.org", "dan").await;
    assert_eq!(late.status, StatusCode::CONFLICT);
    assert_eq!(late.text("h1"), "You have an account already");
    assert!(other.cookie("__Host-ponder_session").is_none());
    assert_eq!(
        other.get(&link).await.status,
        StatusCode::OK,
        "nothing used up"
    );
    assert_eq!(app.store.list_users(1).await.unwrap().total, 3);
}

#[tokio::test]
async fn bad_sign_ups_come_back_with_messages_and_values() {
    let app = TestApp::new().await;
    app.account("taken", "maple tree 1", Role::User).await;
    let browser = app.client("10.0.0.2");
    let long_password = "p".repeat(1025);
    let cases: Vec<(&str, &str, &str, &str, StatusCode)> = vec![
        (
            "TAKEN",
            "new@example.org",
            "maple tree 1",
            "handle",
            StatusCode::CONFLICT,
        ),
        (
            "fresh",
            "not-an-email",
            "maple tree 1",
            "email",
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            "fresh",
            "fresh@example.org",
            "short",
            "password",
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            "fresh",
            "fresh@example.org",
            &long_password,
            "password",
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            "",
            "fresh@example.org",
            "maple tree 1",
            "handle",
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            "     ",
            "fresh@example.org",
            "maple tree 1",
            "handle",
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            "an\u{7}n",
            "fresh@example.org",
            "maple tree 1",
            "handle",
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            "fresh",
            "",
            "maple tree 1",
            "email",
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            "fresh",
            "fresh@example.org",
            "",
            "password",
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
    ];
    for (handle, email, password, field, status) in cases {
        let page = sign_up(&browser, handle, email, password).await;
        assert_eq!(page.status, status, "{handle:?} {email:?}: {}", page.body);
        assert_eq!(
            page.count(&format!("#{field}-error")),
            1,
            "no message beside {field} for {handle:?} {email:?}"
        );
        assert_eq!(page.attrs(&format!("#{field}"), "aria-invalid"), ["true"]);
        assert_eq!(
            page.attrs("#handle", "value"),
            [handle.trim()],
            "handle kept"
        );
        assert_eq!(page.attrs("#email", "value"), [email.trim()], "email kept");
        assert_eq!(
            page.attrs("#password", "value").len(),
            0,
            "a password is never written back"
        );
        assert_eq!(
            page.attrs("input[name=next]", "value"),
            ["/questions"],
            "next kept"
        );
    }
    assert_eq!(
        app.store.list_users(1).await.unwrap().total,
        1,
        "nothing was created"
    );

    // A missing field reads as empty; a malformed body and an oversized one get pages.
    let csrf = browser.csrf("/signup").await;
    let missing = browser
        .post("/signup", &[("csrf", &csrf), ("handle", "fresh")])
        .await;
    assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(missing.count("#email-error"), 1);
    let malformed = browser
        .post_raw(
            "/signup",
            "application/x-www-form-urlencoded",
            b"csrf=%ZZ&handle=%".to_vec(),
            &[("sec-fetch-site", "same-origin")],
        )
        .await;
    assert!(malformed.status.is_client_error(), "{}", malformed.status);
    let huge = "a".repeat(200_000);
    let oversized = browser
        .post("/signup", &[("csrf", &csrf), ("handle", &huge)])
        .await;
    assert_eq!(oversized.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(oversized.text("h1"), "Too large");
}

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
async fn settings_change_the_profile_and_the_password() {
    let app = TestApp::new().await;
    let ann = app.account("ann", "maple tree 1", Role::User).await;
    let anonymous = app.client("10.2.0.1");
    let redirect = anonymous.get("/settings").await;
    assert_eq!(redirect.status, StatusCode::SEE_OTHER);
    assert_eq!(redirect.location(), "/login?next=/settings");

    let browser = app.client("10.2.0.2");
    browser.log_in("ann", "maple tree 1").await;
    let laptop = app.client("10.2.0.3");
    laptop.log_in("ann", "maple tree 1").await;
    let csrf = browser.csrf("/settings").await;

    let bad = browser
        .post(
            "/settings/profile",
            &[
                ("csrf", &csrf),
                ("display_name", "   "),
                ("about", "kept *text*"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad.count("#display_name-error"), 1);
    assert_eq!(bad.text("#about"), "kept *text*");
    let saved = browser
        .post(
            "/settings/profile",
            &[
                ("csrf", &csrf),
                ("display_name", "Ann Smith"),
                ("about", "Hi <script>alert(1)</script>**there**"),
            ],
        )
        .await;
    assert_eq!(saved.location(), "/settings?saved=profile");
    assert_eq!(
        browser.get(&saved.location()).await.text(".flash.success"),
        "Your profile was saved."
    );
    let profile = browser.get(&format!("/users/{}/ann-smith", ann.id)).await;
    assert_eq!(profile.text("h1"), "Ann Smith");
    assert!(
        profile.body.contains("<strong>there</strong>") && !profile.body.contains("<script>alert")
    );

    let wrong = browser
        .post(
            "/settings/password",
            &[
                ("csrf", &csrf),
                ("current_password", "nope-nope"),
                ("new_password", "maple tree 2"),
            ],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(wrong.count("#current_password-error"), 1);
    let short = browser
        .post(
            "/settings/password",
            &[
                ("csrf", &csrf),
                ("current_password", "maple tree 1"),
                ("new_password", "short"),
            ],
        )
        .await;
    assert_eq!(short.count("#new_password-error"), 1);
    let changed = browser
        .post(
            "/settings/password",
            &[
                ("csrf", &csrf),
                ("current_password", "maple tree 1"),
                ("new_password", "maple tree 2"),
            ],
        )
        .await;
    assert_eq!(changed.status, StatusCode::SEE_OTHER);
    assert_eq!(
        browser.get("/").await.text(".viewer"),
        "Ann Smith",
        "this session stays"
    );
    assert!(
        laptop.get("/").await.texts(".viewer").is_empty(),
        "other sessions end"
    );
    laptop.log_in("ann", "maple tree 2").await;
}

#[tokio::test]
async fn deleting_an_account_keeps_posts_under_a_placeholder() {
    let app = TestApp::new().await;
    let ann = app.account("ann", "maple tree 1", Role::User).await;
    let cat = ponder_store::conformance::category(&*app.store, None, "general").await;
    let q = ponder_store::conformance::ask(
        &*app.store,
        ann.id,
        cat.id,
        "A question that stays behind",
        &[],
        0,
    )
    .await;
    let browser = app.client("10.3.0.1");
    browser.log_in("ann", "maple tree 1").await;
    let csrf = browser.csrf("/settings").await;
    let unconfirmed = browser
        .post(
            "/settings/delete",
            &[("csrf", &csrf), ("password", "maple tree 1")],
        )
        .await;
    assert_eq!(unconfirmed.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(unconfirmed.count("#confirm-error"), 1);
    let wrong = browser
        .post(
            "/settings/delete",
            &[("csrf", &csrf), ("password", "nope"), ("confirm", "yes")],
        )
        .await;
    assert_eq!(wrong.count("#password-error"), 1);
    assert_eq!(
        wrong.attrs("input[name=confirm][checked]", "value"),
        ["yes"],
        "the tick stays"
    );
    let deleted = browser
        .post(
            "/settings/delete",
            &[
                ("csrf", &csrf),
                ("password", "maple tree 1"),
                ("confirm", "yes"),
            ],
        )
        .await;
    assert_eq!(deleted.status, StatusCode::SEE_OTHER);
    assert!(browser.get("/").await.texts(".viewer").is_empty());
    let page = browser
        .get(&format!("/questions/{q}/a-question-that-stays-behind"))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.text("#question .user-name"), format!("user{}", ann.id));
    assert!(
        page.attrs("#question .user-name", "href").is_empty(),
        "no link to a deleted profile"
    );
    assert_eq!(
        browser.get(&format!("/users/{}/ann", ann.id)).await.status,
        StatusCode::NOT_FOUND
    );
    let again = app.client("10.3.0.2");
    let csrf = again.csrf("/login").await;
    let refused = again
        .post(
            "/login",
            &[
                ("csrf", &csrf),
                ("login", "ann"),
                ("password", "maple tree 1"),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNAUTHORIZED);
}

pub fn multipart(
    csrf: &str,
    filename: &str,
    content_type: &str,
    bytes: &[u8],
) -> (String, Vec<u8>) {
    let boundary = "XBOUNDARYX";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"avatar\"; filename=\"{filename}\"\r\nContent-Type: {content_type}\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

pub fn png(width: u32, height: u32) -> Vec<u8> {
    let img = image::RgbImage::from_pixel(width, height, image::Rgb([200, 30, 30]));
    let mut out = Vec::new();
    image::DynamicImage::ImageRgb8(img)
        .write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)
        .unwrap();
    out
}

#[tokio::test]
async fn avatars_upload_and_liars_are_refused() {
    let app = TestApp::new().await;
    let ann = app.account("ann", "maple tree 1", Role::User).await;
    let browser = app.client("10.4.0.1");
    let before = browser.get(&format!("/users/{}/avatar", ann.id)).await;
    assert_eq!(
        before.header(header::CONTENT_TYPE),
        "image/svg+xml",
        "the identicon by default"
    );
    browser.log_in("ann", "maple tree 1").await;
    let csrf = browser.csrf("/settings").await;
    let same_origin = [("sec-fetch-site", "same-origin")];

    let (ct, body) = multipart(&csrf, "me.png", "image/png", &png(512, 512));
    let ok = browser
        .post_raw("/settings/avatar", &ct, body, &same_origin)
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    let served = browser.get(&format!("/users/{}/avatar", ann.id)).await;
    assert_eq!(served.header(header::CONTENT_TYPE), "image/png");
    let stored = app.store.avatar(ann.id).await.unwrap().unwrap();
    let decoded = image::load_from_memory(&stored.bytes).unwrap();
    assert_eq!((decoded.width(), decoded.height()), (256, 256));

    for (name, ct_part, bytes, words) in [
        (
            "liar.png",
            "image/png",
            b"<svg onload=alert(1)>".to_vec(),
            "not a PNG",
        ),
        ("me.gif", "image/gif", png(10, 10), "does not match"),
        ("empty.png", "image/png", Vec::new(), "choose a picture"),
    ] {
        let (ct, body) = multipart(&csrf, name, ct_part, &bytes);
        let page = browser
            .post_raw("/settings/avatar", &ct, body, &same_origin)
            .await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{name}");
        assert!(
            page.text("#avatar-error").contains(words),
            "{name}: {}",
            page.text("#avatar-error")
        );
    }
    let (ct, body) = multipart(&csrf, "big.png", "image/png", &vec![7u8; 3 * 1024 * 1024]);
    let big = browser
        .post_raw("/settings/avatar", &ct, body, &same_origin)
        .await;
    assert_eq!(big.status, StatusCode::PAYLOAD_TOO_LARGE);
    let (ct, body) = multipart("forged", "me.png", "image/png", &png(8, 8));
    let forged = browser
        .post_raw("/settings/avatar", &ct, body, &same_origin)
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn administrators_manage_moderators() {
    let app = TestApp::new().await;
    app.account("root", "maple tree 1", Role::Admin).await;
    let bob = app.account("bob", "maple tree 1", Role::User).await;
    let other_admin = app.account("chief", "maple tree 1", Role::Admin).await;

    let anonymous = app.client("10.5.0.1");
    assert_eq!(
        anonymous.get("/admin/users").await.status,
        StatusCode::SEE_OTHER
    );
    let user = app.client("10.5.0.2");
    user.log_in("bob", "maple tree 1").await;
    assert_eq!(user.get("/admin/users").await.status, StatusCode::FORBIDDEN);
    let csrf = user.csrf("/settings").await;
    let forged = user
        .post(
            &format!("/admin/users/{}/role", bob.id),
            &[("csrf", &csrf), ("role", "moderator")],
        )
        .await;
    assert_eq!(
        forged.status,
        StatusCode::FORBIDDEN,
        "a user cannot promote themself"
    );
    assert_eq!(
        app.store.user(bob.id).await.unwrap().unwrap().role,
        Role::User
    );

    let admin = app.client("10.5.0.3");
    admin.log_in("root", "maple tree 1").await;
    let list = admin.get("/admin/users").await;
    assert_eq!(list.status, StatusCode::OK);
    assert_eq!(list.text(".total"), "3 users");
    let csrf = admin.csrf("/admin/users").await;
    let promoted = admin
        .post(
            &format!("/admin/users/{}/role", bob.id),
            &[("csrf", &csrf), ("role", "moderator")],
        )
        .await;
    assert_eq!(promoted.status, StatusCode::SEE_OTHER);
    assert_eq!(
        app.store.user(bob.id).await.unwrap().unwrap().role,
        Role::Moderator
    );
    assert_eq!(
        admin
            .get("/admin/users")
            .await
            .text(&format!("#user-{} .role", bob.id)),
        "moderator"
    );
    let bogus = admin
        .post(
            &format!("/admin/users/{}/role", bob.id),
            &[("csrf", &csrf), ("role", "admin")],
        )
        .await;
    assert_eq!(bogus.status, StatusCode::BAD_REQUEST);
    let demote_admin = admin
        .post(
            &format!("/admin/users/{}/role", other_admin.id),
            &[("csrf", &csrf), ("role", "user")],
        )
        .await;
    assert_eq!(demote_admin.status, StatusCode::FORBIDDEN);
    let missing = admin
        .post(
            "/admin/users/99999/role",
            &[("csrf", &csrf), ("role", "user")],
        )
        .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    let demoted = admin
        .post(
            &format!("/admin/users/{}/role", bob.id),
            &[("csrf", &csrf), ("role", "user")],
        )
        .await;
    assert_eq!(demoted.status, StatusCode::SEE_OTHER);
    assert_eq!(
        app.store.user(bob.id).await.unwrap().unwrap().role,
        Role::User
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

#[tokio::test]
async fn sign_up_mail_goes_through_smtp() {
    use crate::support::FakeSmtp;
    let smtp = FakeSmtp::start().await;
    let dir = tempfile::tempdir().unwrap();
    let store: std::sync::Arc<dyn ponder_store::Store> = std::sync::Arc::new(
        ponder_store_sqlite::SqliteStore::open(&dir.path().join("p.db"))
            .await
            .unwrap(),
    );
    let mailer = ponder_web::auth::mail::SmtpMailer::new(
        &format!("smtp://127.0.0.1:{}", smtp.port),
        "Testing Site <noreply@ask.example.org>",
    )
    .unwrap();
    let state = ponder_web::AppState::new(
        store.clone(),
        std::sync::Arc::new(ponder_search::SearchIndex::in_memory().unwrap()),
        ponder_web::SiteConfig {
            name: "Testing Site".into(),
            base_url: "https://ask.example.org".into(),
        },
    )
    .with_mailer(std::sync::Arc::new(mailer));
    let router = ponder_web::app(state);
    let request = |req: axum::http::Request<axum::body::Body>| {
        let router = router.clone();
        async move { tower::ServiceExt::oneshot(router, req).await.unwrap() }
    };
    let form = request(
        axum::http::Request::get("/signup")
            .body(axum::body::Body::empty())
            .unwrap(),
    )
    .await;
    let cookie = form.headers()[header::SET_COOKIE]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    let csrf = cookie.split_once('=').unwrap().1.to_owned();
    let body =
        format!("csrf={csrf}&handle=mailme&email=mailme%40example.org&password=maple+tree+1");
    let response = request(
        axum::http::Request::post("/signup")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::COOKIE, cookie)
            .body(axum::body::Body::from(body))
            .unwrap(),
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    // The mail goes after the answer: wait for it, up to five seconds.
    let mut messages = Vec::new();
    for _ in 0..500 {
        messages = smtp.messages.lock().unwrap().clone();
        if !messages.is_empty() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    assert_eq!(messages.len(), 1, "one message delivered over SMTP");
    // Long lines travel quoted-printable: undo its soft breaks and escapes.
    let message = &messages[0].replace("=\n", "").replace("=3D", "=");
    assert!(message.contains("To: mailme@example.org"), "{message}");
    assert!(
        message.contains("Subject: Testing Site: finish making your account"),
        "{message}"
    );
    let prefix = "https://ask.example.org/signup/finish?token=";
    let link_start = message.find(prefix).expect("the link");
    let token: String = message[link_start..]
        .chars()
        .skip(prefix.len())
        .take(64)
        .collect();
    let pending = store
        .pending_signup(
            &ponder_web::auth::tokens::sha256_hex(&token),
            ponder_core::time::now(),
        )
        .await
        .unwrap();
    assert_eq!(
        pending.map(|p| p.handle).as_deref(),
        Some("mailme"),
        "the mailed token is the stored one"
    );
}
