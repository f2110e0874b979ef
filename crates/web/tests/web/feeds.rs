//! Atom feeds (issue 19): the newest questions, a category with those below it,
//! a tag, a question's answers and comments, a user's posts; linked from their
//! pages, with stable entry ids, ETags and 304s, and nothing deleted in them.
//! (The feeds of the demo site are also checked by feed parsers from PyPI in CI.)

use crate::support::TestApp;
use axum::http::StatusCode;
use ponder_store::conformance as fx;

async fn every_feed_is_linked_and_lists_what_its_page_shows(engine: &str) {
    let Some(app) = TestApp::on(engine, TestApp::open_privileges()).await else {
        return;
    };
    let s = app.seeded().await;
    let ann = s.ann.id;
    let q = s.question;
    let pages = [
        ("/", "/feeds/questions"),
        ("/questions", "/feeds/questions"),
        ("/categories/history", "/feeds/categories/history"),
        (
            "/categories/history/modern",
            "/feeds/categories/history/modern",
        ),
        ("/tags/germany", "/feeds/tags/germany"),
        (
            "/questions/1/why-did-the-wall-fall-in-1989",
            "/feeds/questions/1",
        ),
        ("/users/1/ann", "/feeds/users/1"),
    ];
    for (page, feed) in pages {
        let html = app.get(page).await;
        assert_eq!(html.status, StatusCode::OK, "{page}");
        assert_eq!(
            html.attrs("link[rel=alternate][type='application/atom+xml']", "href"),
            [feed],
            "{page}"
        );
        let atom = app.get(feed).await;
        assert_eq!(atom.status, StatusCode::OK, "{feed}");
        assert_eq!(
            atom.header(axum::http::header::CONTENT_TYPE),
            "application/atom+xml; charset=utf-8"
        );
        assert!(atom.body.starts_with("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">"));
        assert!(atom.body.contains(&format!("<link rel=\"self\" type=\"application/atom+xml\" href=\"https://ask.example.org{feed}\"/>")));
    }
    let newest = app.get("/feeds/questions").await;
    assert!(
        newest
            .body
            .contains("<title type=\"text\">Why did the wall fall in 1989</title>")
    );
    assert!(
        newest
            .body
            .contains(&format!("<id>tag:ask.example.org,2026:posts/{q}</id>"))
    );
    assert!(newest.body.contains("<category term=\"cold-war\"/>"));

    // The question's feed: its answers and comments, each with its own id.
    let thread = app.get(&format!("/feeds/questions/{q}")).await;
    assert_eq!(
        thread.body.matches("<entry>").count(),
        3 + 3,
        "three answers, three comments"
    );
    for id in [s.low, s.accepted, s.high] {
        assert!(
            thread
                .body
                .contains(&format!("<id>tag:ask.example.org,2026:posts/{id}</id>"))
        );
        assert!(thread.body.contains(&format!("#answer-{id}\"/>")));
    }
    assert!(
        thread
            .body
            .contains("<id>tag:ask.example.org,2026:comments/")
    );

    // ETags: the same feed answers 304 to a reader who has it; a change changes it.
    let etag = thread.header(axum::http::header::ETAG);
    assert!(!etag.is_empty());
    let again = app
        .send_with(
            &format!("/feeds/questions/{q}"),
            &[("if-none-match", &etag)],
        )
        .await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    assert!(again.body.is_empty());
    app.store
        .change_post_deletion(ponder_store::PostDeletion {
            post: s.low,
            delete: true,
            by: s.ann.id,
            moderator: true,
            reason: "off topic".into(),
            at: fx::at(900),
        })
        .await
        .unwrap();
    let changed = app
        .send_with(
            &format!("/feeds/questions/{q}"),
            &[("if-none-match", &etag)],
        )
        .await;
    assert_eq!(changed.status, StatusCode::OK);
    assert!(
        !changed.body.contains(&format!("posts/{}</id>", s.low)),
        "a deleted answer leaves the feed"
    );
    assert_ne!(changed.header(axum::http::header::ETAG), etag);

    // The user's feed: their question and their answer.
    let user = app.get(&format!("/feeds/users/{ann}")).await;
    assert!(user.body.contains(&format!("posts/{q}</id>")));
    assert!(user.body.contains(&format!("posts/{}</id>", s.high)));

    // What is not there is not found.
    for missing in [
        "/feeds/questions/99999",
        "/feeds/questions/x",
        "/feeds/tags/no-such-tag",
        "/feeds/categories/nowhere",
        "/feeds/users/99999",
        "/feeds/users/0",
    ] {
        assert_eq!(
            app.get(missing).await.status,
            StatusCode::NOT_FOUND,
            "{missing}"
        );
    }
    app.store
        .change_post_deletion(ponder_store::PostDeletion {
            post: q,
            delete: true,
            by: s.ann.id,
            moderator: true,
            reason: "gone".into(),
            at: fx::at(901),
        })
        .await
        .unwrap();
    assert_eq!(
        app.get(&format!("/feeds/questions/{q}")).await.status,
        StatusCode::NOT_FOUND
    );
    assert!(!app.get("/feeds/questions").await.body.contains("<entry>"));
}

on_both_databases!(every_feed_is_linked_and_lists_what_its_page_shows);
