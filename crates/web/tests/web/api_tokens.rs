//! Personal access tokens (issue 20, item 3): made in `/settings` (shown once,
//! listed with last use, revocable), sent as `Authorization: Bearer`; a read token
//! reads, a write token also writes without a CSRF token, under the member's own
//! rules; neither reaches the account's own pages; a bad, revoked or expired token
//! is refused with 401 in the API's error shape.

use crate::support::{Client, Page, TestApp};
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use ponder_store::Role;
use ponder_store::conformance as fx;

const PASSWORD: &str = "maple tree 1";

/// A request made with `token`, from a client with no cookies.
async fn with_token(app: &TestApp, method: &str, uri: &str, token: &str, form: &str) -> Page {
    let client = app.client("10.20.9.9");
    let request = Request::builder()
        .method(method)
        .uri(uri)
        .header(header::AUTHORIZATION, token)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(form.to_owned()))
        .unwrap();
    client.send(request).await
}

/// Makes a token in the settings as `member`; the page that shows it.
async fn make(member: &Client, name: &str, scope: &str, days: &str) -> Page {
    let csrf = member.csrf("/settings").await;
    member
        .post(
            "/settings/tokens",
            &[
                ("csrf", &csrf),
                ("name", name),
                ("scope", scope),
                ("days", days),
            ],
        )
        .await
}

fn error_code(page: &Page) -> String {
    let body: serde_json::Value = serde_json::from_str(&page.body).expect("a JSON error");
    body["error"]["code"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

async fn tokens_act_as_their_member_within_their_scope(engine: &str) {
    let Some(app) = TestApp::on(engine, TestApp::open_privileges()).await else {
        return;
    };
    let ann = app.account("ann", PASSWORD, Role::User).await;
    let bob = app.account("bob", PASSWORD, Role::User).await;
    let general = fx::category(&*app.store, None, "general").await;
    let q = fx::ask(
        &*app.store,
        bob.id,
        general.id,
        "A question for the bots",
        &[],
        0,
    )
    .await;
    let member = app.client("10.20.0.1");
    member.log_in("ann", PASSWORD).await;

    // Bad input: each message beside its field, what was typed kept.
    let refused = make(&member, "", "admin", "366").await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.text("#name-error").contains("name the token"));
    assert!(refused.text("#scope-error").contains("choose read"));
    assert!(refused.text("#days-error").contains("1 to 365"));
    assert_eq!(refused.attrs("#days", "value"), ["366"]);
    assert!(app.store.api_tokens(ann.id).await.unwrap().is_empty());

    let made = make(&member, "reader bot", "read", "30").await;
    assert_eq!(made.status, StatusCode::OK);
    let read = made.attrs("#new-token", "value").remove(0);
    assert!(read.starts_with("ponder_pat_"), "{read}");
    assert!(
        member
            .get("/settings")
            .await
            .attrs("#new-token", "value")
            .is_empty(),
        "shown once"
    );
    let write = make(&member, "writer bot", "write", "1")
        .await
        .attrs("#new-token", "value")
        .remove(0);
    let listed = member.get("/settings").await;
    assert_eq!(
        listed.texts("#tokens tbody td:first-child"),
        ["writer bot", "reader bot"]
    );

    // A read token reads as ann; it writes nothing.
    let bearer = |t: &str| format!("Bearer {t}");
    let inbox = with_token(&app, "GET", "/inbox", &bearer(&read), "").await;
    assert_eq!(inbox.status, StatusCode::OK);
    assert_eq!(inbox.text(".site-header .viewer"), "ann");
    let comment_uri = format!("/posts/{q}/comments");
    let body = "body=A comment sent by a program through a token.";
    let no = with_token(&app, "POST", &comment_uri, &bearer(&read), body).await;
    assert_eq!(no.status, StatusCode::FORBIDDEN);
    assert_eq!(error_code(&no), "token_read_only");

    // A write token writes as ann, with no form token, under her rules.
    let yes = with_token(&app, "POST", &comment_uri, &bearer(&write), body).await;
    assert_eq!(yes.status, StatusCode::SEE_OTHER, "{}", yes.body);
    let thread = app.store.question_thread(q).await.unwrap().unwrap();
    assert_eq!(thread.comments.len(), 1);
    assert_eq!(thread.comments[0].author.id, ann.id);
    let own_vote = with_token(
        &app,
        "POST",
        &format!("/posts/{q}/vote"),
        &bearer(&write),
        "value=up",
    )
    .await;
    assert_eq!(
        own_vote.status,
        StatusCode::SEE_OTHER,
        "ann votes on bob's question"
    );

    // Never the account's own pages, whatever the token.
    for uri in ["/settings", "/settings/tokens", "/logout"] {
        let page = with_token(
            &app,
            "POST",
            uri,
            &bearer(&write),
            "name=x&scope=write&days=5",
        )
        .await;
        assert_eq!(page.status, StatusCode::FORBIDDEN, "{uri}");
        assert_eq!(error_code(&page), "token_not_allowed");
    }
    assert_eq!(app.store.api_tokens(ann.id).await.unwrap().len(), 2);

    // Not a token, or not one of ours: 401, in the API's shape, with the challenge.
    let malformed = [
        "Bearer".to_owned(),
        "Bearer short".to_owned(),
        format!("Basic {read}"),
        format!("Bearer {}", read.trim_start_matches("ponder_pat_")),
        format!("Bearer ponder_pat_{}", "0".repeat(64)),
    ];
    for value in &malformed {
        let page = with_token(&app, "GET", "/inbox", value, "").await;
        assert_eq!(page.status, StatusCode::UNAUTHORIZED, "{value}");
        assert_eq!(error_code(&page), "invalid_token");
        assert!(page.header(header::WWW_AUTHENTICATE).starts_with("Bearer"));
    }

    // The cache never answers a token's request with a visitor's page.
    assert_eq!(app.get("/").await.count(".site-header .viewer"), 0);
    let home = with_token(&app, "GET", "/", &bearer(&read), "").await;
    assert_eq!(home.text(".site-header .viewer"), "ann");

    // Use is recorded; revoking ends it; another member cannot revoke it.
    let id = app.store.api_tokens(ann.id).await.unwrap()[1].id;
    // Recorded in the background: waited for, up to two seconds.
    let mut used = None;
    for _ in 0..100 {
        used = app.store.api_tokens(ann.id).await.unwrap()[1].last_used_at;
        if used.is_some() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert!(used.is_some(), "the read token's use is recorded");
    let other = app.client("10.20.0.2");
    other.log_in("bob", PASSWORD).await;
    let csrf = other.csrf("/settings").await;
    let theirs = other
        .post(&format!("/settings/tokens/{id}/revoke"), &[("csrf", &csrf)])
        .await;
    assert_eq!(theirs.status, StatusCode::NOT_FOUND);
    let csrf = member.csrf("/settings").await;
    let revoked = member
        .post(&format!("/settings/tokens/{id}/revoke"), &[("csrf", &csrf)])
        .await;
    assert_eq!(revoked.status, StatusCode::SEE_OTHER);
    let gone = with_token(&app, "GET", "/inbox", &bearer(&read), "").await;
    assert_eq!(gone.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        member
            .get("/settings")
            .await
            .texts("#tokens tbody td:first-child"),
        ["writer bot"]
    );
}

/// Each token has its allowance of requests a minute; past it, 429 with
/// `Retry-After`, in the API's shape, and another token is not held back.
#[tokio::test]
async fn each_token_is_rate_limited_on_its_own() {
    let limits = ponder_web::auth::limits::RateLimitConfig {
        api_requests_per_token_per_minute: 3,
        ..TestApp::generous_limits()
    };
    let app = TestApp::configured(limits, TestApp::open_privileges()).await;
    app.account("ann", PASSWORD, Role::User).await;
    let member = app.client("10.20.1.1");
    member.log_in("ann", PASSWORD).await;
    let first = make(&member, "first", "read", "5")
        .await
        .attrs("#new-token", "value")
        .remove(0);
    let second = make(&member, "second", "read", "5")
        .await
        .attrs("#new-token", "value")
        .remove(0);
    for _ in 0..3 {
        let page = with_token(&app, "GET", "/inbox", &format!("Bearer {first}"), "").await;
        assert_eq!(page.status, StatusCode::OK);
    }
    let refused = with_token(&app, "GET", "/inbox", &format!("Bearer {first}"), "").await;
    assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(error_code(&refused), "rate_limited");
    let wait: u64 = refused.header(header::RETRY_AFTER).parse().unwrap();
    assert!((1..=60).contains(&wait), "{wait}");
    let other = with_token(&app, "GET", "/inbox", &format!("Bearer {second}"), "").await;
    assert_eq!(
        other.status,
        StatusCode::OK,
        "another token has its own allowance"
    );
}

on_both_databases!(tokens_act_as_their_member_within_their_scope);

/// Other sites may read the API and the feeds anonymously, and nothing more: no
/// token, no cookie, no write crosses origins.
#[tokio::test]
async fn only_anonymous_reads_cross_origins() {
    let app = TestApp::new().await;
    app.seeded().await;
    let allowed = |page: &Page| page.header(header::ACCESS_CONTROL_ALLOW_ORIGIN);
    for uri in [
        "/feeds/questions",
        "/api/v1/questions/similar?title=why+did+the+wall+fall",
    ] {
        let page = app
            .send_with(uri, &[("origin", "https://elsewhere.example")])
            .await;
        assert_eq!(page.status, StatusCode::OK, "{uri}");
        assert_eq!(allowed(&page), "*", "{uri}");
        let with_cookie = app.send_with(uri, &[("cookie", "ponder_session=x")]).await;
        assert_eq!(allowed(&with_cookie), "", "{uri}: not with a cookie");
    }
    let token = with_token(&app, "GET", "/feeds/questions", "Bearer nope", "").await;
    assert_eq!(allowed(&token), "", "not with a token");
    assert_eq!(allowed(&app.get("/").await), "", "pages are not shared");

    let preflight = |method: &'static str, headers: Option<&'static str>| {
        let app = &app;
        async move {
            let client = app.client("10.20.2.1");
            let mut request = Request::builder()
                .method("OPTIONS")
                .uri("/api/v1/questions/similar")
                .header("origin", "https://elsewhere.example")
                .header("access-control-request-method", method);
            if let Some(asked) = headers {
                request = request.header("access-control-request-headers", asked);
            }
            client.send(request.body(Body::empty()).unwrap()).await
        }
    };
    let get = preflight("GET", None).await;
    assert_eq!(get.status, StatusCode::NO_CONTENT);
    assert_eq!(allowed(&get), "*");
    assert_eq!(
        get.header(header::ACCESS_CONTROL_ALLOW_METHODS),
        "GET, HEAD"
    );
    assert_eq!(
        allowed(&preflight("POST", None).await),
        "",
        "no write crosses"
    );
    assert_eq!(
        allowed(&preflight("GET", Some("authorization")).await),
        "",
        "no token crosses"
    );
}
