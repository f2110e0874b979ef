//! Writing for technical communities (issue 21): code blocks highlighted by their
//! fence's language or the question's tags (mapped at `/admin/settings`), math set
//! as MathML once the site turns it on, and the live preview showing what will be
//! stored, for a question being asked, an answer and an edit.

use crate::support::{Client, TestApp};
use axum::http::StatusCode;
use ponder_store::Role;
use ponder_store::conformance as fx;

/// Posts the writing section of the settings with `fields`.
pub async fn save_writing(client: &Client, fields: &[(&str, &str)]) -> crate::support::Page {
    let csrf = client.csrf("/settings").await;
    let mut all = vec![("csrf", csrf.as_str()), ("group", "writing")];
    all.extend_from_slice(fields);
    client.post("/admin/settings", &all).await
}

const CODE: &str = "Why does this print nothing?\n\n```\nconst answer = 42; // the answer\n```\n\nThe area is $\\pi r^2$ and it costs $5 or $10.\n";

async fn code_follows_the_tags_and_math_the_setting(engine: &str) {
    let Some(app) = TestApp::on(engine, TestApp::open_privileges()).await else {
        return;
    };
    let category = fx::category(&*app.store, None, "web").await;
    app.account("root", "maple tree 1", Role::Admin).await;
    let admin = app.client("10.21.0.1");
    admin.log_in("root", "maple tree 1").await;

    // A language we do not highlight is refused beside its field, the text kept.
    let refused = save_writing(
        &admin,
        &[
            ("writing.math", "on"),
            ("writing.code_languages", "reactjs klingon"),
        ],
    )
    .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused
            .text("#writing-code_languages-error")
            .contains("“klingon” is not a language we highlight"),
        "{}",
        refused.text("#writing-code_languages-error")
    );
    assert_eq!(refused.text("#writing-code_languages"), "reactjs klingon");
    assert!(app.store.site_settings().await.unwrap().is_empty());

    // The formatting help shows the site's own rendering: no math yet.
    let help = app.get("/help/formatting").await;
    assert_eq!(help.status, StatusCode::OK);
    assert!(
        help.body.contains("<span class=\"hl-keyword\">def"),
        "{}",
        help.body
    );
    assert!(!help.body.contains("<math"));
    assert!(help.body.contains("Math is not turned on"));
    assert!(help.body.contains("TypeScript"));

    // Math off (the default): the formula and the dollars stay text.
    app.account("ann", "maple tree 1", Role::User).await;
    let ann = app.client("10.21.0.2");
    ann.log_in("ann", "maple tree 1").await;
    let csrf = ann.csrf("/ask").await;
    let category_id = category.id.to_string();
    let asked = ann
        .post(
            "/ask",
            &[
                ("csrf", &csrf),
                ("title", "Why does my constant print nothing at all?"),
                ("body", CODE),
                ("tags", "reactjs hooks"),
                ("category", &category_id),
            ],
        )
        .await;
    assert_eq!(asked.status, StatusCode::SEE_OTHER, "{}", asked.body);
    let first = ann.get(&asked.location()).await;
    let prose = first.html_of(".question .prose");
    assert!(!prose.contains("<span class=\"hl-"), "{prose}");
    assert!(!prose.contains("<math"), "{prose}");
    assert!(prose.contains("$\\pi r^2$"), "{prose}");

    let saved = save_writing(
        &admin,
        &[
            ("writing.math", "on"),
            ("writing.code_languages", " ReactJS javascript "),
        ],
    )
    .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);

    let help = app.get("/help/formatting").await;
    assert_eq!(help.body.matches("<math").count(), 2, "{}", help.body);

    // Asked again with math on: the tag names the language, the formula is set and
    // the dollar amounts stay prose.
    let csrf = ann.csrf("/ask").await;
    let asked = ann
        .post(
            "/ask",
            &[
                ("csrf", &csrf),
                ("title", "Why does my constant still print nothing?"),
                ("body", CODE),
                ("tags", "reactjs hooks"),
                ("category", &category_id),
            ],
        )
        .await;
    assert_eq!(asked.status, StatusCode::SEE_OTHER, "{}", asked.body);
    let question_url = asked.location();
    let page = ann.get(&question_url).await;
    let prose = page.html_of(".question .prose");
    assert!(
        prose.contains("<span class=\"hl-keyword\">const"),
        "{prose}"
    );
    assert!(
        prose.contains("<span class=\"hl-comment\">// the answer"),
        "{prose}"
    );
    assert_eq!(prose.matches("<math").count(), 1, "{prose}");
    assert!(prose.contains("costs $5 or $10."), "{prose}");

    // An answer's fence without a language goes by its question's tags.
    let question_id: i64 = question_url
        .split('/')
        .nth(2)
        .and_then(|id| id.parse().ok())
        .expect("question id in the address");
    let csrf = ann.csrf(&question_url).await;
    let answered = ann
        .post(
            &format!("/questions/{question_id}/answers"),
            &[
                ("csrf", &csrf),
                (
                    "body",
                    "Declare it first:\n\n```\nlet value = null;\n```\n\nand $x_1$.",
                ),
            ],
        )
        .await;
    assert_eq!(answered.status, StatusCode::SEE_OTHER, "{}", answered.body);
    let page = ann.get(&question_url).await;
    let answer = page.html_of(".answer .prose");
    assert!(
        answer.contains("<span class=\"hl-keyword\">let"),
        "{answer}"
    );
    assert!(answer.contains("<msub>"), "{answer}");

    // The preview renders as the post will be stored: by the tags typed, by the
    // post it belongs to, or with the site's options alone.
    let preview = |fields: Vec<(&'static str, String)>| {
        let ann = &ann;
        async move {
            let csrf = ann.csrf("/ask").await;
            let mut all: Vec<(&str, &str)> = vec![("csrf", &csrf)];
            all.extend(fields.iter().map(|(k, v)| (*k, v.as_str())));
            let page = ann.post("/preview", &all).await;
            assert_eq!(page.status, StatusCode::OK);
            page.body
        }
    };
    let body = "```\nfn main() {}\n```\n\n$y^2$".to_owned();
    let by_tags = preview(vec![("body", body.clone()), ("tags", "rust".into())]).await;
    assert!(
        by_tags.contains("<span class=\"hl-keyword\">fn"),
        "{by_tags}"
    );
    assert!(by_tags.contains("<msup>"), "{by_tags}");
    let by_post = preview(vec![
        ("body", "```\nconst x = 1;\n```".into()),
        ("post", question_id.to_string()),
    ])
    .await;
    assert!(
        by_post.contains("<span class=\"hl-keyword\">const"),
        "{by_post}"
    );
    let neither = preview(vec![
        ("body", body.clone()),
        ("post", "not a number".into()),
    ])
    .await;
    assert!(!neither.contains("<span class=\"hl-"), "{neither}");
    assert!(neither.contains("<msup>"), "{neither}");
}

async fn links_show_titles_mentions_link_and_linked_questions_are_listed(engine: &str) {
    let Some(app) = TestApp::on(engine, TestApp::open_privileges()).await else {
        return;
    };
    let category = fx::category(&*app.store, None, "web").await;
    let category_id = category.id.to_string();
    app.account("root", "maple tree 1", Role::Admin).await;
    let admin = app.client("10.21.1.1");
    admin.log_in("root", "maple tree 1").await;
    app.account("ann", "maple tree 1", Role::User).await;
    let ann = app.client("10.21.1.2");
    ann.log_in("ann", "maple tree 1").await;

    let ask = |title: &'static str, body: String| {
        let ann = &ann;
        let category_id = category_id.clone();
        async move {
            let csrf = ann.csrf("/ask").await;
            let asked = ann
                .post(
                    "/ask",
                    &[
                        ("csrf", &csrf),
                        ("title", title),
                        ("body", &body),
                        ("tags", "links"),
                        ("category", &category_id),
                    ],
                )
                .await;
            assert_eq!(asked.status, StatusCode::SEE_OTHER, "{}", asked.body);
            asked.location()
        }
    };
    let first_url = ask(
        "How do I read a file line by line?",
        "I want each line in turn, see https://example.org/docs.".into(),
    )
    .await;
    let first_id = first_url.split('/').nth(2).unwrap_or_default().to_owned();
    let second_url = ask(
        "How do I read a file backwards, line by line?",
        format!("Unlike https://ask.example.org/questions/{first_id} (the base URL) and [this](/questions/{first_id}), backwards."),
    )
    .await;

    // The bare address shows the question's title; links by a member below the
    // reputation are not followed.
    let second = ann.get(&second_url).await;
    let prose = second.html_of(".question .prose");
    assert!(
        prose.contains(">How do I read a file line by line?</a> (the base URL)"),
        "{prose}"
    );
    assert!(prose.contains(">this</a>"), "{prose}");
    assert!(prose.contains("rel=\"nofollow ugc noopener\""), "{prose}");
    let first = ann.get(&first_url).await;
    let prose = first.html_of(".question .prose");
    assert!(
        prose.contains("<a href=\"https://example.org/docs\" rel=\"nofollow ugc noopener\">https://example.org/docs</a>."),
        "{prose}"
    );

    // Each lists the other as linked.
    assert_eq!(
        first.texts("#linked-heading + ul a"),
        ["How do I read a file backwards, line by line?"]
    );
    assert_eq!(
        second.texts("#linked-heading + ul a"),
        ["How do I read a file line by line?"]
    );

    // With the threshold lowered, the member's new links are followed.
    let saved = save_writing(&admin, &[("writing.followed_links", "1")]).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let third_url = ask(
        "How do I read a file in fixed-size blocks?",
        "As in https://example.org/blocks, with a buffer.".into(),
    )
    .await;
    let third = ann.get(&third_url).await;
    let prose = third.html_of(".question .prose");
    assert!(prose.contains("rel=\"ugc noopener\""), "{prose}");
    assert!(!prose.contains("nofollow"), "{prose}");

    // A comment's mention of a member links to them; an unknown handle stays text.
    let csrf = ann.csrf(&first_url).await;
    let commented = ann
        .post(
            &format!("/posts/{first_id}/comments"),
            &[
                ("csrf", &csrf),
                ("body", "@root could you look? @nobody too"),
            ],
        )
        .await;
    assert_eq!(
        commented.status,
        StatusCode::SEE_OTHER,
        "{}",
        commented.body
    );
    let root = app
        .store
        .members_by_handles(&["root".into()])
        .await
        .unwrap()[0]
        .1;
    let page = ann.get(&first_url).await;
    let comment = page.html_of(".comment-list .comment-body");
    assert!(
        comment.contains(&format!(
            "<a href=\"/users/{root}\" rel=\"nofollow ugc noopener\">@root</a>"
        )),
        "{comment}"
    );
    assert!(comment.contains("@nobody too"), "{comment}");
}

on_both_databases!(
    code_follows_the_tags_and_math_the_setting,
    links_show_titles_mentions_link_and_linked_questions_are_listed
);
