//! The JSON API, `/api/v1` (issue 20, items 1 and 2): reads in pages with limits,
//! served to visitors from the page cache with ETags; writes with a token (or a
//! session and its CSRF header) through the same actions and rules as the forms;
//! every refusal `{"error":{"code","message"}}` with its status, nothing changed;
//! the OpenAPI document and the reference page made from it.

use crate::support::{Client, Page, TestApp};
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use ponder_core::api_tokens::{TOKEN_PREFIX, TokenScope};
use ponder_store::Role;
use ponder_store::conformance as fx;
use serde_json::{Value, json};

const PASSWORD: &str = "maple tree 1";

/// A token for `user` with `scope`, made in the store as the settings page makes one.
pub async fn token(app: &TestApp, user: &ponder_store::User, scope: TokenScope) -> String {
    let secret = ponder_web::auth::tokens::random_token();
    let now = ponder_core::time::now();
    app.store
        .create_api_token(ponder_store::NewApiToken {
            user: user.id,
            token_hash: ponder_web::auth::tokens::sha256_hex(&secret),
            name: format!("{scope:?} bot"),
            scope,
            created_at: now,
            expires_at: now + 86_400,
        })
        .await
        .unwrap();
    format!("Bearer {TOKEN_PREFIX}{secret}")
}

/// A request with a JSON body (or `raw` bytes as they are), and the token if any.
async fn call(client: &Client, method: &str, uri: &str, auth: Option<&str>, body: &str) -> Page {
    let mut request = Request::builder()
        .method(method)
        .uri(uri)
        .header(header::CONTENT_TYPE, "application/json");
    if let Some(auth) = auth {
        request = request.header(header::AUTHORIZATION, auth);
    }
    client
        .send(request.body(Body::from(body.to_owned())).unwrap())
        .await
}

fn json_of(page: &Page) -> Value {
    serde_json::from_str(&page.body)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {} {}", page.status, page.body))
}

/// The error's code, after checking the response is the API's error shape.
fn error_code(page: &Page) -> String {
    assert_eq!(
        page.headers[header::CONTENT_TYPE],
        "application/json",
        "{}",
        page.body
    );
    let body = json_of(page);
    assert!(
        body["error"]["message"]
            .as_str()
            .is_some_and(|m| !m.is_empty())
    );
    body["error"]["code"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

async fn reads_come_in_pages_as_json(engine: &str) {
    let Some(app) = TestApp::on(engine, TestApp::open_privileges()).await else {
        return;
    };
    let ann = app.account("ann", PASSWORD, Role::User).await;
    let bob = app.account("bob", PASSWORD, Role::User).await;
    let general = fx::category(&*app.store, None, "general").await;
    let first = fx::ask(
        &*app.store,
        ann.id,
        general.id,
        "How do tides work here?",
        &["sea"],
        0,
    )
    .await;
    let second = fx::ask(
        &*app.store,
        bob.id,
        general.id,
        "Why is the sea salty?",
        &["sea", "salt"],
        10,
    )
    .await;
    let answer = fx::answer(&*app.store, first, bob.id, 20).await;
    fx::comment(&*app.store, answer, ann.id, 30).await;
    fx::comment(&*app.store, first, bob.id, 40).await;
    let visitor = app.client("10.30.0.1");

    let list = visitor.get("/api/v1/questions?sort=newest").await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.body);
    let body = json_of(&list);
    assert_eq!(body["total"], 2);
    assert_eq!(body["has_more"], false);
    assert_eq!(body["items"][0]["id"], second.0);
    assert_eq!(body["items"][0]["tags"], json!(["sea", "salt"]));
    assert_eq!(body["items"][1]["answer_count"], 1);
    assert!(
        body["items"][0]["url"]
            .as_str()
            .unwrap()
            .ends_with(&format!("/questions/{second}/why-is-the-sea-salty"))
    );
    assert!(
        body["items"][0]["created_at"]
            .as_str()
            .unwrap()
            .ends_with('Z')
    );

    let paged = json_of(
        &visitor
            .get("/api/v1/questions?sort=newest&per_page=1")
            .await,
    );
    assert_eq!(
        (
            paged["items"].as_array().unwrap().len(),
            paged["has_more"].clone()
        ),
        (1, json!(true))
    );
    let beyond = json_of(&visitor.get("/api/v1/questions?page=9").await);
    assert_eq!(beyond["items"], json!([]), "a page past the end is empty");
    let tagged = json_of(&visitor.get("/api/v1/questions?tag=salt").await);
    assert_eq!(tagged["total"], 1);
    let filed = json_of(
        &visitor
            .get(&format!("/api/v1/questions?category={}", general.id))
            .await,
    );
    assert_eq!(filed["total"], 2);

    // Bad parameters: 400 (or 404 for a category that does not exist), as JSON.
    for (uri, status) in [
        ("/api/v1/questions?per_page=101", StatusCode::BAD_REQUEST),
        ("/api/v1/questions?per_page=0", StatusCode::BAD_REQUEST),
        ("/api/v1/questions?page=0", StatusCode::BAD_REQUEST),
        ("/api/v1/questions?page=abc", StatusCode::BAD_REQUEST),
        ("/api/v1/questions?page=100001", StatusCode::BAD_REQUEST),
        ("/api/v1/questions?sort=votes", StatusCode::BAD_REQUEST),
        (
            "/api/v1/questions?tag=a&category=1",
            StatusCode::BAD_REQUEST,
        ),
        ("/api/v1/questions?category=999", StatusCode::NOT_FOUND),
        ("/api/v1/questions/0", StatusCode::NOT_FOUND),
        ("/api/v1/questions/abc", StatusCode::NOT_FOUND),
        ("/api/v1/questions/99999", StatusCode::NOT_FOUND),
        ("/api/v1/answers/1", StatusCode::NOT_FOUND),
        ("/api/v1/users/99999", StatusCode::NOT_FOUND),
        ("/api/v1/tags/nothing-here", StatusCode::NOT_FOUND),
        ("/api/v1/no-such-thing", StatusCode::NOT_FOUND),
        (
            "/api/v1/search?q=sea&page=101&per_page=100",
            StatusCode::BAD_REQUEST,
        ),
        ("/api/v1/search?sort=loudest", StatusCode::BAD_REQUEST),
        ("/api/v1/me", StatusCode::UNAUTHORIZED),
        ("/api/v1/me/inbox", StatusCode::UNAUTHORIZED),
    ] {
        let page = visitor.get(uri).await;
        assert_eq!(page.status, status, "{uri}: {}", page.body);
        let code = error_code(&page);
        assert!(!code.is_empty(), "{uri}");
    }
    assert_eq!(
        error_code(&visitor.get("/api/v1/answers/1").await),
        "not_found"
    );
    assert_eq!(
        error_code(&visitor.get("/api/v1/me").await),
        "login_required"
    );

    let thread = visitor.get(&format!("/api/v1/questions/{first}")).await;
    assert_eq!(thread.status, StatusCode::OK);
    let q = json_of(&thread);
    assert_eq!(q["title"], "How do tides work here?");
    assert_eq!(q["author"]["id"], ann.id.0);
    assert_eq!(q["categories"][0]["slug"], "general");
    assert_eq!(q["comments"].as_array().unwrap().len(), 1);
    assert_eq!(q["answers"][0]["id"], answer.0);
    assert_eq!(q["answers"][0]["comments"][0]["author"]["id"], ann.id.0);
    assert!(q["body_html"].as_str().unwrap().starts_with('<'));
    let one = json_of(&visitor.get(&format!("/api/v1/answers/{answer}")).await);
    assert_eq!(
        (one["question_id"].clone(), one["accepted"].clone()),
        (json!(first.0), json!(false))
    );
    let revisions = json_of(
        &visitor
            .get(&format!("/api/v1/posts/{first}/revisions"))
            .await,
    );
    assert_eq!(revisions[0]["number"], 1);

    let user = json_of(&visitor.get(&format!("/api/v1/users/{}", bob.id)).await);
    assert_eq!(
        (user["handle"].clone(), user["role"].clone()),
        (json!("bob"), json!("user"))
    );
    assert!(user.get("email").is_none(), "no address is ever shown");
    let asked = json_of(
        &visitor
            .get(&format!("/api/v1/users/{}/questions", bob.id))
            .await,
    );
    assert_eq!(asked["items"][0]["id"], second.0);
    let answered = json_of(
        &visitor
            .get(&format!("/api/v1/users/{}/answers", bob.id))
            .await,
    );
    assert_eq!(answered["items"][0]["id"], answer.0);
    let tags = json_of(&visitor.get("/api/v1/tags?sort=name").await);
    assert_eq!(tags["items"][0]["name"], "salt");
    let sea = json_of(&visitor.get("/api/v1/tags/SEA").await);
    assert_eq!(sea["question_count"], 2);
    let categories = json_of(&visitor.get("/api/v1/categories").await);
    assert_eq!(categories[0]["slug"], "general");

    // A visitor's read carries an ETag and is answered 304 when it is current; a
    // write makes the next read show it.
    let uri = format!("/api/v1/questions/{first}");
    let read = visitor.get(&uri).await;
    let etag = read.headers[header::ETAG].to_str().unwrap().to_owned();
    let again = visitor
        .send(
            Request::get(&uri)
                .header(header::IF_NONE_MATCH, &etag)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    let writer = token(&app, &bob, TokenScope::Write).await;
    let bot = app.client("10.30.0.2");
    let commented = call(
        &bot,
        "POST",
        &format!("/api/v1/posts/{first}/comments"),
        Some(&writer),
        r#"{"body":"Look at the moon's pull."}"#,
    )
    .await;
    assert_eq!(commented.status, StatusCode::CREATED, "{}", commented.body);
    let fresh = visitor
        .send(
            Request::get(&uri)
                .header(header::IF_NONE_MATCH, &etag)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(fresh.status, StatusCode::OK);
    assert_eq!(json_of(&fresh)["comments"].as_array().unwrap().len(), 2);
}

async fn writes_follow_the_forms_rules(engine: &str) {
    let Some(app) = TestApp::on(engine, TestApp::open_privileges()).await else {
        return;
    };
    let ann = app.account("ann", PASSWORD, Role::User).await;
    let bob = app.account("bob", PASSWORD, Role::User).await;
    let mod_ = app.account("moe", PASSWORD, Role::Moderator).await;
    let general = fx::category(&*app.store, None, "general").await;
    let ann_token = token(&app, &ann, TokenScope::Write).await;
    let bob_token = token(&app, &bob, TokenScope::Write).await;
    let mod_token = token(&app, &mod_, TokenScope::Write).await;
    let reader = token(&app, &ann, TokenScope::Read).await;
    let bot = app.client("10.31.0.1");
    let ask_body = json!({
        "title": "How should I store tide tables?",
        "body": "I have years of tide tables; what format keeps them small and easy to query?",
        "tags": ["data", "sea"],
        "category": general.id.0,
    })
    .to_string();

    // Bad input: each refused with its status and code, nothing asked.
    let refusals = [
        (None, ask_body.clone(), StatusCode::UNAUTHORIZED, "login_required"),
        (Some("Bearer ponder_pat_nope"), ask_body.clone(), StatusCode::UNAUTHORIZED, "invalid_token"),
        (Some(reader.as_str()), ask_body.clone(), StatusCode::FORBIDDEN, "token_read_only"),
        (Some(ann_token.as_str()), "{not json".to_owned(), StatusCode::BAD_REQUEST, "bad_request"),
        (Some(ann_token.as_str()), json!({"title": "Short", "body": "A body long enough to pass the check here.", "tags": ["x"], "category": general.id.0}).to_string(), StatusCode::UNPROCESSABLE_ENTITY, "invalid_input"),
        (Some(ann_token.as_str()), json!({"title": "A title long enough here", "body": "A body long enough to pass the check here.", "tags": ["x"], "category": general.id.0, "admin": true}).to_string(), StatusCode::UNPROCESSABLE_ENTITY, "invalid_input"),
        (Some(ann_token.as_str()), json!({"title": 7, "body": "b", "tags": [], "category": 1}).to_string(), StatusCode::UNPROCESSABLE_ENTITY, "invalid_input"),
        (Some(ann_token.as_str()), json!({"title": "A title long enough here", "body": "A body long enough to pass the check here.", "tags": ["x"], "category": 9999}).to_string(), StatusCode::UNPROCESSABLE_ENTITY, "invalid_input"),
    ];
    for (auth, body, status, code) in refusals {
        let page = call(&bot, "POST", "/api/v1/questions", auth, &body).await;
        assert_eq!(
            (page.status, error_code(&page)),
            (status, code.to_owned()),
            "{body}: {}",
            page.body
        );
    }
    let short = call(&bot, "POST", "/api/v1/questions", Some(&ann_token), &json!({"title": "Short", "body": "A body long enough to pass the check here.", "tags": ["x"], "category": general.id.0}).to_string()).await;
    assert!(
        json_of(&short)["error"]["message"]
            .as_str()
            .unwrap()
            .starts_with("title:"),
        "the field is named"
    );
    let plain = bot
        .post_raw(
            "/api/v1/questions",
            "text/plain",
            ask_body.clone().into_bytes(),
            &[("authorization", &ann_token)],
        )
        .await;
    assert_eq!(
        (plain.status, error_code(&plain)),
        (StatusCode::BAD_REQUEST, "bad_request".to_owned())
    );
    let none = json_of(&app.client("10.31.0.9").get("/api/v1/questions").await);
    assert_eq!(none["total"], 0, "nothing was asked");

    let asked = call(
        &bot,
        "POST",
        "/api/v1/questions",
        Some(&ann_token),
        &ask_body,
    )
    .await;
    assert_eq!(asked.status, StatusCode::CREATED, "{}", asked.body);
    let question = json_of(&asked)["id"].as_i64().unwrap();
    assert_eq!(
        asked.headers[header::LOCATION],
        format!("/api/v1/questions/{question}")
    );

    // A session writes only with its CSRF token in a header.
    let browser = app.client("10.31.0.2");
    browser.log_in("bob", PASSWORD).await;
    let answer_uri = format!("/api/v1/questions/{question}/answers");
    let body = r#"{"body":"Keep them as compressed CSV, one file a year; it stays small."}"#;
    let forged = call(&browser, "POST", &answer_uri, None, body).await;
    assert_eq!(
        (forged.status, error_code(&forged)),
        (StatusCode::FORBIDDEN, "forbidden".to_owned())
    );
    let csrf = browser.csrf("/settings").await;
    let answered = browser
        .send(
            Request::post(&answer_uri)
                .header(header::CONTENT_TYPE, "application/json")
                .header("x-csrf-token", csrf)
                .body(Body::from(body))
                .unwrap(),
        )
        .await;
    assert_eq!(answered.status, StatusCode::CREATED, "{}", answered.body);
    let answer = json_of(&answered)["id"].as_i64().unwrap();

    // Votes: the rules of the forms (no vote on one's own post), the score after.
    let vote_uri = format!("/api/v1/posts/{answer}/vote");
    let own = call(
        &bot,
        "POST",
        &vote_uri,
        Some(&bob_token),
        r#"{"vote":"up"}"#,
    )
    .await;
    assert_eq!(own.status, StatusCode::FORBIDDEN, "{}", own.body);
    let sideways = call(
        &bot,
        "POST",
        &vote_uri,
        Some(&ann_token),
        r#"{"vote":"sideways"}"#,
    )
    .await;
    assert_eq!(error_code(&sideways), "invalid_input");
    let up = call(
        &bot,
        "POST",
        &vote_uri,
        Some(&ann_token),
        r#"{"vote":"up"}"#,
    )
    .await;
    assert_eq!(json_of(&up), json!({"score": 1, "vote": "up"}));

    // Accepting: the asker only.
    let accept_uri = format!("/api/v1/answers/{answer}/accept");
    let not_asker = call(
        &bot,
        "POST",
        &accept_uri,
        Some(&bob_token),
        r#"{"accept":true}"#,
    )
    .await;
    assert_eq!(not_asker.status, StatusCode::FORBIDDEN);
    let accepted = call(
        &bot,
        "POST",
        &accept_uri,
        Some(&ann_token),
        r#"{"accept":true}"#,
    )
    .await;
    assert_eq!(accepted.status, StatusCode::OK, "{}", accepted.body);
    let thread = json_of(
        &app.client("10.31.0.3")
            .get(&format!("/api/v1/questions/{question}"))
            .await,
    );
    assert_eq!(thread["accepted_answer_id"], answer);
    assert_eq!(thread["answers"][0]["accepted"], true);

    // Edits name their base revision: a stale one is refused, nothing changes.
    let revisions = json_of(
        &app.client("10.31.0.3")
            .get(&format!("/api/v1/posts/{question}/revisions"))
            .await,
    );
    let base = revisions[0]["id"].as_i64().unwrap();
    let edit = |base: i64| {
        json!({"base_revision": base, "body": "I have years of tide tables by the hour; what format keeps them small and easy to query?", "summary": "say by the hour"}).to_string()
    };
    let edit_uri = format!("/api/v1/posts/{question}");
    let saved = call(&bot, "PATCH", &edit_uri, Some(&ann_token), &edit(base)).await;
    assert_eq!(json_of(&saved)["result"], "saved", "{}", saved.body);
    let stale = call(&bot, "PATCH", &edit_uri, Some(&ann_token), &edit(base)).await;
    assert_eq!(stale.status, StatusCode::CONFLICT, "{}", stale.body);
    let titled = call(
        &bot,
        "PATCH",
        &format!("/api/v1/posts/{answer}"),
        Some(&bob_token),
        &json!({"base_revision": 1, "title": "x", "body": "y", "summary": "z"}).to_string(),
    )
    .await;
    assert_eq!(titled.status, StatusCode::UNPROCESSABLE_ENTITY);
    let thread = json_of(
        &app.client("10.31.0.3")
            .get(&format!("/api/v1/questions/{question}"))
            .await,
    );
    assert!(
        thread["body_markdown"]
            .as_str()
            .unwrap()
            .contains("by the hour")
    );
    assert_eq!(
        thread["title"], "How should I store tide tables?",
        "an absent title stays"
    );

    // Flags, then a moderator's close: answering a closed question is refused.
    let flag_uri = format!("/api/v1/posts/{answer}/flags");
    let low = call(
        &bot,
        "POST",
        &flag_uri,
        Some(&ann_token),
        r#"{"kind":"needs_moderator","message":"Check the format advice."}"#,
    )
    .await;
    assert_eq!(
        (low.status, error_code(&low)),
        (StatusCode::FORBIDDEN, "reputation_too_low".to_owned())
    );
    let flagged = call(
        &bot,
        "POST",
        &flag_uri,
        Some(&mod_token),
        r#"{"kind":"needs_moderator","message":"Check the format advice."}"#,
    )
    .await;
    assert_eq!(flagged.status, StatusCode::OK, "{}", flagged.body);
    assert!(json_of(&flagged)["changed"].is_boolean());
    let again = call(
        &bot,
        "POST",
        &flag_uri,
        Some(&mod_token),
        r#"{"kind":"needs_moderator","message":"Once more."}"#,
    )
    .await;
    assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.body);
    let empty = call(
        &bot,
        "POST",
        &flag_uri,
        Some(&mod_token),
        r#"{"kind":"needs_moderator"}"#,
    )
    .await;
    assert_eq!(empty.status, StatusCode::BAD_REQUEST);
    let wrong_comment = call(
        &bot,
        "POST",
        &flag_uri,
        Some(&mod_token),
        r#"{"kind":"rude","comment_id":424242}"#,
    )
    .await;
    assert_eq!(wrong_comment.status, StatusCode::NOT_FOUND);
    let close_uri = format!("/api/v1/questions/{question}/close");
    let no_original = call(
        &bot,
        "POST",
        &close_uri,
        Some(&mod_token),
        r#"{"reason":"duplicate"}"#,
    )
    .await;
    assert_eq!(no_original.status, StatusCode::BAD_REQUEST);
    let closed = call(
        &bot,
        "POST",
        &close_uri,
        Some(&mod_token),
        r#"{"reason":"needs_focus"}"#,
    )
    .await;
    assert_eq!(
        json_of(&closed),
        json!({"changed": true}),
        "{}",
        closed.body
    );
    let late = call(&bot, "POST", &answer_uri, Some(&bob_token), body).await;
    assert_eq!(
        (late.status, error_code(&late)),
        (StatusCode::FORBIDDEN, "question_closed".to_owned())
    );
    let reopened = call(
        &bot,
        "POST",
        &format!("/api/v1/questions/{question}/reopen"),
        Some(&mod_token),
        "",
    )
    .await;
    assert_eq!(
        json_of(&reopened),
        json!({"changed": true}),
        "{}",
        reopened.body
    );
    let not_a_question = call(
        &bot,
        "POST",
        &format!("/api/v1/questions/{answer}/close"),
        Some(&mod_token),
        r#"{"reason":"needs_focus"}"#,
    )
    .await;
    assert_eq!(not_a_question.status, StatusCode::NOT_FOUND);

    // The member's own reads.
    let me = json_of(&call(&bot, "GET", "/api/v1/me", Some(&reader), "").await);
    assert_eq!(me["handle"], "ann");
    let following = call(&bot, "GET", "/api/v1/me/following", Some(&reader), "").await;
    assert_eq!(following.status, StatusCode::OK, "{}", following.body);
}

async fn the_api_describes_itself(engine: &str) {
    let Some(app) = TestApp::on(engine, TestApp::open_privileges()).await else {
        return;
    };
    let visitor = app.client("10.32.0.1");
    let doc = visitor.get("/api/v1/openapi.json").await;
    assert_eq!(doc.status, StatusCode::OK);
    let doc = json_of(&doc);
    assert_eq!(doc["openapi"], "3.1.0");
    assert!(doc["paths"]["/api/v1/questions"]["post"]["requestBody"].is_object());
    let page = visitor.get("/api/v1/docs").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text("h1").contains("API reference"));
    assert!(
        page.text("#post-api-v1-questions")
            .contains("POST /api/v1/questions")
    );
    assert!(page.text("#schema-AskBody").contains("AskBody"));
    assert!(!page.body.contains("https://cdn"), "no outside requests");
}

on_both_databases!(
    reads_come_in_pages_as_json,
    writes_follow_the_forms_rules,
    the_api_describes_itself
);
