//! Search through the Router: results, operators, paging, similar and related
//! questions, deleted posts kept out, and hostile queries answered without a 500.

use crate::support::TestApp;
use axum::http::StatusCode;
use ponder_store::Role;
use ponder_store::conformance as fx;

#[tokio::test]
async fn search_finds_ranks_and_pages() {
    let app = TestApp::new().await;
    let s = &*app.store;
    let ann = fx::user(s, "ann").await;
    let history = fx::category(s, None, "history").await;
    let modern = fx::category(s, Some(history.id), "modern").await;
    let science = fx::category(s, None, "science").await;
    fx::category(s, Some(science.id), "modern").await; // a second "modern"
    let wall = fx::ask(
        s,
        ann.id,
        modern.id,
        "Why did the Berlin wall fall",
        &["cold-war"],
        0,
    )
    .await;
    let answer = fx::answer(s, wall, ann.id, 1).await;
    for i in 0..25 {
        fx::ask(
            s,
            ann.id,
            science.id,
            &format!("Experiment number {i:02} on gravity"),
            &["physics"],
            10 + i,
        )
        .await;
    }
    let hidden = fx::ask(
        s,
        ann.id,
        science.id,
        "A gravity question that was deleted",
        &["physics"],
        100,
    )
    .await;
    s.set_post_deleted(hidden, true, fx::at(101)).await.unwrap();
    app.index().await;

    let page = app.get("/search?q=wall").await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.text(".total"), "1 result");
    assert_eq!(
        page.attrs(".search-hit a", "href"),
        [format!("/questions/{wall}/why-did-the-berlin-wall-fall")]
    );
    assert!(
        page.body.contains("<b>wall</b>")
            || page.text(".search-hit .question-title").contains("wall")
    );
    assert_eq!(page.attrs("#search-q", "value"), ["wall"]);

    let answers = app.get("/search?q=is%3Aanswer").await;
    assert_eq!(
        answers.attrs(".search-hit a", "href"),
        [format!(
            "/questions/{wall}/why-did-the-berlin-wall-fall#answer-{answer}"
        )]
    );

    let gravity = app.get("/search?q=gravity&sort=newest").await;
    assert_eq!(
        gravity.text(".total"),
        "25 results",
        "the deleted question is not found"
    );
    assert_eq!(gravity.count(".search-hit"), 20);
    assert!(gravity.texts(".search-hit .question-title")[0].contains("Experiment number 24"));
    assert_eq!(
        gravity.attrs(".pager a[rel=next]", "href"),
        ["/search?q=gravity&sort=newest&page=2"]
    );
    let second = app.get("/search?q=gravity&sort=newest&page=2").await;
    assert_eq!(second.count(".search-hit"), 5);
    assert_eq!(
        app.get("/search?q=gravity&page=3").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get("/search?q=gravity&page=0").await.status,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        app.get("/search?q=gravity&sort=sideways").await.status,
        StatusCode::BAD_REQUEST
    );
    assert!(
        !app.get("/search?q=deleted")
            .await
            .body
            .contains("A gravity question that was deleted")
    );

    let by_category = app.get("/search?q=is%3Aquestion+category%3Ahistory").await;
    assert_eq!(
        by_category.text(".total"),
        "1 result",
        "history includes modern below it"
    );
    let ambiguous = app.get("/search?q=category%3Amodern").await;
    assert!(
        ambiguous
            .text(".flash.notice")
            .contains("several categories are called modern")
    );
    let path = app.get("/search?q=category%3Ahistory%2Fmodern").await;
    assert_eq!(
        path.text(".total"),
        "2 results",
        "the question and its answer"
    );
    let unknown = app.get("/search?q=wall+category%3Anowhere").await;
    assert!(
        unknown
            .text(".flash.notice")
            .contains("there is no category nowhere")
    );
    assert_eq!(unknown.count(".search-hit"), 0);

    let help = app.get("/search/help").await;
    assert_eq!(help.status, StatusCode::OK);
    assert!(
        help.texts(".help-table code")
            .contains(&"isaccepted:yes".to_owned())
    );
}

#[tokio::test]
async fn hostile_queries_get_an_answer_never_a_500() {
    let app = TestApp::new().await;
    let s = &*app.store;
    let ann = fx::user(s, "ann").await;
    let cat = fx::category(s, None, "general").await;
    fx::ask(
        s,
        ann.id,
        cat.id,
        "<script>alert(1)</script> question",
        &["x"],
        0,
    )
    .await;
    app.index().await;
    let long = "a".repeat(10_000);
    let queries = [
        "",
        "q=",
        "q=%22",
        "q=%22unbalanced",
        "q=-",
        "q=-only+-excluded",
        "q=%5B",
        "q=user%3Aabc",
        "q=is%3A",
        "q=unknown%3Aop",
        "q=%00%07%1B",
        "q=score%3A99999999999999999999",
        "q=%F0%9F%99%82",
        "q=%ZZ",
    ];
    for q in queries {
        let page = app.get(&format!("/search?{q}")).await;
        assert!(
            page.status == StatusCode::OK || page.status == StatusCode::BAD_REQUEST,
            "{q}: {}",
            page.status
        );
    }
    let page = app.get(&format!("/search?q={long}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.text(".flash.notice")
            .contains("cut to its first 500 characters")
    );
    let empty = app.get("/search").await;
    assert!(
        empty
            .text(".empty-state")
            .contains("Type what you are looking for")
    );
    let script = app.get("/search?q=script").await;
    assert_eq!(script.count(".search-hit"), 1);
    assert!(
        !script.body.contains("<script>alert"),
        "titles and snippets are escaped"
    );
}

#[tokio::test]
async fn similar_and_related_questions() {
    let app = TestApp::new().await;
    let s = &*app.store;
    let ann = app.account("ann", "maple tree 1", Role::User).await;
    let cat = fx::category(s, None, "general").await;
    let wall = fx::ask(
        s,
        ann.id,
        cat.id,
        "Why did the Berlin wall fall in 1989",
        &["history"],
        0,
    )
    .await;
    let other = fx::ask(
        s,
        ann.id,
        cat.id,
        "When was the Berlin wall built",
        &["history"],
        1,
    )
    .await;
    let bees = fx::ask(s, ann.id, cat.id, "How do bees make honey", &["biology"], 2).await;
    app.index().await;

    let json = app
        .get("/api/v1/questions/similar?title=berlin%20wall%20history")
        .await;
    assert_eq!(json.status, StatusCode::OK);
    let body: serde_json::Value = serde_json::from_str(&json.body).unwrap();
    let titles: Vec<&str> = body["questions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["title"].as_str().unwrap())
        .collect();
    assert_eq!(titles.len(), 2, "{titles:?}");
    assert!(titles.iter().all(|t| t.contains("Berlin")));
    let none = app.get("/api/v1/questions/similar").await;
    assert_eq!(none.body, r#"{"questions":[]}"#);

    let page = app
        .get(&format!(
            "/questions/{wall}/why-did-the-berlin-wall-fall-in-1989"
        ))
        .await;
    assert_eq!(
        page.attrs(".related a", "href"),
        [format!("/questions/{other}/when-was-the-berlin-wall-built")]
    );
    // The list computed for the view is stored a moment later…
    let mut stored = None;
    for _ in 0..100 {
        stored = s.related_questions(wall).await.unwrap();
        if stored.is_some() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    let stored = stored.expect("the related list is stored");
    assert_eq!(
        stored.questions.iter().map(|q| q.id).collect::<Vec<_>>(),
        [other]
    );
    // …and later views read it rather than the index (a list stored by hand shows).
    s.store_related(&[(wall, vec![bees])], ponder_core::time::now())
        .await
        .unwrap();
    let client = app.client("10.7.0.1");
    client.log_in("ann", "maple tree 1").await;
    let again = client
        .get(&format!(
            "/questions/{wall}/why-did-the-berlin-wall-fall-in-1989"
        ))
        .await;
    assert_eq!(
        again.attrs(".related a", "href"),
        [format!("/questions/{bees}/how-do-bees-make-honey")]
    );
    // The filler computes lists that are missing or older than the period, and
    // leaves recent ones.
    app.index().await;
    let filler = ponder_web::related::RelatedFiller::new(app.store.clone(), app.search.clone());
    let stored = filler.pass().await.unwrap();
    assert_eq!(stored, 2, "the two questions without a list");
    let ids = |list: Option<ponder_store::RelatedList>| {
        list.unwrap()
            .questions
            .into_iter()
            .map(|q| q.id)
            .collect::<Vec<_>>()
    };
    assert_eq!(ids(s.related_questions(other).await.unwrap()), [wall]);
    assert_eq!(ids(s.related_questions(bees).await.unwrap()), []);
    assert_eq!(ids(s.related_questions(wall).await.unwrap()), [bees]);
    s.store_related(
        &[(wall, vec![bees])],
        ponder_core::time::now() - ponder_web::related::PERIOD - 1,
    )
    .await
    .unwrap();
    assert_eq!(filler.pass().await.unwrap(), 1);
    assert_eq!(ids(s.related_questions(wall).await.unwrap()), [other]);
    assert_eq!(filler.pass().await.unwrap(), 0, "nothing left to do");

    let csrf = client.csrf("/ask").await;
    let preview = client
        .post(
            "/ask",
            &[
                ("csrf", &csrf),
                ("title", "Berlin wall questions again"),
                ("body", "Some details that are long enough."),
                ("tags", "x"),
                ("action", "preview"),
            ],
        )
        .await;
    assert_eq!(
        preview.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "no category chosen yet"
    );
    assert_eq!(
        preview.count(".similar-list a"),
        2,
        "the preview lists similar questions without JavaScript"
    );
}
