//! Behind a reverse proxy: the clients it forwards are counted one by one, and
//! forwarding headers from anyone else change nothing.

use crate::support::{Client, TestApp};
use axum::body::Body;
use axum::http::{Request, StatusCode};
use ponder_web::auth::limits::RateLimitConfig;
use ponder_web::proxies::TrustedProxies;
use ponder_web::{AppState, SiteConfig};
use std::sync::Arc;

/// A search for `q` sent by `client` with `X-Forwarded-For: forwarded`.
async fn search(client: &Client, q: &str, forwarded: &str) -> StatusCode {
    let request = Request::get(format!("/search?q={q}"))
        .header("x-forwarded-for", forwarded)
        .body(Body::empty())
        .unwrap();
    client.send(request).await.status
}

#[tokio::test]
async fn behind_a_trusted_proxy_rate_limits_count_the_forwarded_client() {
    let dir = tempfile::tempdir().unwrap();
    let store = ponder_store_sqlite::SqliteStore::open(&dir.path().join("ponder.db"))
        .await
        .unwrap();
    let state = AppState::new(
        Arc::new(store),
        Arc::new(ponder_search::SearchIndex::in_memory().unwrap()),
        SiteConfig::default(),
    )
    .with_limits(RateLimitConfig {
        searches_per_ip_per_minute: 2,
        ..TestApp::generous_limits()
    })
    .with_trusted_proxies(TrustedProxies::parse("10.0.0.0/8").unwrap());
    let router = ponder_web::app(state);

    // Through the proxy: each client has an allowance of its own.
    let proxy = Client::of(router.clone(), "10.0.0.2");
    assert_eq!(search(&proxy, "a1", "203.0.113.1").await, StatusCode::OK);
    assert_eq!(search(&proxy, "a2", "203.0.113.1").await, StatusCode::OK);
    assert_eq!(
        search(&proxy, "a3", "203.0.113.1").await,
        StatusCode::TOO_MANY_REQUESTS
    );
    assert_eq!(search(&proxy, "b1", "203.0.113.2").await, StatusCode::OK);
    // A client's forged entry on the left does not give it a new allowance.
    assert_eq!(
        search(&proxy, "a4", "192.0.2.99, 203.0.113.1").await,
        StatusCode::TOO_MANY_REQUESTS
    );

    // From anyone else the header is ignored: one allowance, however it varies.
    let stranger = Client::of(router, "198.51.100.1");
    assert_eq!(search(&stranger, "c1", "192.0.2.1").await, StatusCode::OK);
    assert_eq!(search(&stranger, "c2", "192.0.2.2").await, StatusCode::OK);
    assert_eq!(
        search(&stranger, "c3", "192.0.2.3").await,
        StatusCode::TOO_MANY_REQUESTS
    );
}
