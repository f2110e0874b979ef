//! Conditional GETs: pages carry an ETag, an unchanged page answers 304 with no body,
//! a write is seen on the very next request, and what must not be cached is not.

use crate::support::{Client, Page, Seeded, TestApp};
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use ponder_store::conformance as fx;
use tower::ServiceExt;

async fn get_if_none_match(browser: &Client, uri: &str, etag: &str) -> Page {
    let request = Request::get(uri)
        .header(header::IF_NONE_MATCH, etag)
        .body(Body::empty())
        .unwrap();
    browser.send(request).await
}

/// The seeded site, and its question's canonical path.
async fn seeded_question(app: &TestApp) -> (Seeded, String) {
    let s = app.seeded().await;
    let path = app
        .get(&format!("/questions/{}", s.question))
        .await
        .location();
    (s, path)
}

#[tokio::test]
async fn unchanged_pages_answer_304_and_a_write_changes_the_etag() {
    let app = TestApp::new().await;
    let (s, path) = seeded_question(&app).await;
    // A browser that has its CSRF cookie already (the first visit sets it, and a
    // response that sets a cookie gets no ETag).
    let browser = app.client("10.0.0.1");
    let first = browser.get("/").await;
    assert!(first.headers.get(header::SET_COOKIE).is_some());
    assert!(first.headers.get(header::ETAG).is_none());
    for uri in ["/", path.as_str(), "/tags/germany"] {
        let page = browser.get(uri).await;
        assert_eq!(page.status, StatusCode::OK, "{uri}");
        let etag = page.header(header::ETAG);
        assert!(
            etag.starts_with("W/\"") && etag.len() == 36,
            "{uri}: {etag}"
        );
        assert_eq!(page.header(header::CACHE_CONTROL), "no-cache");
        assert_eq!(
            browser.get(uri).await.header(header::ETAG),
            etag,
            "{uri}: stable"
        );

        let same = get_if_none_match(&browser, uri, &etag).await;
        assert_eq!(same.status, StatusCode::NOT_MODIFIED, "{uri}");
        assert!(same.body.is_empty());
        assert_eq!(same.header(header::ETAG), etag);
        let listed = get_if_none_match(&browser, uri, &format!("\"other\", {etag}")).await;
        assert_eq!(listed.status, StatusCode::NOT_MODIFIED, "{uri}");
        let other = get_if_none_match(&browser, uri, "\"0123\"").await;
        assert_eq!(other.status, StatusCode::OK, "{uri}");
        assert_eq!(other.body, page.body);
    }

    // A comment changes the question page: the old ETag no longer matches.
    let before = browser.get(&path).await.header(header::ETAG);
    fx::comment(&*app.store, s.question, s.ann.id, 70).await;
    app.index().await;
    let after = get_if_none_match(&browser, &path, &before).await;
    assert_eq!(after.status, StatusCode::OK);
    assert_ne!(after.header(header::ETAG), before);
}

#[tokio::test]
async fn errors_cookies_and_assets_keep_their_own_caching() {
    let app = TestApp::new().await;
    let missing = app.get("/questions/999999").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert!(missing.headers.get(header::ETAG).is_none());
    // The log-in form sets its CSRF cookie: no ETag, so no 304 without the cookie.
    let login = app.get("/login").await;
    assert!(login.headers.get(header::SET_COOKIE).is_some());
    assert!(login.headers.get(header::ETAG).is_none());
    let home = app.get("/").await;
    let css = home.attrs("link[rel=stylesheet]", "href");
    let asset = app.get(&css[0]).await;
    assert_eq!(asset.status, StatusCode::OK);
    assert!(asset.header(header::CACHE_CONTROL).contains("immutable"));
    assert!(asset.headers.get(header::ETAG).is_none());
}

#[tokio::test]
async fn responses_are_compressed_for_clients_that_accept_it() {
    let app = TestApp::new().await;
    app.seeded().await;
    let browser = app.client("10.0.0.2");
    let plain = browser.get("/").await;
    assert!(plain.headers.get(header::CONTENT_ENCODING).is_none());
    for (accept, expected) in [("br, gzip", "br"), ("gzip", "gzip")] {
        let request = Request::get("/")
            .header(header::ACCEPT_ENCODING, accept)
            .body(Body::empty())
            .unwrap();
        let response = app.router.clone().oneshot(request).await.unwrap();
        assert_eq!(response.headers()[header::CONTENT_ENCODING], expected);
        assert!(
            response.headers()[header::VARY]
                .to_str()
                .unwrap()
                .to_ascii_lowercase()
                .contains("accept-encoding")
        );
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        assert!(
            bytes.len() * 2 < plain.body.len(),
            "{expected}: {} of {}",
            bytes.len(),
            plain.body.len()
        );
    }
}

/// Statements the store ran while `read` ran.
async fn queries_during<F: std::future::Future<Output = Page>>(
    app: &TestApp,
    read: F,
) -> (u64, Page) {
    let before = app.store.queries_executed();
    let page = read.await;
    (app.store.queries_executed() - before, page)
}

/// The seeded site with a second question: the seeded question's path, the other
/// question's id and its path.
async fn two_questions(app: &TestApp) -> (Seeded, String, ponder_core::PostId, String) {
    let (s, path) = seeded_question(app).await;
    let other = fx::ask(
        &*app.store,
        s.bob.id,
        s.history.id,
        "What ended the Thirty Years War",
        &["germany"],
        80,
    )
    .await;
    app.index().await;
    let other_path = app.get(&format!("/questions/{other}")).await.location();
    (s, path, other, other_path)
}

/// Reads each of `uris` twice as `visitor`, so that the cache keeps it, and checks
/// that the second read was served from memory.
async fn keep_pages(app: &TestApp, visitor: &Client, uris: &[&str]) {
    for uri in uris {
        visitor.get(uri).await;
        let (queries, _) = queries_during(app, visitor.get(uri)).await;
        assert_eq!(queries, 0, "{uri}: kept");
    }
}

#[tokio::test]
async fn visitors_pages_come_from_memory_and_a_write_shows_on_the_next_read() {
    let app = TestApp::new().await;
    let (s, path) = seeded_question(&app).await;
    let visitor = app.client("10.0.0.3");
    let (queries, first) = queries_during(&app, visitor.get(&path)).await;
    assert_eq!(first.status, StatusCode::OK);
    assert!(queries > 0, "the first read renders");
    for uri in [path.as_str(), "/", "/tags/germany", "/categories/history"] {
        visitor.get(uri).await;
        let (queries, again) = queries_during(&app, visitor.get(uri)).await;
        assert_eq!(again.status, StatusCode::OK, "{uri}");
        assert_eq!(queries, 0, "{uri}: served from memory");
    }
    // Another visitor, without cookies yet, gets the same page from memory.
    let (queries, other) = queries_during(&app, app.get(&path)).await;
    assert_eq!((queries, &other.body), (0, &first.body));

    // A logged-in reader's page is their own, rendered each time.
    app.account("writer", "correct horse battery", ponder_store::Role::User)
        .await;
    let writer = app.client("10.0.0.4");
    writer.log_in("writer", "correct horse battery").await;
    writer.get(&path).await;
    let (queries, own) = queries_during(&app, writer.get(&path)).await;
    assert!(queries > 0, "logged-in pages are not shared");
    assert_eq!(own.count("form[action$='/answers']"), 1);
    assert_eq!(first.count("form[action$='/answers']"), 0);

    // The writer answers: the visitor's very next read shows it, on every page.
    let home_before = visitor.get("/").await;
    assert!(home_before.text(".stat.answered").contains("3 answers"));
    let csrf = writer.csrf(&path).await;
    let body = "Currency union first, then the vote of the Volkskammer sealed it.";
    let posted = writer
        .post(
            &format!("/questions/{}/answers", s.question),
            &[("csrf", &csrf), ("body", body)],
        )
        .await;
    assert_eq!(posted.status, StatusCode::SEE_OTHER, "{}", posted.body);
    let (queries, after) = queries_during(&app, visitor.get(&path)).await;
    assert!(queries > 0);
    assert!(after.body.contains("Volkskammer"));
    assert_eq!(after.count(".answer"), first.count(".answer") + 1);
    let home = visitor.get("/").await;
    assert!(home.text(".stat.answered").contains("4 answers"));

    // A refused write (an empty comment) changes nothing and empties nothing.
    let (_, cached) = queries_during(&app, visitor.get(&path)).await;
    let refused = writer
        .post(
            &format!("/posts/{}/comments", s.question),
            &[("csrf", &csrf), ("body", "")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let (queries, still) = queries_during(&app, visitor.get(&path)).await;
    assert_eq!((queries, &still.body), (0, &cached.body));
}

#[tokio::test]
async fn pages_that_carry_a_visitors_own_token_are_not_shared() {
    let app = TestApp::new().await;
    let first = app.client("10.0.0.5");
    let second = app.client("10.0.0.6");
    for browser in [&first, &second] {
        for _ in 0..2 {
            let form = browser.get("/login").await;
            let token = form.attrs("input[name=csrf]", "value").remove(0);
            assert_eq!(Some(token), browser.cookie("__Host-ponder_csrf"));
        }
    }
    assert_ne!(
        first.cookie("__Host-ponder_csrf"),
        second.cookie("__Host-ponder_csrf")
    );
    // Not shared, but still validated: the same browser's copy answers 304.
    let etag = first.get("/login").await.header(header::ETAG);
    assert!(etag.starts_with("W/\""), "{etag}");
    let same = get_if_none_match(&first, "/login", &etag).await;
    assert_eq!(same.status, StatusCode::NOT_MODIFIED);
    let other = get_if_none_match(&second, "/login", &etag).await;
    assert_eq!(
        other.status,
        StatusCode::OK,
        "another visitor's token, another page"
    );
}

#[tokio::test]
async fn kept_pages_go_compressed_and_answer_conditional_and_head_requests() {
    let app = TestApp::new().await;
    app.seeded().await;
    let browser = app.client("10.0.0.7");
    browser.get("/").await; // the CSRF cookie
    let plain = browser.get("/").await;
    let etag = plain.header(header::ETAG);
    for (accept, expected) in [("gzip;q=1.0, br", "br"), ("gzip, br;q=0", "gzip")] {
        let before = app.store.queries_executed();
        let request = Request::get("/")
            .header(header::ACCEPT_ENCODING, accept)
            .body(Body::empty())
            .unwrap();
        let response = app.router.clone().oneshot(request).await.unwrap();
        assert_eq!(
            app.store.queries_executed(),
            before,
            "{accept}: from memory"
        );
        assert_eq!(response.headers()[header::CONTENT_ENCODING], expected);
        assert_eq!(response.headers()[header::ETAG], etag.as_str());
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        let mut page = Vec::new();
        if expected == "br" {
            brotli::BrotliDecompress(&mut &bytes[..], &mut page).unwrap();
        } else {
            std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(&bytes[..]), &mut page)
                .unwrap();
        }
        assert_eq!(String::from_utf8(page).unwrap(), plain.body, "{expected}");
    }
    let same = get_if_none_match(&browser, "/", &etag).await;
    assert_eq!(same.status, StatusCode::NOT_MODIFIED);
    let head = browser
        .send(Request::head("/").body(Body::empty()).unwrap())
        .await;
    assert_eq!(head.status, StatusCode::OK);
    assert!(head.body.is_empty());
    assert_eq!(
        head.header(header::CONTENT_LENGTH),
        plain.body.len().to_string()
    );
    assert_eq!(head.header(header::ETAG), etag);
}

#[tokio::test]
async fn a_write_to_one_thread_keeps_the_other_question_pages() {
    let app = TestApp::new().await;
    let (s, path, _, other_path) = two_questions(&app).await;
    // Logging in is a write outside threads too: done before the pages are kept.
    app.account("writer", "correct horse battery", ponder_store::Role::User)
        .await;
    let writer = app.client("10.0.0.9");
    writer.log_in("writer", "correct horse battery").await;
    let csrf = writer.csrf(&path).await;
    let visitor = app.client("10.0.0.8");
    keep_pages(&app, &visitor, &[&path, &other_path, "/"]).await;
    let posted = writer
        .post(
            &format!("/questions/{}/answers", s.question),
            &[
                ("csrf", &csrf),
                ("body", "The Peace of Westphalia is another story."),
            ],
        )
        .await;
    assert_eq!(posted.status, StatusCode::SEE_OTHER, "{}", posted.body);

    let (queries, page) = queries_during(&app, visitor.get(&path)).await;
    assert!(
        queries > 0 && page.body.contains("Westphalia"),
        "the written thread"
    );
    let (queries, _) = queries_during(&app, visitor.get("/")).await;
    assert!(queries > 0, "the lists");
    let (queries, _) = queries_during(&app, visitor.get(&other_path)).await;
    assert_eq!(queries, 0, "another question's page stays");

    // A write outside threads (a profile) makes every page stale.
    let csrf = writer.csrf("/settings").await;
    let saved = writer
        .post(
            "/settings/profile",
            &[
                ("csrf", &csrf),
                ("display_name", "Writer Two"),
                ("about", ""),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let (queries, _) = queries_during(&app, visitor.get(&other_path)).await;
    assert!(queries > 0, "everything after a write outside threads");
}

#[tokio::test]
async fn writes_from_other_nodes_reach_kept_pages_through_the_change_log() {
    writes_from_other_nodes_reach_kept_pages("sqlite").await;
}

// Two workers: the test database is dropped while the runtime's thread waits.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn writes_from_other_nodes_reach_kept_pages_through_the_change_log_on_postgres() {
    writes_from_other_nodes_reach_kept_pages("postgres").await;
}

/// A comment, a lock and a role change written to the store directly, as another
/// node would, reach this node's kept pages through its follower: the commented
/// and the locked question's pages are rendered again and no other, and a role
/// change makes every page stale.
async fn writes_from_other_nodes_reach_kept_pages(engine: &str) {
    let Some(app) = TestApp::on(engine, ponder_core::reputation::Privileges::default()).await
    else {
        return;
    };
    let (s, path, other, other_path) = two_questions(&app).await;
    let visitor = app.client("10.0.0.12");
    keep_pages(&app, &visitor, &[&path, &other_path]).await;

    // Another node comments on the seeded question: only its page goes stale.
    fx::comment(&*app.store, s.question, s.bob.id, 90).await;
    app.follow().await;
    let (queries, page) = queries_during(&app, visitor.get(&path)).await;
    assert!(queries > 0, "the commented thread is rendered again");
    assert!(page.body.contains("Comment at 90"), "the comment shows");
    let (queries, _) = queries_during(&app, visitor.get(&other_path)).await;
    assert_eq!(queries, 0, "another question's page stays");

    // Another node locks the other question: its page shows it on the next read.
    keep_pages(&app, &visitor, &[&path, &other_path]).await;
    app.store.set_locked(other, true, fx::at(91)).await.unwrap();
    app.follow().await;
    let (queries, _) = queries_during(&app, visitor.get(&other_path)).await;
    assert!(queries > 0, "the locked question is rendered again");
    let (queries, _) = queries_during(&app, visitor.get(&path)).await;
    assert_eq!(queries, 0, "the commented question's page stays");

    // Another node makes a user a moderator: every page may show their badge.
    keep_pages(&app, &visitor, &[&path, &other_path]).await;
    app.store
        .set_role(s.bob.id, ponder_store::Role::Moderator)
        .await
        .unwrap();
    app.follow().await;
    for uri in [path.as_str(), other_path.as_str()] {
        let (queries, _) = queries_during(&app, visitor.get(uri)).await;
        assert!(queries > 0, "{uri}: stale after a role change");
    }
}

#[tokio::test]
async fn issue16_posts_that_write_nothing_keep_the_pages() {
    let app = TestApp::new().await;
    let (s, path) = seeded_question(&app).await;
    app.account("writer", "correct horse battery", ponder_store::Role::User)
        .await;
    let visitor = app.client("10.0.9.1");
    let pages = [path.as_str(), "/", "/tags/germany"];
    keep_pages(&app, &visitor, &pages).await;

    let writer = app.client("10.0.9.2");
    writer.log_in("writer", "correct horse battery").await;
    let csrf = writer.csrf("/ask").await;
    let answer_url = format!("/questions/{}/answers", s.question);
    let previews = [
        writer
            .post("/preview", &[("csrf", &csrf), ("body", "*a preview*")])
            .await,
        writer
            .post(
                &answer_url,
                &[
                    ("csrf", &csrf),
                    ("body", "A previewed answer, long enough to post."),
                    ("action", "preview"),
                ],
            )
            .await,
    ];
    for preview in previews {
        assert_eq!(preview.status, StatusCode::OK);
    }
    let reset_csrf = visitor.csrf("/reset-password").await;
    let asked = visitor
        .post(
            "/reset-password",
            &[("csrf", &reset_csrf), ("email", "writer@example.org")],
        )
        .await;
    assert_eq!(asked.status, StatusCode::OK);
    for uri in pages {
        let (queries, _) = queries_during(&app, visitor.get(uri)).await;
        assert_eq!(queries, 0, "{uri}: still kept");
    }
    // A real write still stales them.
    let posted = writer
        .post(
            &answer_url,
            &[
                ("csrf", &csrf),
                ("body", "A posted answer, long enough to count."),
            ],
        )
        .await;
    assert_eq!(posted.status, StatusCode::SEE_OTHER);
    let (queries, _) = queries_during(&app, visitor.get(&path)).await;
    assert!(queries > 0);
}

/// Each write of a thread (a vote, a comment, an edit, a deletion) says in its
/// outcome which question it changed: that page and the lists go stale, another
/// question's page stays (issue 17).
#[tokio::test]
async fn each_thread_write_stales_its_own_thread_only() {
    let app = TestApp::new().await;
    let (s, path, _, other_path) = two_questions(&app).await;
    app.account("writer", "correct horse battery", ponder_store::Role::User)
        .await;
    let writer = app.client("10.0.0.9");
    writer.log_in("writer", "correct horse battery").await;
    let mine = fx::answer(&*app.store, s.question, writer_id(&app).await, 90).await;
    let base = app
        .store
        .editable_post(mine)
        .await
        .unwrap()
        .unwrap()
        .latest_revision
        .to_string();
    let visitor = app.client("10.0.0.8");
    let question = s.question;
    let writes: [(String, Vec<(&str, String)>); 4] = [
        (
            format!("/posts/{question}/vote"),
            vec![("value", "up".to_owned())],
        ),
        (
            format!("/posts/{question}/comments"),
            vec![("body", "A comment long enough to keep.".to_owned())],
        ),
        (
            format!("/posts/{mine}/edit"),
            vec![
                (
                    "body",
                    "An answer edited to say something else entirely.".to_owned(),
                ),
                ("base_revision", base),
                ("summary", String::new()),
            ],
        ),
        (format!("/posts/{mine}/delete"), Vec::new()),
    ];
    for (uri, fields) in writes {
        keep_pages(&app, &visitor, &[&path, &other_path]).await;
        let csrf = writer.csrf("/settings").await;
        let mut all = vec![("csrf", csrf.as_str())];
        all.extend(fields.iter().map(|(k, v)| (*k, v.as_str())));
        let done = writer.post(&uri, &all).await;
        assert_eq!(done.status, StatusCode::SEE_OTHER, "{uri}: {}", done.body);
        let (queries, _) = queries_during(&app, visitor.get(&path)).await;
        assert!(queries > 0, "{uri}: the written thread is read afresh");
        let (queries, _) = queries_during(&app, visitor.get(&other_path)).await;
        assert_eq!(queries, 0, "{uri}: another question's page stays");
    }
}

async fn writer_id(app: &TestApp) -> ponder_core::UserId {
    app.store
        .login_record("writer")
        .await
        .unwrap()
        .unwrap()
        .user
        .id
}

/// A search index that cannot take anything in, as one whose disk is full.
struct BrokenIndex;

#[async_trait::async_trait]
impl ponder_feed::Subscriber for BrokenIndex {
    fn name(&self) -> &'static str {
        "search index"
    }

    fn position(&self) -> i64 {
        0
    }

    async fn take(
        &self,
        _: &dyn ponder_store::Store,
        _: &[ponder_store::Change],
    ) -> Result<(), ponder_feed::SubscriberError> {
        Err("no space left on device".into())
    }
}

/// Another node's comment reaches this node's kept pages even while its search
/// index fails to take in changes: each subscriber of the feed goes at its own
/// pace (issue 17).
#[tokio::test]
async fn a_failing_index_does_not_keep_other_nodes_writes_from_kept_pages() {
    let app = TestApp::new().await;
    let (s, path, _, other_path) = two_questions(&app).await;
    let visitor = app.client("10.0.0.13");
    keep_pages(&app, &visitor, &[&path, &other_path]).await;
    let pages = ponder_web::page_cache::FeedSubscriber::new(
        app.pages.clone(),
        app.store.last_change_id().await.unwrap(),
    );
    let subscribers: Vec<std::sync::Arc<dyn ponder_feed::Subscriber>> =
        vec![std::sync::Arc::new(BrokenIndex), std::sync::Arc::new(pages)];
    let follower = ponder_feed::Follower::new(app.store.clone(), subscribers, 1_000);

    fx::comment(&*app.store, s.question, s.bob.id, 95).await;
    let fed = follower.pass().await;
    assert!(
        matches!(&fed[0], ponder_feed::follower::Fed::Failed(_)),
        "{fed:?}"
    );
    assert_eq!(fed[1], ponder_feed::follower::Fed::Took(1));
    let (queries, page) = queries_during(&app, visitor.get(&path)).await;
    assert!(queries > 0 && page.body.contains("Comment at 95"));
    let (queries, _) = queries_during(&app, visitor.get(&other_path)).await;
    assert_eq!(queries, 0, "another question's page stays");
}
