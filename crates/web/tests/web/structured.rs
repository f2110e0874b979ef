//! The question page's schema.org QAPage JSON-LD: complete, true to the page, and
//! unable to break out of its script element.

use crate::support::{Page, TestApp};
use ponder_store::conformance as fx;
use serde_json::Value;

fn json_ld(page: &Page) -> Value {
    let scripts = page.texts("script[type='application/ld+json']");
    assert_eq!(scripts.len(), 1, "one block of structured data");
    serde_json::from_str(&scripts[0]).unwrap()
}

async fn question_json(app: &TestApp, q: ponder_core::PostId) -> (String, Value) {
    let first = app.get(&format!("/questions/{q}")).await;
    let path = first.location();
    (path.clone(), json_ld(&app.get(&path).await))
}

#[tokio::test]
async fn question_pages_carry_a_complete_qa_page() {
    let app = TestApp::new().await;
    let s = app.seeded().await;
    let (path, data) = question_json(&app, s.question).await;
    let base = "https://ask.example.org";
    let url = format!("{base}{path}");
    assert_eq!(data["@context"], "https://schema.org");
    assert_eq!(data["@type"], "QAPage");
    let q = &data["mainEntity"];
    assert_eq!(q["@type"], "Question");
    assert_eq!(q["name"], "Why did the wall fall in 1989");
    assert_eq!(
        q["text"],
        "Body of Why did the wall fall in 1989, long enough to read."
    );
    assert_eq!(q["answerCount"], 3);
    assert_eq!(q["upvoteCount"], 0);
    assert_eq!(
        q["datePublished"],
        ponder_core::time::DateTime::from_timestamp(fx::at(0)).rfc3339()
    );
    assert_eq!(q["dateModified"], q["datePublished"], "never edited");
    assert_eq!(q["author"]["@type"], "Person");
    assert_eq!(q["author"]["name"], s.ann.display_name.as_str());
    assert_eq!(q["author"]["url"], format!("{base}/users/{}/ann", s.ann.id));
    assert_eq!(q["commentCount"], 1);
    assert_eq!(q["comment"][0]["@type"], "Comment");
    assert_eq!(
        q["comment"][0]["author"]["name"],
        s.bob.display_name.as_str()
    );
    assert!(q["comment"][0]["text"].as_str().unwrap().len() > 5);

    let accepted = &q["acceptedAnswer"];
    assert_eq!(accepted["@type"], "Answer");
    assert_eq!(accepted["url"], format!("{url}#answer-{}", s.accepted));
    assert_eq!(accepted["author"]["name"], s.bob.display_name.as_str());
    let suggested = q["suggestedAnswer"].as_array().unwrap();
    let urls: Vec<&str> = suggested
        .iter()
        .map(|a| a["url"].as_str().unwrap())
        .collect();
    assert_eq!(
        urls,
        [
            format!("{url}#answer-{}", s.high),
            format!("{url}#answer-{}", s.low)
        ],
        "the page's order: by score"
    );
    assert_eq!(suggested[0]["upvoteCount"], 2);
    assert_eq!(suggested[0]["commentCount"], 2);
    assert_eq!(suggested[0]["comment"].as_array().unwrap().len(), 2);
    assert_eq!(suggested[1]["upvoteCount"], -1);
    for answer in suggested.iter().chain([accepted]) {
        for field in [
            "text",
            "datePublished",
            "dateModified",
            "author",
            "commentCount",
        ] {
            assert!(!answer[field].is_null(), "{field} in {answer}");
        }
    }

    // Without an accepted answer there is no acceptedAnswer; deleted answers leave.
    app.store
        .accept_answer(s.question, None, Default::default())
        .await
        .unwrap();
    app.store
        .set_post_deleted(s.low, true, fx::at(99))
        .await
        .unwrap();
    app.index().await;
    let (_, data) = question_json(&app, s.question).await;
    let q = &data["mainEntity"];
    assert!(q.get("acceptedAnswer").is_none());
    assert_eq!(q["answerCount"], 2);
    assert_eq!(q["suggestedAnswer"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn structured_data_cannot_close_its_script_element() {
    let app = TestApp::new().await;
    let ann = fx::user(&*app.store, "ann").await;
    let cat = fx::category(&*app.store, None, "general").await;
    let q = fx::ask(
        &*app.store,
        ann.id,
        cat.id,
        "Why does </script><script>alert(1)</script> appear",
        &["x"],
        0,
    )
    .await;
    let first = app.get(&format!("/questions/{q}")).await;
    let page = app.get(&first.location()).await;
    assert!(!page.body.contains("</script><script>alert(1)"));
    let data = json_ld(&page);
    assert_eq!(
        data["mainEntity"]["name"],
        "Why does </script><script>alert(1)</script> appear"
    );
}
