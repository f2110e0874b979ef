//! Conditional GETs: pages carry an ETag, an unchanged page answers 304 with no body,
//! a write is seen on the very next request, and what must not be cached is not.

use crate::support::{Client, Page, TestApp};
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

#[tokio::test]
async fn unchanged_pages_answer_304_and_a_write_changes_the_etag() {
    let app = TestApp::new().await;
    let s = app.seeded().await;
    let path = app
        .get(&format!("/questions/{}", s.question))
        .await
        .location();
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
