//! Issue 26: hostile input on every route, on both databases. The routes come from
//! the router itself (`ponder_web::routes::route_paths`), so a new route is swept
//! without anyone adding it here. Every path parameter, query parameter and form
//! field gets each hostile value in turn, as a visitor, a member and a moderator
//! with valid CSRF tokens; no answer may be a 5xx, the server may log no error,
//! and nothing refused may have been written.

use crate::support::{Client, TestApp};
use axum::http::StatusCode;
use ponder_store::Role;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

/// Hostile values, as they go into an address or a form: percent-encoded text, or
/// bytes already escaped (not UTF-8 once decoded).
fn hostile_values() -> Vec<String> {
    let texts = [
        "a\0b".to_owned(),
        "x\u{1}y\u{1b}[31m\u{7f}\u{85}".to_owned(),
        "line\r\nbreak".to_owned(),
        "a".repeat(10_000),
        "'".to_owned(),
        "\"".to_owned(),
        "\\".to_owned(),
        "%".to_owned(),
        "_".to_owned(),
        "😀".to_owned(),
        "\u{202e}שלום עולם".to_owned(),
        "-1".to_owned(),
        "99999999999999999999".to_owned(),
        String::new(),
    ];
    let mut values: Vec<String> = texts
        .iter()
        .map(|t| ponder_web::forms::query_encode(t))
        .collect();
    values.push("%FF%FE".to_owned());
    values.push("%C3".to_owned());
    values
}

/// Every form field name the site's forms read (a field a form does not read is
/// ignored by it).
const FIELDS: &[&str] = &[
    "title",
    "body",
    "tags",
    "summary",
    "about",
    "display_name",
    "handle",
    "email",
    "login",
    "name",
    "description",
    "wiki",
    "password",
    "current_password",
    "new_password",
    "confirm",
    "category",
    "action",
    "post",
    "base_revision",
    "kind",
    "id",
    "next",
    "message",
    "reason",
    "days",
    "duplicate_of",
    "off_topic",
    "value",
    "role",
    "mode",
    "slug",
    "parent",
    "into",
    "shift",
    "group",
    "url",
    "question",
    "answer",
    "comment",
    "accepted",
    "edit",
    "flag",
    "uses",
    "note",
    "token",
    "scope",
    "direct",
    "digest",
    "session",
    "invite",
    "only",
    "synonym",
    "q",
    "page",
    "sort",
];

/// `path` with each `{param}` (and `{*param}`) replaced by `value`.
fn fill(path: &str, value: &str) -> String {
    let mut out = String::new();
    let mut rest = path;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let close = rest[open..].find('}').map_or(rest.len(), |c| open + c + 1);
        out.push_str(value);
        rest = &rest[close.min(rest.len())..];
    }
    out.push_str(rest);
    out
}

/// A tracing subscriber that counts the events at ERROR and keeps their messages.
#[derive(Default, Clone)]
struct ErrorCounter {
    count: Arc<AtomicUsize>,
    messages: Arc<Mutex<Vec<String>>>,
}

/// Collects an event's fields as text.
struct FieldText(String);

impl tracing::field::Visit for FieldText {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        self.0.push_str(&format!("{}={value:?} ", field.name()));
    }
}

impl tracing::Subscriber for ErrorCounter {
    fn enabled(&self, metadata: &tracing::Metadata<'_>) -> bool {
        *metadata.level() == tracing::Level::ERROR
    }
    fn new_span(&self, _: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        tracing::span::Id::from_u64(1)
    }
    fn record(&self, _: &tracing::span::Id, _: &tracing::span::Record<'_>) {}
    fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}
    fn event(&self, event: &tracing::Event<'_>) {
        let mut text = FieldText(String::new());
        event.record(&mut text);
        self.count.fetch_add(1, Ordering::Relaxed);
        self.messages.lock().unwrap().push(text.0);
    }
    fn enter(&self, _: &tracing::span::Id) {}
    fn exit(&self, _: &tracing::span::Id) {}
}

/// What the sweep compares before and after: members, posts, categories.
async fn counts(app: &TestApp) -> (i64, i64, usize) {
    let (users, posts) = app.store.content_counts().await.unwrap();
    let categories = app.store.categories().await.unwrap().len();
    (users, posts, categories)
}

async fn issue26_every_route_answers_hostile_input_without_a_server_error(engine: &str) {
    let Some(app) = TestApp::on(engine, TestApp::open_privileges()).await else {
        return;
    };
    app.seeded().await;
    app.account("member", "maple tree 1", Role::User).await;
    app.account("moderator", "maple tree 2", Role::Moderator)
        .await;
    app.index().await;
    let visitor = app.client("10.26.0.1");
    let member = app.client("10.26.0.2");
    member.log_in("member", "maple tree 1").await;
    let moderator = app.client("10.26.0.3");
    moderator.log_in("moderator", "maple tree 2").await;
    let clients: [(&str, &Client, String); 3] = [
        ("visitor", &visitor, visitor.csrf("/login").await),
        ("member", &member, member.csrf("/ask").await),
        ("moderator", &moderator, moderator.csrf("/ask").await),
    ];

    let errors = ErrorCounter::default();
    let _logging = tracing::subscriber::set_default(errors.clone());
    let before = counts(&app).await;
    let mut paths = ponder_web::routes::route_paths();
    // Logging out ends the session the rest of the sweep uses: last.
    paths.sort_by_key(|p| *p == "/logout");
    assert!(paths.len() > 100, "{} routes", paths.len());
    let values = hostile_values();
    let mut failures = Vec::new();
    let mut sent = 0;
    for path in &paths {
        for value in &values {
            let uri = fill(path, value);
            // Addresses stay under what HTTP takes (64 KiB): a long value goes in
            // one parameter.
            let names: &[&str] = if value.len() > 1_000 {
                &["q"]
            } else {
                &["q", "page", "sort", "tag", "next", "token", "title"]
            };
            let query: String = names
                .iter()
                .map(|name| format!("{name}={value}"))
                .collect::<Vec<_>>()
                .join("&");
            for (role, client, csrf) in &clients {
                let form = std::iter::once(format!("csrf={csrf}"))
                    .chain(FIELDS.iter().map(|f| format!("{f}={value}")))
                    .collect::<Vec<_>>()
                    .join("&");
                let answers = [
                    client.get(&format!("{uri}?{query}")).await,
                    client
                        .post_raw(
                            &uri,
                            "application/x-www-form-urlencoded",
                            form.into_bytes(),
                            &[("sec-fetch-site", "same-origin")],
                        )
                        .await,
                ];
                sent += 2;
                for (method, page) in ["GET", "POST"].iter().zip(answers) {
                    if page.status.is_server_error() {
                        failures.push(format!(
                            "{method} {path} as {role} with {:.40}: {} {:.300}",
                            value, page.status, page.body
                        ));
                    }
                }
            }
        }
    }
    // Paths that hold what no page takes find none.
    for raw in [
        "/tags/a%00b",
        "/questions/%FF",
        "/users/1/%1B",
        "/categories/x%0Ay",
    ] {
        let page = visitor.get(raw).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "{raw}");
    }
    drop(_logging);
    assert!(sent > 10_000, "{sent} requests");
    assert!(
        failures.is_empty(),
        "{} of {sent} answers were server errors on {engine}:\n{}",
        failures.len(),
        failures
            .iter()
            .take(30)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
    assert_eq!(
        errors.count.load(Ordering::Relaxed),
        0,
        "errors logged: {:?}",
        errors
            .messages
            .lock()
            .unwrap()
            .iter()
            .take(10)
            .collect::<Vec<_>>()
    );
    assert_eq!(
        counts(&app).await,
        before,
        "a refused request wrote something"
    );
}

on_both_databases!(issue26_every_route_answers_hostile_input_without_a_server_error);
