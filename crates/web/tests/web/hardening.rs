//! Regression tests for issue 16: the defects found by trying Ponder from outside
//! (bounded work per request, moderation the author cannot undo, lost text).
//!
//! Long on purpose: one regression test a defect of issue 16, kept together so that
//! the issue's list reads as one file.

use crate::support::TestApp;
use axum::http::StatusCode;
use ponder_core::markdown::MAX_DEPTH;
use ponder_core::posts::BODY_MAX;
use ponder_store::Role;
use ponder_store::conformance as fx;
use ponder_web::auth::limits::RateLimitConfig;

#[tokio::test]
async fn issue16_previews_check_length_before_rendering_and_are_rate_limited() {
    let app = TestApp::with_limits(RateLimitConfig {
        previews_per_user_per_minute: 3,
        ..RateLimitConfig::default()
    })
    .await;
    app.account("ann", "maple tree 1", Role::User).await;
    let ann = app.client("10.16.1.1");
    ann.log_in("ann", "maple tree 1").await;
    let csrf = ann.csrf("/ask").await;

    // The worst shape known, at the limit: nesting past the bound is flattened.
    let quotes = format!("{}deep", ">".repeat(BODY_MAX - 4));
    let preview = ann
        .post("/preview", &[("csrf", &csrf), ("body", &quotes)])
        .await;
    assert_eq!(preview.status, StatusCode::OK);
    assert_eq!(preview.body.matches("<blockquote>").count(), MAX_DEPTH);
    assert!(preview.body.contains("deep"));

    // A body at the limit in characters of three bytes fits in a form.
    let wide = "漢".repeat(BODY_MAX);
    let preview = ann
        .post("/preview", &[("csrf", &csrf), ("body", &wide)])
        .await;
    assert_eq!(preview.status, StatusCode::OK);

    // Over the limit: refused before rendering, and not counted.
    let long = "a".repeat(BODY_MAX + 1);
    let refused = ann
        .post("/preview", &[("csrf", &csrf), ("body", &long)])
        .await;
    assert_eq!(refused.status, StatusCode::PAYLOAD_TOO_LARGE);
    // The Preview button with an over-long body: the message beside the field,
    // the text kept, no preview.
    let form = ann
        .post(
            "/ask",
            &[
                ("csrf", &csrf),
                ("title", "A title that is long enough"),
                ("body", &long),
                ("tags", "x"),
                ("action", "preview"),
            ],
        )
        .await;
    assert_eq!(form.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(form.count(".preview"), 0);
    assert!(
        form.text("#body-error").contains("at most 30000"),
        "{}",
        form.text("#body-error")
    );
    assert_eq!(form.text("#body").len(), long.len());

    // One more makes three (the refused ones were not counted); the fourth is over
    // the allowance.
    let third = ann
        .post("/preview", &[("csrf", &csrf), ("body", "*hi*")])
        .await;
    assert_eq!(third.status, StatusCode::OK);
    let limited = ann
        .post("/preview", &[("csrf", &csrf), ("body", "*hi*")])
        .await;
    assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn issue16_a_tag_named_in_prose_does_not_swallow_the_rest_of_the_post() {
    let app = TestApp::new().await;
    let web = fx::category(&*app.store, None, "web").await;
    app.account("dee", "maple tree 1", Role::User).await;
    let dee = app.client("10.16.2.1");
    dee.log_in("dee", "maple tree 1").await;
    let csrf = dee.csrf("/ask").await;
    let body = "Why does the <style> tag in my page head not apply? Everything after it matters.\n\n- a <script> item\n- the next item";
    let posted = dee
        .post(
            "/ask",
            &[
                ("csrf", &csrf),
                ("title", "Why does my style tag not apply?"),
                ("body", body),
                ("category", &web.id.to_string()),
                ("tags", "html"),
            ],
        )
        .await;
    assert_eq!(posted.status, StatusCode::SEE_OTHER, "{}", posted.body);
    let page = dee.get(&posted.location()).await;
    let prose = page.text("#question .prose");
    assert!(
        prose.contains(
            "Why does the <style> tag in my page head not apply? Everything after it matters."
        ),
        "{prose}"
    );
    assert_eq!(
        page.texts("#question .prose li"),
        ["a <script> item", "the next item"]
    );
}

/// The CRC-32 of PNG chunks.
fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xffff_ffffu32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xedb8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// A small PNG whose header claims `width`×`height` at `depth` bits and colour
/// `kind` (6: RGBA, 2: RGB); its pixel data is that of a 1×1 picture, so only a
/// decoder that believes the header allocates for it.
fn lying_png(width: u32, height: u32, depth: u8, kind: u8) -> Vec<u8> {
    let img = image::RgbImage::from_pixel(1, 1, image::Rgb([1, 2, 3]));
    let mut png = Vec::new();
    image::DynamicImage::ImageRgb8(img)
        .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .unwrap();
    // Signature (8), length (4), then "IHDR" and its 13 bytes, then their CRC.
    let mut header = b"IHDR".to_vec();
    header.extend_from_slice(&width.to_be_bytes());
    header.extend_from_slice(&height.to_be_bytes());
    header.extend_from_slice(&[depth, kind, 0, 0, 0]);
    png[12..29].copy_from_slice(&header);
    png[29..33].copy_from_slice(&crc32(&header).to_be_bytes());
    png
}

#[tokio::test]
async fn issue16_avatars_that_would_decode_into_too_much_memory_are_refused_beside_the_field() {
    let app = TestApp::with_limits(RateLimitConfig {
        avatars_per_user_per_hour: 4,
        ..RateLimitConfig::default()
    })
    .await;
    let account = app.account("ann", "maple tree 1", Role::User).await;
    let ann = app.client("10.16.3.1");
    ann.log_in("ann", "maple tree 1").await;
    let csrf = ann.csrf("/settings").await;
    let same_origin = [("sec-fetch-site", "same-origin")];
    for (name, bytes, words) in [
        // 4096×4096 in 16-bit colour: 128 MiB decoded, from a file under 1 KB.
        ("deep.png", lying_png(4096, 4096, 16, 6), "too much memory"),
        // A decompression bomb: 60,000 pixels a side.
        ("bomb.png", lying_png(60_000, 60_000, 8, 2), "at most 4096"),
        // Within every bound by its header, but its pixels are missing.
        (
            "short.png",
            lying_png(4096, 4096, 8, 6),
            "could not be read",
        ),
    ] {
        assert!(bytes.len() < 1024);
        let (content_type, body) = crate::settings::multipart(&csrf, name, "image/png", &bytes);
        let page = ann
            .post_raw("/settings/avatar", &content_type, body, &same_origin)
            .await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{name}");
        let message = page.text("#avatar-error");
        assert!(message.contains(words), "{name}: {message}");
    }
    assert!(app.store.avatar(account.id).await.unwrap().is_none());
    // The fourth upload this hour is allowed, the fifth is not.
    let (content_type, body) =
        crate::settings::multipart(&csrf, "ok.png", "image/png", &crate::settings::png(8, 8));
    let ok = ann
        .post_raw(
            "/settings/avatar",
            &content_type,
            body.clone(),
            &same_origin,
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER);
    let limited = ann
        .post_raw("/settings/avatar", &content_type, body, &same_origin)
        .await;
    assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS);
}

/// Sends `request` on a new connection to `addr` and reads until the server closes
/// it (for at most five seconds).
async fn exchange(addr: std::net::SocketAddr, request: &[u8]) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    stream.write_all(request).await.unwrap();
    let mut answer = Vec::new();
    let read = tokio::time::timeout(
        std::time::Duration::from_secs(5),
        stream.read_to_end(&mut answer),
    )
    .await;
    assert!(read.is_ok(), "the server kept the connection open");
    String::from_utf8_lossy(&answer).into_owned()
}

const HEALTH: &[u8] = b"GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue16_connections_are_capped_and_slow_or_idle_ones_closed() {
    use ponder_web::server::{ConnectionLimits, serve};
    use std::time::Duration;
    let app = TestApp::new().await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let limits = ConnectionLimits {
        max_connections: 3,
        header_timeout: Duration::from_millis(400),
        idle_timeout: Duration::from_millis(800),
    };
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(serve(listener, app.router.clone(), limits, async move {
        let _ = stopped.await;
    }));

    assert!(exchange(addr, HEALTH).await.starts_with("HTTP/1.1 200"));

    // Headers sent a piece at a time, never finished: closed after the header
    // timeout, with nothing answered.
    assert_eq!(
        exchange(addr, b"GET /healthz HTTP/1.1\r\nHost: loc").await,
        ""
    );

    // A body promised and never sent: closed once the connection has been idle.
    let stalled = exchange(
        addr,
        b"POST /login HTTP/1.1\r\nHost: localhost\r\nContent-Length: 100\r\n\r\nlogin=",
    )
    .await;
    assert!(!stalled.starts_with("HTTP/1.1 2"), "{stalled}");

    // Three silent connections fill the server; a fourth is refused at once.
    let mut silent = Vec::new();
    for _ in 0..3 {
        silent.push(tokio::net::TcpStream::connect(addr).await.unwrap());
    }
    tokio::time::sleep(Duration::from_millis(100)).await;
    let refused = exchange(addr, HEALTH).await;
    assert!(refused.starts_with("HTTP/1.1 503"), "{refused}");
    // The silent ones are closed by the header timeout, and the server answers again.
    tokio::time::sleep(Duration::from_millis(800)).await;
    assert!(exchange(addr, HEALTH).await.starts_with("HTTP/1.1 200"));
    drop(silent);

    let _ = stop.send(());
    tokio::time::timeout(Duration::from_secs(5), server)
        .await
        .expect("the server stops")
        .unwrap()
        .unwrap();
}

#[tokio::test]
async fn issue16_a_new_password_ends_every_outstanding_reset_link() {
    use ponder_store::{NewEmailToken, TokenPurpose};
    let app = TestApp::new().await;
    let ann = app.account("ann", "maple tree 1", Role::User).await;
    // A link mailed earlier, still within its hour.
    let earlier = "e".repeat(64);
    app.store
        .create_email_token(NewEmailToken {
            token_hash: ponder_web::auth::tokens::sha256_hex(&earlier),
            user: ann.id,
            purpose: TokenPurpose::ResetPassword,
            email: "ann@example.org".into(),
            created_at: ponder_core::time::now() - 120,
            expires_at: ponder_core::time::now() + 3_000,
        })
        .await
        .unwrap();
    let browser = app.client("10.16.4.1");
    let csrf = browser.csrf("/reset-password").await;
    browser
        .post(
            "/reset-password",
            &[("csrf", &csrf), ("email", "ann@example.org")],
        )
        .await;
    let link = app.mail.last_link_to("ann@example.org").await;
    let token = link
        .trim_start_matches("/reset-password/new?token=")
        .to_owned();
    let reset = |token: String, password: &'static str| {
        let browser = &browser;
        let csrf = csrf.clone();
        async move {
            browser
                .post(
                    "/reset-password/new",
                    &[("csrf", &csrf), ("token", &token), ("password", password)],
                )
                .await
                .status
        }
    };
    assert_eq!(reset(token, "maple tree 9").await, StatusCode::SEE_OTHER);
    assert_eq!(
        reset(earlier.clone(), "maple tree 8").await,
        StatusCode::BAD_REQUEST,
        "the earlier link died with the one used"
    );

    // The same for a password changed in settings.
    let later = "f".repeat(64);
    app.store
        .create_email_token(NewEmailToken {
            token_hash: ponder_web::auth::tokens::sha256_hex(&later),
            user: ann.id,
            purpose: TokenPurpose::ResetPassword,
            email: "ann@example.org".into(),
            created_at: ponder_core::time::now(),
            expires_at: ponder_core::time::now() + 3_600,
        })
        .await
        .unwrap();
    let session = app.client("10.16.4.2");
    session.log_in("ann", "maple tree 9").await;
    let settings_csrf = session.csrf("/settings").await;
    let changed = session
        .post(
            "/settings/password",
            &[
                ("csrf", &settings_csrf),
                ("current_password", "maple tree 9"),
                ("new_password", "maple tree 7"),
            ],
        )
        .await;
    assert_eq!(changed.status, StatusCode::SEE_OTHER, "{}", changed.body);
    assert_eq!(reset(later, "maple tree 6").await, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn issue16_verification_and_reset_mail_have_a_pause_and_a_daily_cap() {
    let app = TestApp::new().await;
    app.account("ann", "maple tree 1", Role::User).await;
    let ann = app.client("10.16.5.1");
    ann.log_in("ann", "maple tree 1").await;
    let csrf = ann.csrf("/settings").await;
    let first = ann.post("/settings/verify-email", &[("csrf", &csrf)]).await;
    assert_eq!(first.status, StatusCode::SEE_OTHER);
    app.mail.last_link_to("ann@example.org").await;
    for _ in 0..5 {
        let again = ann.post("/settings/verify-email", &[("csrf", &csrf)]).await;
        assert_eq!(again.status, StatusCode::TOO_MANY_REQUESTS);
        assert!(!again.header(axum::http::header::RETRY_AFTER).is_empty());
    }
    assert_eq!(app.mail.count_to("ann@example.org"), 1);

    // Reset requests answer the same every time, but one mail goes.
    let visitor = app.client("10.16.5.2");
    let csrf = visitor.csrf("/reset-password").await;
    for _ in 0..4 {
        let asked = visitor
            .post(
                "/reset-password",
                &[("csrf", &csrf), ("email", "ann@example.org")],
            )
            .await;
        assert_eq!(asked.status, StatusCode::OK);
    }
    app.mail.links_to("ann@example.org", 2).await;
    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    assert_eq!(
        app.mail.count_to("ann@example.org"),
        2,
        "one verification, one reset"
    );
}

#[tokio::test]
async fn issue16_an_author_cannot_undo_a_moderators_deletion_or_touch_a_locked_post() {
    let app = TestApp::new().await;
    let cat = fx::category(&*app.store, None, "general").await;
    let ann = app.account("ann", "maple tree 1", Role::User).await;
    app.account("mo", "maple tree 1", Role::Moderator).await;
    let q = fx::ask(
        &*app.store,
        ann.id,
        cat.id,
        "A question to moderate",
        &["x"],
        0,
    )
    .await;
    let author = app.client("10.16.6.1");
    author.log_in("ann", "maple tree 1").await;
    let moderator = app.client("10.16.6.2");
    moderator.log_in("mo", "maple tree 1").await;
    let post = |client: &'static str, action: &'static str| {
        let who = if client == "ann" { &author } else { &moderator };
        async move {
            let csrf = who.csrf("/settings").await;
            who.post(&format!("/posts/{q}/{action}"), &[("csrf", &csrf)])
                .await
        }
    };
    assert_eq!(post("mo", "delete").await.status, StatusCode::SEE_OTHER);
    let refused = post("ann", "undelete").await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert!(
        refused.body.contains("only a moderator can undelete it"),
        "{}",
        refused.body
    );
    assert!(app.store.editable_post(q).await.unwrap().unwrap().deleted);
    assert_eq!(post("mo", "undelete").await.status, StatusCode::SEE_OTHER);

    app.store.set_locked(q, true, fx::at(5)).await.unwrap();
    let refused = post("ann", "delete").await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert!(refused.body.contains("locked"), "{}", refused.body);
    assert!(!app.store.editable_post(q).await.unwrap().unwrap().deleted);
}

#[tokio::test]
async fn issue16_password_checks_in_settings_are_limited_per_user() {
    let app = TestApp::with_limits(RateLimitConfig {
        password_checks_per_user_per_minute: 3,
        ..RateLimitConfig::default()
    })
    .await;
    app.account("ann", "maple tree 1", Role::User).await;
    let ann = app.client("10.16.7.1");
    ann.log_in("ann", "maple tree 1").await;
    let csrf = ann.csrf("/settings").await;
    let wrong_change = [
        ("csrf", csrf.as_str()),
        ("current_password", "wrong-one"),
        ("new_password", "maple tree 2"),
    ];
    for _ in 0..2 {
        let page = ann.post("/settings/password", &wrong_change).await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let wrong_delete = [
        ("csrf", csrf.as_str()),
        ("password", "wrong-one"),
        ("confirm", "yes"),
    ];
    let third = ann.post("/settings/delete", &wrong_delete).await;
    assert_eq!(third.status, StatusCode::UNPROCESSABLE_ENTITY);
    // The fourth check, of either kind, waits; even with the right password.
    let limited = ann
        .post(
            "/settings/password",
            &[
                ("csrf", csrf.as_str()),
                ("current_password", "maple tree 1"),
                ("new_password", "maple tree 2"),
            ],
        )
        .await;
    assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(!limited.header(axum::http::header::RETRY_AFTER).is_empty());
}

#[tokio::test]
async fn issue16_searches_are_rate_limited_per_client_and_similar_titles_kept() {
    let app = TestApp::with_limits(RateLimitConfig {
        searches_per_ip_per_minute: 3,
        ..RateLimitConfig::default()
    })
    .await;
    app.seeded().await;
    app.index().await;
    let visitor = app.client("10.16.8.1");
    let similar = |title: &'static str| {
        let visitor = &visitor;
        async move {
            visitor
                .get(&format!("/api/v1/questions/similar?title={title}"))
                .await
        }
    };
    let first = similar("wall+fall").await;
    assert_eq!(first.status, StatusCode::OK);
    assert!(
        first.body.contains("Why did the wall fall"),
        "{}",
        first.body
    );
    // The same title again is answered from memory and not counted.
    assert_eq!(similar("Wall++FALL").await.body, first.body);
    for q in ["wall", "fall"] {
        let page = visitor.get(&format!("/search?q={q}")).await;
        assert_eq!(page.status, StatusCode::OK, "{q}");
    }
    let limited = visitor.get("/search?q=1989").await;
    assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(similar("wall+fall").await.status, StatusCode::OK);
    assert_eq!(
        similar("another+title").await.status,
        StatusCode::TOO_MANY_REQUESTS
    );
    // The search form without a query costs nothing.
    assert_eq!(visitor.get("/search").await.status, StatusCode::OK);
    // Another client has its own allowance.
    assert_eq!(
        app.client("10.16.8.2").get("/search?q=1989").await.status,
        StatusCode::OK
    );

    // Phrases count toward the term limit, word by word.
    let phrases: String = (0..46).map(|i| format!("%22a{i}+b{i}%22+")).collect();
    let page = app
        .client("10.16.8.3")
        .get(&format!("/search?q={phrases}"))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("only the first 32 words were used"),
        "{}",
        page.body
    );
}

#[tokio::test]
async fn issue16_a_suspended_user_cannot_change_name_about_or_avatar() {
    let app = TestApp::new().await;
    let ann = app.account("ann", "maple tree 1", Role::User).await;
    let client = app.client("10.16.9.1");
    client.log_in("ann", "maple tree 1").await;
    let csrf = client.csrf("/settings").await;
    app.store
        .set_suspension(ann.id, Some(ponder_core::time::now() + 86_400), "spamming")
        .await
        .unwrap();
    let renamed = client
        .post(
            "/settings/profile",
            &[
                ("csrf", &csrf),
                ("display_name", "Someone Else"),
                ("about", "Buy now"),
            ],
        )
        .await;
    assert_eq!(renamed.status, StatusCode::FORBIDDEN);
    assert!(renamed.body.contains("suspended"), "{}", renamed.body);
    let (content_type, body) =
        crate::settings::multipart(&csrf, "me.png", "image/png", &crate::settings::png(8, 8));
    let uploaded = client
        .post_raw(
            "/settings/avatar",
            &content_type,
            body,
            &[("sec-fetch-site", "same-origin")],
        )
        .await;
    assert_eq!(uploaded.status, StatusCode::FORBIDDEN);
    let stored = app.store.user(ann.id).await.unwrap().unwrap();
    assert_eq!(stored.display_name, "ann");
    assert!(app.store.avatar(ann.id).await.unwrap().is_none());
}

#[tokio::test]
async fn issue16_display_names_that_hide_text_or_wear_a_diamond_are_refused() {
    let app = TestApp::new().await;
    app.account("ann", "maple tree 1", Role::User).await;
    let client = app.client("10.16.10.1");
    client.log_in("ann", "maple tree 1").await;
    let csrf = client.csrf("/settings").await;
    for name in ["nimda\u{202e}", "ann \u{2666}"] {
        let page = client
            .post(
                "/settings/profile",
                &[("csrf", &csrf), ("display_name", name), ("about", "")],
            )
            .await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{name:?}");
        assert_eq!(page.count("#display_name-error"), 1, "{name:?}");
        assert_eq!(page.attrs("#display_name", "value"), [name]);
    }
}

#[tokio::test]
async fn issue16_https_sites_send_hsts_and_host_prefixed_cookies_http_sites_neither() {
    use axum::http::{Request, header};
    use tower::ServiceExt;
    let app = TestApp::new().await;
    let https = app.get("/").await;
    assert_eq!(
        https.header(header::STRICT_TRANSPORT_SECURITY),
        "max-age=31536000"
    );
    let cookie = https.header(header::SET_COOKIE);
    assert!(
        cookie.starts_with("__Host-ponder_csrf=")
            && cookie.contains("; Secure")
            && cookie.contains("Path=/"),
        "{cookie}"
    );

    let plain = ponder_web::app(ponder_web::AppState::new(
        app.store.clone(),
        app.search.clone(),
        ponder_web::SiteConfig {
            name: "Plain".into(),
            base_url: "http://127.0.0.1:8080".into(),
            webhooks_reach_private: false,
            images_reach_private: false,
        },
    ));
    let response = plain
        .oneshot(Request::get("/").body(axum::body::Body::empty()).unwrap())
        .await
        .unwrap();
    assert!(
        response
            .headers()
            .get(header::STRICT_TRANSPORT_SECURITY)
            .is_none()
    );
    let cookie = response.headers()[header::SET_COOKIE]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        cookie.starts_with("ponder_csrf=") && !cookie.contains("Secure"),
        "{cookie}"
    );
}

#[tokio::test]
async fn issue16_users_see_their_sessions_and_end_them() {
    let app = TestApp::new().await;
    app.account("ann", "maple tree 1", Role::User).await;
    let laptop = app.client("10.16.11.1");
    laptop.log_in("ann", "maple tree 1").await;
    let phone = app.client("10.16.11.2");
    let csrf = phone.csrf("/login").await;
    let firefox = "Mozilla/5.0 (Android 14; Mobile; rv:133.0) Gecko/133.0 Firefox/133.0";
    let logged_in = phone
        .post_with(
            "/login",
            &[
                ("csrf", &csrf),
                ("login", "ann"),
                ("password", "maple tree 1"),
            ],
            &[("sec-fetch-site", "same-origin"), ("user-agent", firefox)],
        )
        .await;
    assert_eq!(logged_in.status, StatusCode::SEE_OTHER);

    let settings = laptop.get("/settings").await;
    let rows = settings.texts(".sessions li strong");
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert!(rows.contains(&"Firefox on Android".to_owned()), "{rows:?}");
    assert_eq!(settings.texts(".sessions .badge"), ["this browser"]);
    // The laptop ends the phone's session; the phone is logged out.
    let phone_session = settings.attrs(".sessions input[name=session]", "value");
    assert_eq!(phone_session.len(), 1, "no button for the session in use");
    let csrf = laptop.csrf("/settings").await;
    let ended = laptop
        .post(
            "/settings/sessions/end",
            &[("csrf", &csrf), ("session", &phone_session[0])],
        )
        .await;
    assert_eq!(ended.status, StatusCode::SEE_OTHER);
    assert_eq!(phone.get("/settings").await.status, StatusCode::SEE_OTHER);
    assert_eq!(
        laptop
            .get("/settings")
            .await
            .texts(".sessions li strong")
            .len(),
        1
    );
    // Someone else's session, or one ended already, is not found.
    let again = laptop
        .post(
            "/settings/sessions/end",
            &[("csrf", &csrf), ("session", &phone_session[0])],
        )
        .await;
    assert_eq!(again.status, StatusCode::NOT_FOUND);

    // End every other session.
    let tablet = app.client("10.16.11.3");
    tablet.log_in("ann", "maple tree 1").await;
    let all = laptop
        .post("/settings/sessions/end-others", &[("csrf", &csrf)])
        .await;
    assert_eq!(all.status, StatusCode::SEE_OTHER);
    assert_eq!(tablet.get("/settings").await.status, StatusCode::SEE_OTHER);
    assert_eq!(laptop.get("/settings").await.status, StatusCode::OK);
}
