//! Images for posts (issue 21): `POST /uploads` answers the stored image's address
//! and Markdown; the bytes are decoded and encoded anew (no EXIF, nothing after the
//! image), served with a year's cache and `nosniff`; members below the reputation,
//! over their quota or sending something that is not an image are refused with a
//! clear message; `/upload` does the same without script.

use crate::settings::{multipart_field, png};
use crate::support::{Client, TestApp};
use axum::http::{StatusCode, header};
use ponder_store::Role;

const SAME_ORIGIN: [(&str, &str); 1] = [("sec-fetch-site", "same-origin")];

/// Uploads `bytes` as `filename` of `content_type` with `client`'s CSRF token.
async fn upload(
    client: &Client,
    path: &str,
    filename: &str,
    content_type: &str,
    bytes: &[u8],
) -> crate::support::Page {
    let csrf = client.csrf("/ask").await;
    let (ct, body) = multipart_field(&csrf, "file", filename, content_type, bytes);
    client.post_raw(path, &ct, body, &SAME_ORIGIN).await
}

/// A JPEG with an EXIF segment naming where it was taken, right after its start.
fn jpeg_with_exif() -> Vec<u8> {
    let img = image::RgbImage::from_pixel(64, 48, image::Rgb([10, 120, 200]));
    let mut plain = Vec::new();
    image::DynamicImage::ImageRgb8(img)
        .write_to(
            &mut std::io::Cursor::new(&mut plain),
            image::ImageFormat::Jpeg,
        )
        .unwrap();
    let payload = b"Exif\0\0MM\0*\0\0\0\x08GPSLatitude 52.5163 N, taken at home";
    let length = u16::try_from(payload.len() + 2).unwrap().to_be_bytes();
    let mut out = plain[..2].to_vec();
    out.extend_from_slice(&[0xFF, 0xE1, length[0], length[1]]);
    out.extend_from_slice(payload);
    out.extend_from_slice(&plain[2..]);
    out
}

async fn members_upload_images_without_their_metadata(engine: &str) {
    let Some(app) = TestApp::on(engine, TestApp::open_privileges()).await else {
        return;
    };
    app.account("root", "maple tree 1", Role::Admin).await;
    let admin = app.client("10.21.2.1");
    admin.log_in("root", "maple tree 1").await;
    let ann = app.account("ann", "maple tree 1", Role::User).await;
    let member = app.client("10.21.2.2");
    member.log_in("ann", "maple tree 1").await;

    // A visitor is asked to log in; a new member lacks the reputation.
    let visitor = app.client("10.21.2.3");
    let (ct, body) = multipart_field("none", "file", "a.png", "image/png", &png(8, 8));
    let anonymous = visitor.post_raw("/uploads", &ct, body, &SAME_ORIGIN).await;
    assert_eq!(
        anonymous.status,
        StatusCode::UNAUTHORIZED,
        "{}",
        anonymous.body
    );
    let early = upload(&member, "/uploads", "a.png", "image/png", &png(8, 8)).await;
    assert_eq!(early.status, StatusCode::FORBIDDEN, "{}", early.body);
    assert!(early.body.contains("needs 10 reputation"), "{}", early.body);
    assert_eq!(
        early.header(header::CONTENT_TYPE),
        "application/json",
        "the script gets JSON errors"
    );
    let page = member.get("/upload").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text("#file-error").contains("needs 10 reputation"));

    // Lowered to 1, the member uploads a photo: its EXIF does not survive.
    let saved = crate::writing::save_writing(
        &admin,
        &[
            ("writing.upload_reputation", "1"),
            ("writing.upload_quota_mb", "1"),
        ],
    )
    .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let photo = jpeg_with_exif();
    let stored = upload(
        &member,
        "/uploads",
        "Holiday photo.JPG",
        "image/jpeg",
        &photo,
    )
    .await;
    assert_eq!(stored.status, StatusCode::CREATED, "{}", stored.body);
    let answer: serde_json::Value = serde_json::from_str(&stored.body).unwrap();
    let url = answer["url"].as_str().unwrap().to_owned();
    assert!(
        url.starts_with("/uploads/") && url.ends_with(".jpg"),
        "{url}"
    );
    assert_eq!(url.len(), "/uploads/".len() + 64 + 4);
    assert_eq!(answer["markdown"], format!("![Holiday photo]({url})"));
    assert_eq!(stored.header(header::LOCATION), url);

    let served = visitor.get(&url).await;
    assert_eq!(served.status, StatusCode::OK);
    assert_eq!(served.header(header::CONTENT_TYPE), "image/jpeg");
    assert_eq!(served.header(header::X_CONTENT_TYPE_OPTIONS), "nosniff");
    assert!(served.header(header::CACHE_CONTROL).contains("immutable"));
    let bytes = served.body.as_bytes().to_vec();
    let served_raw = app_bytes(&app, &url).await;
    assert!(!served_raw.windows(4).any(|w| w == b"Exif"), "EXIF kept");
    assert!(!served_raw.windows(11).any(|w| w == b"GPSLatitude"));
    let decoded = image::load_from_memory(&served_raw).expect("a picture");
    assert_eq!((decoded.width(), decoded.height()), (64, 48));
    assert!(!bytes.is_empty());

    // The same picture again is the same name; a PNG with bytes after its end
    // comes back without them.
    let again = upload(&member, "/uploads", "copy.jpg", "image/jpeg", &photo).await;
    let again: serde_json::Value = serde_json::from_str(&again.body).unwrap();
    assert_eq!(again["url"], url);
    let mut polyglot = png(16, 16);
    polyglot.extend_from_slice(b"<script>alert(1)</script>");
    let cleaned = upload(&member, "/uploads", "x.png", "image/png", &polyglot).await;
    assert_eq!(cleaned.status, StatusCode::CREATED, "{}", cleaned.body);
    let cleaned: serde_json::Value = serde_json::from_str(&cleaned.body).unwrap();
    let png_url = cleaned["url"].as_str().unwrap().to_owned();
    assert!(png_url.ends_with(".png"));
    let raw = app_bytes(&app, &png_url).await;
    assert!(!raw.windows(7).any(|w| w == b"<script"));

    // What is not a picture, or lies about its type, is refused beside the field.
    let text = upload(
        &member,
        "/uploads",
        "notes.png",
        "image/png",
        b"just some text",
    )
    .await;
    assert_eq!(
        text.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        text.body
    );
    assert!(
        text.body.contains("not a PNG, JPEG, WebP or GIF"),
        "{}",
        text.body
    );
    let liar = upload(&member, "/uploads", "x.gif", "image/gif", &png(8, 8)).await;
    assert_eq!(
        liar.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        liar.body
    );
    let page = upload(
        &member,
        "/upload",
        "notes.png",
        "image/png",
        b"just some text",
    )
    .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.text("#file-error").contains("not a PNG"));

    // A forged form is refused; so are names that are not ours.
    let (ct, body) = multipart_field("forged", "file", "a.png", "image/png", &png(8, 8));
    let forged = member.post_raw("/uploads", &ct, body, &SAME_ORIGIN).await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    for missing in [
        format!("/uploads/{}.png", "0".repeat(64)),
        "/uploads/..%2Fponder.db".to_owned(),
        "/uploads/x.png".to_owned(),
    ] {
        assert_eq!(
            visitor.get(&missing).await.status,
            StatusCode::NOT_FOUND,
            "{missing}"
        );
    }

    // Without script: the page shows the Markdown to paste.
    let page = upload(&member, "/upload", "diagram.png", "image/png", &png(20, 10)).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let markdown = page.text("#upload-markdown");
    assert!(markdown.starts_with("![diagram](/uploads/"), "{markdown}");

    // A program uploads with a write token and no form token; a read token may not.
    let ann_user = app.store.user(ann.id).await.unwrap().unwrap();
    for (scope, expected) in [
        (
            ponder_core::api_tokens::TokenScope::Write,
            StatusCode::CREATED,
        ),
        (
            ponder_core::api_tokens::TokenScope::Read,
            StatusCode::FORBIDDEN,
        ),
    ] {
        let bearer = crate::api::token(&app, &ann_user, scope).await;
        let (ct, body) = multipart_field("", "file", "bot.png", "image/png", &png(7, 7));
        let request = axum::http::Request::post("/uploads")
            .header(header::CONTENT_TYPE, ct)
            .header(header::AUTHORIZATION, bearer)
            .body(axum::body::Body::from(body))
            .unwrap();
        let answered = visitor.send(request).await;
        assert_eq!(answered.status, expected, "{scope:?}: {}", answered.body);
    }

    // Over the quota (1 MB here), nothing more.
    app.store
        .record_upload(
            &format!("{}.png", "f".repeat(64)),
            ann.id,
            1024 * 1024,
            "image/png",
            1,
        )
        .await
        .unwrap();
    let over = upload(&member, "/uploads", "b.png", "image/png", &png(9, 9)).await;
    assert_eq!(over.status, StatusCode::FORBIDDEN, "{}", over.body);
    assert!(over.body.contains("quota of 1 MB"), "{}", over.body);
}

/// The bytes served at `url`, read whole (a page's body is text).
async fn app_bytes(app: &TestApp, url: &str) -> Vec<u8> {
    use tower::ServiceExt as _;
    let response = app
        .router
        .clone()
        .oneshot(
            axum::http::Request::get(url)
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    axum::body::to_bytes(response.into_body(), 32 * 1024 * 1024)
        .await
        .unwrap()
        .to_vec()
}

/// A moto server (PyPI `moto[server]`, an S3-compatible server) on a free port of
/// 127.0.0.1, stopped when dropped.
struct Moto {
    child: std::process::Child,
    port: u16,
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts the `moto_server` that `PONDER_TEST_MOTO` names; `None` (the test
/// skipped, with a note) when it names none outside CI.
async fn start_moto() -> Option<Moto> {
    let Ok(program) = std::env::var("PONDER_TEST_MOTO") else {
        assert!(
            std::env::var("CI").is_err(),
            "CI must set PONDER_TEST_MOTO to a moto_server"
        );
        eprintln!("skipped: PONDER_TEST_MOTO names no moto_server");
        return None;
    };
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let child = std::process::Command::new(program)
        .args(["-H", "127.0.0.1", "-p", &port.to_string()])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("moto_server starts");
    let moto = Moto { child, port };
    for _ in 0..200 {
        if tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_ok()
        {
            return Some(moto);
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("moto_server did not listen on {port} within 20 s");
}

/// Uploads go to an S3 bucket when one is configured: signed requests to a real
/// S3-compatible server, read back through `/uploads/{name}`.
#[tokio::test]
async fn uploads_go_to_an_s3_bucket() {
    let Some(moto) = start_moto().await else {
        return;
    };
    let bucket = ponder_web::uploads::s3::Bucket::new(
        &format!("http://127.0.0.1:{}", moto.port),
        "ponder-test",
        "site/uploads",
        "us-east-1",
        "testing",
        "testing-secret",
    );
    bucket.create().await.expect("bucket made");
    let app = TestApp::configured_with(
        TestApp::generous_limits(),
        TestApp::open_privileges(),
        Some(ponder_web::uploads::UploadStorage::S3(bucket.clone())),
    )
    .await;
    app.account("mod", "maple tree 1", Role::Moderator).await;
    let moderator = app.client("10.21.3.1");
    moderator.log_in("mod", "maple tree 1").await;
    let stored = upload(
        &moderator,
        "/uploads",
        "graph.png",
        "image/png",
        &png(30, 20),
    )
    .await;
    assert_eq!(stored.status, StatusCode::CREATED, "{}", stored.body);
    let answer: serde_json::Value = serde_json::from_str(&stored.body).unwrap();
    let url = answer["url"].as_str().unwrap().to_owned();
    let name = url.trim_start_matches("/uploads/");
    let in_bucket = bucket.get(name).await.expect("read").expect("the object");
    let served = app_bytes(&app, &url).await;
    assert_eq!(served, in_bucket);
    let decoded = image::load_from_memory(&served).expect("a picture");
    assert_eq!((decoded.width(), decoded.height()), (30, 20));
    assert_eq!(
        bucket.get(&format!("{}.png", "0".repeat(64))).await,
        Ok(None)
    );
}

/// A host on 127.0.0.1 with a picture, a missing one and text that claims to be
/// one; its address.
async fn image_host() -> String {
    use axum::routing::get;
    let picture = png(24, 12);
    let router = axum::Router::new()
        .route(
            "/pic.png",
            get(move || {
                let picture = picture.clone();
                async move { ([(header::CONTENT_TYPE, "image/png")], picture) }
            }),
        )
        .route(
            "/notes.png",
            get(|| async { ([(header::CONTENT_TYPE, "image/png")], "not a picture") }),
        );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    });
    address
}

async fn other_hosts_images_are_copied_or_shown_as_links(engine: &str) {
    let Some(app) = TestApp::on(engine, TestApp::open_privileges()).await else {
        return;
    };
    let category = ponder_store::conformance::category(&*app.store, None, "pictures").await;
    app.account("ann", "maple tree 1", Role::User).await;
    let member = app.client("10.21.4.1");
    member.log_in("ann", "maple tree 1").await;
    let host = image_host().await;
    let body = format!(
        "Here: ![the chart]({host}/pic.png), ![gone]({host}/missing.png) and ![text]({host}/notes.png)."
    );
    let csrf = member.csrf("/ask").await;
    let category_id = category.id.to_string();
    let asked = member
        .post(
            "/ask",
            &[
                ("csrf", &csrf),
                ("title", "Why does my chart render blank in the export?"),
                ("body", &body),
                ("tags", "charts"),
                ("category", &category_id),
            ],
        )
        .await;
    assert_eq!(asked.status, StatusCode::SEE_OTHER, "{}", asked.body);
    let page = member.get(&asked.location()).await;
    let prose = page.html_of(".question .prose");
    let copied = page.attrs(".question .prose img", "src");
    assert_eq!(copied.len(), 1, "{prose}");
    assert!(
        copied[0].starts_with("/uploads/") && copied[0].ends_with(".png"),
        "{prose}"
    );
    assert!(
        prose.contains(&format!(
            "<a href=\"{host}/missing.png\" rel=\"nofollow ugc noopener\">gone</a>"
        )),
        "{prose}"
    );
    assert!(
        prose.contains(&format!(
            "<a href=\"{host}/notes.png\" rel=\"nofollow ugc noopener\">text</a>"
        )),
        "{prose}"
    );
    assert!(!prose.contains(&format!("src=\"{host}")), "{prose}");
    let served = image::load_from_memory(&app_bytes(&app, &copied[0]).await).expect("a picture");
    assert_eq!((served.width(), served.height()), (24, 12));
    // Pages allow images from the site alone.
    assert!(
        page.header(header::CONTENT_SECURITY_POLICY)
            .contains("img-src 'self';"),
        "{}",
        page.header(header::CONTENT_SECURITY_POLICY)
    );
}

on_both_databases!(
    members_upload_images_without_their_metadata,
    other_hosts_images_are_copied_or_shown_as_links
);

/// `body` with each of `edits` replacing, inserting or removing one byte, or
/// cutting it short: broken boundaries, headers and pictures.
fn mutated(body: &[u8], edits: &[(usize, u8, u8)]) -> Vec<u8> {
    const NASTY: &[u8] = b"-\r\n\"=;:\0\xff";
    let mut bytes = body.to_vec();
    for &(at, byte, op) in edits {
        let at = at % bytes.len().max(1);
        let byte = if byte % 2 == 0 {
            NASTY[usize::from(byte / 2) % NASTY.len()]
        } else {
            byte
        };
        match op % 5 {
            0 => bytes.truncate(at),
            1 => bytes.insert(at.min(bytes.len()), byte),
            2 if at < bytes.len() => {
                bytes.remove(at);
            }
            _ if at < bytes.len() => bytes[at] = byte,
            _ => bytes.push(byte),
        }
    }
    bytes
}

/// Property test standing in for a fuzzer of multipart parsing: uploads and
/// avatars sent as mutated multipart bodies are taken or refused, never a 5xx.
#[tokio::test]
async fn mutated_multipart_bodies_are_taken_or_refused_never_a_server_error() {
    use proptest::prelude::*;
    use proptest::strategy::ValueTree;
    let app = TestApp::on("sqlite", TestApp::open_privileges())
        .await
        .unwrap();
    app.account("root", "maple tree 1", Role::Admin).await;
    let admin = app.client("10.21.9.1");
    admin.log_in("root", "maple tree 1").await;
    let csrf = admin.csrf("/ask").await;
    let (content_type, body) = multipart_field(&csrf, "file", "a.png", "image/png", &png(8, 8));
    let edits = proptest::collection::vec((any::<usize>(), any::<u8>(), any::<u8>()), 0..8);
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let mut taken = 0;
    for case in 0..150 {
        let edits = edits.new_tree(&mut runner).unwrap().current();
        let sent = mutated(&body, &edits);
        for path in ["/uploads", "/upload", "/settings/avatar"] {
            let page = admin
                .post_raw(path, &content_type, sent.clone(), &SAME_ORIGIN)
                .await;
            assert!(
                page.status.as_u16() < 500,
                "case {case}, {path}: {} for {edits:?}: {}",
                page.status,
                page.body
            );
            taken += usize::from(page.status.is_success() || page.status.is_redirection());
        }
    }
    // Some survive their edits (a byte changed in the picture's padding, say).
    assert!(
        taken > 0,
        "nothing was taken: the requests never reached the parser"
    );
}
