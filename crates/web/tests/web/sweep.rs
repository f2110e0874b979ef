//! Issue 26: hostile input on every route, on both databases. The routes come from
//! the router itself (`ponder_web::routes::route_paths`), so a new route is swept
//! without anyone adding it here. Every path parameter, query parameter and form
//! field gets each hostile value in turn, as a visitor, a member and a moderator
//! with valid CSRF tokens; no answer may be a 5xx, the server may log no error,
//! and nothing refused may have been written.

use crate::support::{Client, TestApp};
use axum::http::StatusCode;
use ponder_core::api_tokens::TokenScope;
use ponder_store::Role;
use ponder_web::input_guard::CHECKED_FIELDS;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

/// Hostile values, as they go into an address or a form: percent-encoded text, or
/// bytes already escaped (not UTF-8 once decoded).
fn hostile_values() -> Vec<String> {
    let mut values: Vec<String> = hostile_texts()
        .iter()
        .map(|t| ponder_web::forms::query_encode(t))
        .collect();
    values.push("%FF%FE".to_owned());
    values.push("%C3".to_owned());
    values
}

/// The hostile values as text (all but the bytes that are not UTF-8).
fn hostile_texts() -> Vec<String> {
    vec![
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
    ]
}

/// The form fields that name a choice rather than hold writing (a field a form
/// does not read is ignored by it); with the fields that hold writing
/// (`input_guard::CHECKED_FIELDS`), every field the site's forms read.
const CHOICE_FIELDS: &[&str] = &[
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

/// Every field name the site's forms read.
fn all_fields() -> impl Iterator<Item = &'static str> {
    CHECKED_FIELDS.iter().chain(CHOICE_FIELDS).copied()
}

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

/// A client as the sweep uses it: who it is, and its session's CSRF token.
type Sweeper<'a> = (&'static str, &'a Client, String);

/// Posts `form` (its `csrf=TOKEN` made the client's) to `uri` as a same-origin
/// browser does.
async fn post_form(client: &Client, csrf: &str, uri: &str, form: &str) -> crate::support::Page {
    client
        .post_raw(
            uri,
            "application/x-www-form-urlencoded",
            form.replacen("TOKEN", csrf, 1).into_bytes(),
            &[("sec-fetch-site", "same-origin")],
        )
        .await
}

/// What a sweep found: requests sent, server errors (described), and answers that
/// named the refused character.
#[derive(Default)]
struct Found {
    sent: usize,
    failures: Vec<String>,
    named: usize,
}

impl Found {
    /// Counts `page`, the answer to `what`.
    fn note(&mut self, what: String, page: &crate::support::Page) {
        self.sent += 1;
        self.named += usize::from(page.status.is_client_error() && page.body.contains("U+00"));
        if page.status.is_server_error() {
            self.failures
                .push(format!("{what}: {} {:.300}", page.status, page.body));
        }
    }

    /// Fails the test if any answer was a server error.
    fn assert_no_failures(&self, engine: &str) {
        assert!(
            self.failures.is_empty(),
            "{} of {} answers were server errors on {engine}:\n{}",
            self.failures.len(),
            self.sent,
            self.failures
                .iter()
                .take(30)
                .cloned()
                .collect::<Vec<_>>()
                .join("\n")
        );
    }
}

/// Every path with each hostile value in every path parameter, query parameter
/// and form field at once, GET and POST, as each of `clients`.
async fn sweep_every_value(paths: &[&str], clients: &[Sweeper<'_>], found: &mut Found) {
    for path in paths {
        for value in &hostile_values() {
            let uri = fill(path, value);
            // Addresses stay under what HTTP takes (64 KiB): a long value goes in
            // one parameter.
            let names: &[&str] = if value.len() > 1_000 {
                &["q"]
            } else {
                &["q", "page", "sort", "tag", "next", "token", "title"]
            };
            let query = names
                .iter()
                .map(|name| format!("{name}={value}"))
                .collect::<Vec<_>>()
                .join("&");
            let form = std::iter::once("csrf=TOKEN".to_owned())
                .chain(all_fields().map(|f| format!("{f}={value}")))
                .collect::<Vec<_>>()
                .join("&");
            for (role, client, csrf) in clients {
                let page = client.get(&format!("{uri}?{query}")).await;
                found.note(format!("GET {path} as {role} with {value:.40}"), &page);
                let page = post_form(client, csrf, &uri, &form).await;
                found.note(format!("POST {path} as {role} with {value:.40}"), &page);
            }
        }
    }
}

/// Each field that holds writing alone hostile, beside plausible values, on
/// addresses that name what exists (`existing`), as each of `clients`: the field's
/// own check must answer.
async fn sweep_each_field(
    paths: &[&str],
    existing: impl Fn(&str) -> String,
    clients: &[Sweeper<'_>],
    found: &mut Found,
) {
    let plausible = |field: &str| match field {
        "title" => "A plausible question title for the sweep",
        "body" | "about" | "wiki" | "description" => {
            "A plausible text, long enough for any of the rules to take it."
        }
        "tags" => "sweep",
        "display_name" | "name" => "Sweep",
        "handle" => "sweeper",
        "email" => "sweeper@example.org",
        "login" => "member",
        _ => "1",
    };
    for path in paths.iter().filter(|p| **p != "/logout") {
        let uri = fill(&existing(path), "x");
        for field in CHECKED_FIELDS {
            for value in ["a%00b", "a%1Bb%7F", "%FF"] {
                let form = std::iter::once("csrf=TOKEN".to_owned())
                    .chain(all_fields().map(|f| {
                        let v = if f == *field {
                            value.to_owned()
                        } else {
                            ponder_web::forms::query_encode(plausible(f))
                        };
                        format!("{f}={v}")
                    }))
                    .collect::<Vec<_>>()
                    .join("&");
                for (role, client, csrf) in clients {
                    let page = post_form(client, csrf, &uri, &form).await;
                    found.note(format!("POST {uri} as {role} with {field}={value}"), &page);
                }
            }
        }
    }
}

/// The JSON body the API's write at `path` reads, with `text` in every field that
/// holds text (a path without a body of its own gets an empty object).
fn api_body(path: &str, text: &str, category: i64) -> serde_json::Value {
    use serde_json::json;
    match path {
        "/api/v1/questions" => {
            json!({"title": text, "body": text, "tags": [text], "category": category})
        }
        "/api/v1/questions/{id}/answers" | "/api/v1/posts/{id}/comments" => json!({"body": text}),
        "/api/v1/posts/{id}" => {
            json!({"base_revision": 1, "title": text, "body": text, "tags": [text], "summary": text})
        }
        "/api/v1/posts/{id}/flags" => json!({"kind": "needs_moderator", "message": text}),
        "/api/v1/posts/{id}/vote" => json!({"vote": text}),
        "/api/v1/answers/{id}/accept" => json!({"accept": text}),
        "/api/v1/questions/{id}/close" => json!({"reason": text}),
        _ => json!({}),
    }
}

/// Every API address, with hostile text in each JSON body and in the address, by
/// POST and PATCH with `token`, and GET.
async fn sweep_the_api(
    paths: &[&str],
    existing: impl Fn(&str) -> String,
    client: &Client,
    token: &str,
    category: i64,
    found: &mut Found,
) {
    use axum::body::Body;
    use axum::http::{Request, header};
    for path in paths.iter().filter(|p| p.starts_with("/api/v1/")) {
        for text in hostile_texts() {
            let body = api_body(path, &text, category).to_string();
            let encoded = ponder_web::forms::query_encode(&text);
            for (method, uri) in [
                ("POST", existing(path)),
                ("PATCH", existing(path)),
                ("POST", fill(path, &encoded)),
                (
                    "GET",
                    format!("{}?q={encoded}&page={encoded}", fill(path, &encoded)),
                ),
            ] {
                let request = Request::builder()
                    .method(method)
                    .uri(&uri)
                    .header(header::CONTENT_TYPE, "application/json")
                    .header(header::AUTHORIZATION, token)
                    .body(Body::from(body.clone()))
                    .unwrap();
                let page = client.send(request).await;
                found.note(format!("{method} {uri:.80} with {text:.40}"), &page);
            }
        }
    }
}

async fn issue26_every_route_answers_hostile_input_without_a_server_error(engine: &str) {
    let Some(app) = TestApp::on(engine, TestApp::open_privileges()).await else {
        return;
    };
    let seeded = app.seeded().await;
    let member_user = app.account("member", "maple tree 1", Role::User).await;
    app.account("moderator", "maple tree 2", Role::Moderator)
        .await;
    let admin_user = app
        .account("administrator", "maple tree 3", Role::Admin)
        .await;
    app.index().await;
    let visitor = app.client("10.26.0.1");
    let member = app.client("10.26.0.2");
    let moderator = app.client("10.26.0.3");
    let admin = app.client("10.26.0.4");
    member.log_in("member", "maple tree 1").await;
    moderator.log_in("moderator", "maple tree 2").await;
    let errors = ErrorCounter::default();
    let logging = tracing::subscriber::set_default(errors.clone());
    let mut paths = ponder_web::routes::route_paths();
    // Logging out ends the session the rest of the sweep uses: last.
    paths.sort_by_key(|p| *p == "/logout");
    assert!(paths.len() > 100, "{} routes", paths.len());

    // Everything hostile at once, as the issue's three roles: nothing may be written.
    let before = counts(&app).await;
    let clients = [
        ("visitor", &visitor, visitor.csrf("/login").await),
        ("member", &member, member.csrf("/ask").await),
        ("moderator", &moderator, moderator.csrf("/ask").await),
    ];
    let mut found = Found::default();
    sweep_every_value(&paths, &clients, &mut found).await;
    assert!(found.sent > 10_000, "{} requests", found.sent);
    found.assert_no_failures(engine);
    assert_eq!(
        counts(&app).await,
        before,
        "a refused request wrote something"
    );

    // One field at a time, as a visitor and as an administrator, who reaches the
    // most forms (the site's and the categories' besides a moderator's).
    admin.log_in("administrator", "maple tree 3").await;
    let clients = [
        ("visitor", &visitor, visitor.csrf("/login").await),
        ("administrator", &admin, admin.csrf("/ask").await),
    ];
    let existing = |path: &str| {
        let id = if path.starts_with("/users/") {
            member_user.id.0
        } else if path.starts_with("/admin/categories/") {
            seeded.history.id.0
        } else if path.starts_with("/comments/") {
            1
        } else {
            seeded.question.0
        };
        path.replace("{id}", &id.to_string())
            .replace("{name}", "cold-war")
            .replace("{*path}", "history")
            .replace("{slug}", "x")
    };
    let mut found = Found::default();
    sweep_each_field(&paths, &existing, &clients, &mut found).await;
    found.assert_no_failures(engine);
    // The API's writes, with a token that may write.
    let token = crate::api::token(&app, &admin_user, TokenScope::Write).await;
    // (Some of the values are fine text: a 10,000-character answer is taken.)
    let mut api_found = Found::default();
    sweep_the_api(
        &paths,
        &existing,
        &admin,
        &token,
        seeded.history.id.0,
        &mut api_found,
    )
    .await;
    api_found.assert_no_failures(engine);
    assert!(
        api_found.named >= 10,
        "only {} API answers named the character",
        api_found.named
    );
    // The fields' own checks were reached (40 answers named the character when this
    // was written), not only refusals for other reasons.
    assert!(
        found.named >= 30,
        "only {} answers named the character",
        found.named
    );
    drop(logging);
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

    // The issue's own three, on both engines alike.
    let page = visitor.get("/tags/a%00b").await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    let login = app.client("10.26.0.5");
    let csrf = login.csrf("/login").await;
    let page = login
        .post(
            "/login",
            &[
                ("csrf", &csrf),
                ("login", "pg\0member"),
                ("password", "maple tree 1"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.body.contains("U+0000"), "{}", page.body);
    member.log_in("member", "maple tree 1").await;
    let csrf = member.csrf("/settings").await;
    let page = member
        .post(
            "/settings/profile",
            &[
                ("csrf", &csrf),
                ("display_name", "Member"),
                ("about", "ABOUT\0nul \u{1b}[31m"),
            ],
        )
        .await;
    assert!(page.status.is_client_error(), "{}", page.status);
    assert!(page.body.contains("U+0000"), "the message beside the field");
    assert!(
        page.body.contains("ABOUT\u{fffd}nul \u{fffd}[31m"),
        "what was typed is kept"
    );
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
}

on_both_databases!(issue26_every_route_answers_hostile_input_without_a_server_error);
