//! The test harness: a [`TestApp`] runs the real Router in-process over a fresh
//! SQLite store, and [`Page`] reads responses with CSS selectors.

#![allow(dead_code)] // each test binary uses its own share of the helpers

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use ponder_store::Store;
use ponder_store::conformance as fx;
use ponder_store_sqlite::SqliteStore;
use ponder_web::{AppState, SiteConfig, app};
use scraper::{Html, Selector};
use std::sync::Arc;
use tower::ServiceExt;

/// The app over a fresh store.
pub struct TestApp {
    pub store: Arc<dyn Store>,
    router: axum::Router,
    _dir: tempfile::TempDir,
}

impl TestApp {
    pub async fn new() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let store: Arc<dyn Store> = Arc::new(
            SqliteStore::open(&dir.path().join("ponder.db"))
                .await
                .expect("open store"),
        );
        let state = AppState::new(
            store.clone(),
            SiteConfig {
                name: "Testing Site".into(),
                base_url: "https://ask.example.org".into(),
            },
        );
        Self {
            store,
            router: app(state),
            _dir: dir,
        }
    }

    pub async fn get(&self, uri: &str) -> Page {
        let request = Request::get(uri).body(Body::empty()).expect("request");
        let response = self
            .router
            .clone()
            .oneshot(request)
            .await
            .expect("response");
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response
            .into_body()
            .collect()
            .await
            .expect("body")
            .to_bytes();
        Page {
            status,
            headers,
            body: String::from_utf8(bytes.to_vec()).expect("utf-8 body"),
        }
    }

    /// A small site: History › Modern with one question by ann, answered by bob
    /// (accepted) and cy, with comments.
    pub async fn seeded(&self) -> Seeded {
        let s = &*self.store;
        let ann = fx::user(s, "ann").await;
        let bob = fx::user(s, "bob").await;
        let cy = fx::user(s, "cy").await;
        let history = fx::category(s, None, "history").await;
        let modern = fx::category(s, Some(history.id), "modern").await;
        let question = fx::ask(
            s,
            ann.id,
            modern.id,
            "Why did the wall fall in 1989",
            &["cold-war", "germany"],
            0,
        )
        .await;
        let low = fx::answer(s, question, cy.id, 10).await;
        let accepted = fx::answer(s, question, bob.id, 20).await;
        let high = fx::answer(s, question, ann.id, 30).await;
        fx::vote(s, high, bob.id, ponder_store::VoteValue::Up).await;
        fx::vote(s, high, cy.id, ponder_store::VoteValue::Up).await;
        fx::vote(s, low, bob.id, ponder_store::VoteValue::Down).await;
        s.accept_answer(question, Some(accepted))
            .await
            .expect("accept");
        fx::comment(s, question, bob.id, 40).await; // question: 1 comment
        fx::comment(s, high, bob.id, 50).await; // high: 2 comments
        fx::comment(s, high, cy.id, 60).await;
        Seeded {
            ann,
            bob,
            cy,
            history,
            modern,
            question,
            low,
            accepted,
            high,
        }
    }
}

pub struct Seeded {
    pub ann: ponder_store::User,
    pub bob: ponder_store::User,
    pub cy: ponder_store::User,
    pub history: ponder_store::Category,
    pub modern: ponder_store::Category,
    pub question: ponder_core::PostId,
    pub low: ponder_core::PostId,
    pub accepted: ponder_core::PostId,
    pub high: ponder_core::PostId,
}

/// A response, with helpers to read its HTML.
pub struct Page {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: String,
}

impl Page {
    pub fn html(&self) -> Html {
        Html::parse_document(&self.body)
    }

    /// The text of every element matching `selector`, whitespace folded.
    pub fn texts(&self, selector: &str) -> Vec<String> {
        let sel = Selector::parse(selector).expect("selector");
        self.html()
            .select(&sel)
            .map(|e| {
                e.text()
                    .collect::<String>()
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect()
    }

    /// The text of the one element matching `selector`.
    pub fn text(&self, selector: &str) -> String {
        let all = self.texts(selector);
        assert_eq!(
            all.len(),
            1,
            "expected one {selector}, found {}: {all:?}",
            all.len()
        );
        all.into_iter().next().unwrap_or_default()
    }

    /// An attribute of every element matching `selector`.
    pub fn attrs(&self, selector: &str, attr: &str) -> Vec<String> {
        let sel = Selector::parse(selector).expect("selector");
        self.html()
            .select(&sel)
            .filter_map(|e| e.value().attr(attr).map(str::to_owned))
            .collect()
    }

    pub fn count(&self, selector: &str) -> usize {
        let sel = Selector::parse(selector).expect("selector");
        self.html().select(&sel).count()
    }

    pub fn header(&self, name: header::HeaderName) -> String {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    }

    pub fn location(&self) -> String {
        self.header(header::LOCATION)
    }
}
