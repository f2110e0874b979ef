//! The read-only pages, driven through the Router in-process: structure, words,
//! links, status codes and escaping.
//!
//! Long on purpose: one test a page, each checking its structure, words, links and
//! escaping.

use crate::support::TestApp;
use axum::http::{StatusCode, header};
use ponder_store::conformance as fx;
use ponder_store::{NewQuestion, PostBody, VoteValue};

#[tokio::test]
async fn an_empty_site_says_so_kindly() {
    let app = TestApp::new().await;
    let page = app.get("/").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.text(".empty-state")
            .contains("No questions have been asked here yet")
    );
    assert_eq!(page.text(".total"), "0 questions");
    assert_eq!(page.count(".question-row"), 0);
    let categories = app.get("/categories").await;
    assert!(
        categories
            .text(".empty-state")
            .contains("no categories yet")
    );
}

#[tokio::test]
async fn the_home_page_lists_questions_with_their_facts() {
    let app = TestApp::new().await;
    let s = app.seeded().await;
    let page = app.get("/").await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(
        page.header(header::CONTENT_TYPE),
        "text/html; charset=utf-8"
    );
    assert_eq!(
        page.text(".question-title"),
        "Why did the wall fall in 1989"
    );
    assert_eq!(
        page.attrs(".question-title a", "href"),
        [format!(
            "/questions/{}/why-did-the-wall-fall-in-1989",
            s.question
        )]
    );
    assert_eq!(page.text(".category-chip"), "modern");
    assert_eq!(
        page.attrs(".category-chip", "href"),
        ["/categories/history/modern"]
    );
    assert_eq!(page.texts(".question-row .tag"), ["cold-war", "germany"]);
    assert_eq!(
        page.attrs(".question-row .tag", "href"),
        ["/tags/cold-war", "/tags/germany"]
    );
    let stats = page.texts(".stats .stat");
    assert_eq!(stats, ["0 votes", "accepted, 3 answers"]);
    assert!(
        page.text(".asked-by").starts_with("Ann active"),
        "{}",
        page.text(".asked-by")
    );
    assert_eq!(page.attrs(".asked-by time", "datetime").len(), 1);
    assert_eq!(page.texts("title"), ["Top questions - Testing Site"]);
    assert_eq!(
        page.attrs("link[rel=canonical]", "href"),
        ["https://ask.example.org/"]
    );
    assert_eq!(page.texts(".sidebar .category-links a"), ["history"]);
}

#[tokio::test]
async fn lists_sort_and_page() {
    let app = TestApp::new().await;
    let s = &*app.store;
    let ann = fx::user(s, "ann").await;
    let bob = fx::user(s, "bob").await;
    let cat = fx::category(s, None, "general").await;
    let mut ids = Vec::new();
    for i in 0..35 {
        ids.push(
            fx::ask(
                s,
                ann.id,
                cat.id,
                &format!("Question number {i:02} here"),
                &["x"],
                i,
            )
            .await,
        );
    }
    fx::answer(s, ids[3], bob.id, 1000).await;
    fx::vote(s, ids[7], bob.id, VoteValue::Up).await;

    let first = app.get("/questions?sort=newest").await;
    assert_eq!(first.count(".question-row"), 30);
    assert_eq!(first.texts(".question-title")[0], "Question number 34 here");
    assert_eq!(first.text(".total"), "35 questions");
    assert_eq!(
        first.attrs(".pager a[rel=next]", "href"),
        ["/questions?sort=newest&page=2"]
    );
    assert_eq!(first.text(".tabs [aria-current=page]"), "Newest");
    let second = app.get("/questions?sort=newest&page=2").await;
    assert_eq!(second.count(".question-row"), 5);
    assert_eq!(
        second.texts(".question-title")[4],
        "Question number 00 here"
    );
    assert_eq!(
        second.attrs(".pager a[rel=prev]", "href"),
        ["/questions?sort=newest"]
    );
    assert!(
        second.attrs("link[rel=canonical]", "href").is_empty(),
        "only page 1 is canonical"
    );

    let active = app.get("/questions").await;
    assert_eq!(
        active.texts(".question-title")[0],
        "Question number 03 here"
    );
    let score = app.get("/questions?sort=score").await;
    assert_eq!(score.texts(".question-title")[0], "Question number 07 here");
    let unanswered = app.get("/questions?sort=unanswered").await;
    assert_eq!(unanswered.text(".total"), "34 questions");
}

#[tokio::test]
async fn bad_list_parameters_get_clear_pages_not_500s() {
    let app = TestApp::new().await;
    app.seeded().await;
    for (query, status, words) in [
        (
            "page=0",
            StatusCode::BAD_REQUEST,
            "page must be a whole number",
        ),
        (
            "page=-1",
            StatusCode::BAD_REQUEST,
            "page must be a whole number",
        ),
        (
            "page=abc",
            StatusCode::BAD_REQUEST,
            "page must be a whole number",
        ),
        (
            "page=99999999999999999999999",
            StatusCode::BAD_REQUEST,
            "page must be a whole number",
        ),
        ("page=2", StatusCode::NOT_FOUND, "it has 1 page"),
        ("page=1000", StatusCode::NOT_FOUND, "There is no page 1000"),
        (
            "page=1001",
            StatusCode::BAD_REQUEST,
            "lists go 1000 pages deep, not 1001",
        ),
        (
            "sort=votes",
            StatusCode::BAD_REQUEST,
            "unknown sort “votes”",
        ),
        (
            "sort=%3Cscript%3E",
            StatusCode::BAD_REQUEST,
            "unknown sort “<script>”",
        ),
        (
            "page=%ZZ",
            StatusCode::BAD_REQUEST,
            "page must be a whole number",
        ),
    ] {
        for base in ["/", "/questions", "/tags/germany", "/categories/history"] {
            let page = app.get(&format!("{base}?{query}")).await;
            assert_eq!(page.status, status, "{base}?{query}");
            assert!(
                page.text(".error-page .message").contains(words),
                "{base}?{query}: {}",
                page.body
            );
            assert!(
                !page.body.contains("<script>"),
                "{base}?{query} echoed markup"
            );
        }
    }
}

#[tokio::test]
async fn the_question_page_shows_the_whole_thread() {
    let app = TestApp::new().await;
    let s = app.seeded().await;
    let page = app
        .get(&format!(
            "/questions/{}/why-did-the-wall-fall-in-1989",
            s.question
        ))
        .await;
    assert_eq!(page.status, StatusCode::OK);

    assert_eq!(
        page.texts(".breadcrumb a"),
        ["Categories", "history", "modern"]
    );
    assert_eq!(
        page.attrs(".breadcrumb a", "href"),
        [
            "/categories",
            "/categories/history",
            "/categories/history/modern"
        ]
    );
    assert_eq!(page.text("h1"), "Why did the wall fall in 1989");
    assert!(
        page.text("#question .prose")
            .contains("Body of Why did the wall fall in 1989")
    );
    assert_eq!(page.texts("#question .tags a"), ["cold-war", "germany"]);
    assert_eq!(page.text("#question .user-name"), "Ann");
    assert_eq!(
        page.attrs("#question .user-name", "href"),
        [format!("/users/{}/ann", s.ann.id)]
    );
    assert_eq!(page.attrs("#question .avatar", "alt"), ["Avatar of Ann"]);
    assert_eq!(
        page.attrs("#question .avatar", "src"),
        [format!("/users/{}/avatar", s.ann.id)]
    );
    assert_eq!(
        page.attrs("#question .post-time time", "datetime"),
        ["2026-01-01T00:00:00Z"]
    );

    // Accepted first, then by score: accepted (0), high (+2), low (-1).
    let order = page.attrs("article.answer", "id");
    assert_eq!(
        order,
        [
            format!("answer-{}", s.accepted),
            format!("answer-{}", s.high),
            format!("answer-{}", s.low)
        ]
    );
    assert_eq!(page.texts("article.answer .score"), ["0", "2", "-1"]);
    assert_eq!(
        page.texts("article.answer.accepted .accepted-label"),
        ["Accepted answer"]
    );
    assert_eq!(page.count("article.answer.accepted"), 1);
    assert_eq!(page.text("#answers-heading"), "3 Answers");

    // Correctly pluralised comment counts: 1 on the question; 0, 2, 0 on the answers.
    assert_eq!(
        page.texts(".comment-count"),
        ["1 comment", "0 comments", "2 comments", "0 comments"]
    );
    assert_eq!(page.count(&format!("#answer-{} .comment", s.high)), 2);

    // "Leave a comment" leads a reader who is not logged in to the log-in page.
    assert_eq!(
        page.count("form.comment-form[method=get][action='/login']"),
        4
    );
    assert_eq!(
        page.attrs("#question form.comment-form input[name=next]", "value"),
        [format!(
            "/questions/{}/why-did-the-wall-fall-in-1989#question",
            s.question
        )]
    );
    assert_eq!(
        page.texts("form.comment-form button"),
        vec!["Leave a comment"; 4]
    );

    assert_eq!(
        page.texts("title"),
        ["Why did the wall fall in 1989 - Testing Site"]
    );
    assert_eq!(
        page.attrs("meta[name=description]", "content"),
        ["Body of Why did the wall fall in 1989, long enough to read."]
    );
    assert_eq!(
        page.attrs("link[rel=canonical]", "href"),
        [format!(
            "https://ask.example.org/questions/{}/why-did-the-wall-fall-in-1989",
            s.question
        )]
    );
}

#[tokio::test]
async fn wrong_or_missing_slugs_redirect_and_unknown_ids_are_404() {
    let app = TestApp::new().await;
    let s = app.seeded().await;
    let canonical = format!("/questions/{}/why-did-the-wall-fall-in-1989", s.question);
    for path in [
        format!("/questions/{}", s.question),
        format!("/questions/{}/wrong-slug", s.question),
    ] {
        let page = app.get(&path).await;
        assert_eq!(page.status, StatusCode::MOVED_PERMANENTLY, "{path}");
        assert_eq!(page.location(), canonical, "{path}");
    }
    let to_answer = app.get(&format!("/questions/{}", s.high)).await;
    assert_eq!(to_answer.status, StatusCode::MOVED_PERMANENTLY);
    assert_eq!(
        to_answer.location(),
        format!("{canonical}#answer-{}", s.high)
    );
    for path in [
        "/questions/999999",
        "/questions/999999/x",
        "/questions/abc",
        "/questions/0",
        "/questions/-5/x",
        "/nowhere",
        "/questions/1/2/3",
    ] {
        let page = app.get(path).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "{path}");
        assert_eq!(page.text("h1"), "Page not found", "{path}");
        assert!(
            page.attrs("link[rel=stylesheet]", "href").len() == 1,
            "the 404 is a real page"
        );
    }
}

#[tokio::test]
async fn user_content_is_escaped_everywhere() {
    let app = TestApp::new().await;
    let s = &*app.store;
    let ann = fx::user(s, "ann").await;
    let cat = fx::category(s, None, "general").await;
    let id = s
        .create_question(NewQuestion {
            author: ann.id,
            category: cat.id,
            title: "<script>alert(1)</script>".into(),
            body: PostBody::from_markdown(
                "Hello <script>alert(2)</script><img src=x onerror=alert(3)> **there**",
            ),
            tags: vec!["<b>".into()],
            created_at: fx::at(0),
        })
        .await
        .unwrap();
    let list = app.get("/").await;
    assert_eq!(list.text(".question-title"), "<script>alert(1)</script>");
    assert!(
        list.body
            .contains("&#60;script&#62;alert(1)&#60;/script&#62;"),
        "{}",
        list.body
    );
    assert!(!list.body.contains("<script>"));
    assert_eq!(list.attrs(".question-row .tag", "href"), ["/tags/%3Cb%3E"]);

    let page = app
        .get(&format!("/questions/{id}/script-alert-1-script"))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.text("h1"), "<script>alert(1)</script>");
    assert_eq!(page.text("#answers-heading"), "No answers yet");
    // The only executable script is the site's own, loaded from its file; the other
    // script element is the structured data, which no browser runs.
    assert_eq!(
        page.count("script:not([type='application/ld+json'])"),
        1,
        "{}",
        page.body
    );
    assert_eq!(page.count("script[type='application/ld+json']"), 1);
    assert_eq!(page.attrs("script[src^='/static/app.']", "src").len(), 1);
    assert!(!page.body.contains("<script>"), "{}", page.body);
    assert!(!page.body.contains("onerror"));
    assert!(page.body.contains("<strong>there</strong>"));
    let tag = app.get("/tags/%3Cb%3E").await;
    assert_eq!(tag.status, StatusCode::OK);
    assert_eq!(tag.text("h1 .tag"), "<b>");
}

#[tokio::test]
async fn category_pages_include_descendants_and_children() {
    let app = TestApp::new().await;
    let s = app.seeded().await;
    let st = &*app.store;
    let ancient = fx::category(st, Some(s.history.id), "ancient").await;
    let other = fx::category(st, None, "science").await;
    fx::ask(
        st,
        s.bob.id,
        ancient.id,
        "A question on ancient times",
        &[],
        5,
    )
    .await;
    fx::ask(st, s.bob.id, other.id, "A question about science", &[], 6).await;

    let top = app.get("/categories/history").await;
    assert_eq!(top.status, StatusCode::OK);
    assert_eq!(top.text("h1"), "history");
    assert_eq!(
        top.texts(".subcategories a"),
        ["ancient", "modern"],
        "siblings by position, then name"
    );
    assert_eq!(top.text(".total"), "2 questions");
    let child = app.get("/categories/history/modern").await;
    assert_eq!(child.texts(".breadcrumb a"), ["Categories", "history"]);
    assert_eq!(child.text(".total"), "1 question");
    assert_eq!(
        child.attrs("link[rel=canonical]", "href"),
        ["https://ask.example.org/categories/history/modern"]
    );

    let index = app.get("/categories").await;
    assert_eq!(
        index.texts(".category-tree a"),
        ["history", "ancient", "modern", "science"]
    );

    let upper = app.get("/categories/History/Modern").await;
    assert_eq!(upper.status, StatusCode::MOVED_PERMANENTLY);
    assert_eq!(upper.location(), "/categories/history/modern");
    for missing in [
        "/categories/nope",
        "/categories/history/nope",
        "/categories/modern",
        "/categories/history/modern/x",
    ] {
        assert_eq!(
            app.get(missing).await.status,
            StatusCode::NOT_FOUND,
            "{missing}"
        );
    }
}

#[tokio::test]
async fn tag_pages_list_their_questions() {
    let app = TestApp::new().await;
    app.seeded().await;
    let page = app.get("/tags/germany").await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.text("h1"), "Questions tagged germany");
    assert_eq!(
        page.texts(".question-title"),
        ["Why did the wall fall in 1989"]
    );
    assert_eq!(
        page.attrs("link[rel=canonical]", "href"),
        ["https://ask.example.org/tags/germany"]
    );
    assert_eq!(app.get("/tags/GERMANY").await.status, StatusCode::OK);
    assert_eq!(app.get("/tags/unknown").await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn profiles_show_the_user_and_their_posts() {
    let app = TestApp::new().await;
    let s = app.seeded().await;
    let page = app.get(&format!("/users/{}/bob", s.bob.id)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.text("h1"), "Bob");
    assert_eq!(page.text(".handle"), "@bob");
    assert_eq!(page.attrs(".profile .avatar", "alt"), ["Avatar of Bob"]);
    assert_eq!(page.text(".about"), "I am bob.");
    // bob's accepted answer: +15.
    assert_eq!(page.texts(".profile-facts dd")[0], "16");
    assert_eq!(page.text("#questions-heading"), "0 questions");
    assert_eq!(page.text("#answers-heading"), "1 answer");
    assert_eq!(
        page.attrs(".compact-list a", "href"),
        [format!(
            "/questions/{}/why-did-the-wall-fall-in-1989#answer-{}",
            s.question, s.accepted
        )]
    );
    let ann = app.get(&format!("/users/{}/ann", s.ann.id)).await;
    assert_eq!(ann.text("#questions-heading"), "1 question");

    let bare = app.get(&format!("/users/{}", s.bob.id)).await;
    assert_eq!(bare.status, StatusCode::MOVED_PERMANENTLY);
    assert_eq!(bare.location(), format!("/users/{}/bob", s.bob.id));
    for missing in ["/users/9999/x", "/users/abc", "/users/0/x"] {
        assert_eq!(
            app.get(missing).await.status,
            StatusCode::NOT_FOUND,
            "{missing}"
        );
    }
    let avatar = app.get(&format!("/users/{}/avatar.svg", s.bob.id)).await;
    assert_eq!(avatar.status, StatusCode::OK);
    assert_eq!(avatar.header(header::CONTENT_TYPE), "image/svg+xml");
    assert!(avatar.body.starts_with("<svg"));
}

#[tokio::test]
async fn health_assets_and_headers() {
    let app = TestApp::new().await;
    let health = app.get("/healthz").await;
    assert_eq!(
        (health.status, health.body.as_str()),
        (StatusCode::OK, "ok\n")
    );
    let ready = app.get("/readyz").await;
    assert_eq!(
        (ready.status, ready.body.as_str()),
        (StatusCode::OK, "ready (sqlite)\n")
    );

    let home = app.get("/").await;
    let css = home.attrs("link[rel=stylesheet]", "href");
    assert_eq!(css.len(), 1);
    assert!(
        css[0].starts_with("/static/style.") && css[0].ends_with(".css"),
        "{css:?}"
    );
    let sheet = app.get(&css[0]).await;
    assert_eq!(sheet.status, StatusCode::OK);
    assert_eq!(
        sheet.header(header::CACHE_CONTROL),
        "public, max-age=31536000, immutable"
    );
    assert!(sheet.body.contains("prefers-color-scheme: dark"));
    assert_eq!(
        app.get("/static/style.0000000000000000.css").await.status,
        StatusCode::NOT_FOUND
    );

    for page in [&home, &health] {
        let csp = page.header(header::CONTENT_SECURITY_POLICY);
        assert!(
            csp.contains("frame-ancestors 'none'") && csp.contains("script-src 'self'"),
            "{csp}"
        );
        assert_eq!(page.header(header::X_CONTENT_TYPE_OPTIONS), "nosniff");
        assert_eq!(
            page.header(header::REFERRER_POLICY),
            "strict-origin-when-cross-origin"
        );
        // The test site is on https: browsers are told to keep to it (issue 16).
        assert_eq!(
            page.header(header::STRICT_TRANSPORT_SECURITY),
            "max-age=31536000"
        );
    }
}

#[tokio::test]
async fn the_question_page_costs_the_same_queries_for_1_or_50_answers() {
    let app = TestApp::new().await;
    let s = &*app.store;
    let ann = fx::user(s, "ann").await;
    let cat = fx::category(s, None, "general").await;
    let small = fx::ask(s, ann.id, cat.id, "A question with one answer", &["x"], 0).await;
    fx::answer(s, small, ann.id, 1).await;
    let big = fx::ask(s, ann.id, cat.id, "A question with many answers", &["x"], 0).await;
    for i in 0..50 {
        let a = fx::answer(s, big, ann.id, i).await;
        fx::comment(s, a, ann.id, i).await;
    }
    let cost = |path: String| {
        let app = &app;
        async move {
            let before = app.store.queries_executed();
            let page = app.get(&path).await;
            assert_eq!(page.status, StatusCode::OK);
            (
                app.store.queries_executed() - before,
                page.count("article.answer"),
            )
        }
    };
    let (small_queries, small_answers) =
        cost(format!("/questions/{small}/a-question-with-one-answer")).await;
    let (big_queries, big_answers) =
        cost(format!("/questions/{big}/a-question-with-many-answers")).await;
    assert_eq!((small_answers, big_answers), (1, 50));
    assert_eq!(small_queries, big_queries);
    assert!(big_queries <= 6, "{big_queries} queries");
}

#[tokio::test]
async fn login_and_ask_pages_answer_and_keep_next_on_site() {
    let app = TestApp::new().await;
    let page = app.get("/login?next=%2Fquestions%2F1%2Fx%23question").await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(
        page.attrs("input[name=next]", "value"),
        ["/questions/1/x#question"]
    );
    assert_eq!(
        page.attrs(".auth-box a[href^='/signup']", "href"),
        ["/signup?next=/questions/1/x%23question"]
    );
    let evil = app.get("/login?next=https%3A%2F%2Fevil.example").await;
    assert_eq!(evil.attrs("input[name=next]", "value"), ["/"]);
    let ask = app.get("/ask").await;
    assert_eq!(ask.status, StatusCode::SEE_OTHER, "asking needs an account");
    assert_eq!(ask.location(), "/login?next=/ask");
}

/// `/tags` lists the tags questions carry, by popularity, name or age, with their
/// counts; a bad order or page is refused (issue 18).
#[tokio::test]
async fn the_tags_page_lists_tags_in_three_orders() {
    let app = TestApp::new().await;
    app.seeded().await;
    let popular = app.get("/tags").await;
    assert_eq!(popular.status, StatusCode::OK);
    assert_eq!(popular.attrs("nav.tabs a[aria-current]", "href"), ["/tags"]);
    let names = popular.texts(".tag-list a.tag");
    assert!(!names.is_empty());
    let counts = popular.texts(".tag-list .count");
    let numbers: Vec<i64> = counts
        .iter()
        .map(|c| c.split_whitespace().next().unwrap().parse().unwrap())
        .collect();
    assert!(numbers.windows(2).all(|w| w[0] >= w[1]), "{counts:?}");
    let by_name = app.get("/tags?sort=name").await;
    let mut sorted = by_name.texts(".tag-list a.tag");
    let shown = sorted.clone();
    sorted.sort();
    assert_eq!(shown, sorted);
    assert_eq!(
        by_name.attrs(".tag-list a.tag", "href")[0],
        format!("/tags/{}", shown[0])
    );
    assert_eq!(app.get("/tags?sort=newest").await.status, StatusCode::OK);
    assert_eq!(
        app.get("/tags?sort=votes").await.status,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        app.get("/tags?page=0").await.status,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(app.get("/tags?page=99").await.status, StatusCode::NOT_FOUND);
}

/// `/privileges` shows the thresholds in force on this site, lowest first, and to a
/// member which they hold (issue 18).
#[tokio::test]
async fn the_privileges_page_shows_the_thresholds_in_force() {
    let app = TestApp::with_privileges(ponder_core::reputation::Privileges {
        vote_down: 40,
        ..ponder_core::reputation::Privileges::default()
    })
    .await;
    let page = app.get("/privileges").await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(
        page.texts("tbody td:nth-child(1)"),
        ["15", "15", "40", "50", "2,000", "3,000", "3,000"]
    );
    assert_eq!(page.texts("tbody td:nth-child(2)")[2], "vote down");
    assert_eq!(
        page.count("tbody td:nth-child(3)"),
        0,
        "a visitor holds nothing"
    );
    app.account("newbie", "maple tree 1", ponder_store::Role::User)
        .await;
    let member = app.client("10.33.0.1");
    member.log_in("newbie", "maple tree 1").await;
    let mine = member.get("/privileges").await;
    assert!(mine.text("main").contains("You have 1 reputation."));
    assert!(
        mine.texts("tbody td:nth-child(3)")
            .iter()
            .all(|held| held == "not yet")
    );
}
