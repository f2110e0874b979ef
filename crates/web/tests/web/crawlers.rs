//! What search engines read (issue 19, item 5, begun): robots.txt naming the
//! sitemap and keeping crawlers out of personal and endless pages, and a sitemap
//! index whose parts list the visible questions with their last activity.

use crate::support::TestApp;
use axum::http::{StatusCode, header};
use ponder_store::Role;
use ponder_store::conformance as fx;

async fn the_sitemap_lists_visible_questions_in_parts(engine: &str) {
    let Some(app) = TestApp::on(engine, TestApp::open_privileges()).await else {
        return;
    };
    let ann = app.account("ann", "maple tree 1", Role::User).await;
    let cat = fx::category(&*app.store, None, "general").await;
    let shown = fx::ask(
        &*app.store,
        ann.id,
        cat.id,
        "A question <for> & crawlers",
        &["x"],
        0,
    )
    .await;
    let gone = fx::ask(
        &*app.store,
        ann.id,
        cat.id,
        "A question later deleted",
        &["x"],
        1,
    )
    .await;
    fx::answer(&*app.store, shown, ann.id, 2).await;
    app.store
        .set_post_deleted(gone, true, fx::at(3))
        .await
        .unwrap();

    let robots = app.get("/robots.txt").await;
    assert_eq!(robots.status, StatusCode::OK);
    assert!(
        robots
            .header(header::CONTENT_TYPE)
            .starts_with("text/plain")
    );
    assert!(
        robots
            .body
            .contains("Sitemap: https://ask.example.org/sitemap.xml")
    );
    assert!(robots.body.contains("Disallow: /admin/"));
    assert!(robots.body.contains("Disallow: /search"));

    let index = app.get("/sitemap.xml").await;
    assert_eq!(index.status, StatusCode::OK);
    assert!(
        index
            .header(header::CONTENT_TYPE)
            .starts_with("application/xml")
    );
    assert!(
        index
            .body
            .contains("<loc>https://ask.example.org/sitemap-1.xml</loc>")
    );
    assert!(!index.body.contains("sitemap-2.xml"));

    let part = app.get("/sitemap-1.xml").await;
    assert_eq!(part.status, StatusCode::OK);
    assert_eq!(part.body.matches("<url>").count(), 1, "{}", part.body);
    assert!(part.body.contains(&format!(
        "<loc>https://ask.example.org/questions/{shown}/a-question-for-crawlers</loc>"
    )));
    assert!(
        part.body
            .contains("<lastmod>2026-01-01T00:00:02Z</lastmod>"),
        "{}",
        part.body
    );
    for missing in [
        "/sitemap-2.xml",
        "/sitemap-0.xml",
        "/sitemap-x.xml",
        "/sitemap-1.txt",
    ] {
        assert_eq!(
            app.get(missing).await.status,
            StatusCode::NOT_FOUND,
            "{missing}"
        );
    }
}

on_both_databases!(the_sitemap_lists_visible_questions_in_parts);
