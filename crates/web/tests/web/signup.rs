//! Sign-up through the Router: the mailed link that makes the account, an address
//! that has one already, the finishing page's refusals, bad input, SMTP delivery.

use crate::support::{Client, TestApp};
use axum::http::{StatusCode, header};
use ponder_store::Role;

pub(crate) async fn sign_up(
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
        // Kept as typed; a control character, which a page cannot carry, shows as
        // U+FFFD (the message beside the field names it).
        let shown =
            ponder_core::input::shown_safely(handle.trim(), ponder_core::input::Lines::Many);
        assert_eq!(page.attrs("#handle", "value"), [&*shown], "handle kept");
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
            webhooks_reach_private: false,
            images_reach_private: false,
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
