//! Writing through the Router: asking, answering, commenting, editing with
//! revisions, deleting; every bound of every field, and who may do what.
//!
//! Long on purpose: one story a test, each following a post from its form to its
//! page; they share the helpers above.

use crate::support::{Client, TestApp};
use axum::http::StatusCode;
use ponder_store::Role;
use ponder_store::conformance as fx;

async fn setup() -> (TestApp, ponder_store::Category) {
    let app = TestApp::new().await;
    let history = fx::category(&*app.store, None, "history").await;
    let modern = fx::category(&*app.store, Some(history.id), "modern").await;
    (app, modern)
}

async fn ask(client: &Client, fields: &[(&str, &str)]) -> crate::support::Page {
    let csrf = client.csrf("/ask").await;
    let mut all = vec![("csrf", csrf.as_str())];
    all.extend_from_slice(fields);
    client.post("/ask", &all).await
}

const TITLE: &str = "Why did the Berlin Wall fall in 1989?";
const BODY: &str = "The wall stood for 28 years. What changed in the late 1980s?";

#[tokio::test]
async fn asking_needs_an_account_and_previews_without_posting() {
    let (app, modern) = setup().await;
    let anonymous = app.client("10.9.0.1");
    let page = anonymous.get("/ask").await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert_eq!(page.location(), "/login?next=/ask");

    app.account("ann", "maple tree 1", Role::User).await;
    let ann = app.client("10.9.0.2");
    ann.log_in("ann", "maple tree 1").await;
    let form = ann.get("/ask").await;
    assert_eq!(form.status, StatusCode::OK);
    assert_eq!(
        form.texts("#category option"),
        ["Choose a category…", "history", "history › modern"]
    );
    let category = modern.id.to_string();
    let preview = ask(
        &ann,
        &[
            ("title", TITLE),
            ("body", "**Bold** <script>x()</script> text long enough"),
            ("category", &category),
            ("tags", "cold-war"),
            ("action", "preview"),
        ],
    )
    .await;
    assert_eq!(preview.status, StatusCode::OK);
    assert!(preview.body.contains("<strong>Bold</strong>"));
    assert!(!preview.body.contains("<script>x()"));
    assert_eq!(preview.attrs("#title", "value"), [TITLE]);
    assert_eq!(
        preview.attrs("#category option[selected]", "value"),
        [category.as_str()]
    );
    assert_eq!(
        app.store
            .list_questions(&Default::default())
            .await
            .unwrap()
            .total,
        0,
        "a preview posts nothing"
    );

    let posted = ask(
        &ann,
        &[
            ("title", TITLE),
            ("body", BODY),
            ("category", &category),
            ("tags", "cold-war Germany"),
            ("action", "post"),
        ],
    )
    .await;
    assert_eq!(posted.status, StatusCode::SEE_OTHER);
    assert!(
        posted.location().starts_with("/questions/"),
        "{}",
        posted.location()
    );
    let page = ann.get(&posted.location()).await;
    assert_eq!(page.text("h1"), TITLE);
    assert_eq!(page.texts("#question .tags a"), ["cold-war", "germany"]);
    assert_eq!(
        page.texts(".breadcrumb a"),
        ["Categories", "history", "modern"]
    );
    let form = ann.get("/ask").await;
    assert_eq!(
        form.attrs("#known-tags option", "value"),
        ["cold-war", "germany"],
        "existing tags are offered"
    );
}

#[tokio::test]
async fn every_ask_field_is_checked_at_its_bounds() {
    let (app, modern) = setup().await;
    app.account("ann", "maple tree 1", Role::User).await;
    let ann = app.client("10.9.1.1");
    ann.log_in("ann", "maple tree 1").await;
    let category = modern.id.to_string();
    let (t14, t15, t150, t151) = (
        "t".repeat(14),
        "t".repeat(15),
        "t".repeat(150),
        "t".repeat(151),
    );
    let (b29, b30, b30k, b30k1) = (
        "b".repeat(29),
        "b".repeat(30),
        "b".repeat(30_000),
        "b".repeat(30_001),
    );
    let cases: Vec<(&str, &str, &str, &str, Option<&str>)> = vec![
        (&t14, BODY, &category, "x", Some("title")),
        (&t151, BODY, &category, "x", Some("title")),
        ("", BODY, &category, "x", Some("title")),
        (TITLE, &b29, &category, "x", Some("body")),
        (TITLE, &b30k1, &category, "x", Some("body")),
        (TITLE, "", &category, "x", Some("body")),
        (TITLE, BODY, &category, "", Some("tags")),
        (TITLE, BODY, &category, "a b c d e f", Some("tags")),
        (TITLE, BODY, &category, "<b>", Some("tags")),
        (TITLE, BODY, "", "x", Some("category")),
        (TITLE, BODY, "99999", "x", Some("category")),
        (TITLE, BODY, "abc", "x", Some("category")),
        (&t15, &b30, &category, "x", None),
        (&t150, &b30k, &category, "a b c d e", None),
    ];
    for (title, body, cat, tags, bad) in cases {
        let page = ask(
            &ann,
            &[
                ("title", title),
                ("body", body),
                ("category", cat),
                ("tags", tags),
                ("action", "post"),
            ],
        )
        .await;
        match bad {
            Some(field) => {
                assert_eq!(
                    page.status,
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "{field}: {}",
                    &page.body[..200.min(page.body.len())]
                );
                assert_eq!(
                    page.count(&format!("#{field}-error")),
                    1,
                    "no message beside {field}"
                );
                assert_eq!(
                    page.attrs("#title", "value"),
                    [title.split_whitespace().collect::<Vec<_>>().join(" ")],
                    "title kept"
                );
                assert_eq!(page.text("#body"), body.trim_end(), "body kept");
                assert_eq!(page.attrs("#tags", "value"), [tags], "tags kept");
            }
            None => assert_eq!(
                page.status,
                StatusCode::SEE_OTHER,
                "{} {}",
                title.len(),
                body.len()
            ),
        }
    }
    assert_eq!(
        app.store
            .list_questions(&Default::default())
            .await
            .unwrap()
            .total,
        2
    );
}

#[tokio::test]
async fn answers_and_comments_post_from_the_question_page() {
    let (app, modern) = setup().await;
    let asker = app.account("ann", "maple tree 1", Role::User).await;
    app.account("bob", "maple tree 1", Role::User).await;
    let q = fx::ask(
        &*app.store,
        asker.id,
        modern.id,
        "A question worth answering",
        &["x"],
        0,
    )
    .await;
    let path = format!("/questions/{q}/a-question-worth-answering");

    let anonymous = app.client("10.9.2.1");
    let csrf = anonymous.csrf("/login").await;
    let refused = anonymous
        .post(
            &format!("/questions/{q}/answers"),
            &[("csrf", &csrf), ("body", BODY)],
        )
        .await;
    assert_eq!(refused.status, StatusCode::SEE_OTHER);
    assert_eq!(
        refused.location(),
        format!("/login?next={path}%23your-answer"),
        "sent to log in and back"
    );

    let bob = app.client("10.9.2.2");
    bob.log_in("bob", "maple tree 1").await;
    let page = bob.get(&path).await;
    assert_eq!(
        page.count("form[action$='/answers'] textarea[name=body]"),
        1
    );
    assert_eq!(page.count("form.comment-form[method=post] textarea"), 1);
    let csrf = bob.csrf(&path).await;
    let short = bob
        .post(
            &format!("/questions/{q}/answers"),
            &[
                ("csrf", &csrf),
                ("body", &"a".repeat(29)),
                ("action", "post"),
            ],
        )
        .await;
    assert_eq!(short.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(short.count("#answer-body-error"), 1);
    assert_eq!(
        short.text("#answer-body"),
        "a".repeat(29),
        "the answer is kept"
    );
    let preview = bob
        .post(
            &format!("/questions/{q}/answers"),
            &[
                ("csrf", &csrf),
                ("body", "A *previewed* answer, long enough."),
                ("action", "preview"),
            ],
        )
        .await;
    assert_eq!(preview.status, StatusCode::OK);
    assert!(
        preview
            .text(".preview .prose")
            .contains("A previewed answer")
    );
    let posted = bob
        .post(
            &format!("/questions/{q}/answers"),
            &[
                ("csrf", &csrf),
                (
                    "body",
                    "A real answer, <script>bad()</script> and long enough.",
                ),
                ("action", "post"),
            ],
        )
        .await;
    assert_eq!(posted.status, StatusCode::SEE_OTHER);
    assert!(posted.location().starts_with(&format!("{path}#answer-")));
    let page = bob.get(&path).await;
    assert_eq!(page.text("#answers-heading"), "1 Answer");
    assert!(!page.body.contains("bad()</script>"));

    // Comments: 15 to 600 characters, inline Markdown only.
    for (body, ok) in [
        ("c".repeat(14), false),
        ("c".repeat(601), false),
        ("   ".to_owned(), false),
        ("c".repeat(15), true),
        ("c".repeat(600), true),
    ] {
        let page = bob
            .post(
                &format!("/posts/{q}/comments"),
                &[("csrf", &csrf), ("body", &body)],
            )
            .await;
        if ok {
            assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", body.len());
            assert!(page.location().contains("#comment-"));
        } else {
            assert_eq!(
                page.status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{}",
                body.len()
            );
            assert_eq!(page.count(&format!("#comment-error-{q}")), 1);
            assert_eq!(
                page.text(&format!("#comment-body-{q}")),
                body.trim(),
                "the comment is kept"
            );
        }
    }
    let formatted = bob
        .post(
            &format!("/posts/{q}/comments"),
            &[
                ("csrf", &csrf),
                (
                    "body",
                    "# Heading\n\n**bold** and [a link](https://example.org)",
                ),
            ],
        )
        .await;
    assert_eq!(formatted.status, StatusCode::SEE_OTHER);
    let page = bob.get(&path).await;
    assert_eq!(page.text("#question .comment-count"), "3 comments");
    let last = page.html();
    let body = last
        .select(&scraper::Selector::parse("#question .comment:last-child .comment-body").unwrap())
        .next()
        .unwrap()
        .inner_html();
    assert!(
        body.contains("<strong>bold</strong>") && !body.contains("<h1"),
        "{body}"
    );
    assert!(body.contains(r#"rel="nofollow ugc noopener""#), "{body}");
    let missing = bob
        .post(
            "/posts/99999/comments",
            &[("csrf", &csrf), ("body", "a comment for nothing")],
        )
        .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn only_authors_and_moderators_edit_and_edits_keep_history() {
    let (app, modern) = setup().await;
    let ann = app.account("ann", "maple tree 1", Role::User).await;
    app.account("bob", "maple tree 1", Role::User).await;
    app.account("mod", "maple tree 1", Role::Moderator).await;
    let q = fx::ask(
        &*app.store,
        ann.id,
        modern.id,
        "The first title of this",
        &["old"],
        0,
    )
    .await;

    let bob = app.client("10.9.3.1");
    bob.log_in("bob", "maple tree 1").await;
    let suggesting = bob.get(&format!("/posts/{q}/edit")).await;
    assert_eq!(suggesting.status, StatusCode::OK);
    assert!(
        suggesting
            .text(".flash.notice")
            .contains("Your edit will be a suggestion")
    );
    let csrf = bob.csrf("/settings").await;
    let base = app
        .store
        .editable_post(q)
        .await
        .unwrap()
        .unwrap()
        .latest_revision
        .to_string();
    let forged = bob
        .post(
            &format!("/posts/{q}/edit"),
            &[
                ("csrf", &csrf),
                ("title", "Hijacked title here"),
                ("body", BODY),
                ("tags", "x"),
                ("base_revision", &base),
            ],
        )
        .await;
    // Without the edit privilege, bob's edit of ann's post waits as a suggestion.
    assert_eq!(forged.status, StatusCode::SEE_OTHER);
    assert!(
        forged.location().starts_with("/suggested-edits/"),
        "{}",
        forged.location()
    );
    assert_eq!(
        app.store.editable_post(q).await.unwrap().unwrap().title,
        "The first title of this",
        "nothing changed yet"
    );
    assert_eq!(
        bob.post(&format!("/posts/{q}/delete"), &[("csrf", &csrf)])
            .await
            .status,
        StatusCode::FORBIDDEN
    );

    let author = app.client("10.9.3.2");
    author.log_in("ann", "maple tree 1").await;
    let form = author.get(&format!("/posts/{q}/edit")).await;
    assert_eq!(form.status, StatusCode::OK);
    assert_eq!(
        form.attrs("input[name=base_revision]", "value"),
        [base.as_str()]
    );
    let csrf = author.csrf("/settings").await;
    let short = author
        .post(
            &format!("/posts/{q}/edit"),
            &[
                ("csrf", &csrf),
                ("title", "too short"),
                ("body", BODY),
                ("tags", "x"),
                ("base_revision", &base),
            ],
        )
        .await;
    assert_eq!(short.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(short.count("#title-error"), 1);
    let saved = author
        .post(
            &format!("/posts/{q}/edit"),
            &[
                ("csrf", &csrf),
                ("title", "The second title of this"),
                ("body", BODY),
                ("tags", "new"),
                ("summary", "clearer"),
                ("base_revision", &base),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);

    // The moderator started from the old revision: told, and their text kept.
    let moderator = app.client("10.9.3.3");
    moderator.log_in("mod", "maple tree 1").await;
    let mod_csrf = moderator.csrf("/settings").await;
    let stale = moderator
        .post(
            &format!("/posts/{q}/edit"),
            &[
                ("csrf", &mod_csrf),
                ("title", "The moderator's own title"),
                ("body", "The moderator's body text, long enough."),
                ("tags", "mod"),
                ("base_revision", &base),
            ],
        )
        .await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    assert!(
        stale
            .text(".flash.error")
            .contains("Someone else saved an edit")
    );
    assert_eq!(
        stale.attrs("#title", "value"),
        ["The moderator's own title"]
    );
    let new_base = stale.attrs("input[name=base_revision]", "value").remove(0);
    assert_ne!(new_base, base);
    let forced = moderator
        .post(
            &format!("/posts/{q}/edit"),
            &[
                ("csrf", &mod_csrf),
                ("title", "The moderator's own title"),
                ("body", "The moderator's body text, long enough."),
                ("tags", "mod"),
                ("base_revision", &new_base),
            ],
        )
        .await;
    assert_eq!(
        forced.status,
        StatusCode::SEE_OTHER,
        "a moderator edits any post"
    );

    let history = bob.get(&format!("/posts/{q}/revisions")).await;
    assert_eq!(history.status, StatusCode::OK);
    assert_eq!(
        history.texts(".revision-head h2"),
        ["Revision 3", "Revision 2", "Revision 1"]
    );
    let added = history
        .texts(".revision:first-child .diff-title ins")
        .join(" ");
    let removed = history
        .texts(".revision:first-child .diff-title del")
        .join(" ");
    assert!(
        added.contains("moderator's") && removed.contains("second"),
        "{added} / {removed}"
    );
    assert_eq!(
        history.texts(".revision:last-child .diff-title")[0],
        "The first title of this"
    );
    assert_eq!(
        history.count("form[action*='/rollback']"),
        0,
        "bob may not roll back"
    );

    let first_revision = app.store.revisions(q).await.unwrap()[0].id;
    let rollback = author
        .post(
            &format!("/posts/{q}/revisions/{first_revision}/rollback"),
            &[("csrf", &csrf)],
        )
        .await;
    assert_eq!(rollback.status, StatusCode::SEE_OTHER);
    let revisions = app.store.revisions(q).await.unwrap();
    assert_eq!(
        revisions.len(),
        4,
        "a roll-back is a new revision; history stays"
    );
    assert_eq!(revisions[3].title, "The first title of this");
    assert_eq!(revisions[3].summary, "Rolled back to revision 1");
    let forged_rollback = bob
        .post(
            &format!("/posts/{q}/revisions/{first_revision}/rollback"),
            &[("csrf", &csrf)],
        )
        .await;
    assert_eq!(forged_rollback.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn deleted_posts_show_only_to_their_author_and_moderators() {
    let (app, modern) = setup().await;
    let ann = app.account("ann", "maple tree 1", Role::User).await;
    let bob_user = app.account("bob", "maple tree 1", Role::User).await;
    app.account("mod", "maple tree 1", Role::Moderator).await;
    let q = fx::ask(
        &*app.store,
        ann.id,
        modern.id,
        "A question with answers",
        &["x"],
        0,
    )
    .await;
    let a = fx::answer(&*app.store, q, bob_user.id, 5).await;
    let path = format!("/questions/{q}/a-question-with-answers");

    let bob = app.client("10.9.4.1");
    bob.log_in("bob", "maple tree 1").await;
    let csrf = bob.csrf("/settings").await;
    let deleted = bob
        .post(&format!("/posts/{a}/delete"), &[("csrf", &csrf)])
        .await;
    assert_eq!(deleted.status, StatusCode::SEE_OTHER);
    let own_view = bob.get(&path).await;
    assert_eq!(
        own_view.count(&format!("#answer-{a}.deleted-post")),
        1,
        "the author sees it, marked"
    );
    assert_eq!(own_view.text("#answers-heading"), "No answers yet");
    let reader = app.client("10.9.4.2");
    let page = reader.get(&path).await;
    assert_eq!(page.count(&format!("#answer-{a}")), 0, "others do not");
    let moderator = app.client("10.9.4.3");
    moderator.log_in("mod", "maple tree 1").await;
    assert_eq!(
        moderator
            .get(&path)
            .await
            .count(&format!("#answer-{a}.deleted-post")),
        1
    );
    assert_eq!(
        reader.get(&format!("/posts/{a}/revisions")).await.status,
        StatusCode::NOT_FOUND
    );

    let author = app.client("10.9.4.4");
    author.log_in("ann", "maple tree 1").await;
    let acsrf = author.csrf("/settings").await;
    assert_eq!(
        author
            .post(&format!("/posts/{a}/undelete"), &[("csrf", &acsrf)])
            .await
            .status,
        StatusCode::FORBIDDEN,
        "ann did not write it"
    );
    assert_eq!(
        author
            .post(&format!("/posts/{q}/delete"), &[("csrf", &acsrf)])
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(reader.get(&path).await.status, StatusCode::NOT_FOUND);
    let own = author.get(&path).await;
    assert_eq!(
        own.count("#question .deleted-notice"),
        1,
        "her deleted question, marked"
    );
    assert_eq!(
        own.count(&format!("#answer-{a}")),
        0,
        "bob's deleted answer is not hers to see"
    );
    let mcsrf = moderator.csrf("/settings").await;
    assert_eq!(
        moderator
            .post(&format!("/posts/{q}/undelete"), &[("csrf", &mcsrf)])
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        moderator
            .post(&format!("/posts/{a}/undelete"), &[("csrf", &mcsrf)])
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(reader.get(&path).await.text("#answers-heading"), "1 Answer");
}

#[tokio::test]
async fn posting_is_rate_limited_per_user() {
    let app = TestApp::with_limits(ponder_web::auth::limits::RateLimitConfig {
        comments_per_user_per_minute: 2,
        ..ponder_web::auth::limits::RateLimitConfig::default()
    })
    .await;
    let cat = fx::category(&*app.store, None, "general").await;
    let ann = app.account("ann", "maple tree 1", Role::User).await;
    let q = fx::ask(
        &*app.store,
        ann.id,
        cat.id,
        "A question to comment on",
        &["x"],
        0,
    )
    .await;
    let client = app.client("10.9.5.1");
    client.log_in("ann", "maple tree 1").await;
    let csrf = client.csrf("/settings").await;
    for _ in 0..2 {
        let ok = client
            .post(
                &format!("/posts/{q}/comments"),
                &[("csrf", &csrf), ("body", "A comment long enough")],
            )
            .await;
        assert_eq!(ok.status, StatusCode::SEE_OTHER);
    }
    let limited = client
        .post(
            &format!("/posts/{q}/comments"),
            &[("csrf", &csrf), ("body", "A comment long enough")],
        )
        .await;
    assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(!limited.header(axum::http::header::RETRY_AFTER).is_empty());
}

#[tokio::test]
async fn the_live_preview_needs_a_writer_and_sanitizes() {
    let app = TestApp::new().await;
    app.account("ann", "maple tree 1", Role::User).await;
    let anonymous = app.client("10.9.6.1");
    let csrf = anonymous.csrf("/login").await;
    assert_eq!(
        anonymous
            .post("/preview", &[("csrf", &csrf), ("body", "x")])
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    let ann = app.client("10.9.6.2");
    ann.log_in("ann", "maple tree 1").await;
    let csrf = ann.csrf("/settings").await;
    let html = ann
        .post(
            "/preview",
            &[
                ("csrf", &csrf),
                ("body", "*hi* <img src=x onerror=alert(1)>"),
            ],
        )
        .await;
    assert_eq!(html.status, StatusCode::OK);
    assert!(
        html.body.contains("<em>hi</em>") && !html.body.contains("onerror"),
        "{}",
        html.body
    );
    assert_eq!(
        ann.post("/preview", &[("csrf", "nope"), ("body", "x")])
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let script = ann
        .get(&ann.get("/").await.attrs("script", "src").remove(0))
        .await;
    assert_eq!(script.status, StatusCode::OK);
    assert!(script.body.contains("ponder-draft:"));
}
