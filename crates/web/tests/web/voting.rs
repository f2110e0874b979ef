//! Votes, acceptance, comment votes, privileges, suggested edits and profiles
//! through the Router. Threshold tests run with Stack Exchange's default privileges.
//!
//! Long on purpose: the thresholds are tested as users meet them, one story a test.

use crate::support::{Client, TestApp};
use axum::http::{StatusCode, header};
use ponder_core::reputation::Privileges;
use ponder_store::conformance as fx;
use ponder_store::{Role, VoteValue};

async fn vote(client: &Client, post: ponder_core::PostId, value: &str) -> crate::support::Page {
    let csrf = client.csrf("/settings").await;
    client
        .post(
            &format!("/posts/{post}/vote"),
            &[("csrf", &csrf), ("value", value)],
        )
        .await
}

#[tokio::test]
async fn votes_move_scores_and_refuse_what_they_should() {
    let app = TestApp::new().await;
    let ann = app.account("ann", "maple tree 1", Role::User).await;
    app.account("bob", "maple tree 1", Role::User).await;
    let cat = fx::category(&*app.store, None, "general").await;
    let q = fx::ask(
        &*app.store,
        ann.id,
        cat.id,
        "A question to vote on",
        &["x"],
        0,
    )
    .await;
    let path = format!("/questions/{q}/a-question-to-vote-on");
    let bob = app.client("10.8.0.1");
    bob.log_in("bob", "maple tree 1").await;

    let up = vote(&bob, q, "up").await;
    assert_eq!(up.status, StatusCode::SEE_OTHER);
    assert_eq!(up.location(), format!("{path}#question"));
    let page = bob.get(&path).await;
    assert_eq!(page.text("#question .score"), "1");
    assert_eq!(
        page.attrs("#question form[data-vote=up] button", "aria-pressed"),
        ["true"]
    );
    assert_eq!(
        page.attrs("#question form[data-vote=up] input[name=value]", "value"),
        ["none"],
        "pressing again withdraws"
    );
    assert_eq!(
        app.store.user(ann.id).await.unwrap().unwrap().reputation,
        11
    );

    // With JavaScript: JSON back, no page load.
    let csrf = bob.csrf("/settings").await;
    let json = bob
        .post_with(
            &format!("/posts/{q}/vote"),
            &[("csrf", &csrf), ("value", "down")],
            &[
                ("sec-fetch-site", "same-origin"),
                ("accept", "application/json"),
            ],
        )
        .await;
    assert_eq!(json.status, StatusCode::OK);
    assert_eq!(json.header(header::CONTENT_TYPE), "application/json");
    let body: serde_json::Value = serde_json::from_str(&json.body).unwrap();
    assert_eq!(body, serde_json::json!({ "score": -1, "vote": "down" }));

    let ann_client = app.client("10.8.0.2");
    ann_client.log_in("ann", "maple tree 1").await;
    let own = vote(&ann_client, q, "up").await;
    assert_eq!(own.status, StatusCode::FORBIDDEN);
    assert!(own.text(".error-page .message").contains("your own post"));
    assert_eq!(
        ann_client
            .get(&path)
            .await
            .count("#question form.vote-form"),
        0,
        "no buttons on one's own post"
    );

    for (value, status) in [
        ("sideways", StatusCode::BAD_REQUEST),
        ("", StatusCode::BAD_REQUEST),
        ("UP", StatusCode::BAD_REQUEST),
    ] {
        assert_eq!(vote(&bob, q, value).await.status, status, "{value:?}");
    }
    assert_eq!(
        vote(&bob, ponder_core::PostId(99_999), "up").await.status,
        StatusCode::NOT_FOUND
    );
    app.store
        .set_post_deleted(q, true, fx::at(9))
        .await
        .unwrap();
    assert_eq!(
        vote(&bob, q, "up").await.status,
        StatusCode::NOT_FOUND,
        "a deleted post takes no votes"
    );
    app.store
        .set_post_deleted(q, false, fx::at(10))
        .await
        .unwrap();
    assert_eq!(
        app.store.post_score(q).await.unwrap(),
        Some(-1),
        "refused votes changed nothing"
    );

    let anonymous = app.client("10.8.0.3");
    let csrf = anonymous.csrf("/login").await;
    let page = anonymous
        .post(
            &format!("/posts/{q}/vote"),
            &[("csrf", &csrf), ("value", "up")],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert!(page.location().starts_with("/login?next="));
}

#[tokio::test]
async fn privileges_are_checked_on_the_server() {
    let app = TestApp::with_privileges(Privileges::default()).await;
    let ann = app.account("ann", "maple tree 1", Role::User).await;
    let newcomer = app.account("new", "maple tree 1", Role::User).await;
    let cat = fx::category(&*app.store, None, "general").await;
    let q = fx::ask(
        &*app.store,
        ann.id,
        cat.id,
        "A question from ann",
        &["x"],
        0,
    )
    .await;
    let theirs = fx::ask(
        &*app.store,
        newcomer.id,
        cat.id,
        "A question from the newcomer",
        &["x"],
        0,
    )
    .await;
    let answer_to_theirs = fx::answer(&*app.store, theirs, ann.id, 1).await;
    let client = app.client("10.8.1.1");
    client.log_in("new", "maple tree 1").await;

    // Reputation 1: below 15 to vote up and below 125 to vote down.
    let refused = vote(&client, q, "up").await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert!(
        refused
            .text(".error-page .message")
            .contains("You need 15 reputation to vote up; you have 1.")
    );
    assert_eq!(vote(&client, q, "down").await.status, StatusCode::FORBIDDEN);
    assert_eq!(app.store.post_score(q).await.unwrap(), Some(0));

    // Comments: not on ann's question (50 needed), but always on one's own question
    // and on answers to it.
    let csrf = client.csrf("/settings").await;
    let on_anns = client
        .post(
            &format!("/posts/{q}/comments"),
            &[("csrf", &csrf), ("body", "A comment long enough here")],
        )
        .await;
    assert_eq!(on_anns.status, StatusCode::FORBIDDEN);
    for post in [theirs, answer_to_theirs] {
        let ok = client
            .post(
                &format!("/posts/{post}/comments"),
                &[("csrf", &csrf), ("body", "A comment long enough here")],
            )
            .await;
        assert_eq!(ok.status, StatusCode::SEE_OTHER, "{post}");
    }
    let page = client
        .get(&format!("/questions/{q}/a-question-from-ann"))
        .await;
    assert_eq!(
        page.count("form.comment-form textarea"),
        0,
        "the page hides what the server refuses"
    );

    // Fifteen reputation: upvotes are allowed, downvotes still not.
    let voter = app.account("voter", "maple tree 1", Role::User).await;
    fx::vote(&*app.store, theirs, voter.id, VoteValue::Up).await; // new: 1 + 10
    fx::vote(&*app.store, answer_to_theirs, newcomer.id, VoteValue::Up).await; // ann +10, irrelevant
    let other_q = fx::ask(
        &*app.store,
        newcomer.id,
        cat.id,
        "Another newcomer question",
        &["x"],
        2,
    )
    .await;
    let second_voter = app.account("voter2", "maple tree 1", Role::User).await;
    fx::vote(&*app.store, other_q, second_voter.id, VoteValue::Up).await; // new: 21
    assert_eq!(
        app.store
            .user(newcomer.id)
            .await
            .unwrap()
            .unwrap()
            .reputation,
        21
    );
    assert_eq!(vote(&client, q, "up").await.status, StatusCode::SEE_OTHER);
    let down = vote(&client, q, "down").await;
    assert_eq!(down.status, StatusCode::FORBIDDEN);
    assert!(
        down.text(".error-page .message")
            .contains("125 reputation to vote down")
    );
    assert_eq!(app.store.post_score(q).await.unwrap(), Some(1));

    // A moderator holds every privilege at reputation 1.
    app.account("mod", "maple tree 1", Role::Moderator).await;
    let moderator = app.client("10.8.1.2");
    moderator.log_in("mod", "maple tree 1").await;
    assert_eq!(
        vote(&moderator, q, "down").await.status,
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn the_asker_accepts_one_answer_shown_first() {
    let app = TestApp::new().await;
    let ann = app.account("ann", "maple tree 1", Role::User).await;
    let bob = app.account("bob", "maple tree 1", Role::User).await;
    let cat = fx::category(&*app.store, None, "general").await;
    let q = fx::ask(
        &*app.store,
        ann.id,
        cat.id,
        "Which answer is right",
        &["x"],
        0,
    )
    .await;
    let other = fx::ask(
        &*app.store,
        bob.id,
        cat.id,
        "A different question",
        &["x"],
        0,
    )
    .await;
    let first = fx::answer(&*app.store, q, bob.id, 1).await;
    let second = fx::answer(&*app.store, q, bob.id, 2).await;
    let elsewhere = fx::answer(&*app.store, other, ann.id, 3).await;
    fx::vote(&*app.store, first, ann.id, VoteValue::Up).await;
    let path = format!("/questions/{q}/which-answer-is-right");

    let bob_client = app.client("10.8.2.1");
    bob_client.log_in("bob", "maple tree 1").await;
    let csrf = bob_client.csrf("/settings").await;
    let refused = bob_client
        .post(
            &format!("/posts/{second}/accept"),
            &[("csrf", &csrf), ("value", "accept")],
        )
        .await;
    assert_eq!(
        refused.status,
        StatusCode::FORBIDDEN,
        "only the asker accepts"
    );
    assert_eq!(bob_client.get(&path).await.count("form.accept-form"), 0);

    let asker = app.client("10.8.2.2");
    asker.log_in("ann", "maple tree 1").await;
    assert_eq!(asker.get(&path).await.count("form.accept-form"), 2);
    let csrf = asker.csrf("/settings").await;
    let accepted = asker
        .post(
            &format!("/posts/{second}/accept"),
            &[("csrf", &csrf), ("value", "accept")],
        )
        .await;
    assert_eq!(accepted.status, StatusCode::SEE_OTHER);
    let page = asker.get(&path).await;
    assert_eq!(
        page.attrs("article.answer", "id")[0],
        format!("answer-{second}"),
        "accepted first"
    );
    assert_eq!(
        page.text("article.answer.accepted .accepted-label"),
        "Accepted answer"
    );
    assert_eq!(
        page.attrs(
            &format!("#answer-{second} form.accept-form input[name=value]"),
            "value"
        ),
        ["unaccept"]
    );
    assert_eq!(
        app.store.user(bob.id).await.unwrap().unwrap().reputation,
        1 + 10 + 15
    );
    assert_eq!(
        asker
            .post(
                &format!("/posts/{elsewhere}/accept"),
                &[("csrf", &csrf), ("value", "accept")]
            )
            .await
            .status,
        StatusCode::FORBIDDEN,
        "an answer to bob's question"
    );
    assert_eq!(
        asker
            .post(
                &format!("/posts/{q}/accept"),
                &[("csrf", &csrf), ("value", "accept")]
            )
            .await
            .status,
        StatusCode::NOT_FOUND,
        "a question is not an answer"
    );
    assert_eq!(
        asker
            .post(
                &format!("/posts/{second}/accept"),
                &[("csrf", &csrf), ("value", "maybe")]
            )
            .await
            .status,
        StatusCode::BAD_REQUEST
    );
    let withdrawn = asker
        .post(
            &format!("/posts/{second}/accept"),
            &[("csrf", &csrf), ("value", "unaccept")],
        )
        .await;
    assert_eq!(withdrawn.status, StatusCode::SEE_OTHER);
    assert_eq!(asker.get(&path).await.count("article.answer.accepted"), 0);
    assert_eq!(
        app.store.user(bob.id).await.unwrap().unwrap().reputation,
        1 + 10
    );
}

#[tokio::test]
async fn comment_upvotes_toggle_from_the_page() {
    let app = TestApp::new().await;
    let ann = app.account("ann", "maple tree 1", Role::User).await;
    app.account("bob", "maple tree 1", Role::User).await;
    let cat = fx::category(&*app.store, None, "general").await;
    let q = fx::ask(
        &*app.store,
        ann.id,
        cat.id,
        "A question with a comment",
        &["x"],
        0,
    )
    .await;
    fx::comment(&*app.store, q, ann.id, 1).await;
    let c = app
        .store
        .question_thread(q)
        .await
        .unwrap()
        .unwrap()
        .comments[0]
        .id;
    let bob = app.client("10.8.3.1");
    bob.log_in("bob", "maple tree 1").await;
    let csrf = bob.csrf("/settings").await;
    let page = bob
        .post(&format!("/comments/{c}/vote"), &[("csrf", &csrf)])
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert!(page.location().ends_with(&format!("#comment-{c}")));
    let thread = bob
        .get(&format!("/questions/{q}/a-question-with-a-comment"))
        .await;
    assert_eq!(
        thread.attrs(&format!("#comment-{c} .comment-vote"), "aria-pressed"),
        ["true"]
    );
    assert_eq!(thread.text(&format!("#comment-{c} .comment-score")), "1");
    let json = bob
        .post_with(
            &format!("/comments/{c}/vote"),
            &[("csrf", &csrf)],
            &[
                ("sec-fetch-site", "same-origin"),
                ("accept", "application/json"),
            ],
        )
        .await;
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&json.body).unwrap(),
        serde_json::json!({ "score": 0, "voted": false })
    );
    let ann_client = app.client("10.8.3.2");
    ann_client.log_in("ann", "maple tree 1").await;
    let csrf = ann_client.csrf("/settings").await;
    assert_eq!(
        ann_client
            .post(&format!("/comments/{c}/vote"), &[("csrf", &csrf)])
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        ann_client
            .post("/comments/99999/vote", &[("csrf", &csrf)])
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn suggested_edits_wait_for_the_author() {
    let app = TestApp::new().await;
    let ann = app.account("ann", "maple tree 1", Role::User).await;
    let bob_user = app.account("bob", "maple tree 1", Role::User).await;
    app.account("cy", "maple tree 1", Role::User).await;
    let cat = fx::category(&*app.store, None, "general").await;
    let q = fx::ask(
        &*app.store,
        ann.id,
        cat.id,
        "A question with a typo in it",
        &["x"],
        0,
    )
    .await;
    let path = format!("/questions/{q}/a-question-with-a-typo-in-it");
    let base = app
        .store
        .editable_post(q)
        .await
        .unwrap()
        .unwrap()
        .latest_revision
        .to_string();

    let bob = app.client("10.8.4.1");
    bob.log_in("bob", "maple tree 1").await;
    let csrf = bob.csrf("/settings").await;
    let fields = [
        ("csrf", csrf.as_str()),
        ("title", "A question without a typo in it"),
        ("body", "The body, corrected and long enough."),
        ("tags", "x"),
        ("summary", "fixed a typo"),
        ("base_revision", base.as_str()),
    ];
    let suggested = bob.post(&format!("/posts/{q}/edit"), &fields).await;
    assert_eq!(suggested.status, StatusCode::SEE_OTHER);
    let page_url = suggested.location();
    let page = bob.get(&page_url).await;
    assert_eq!(page.text(".suggestion-status strong"), "pending");
    assert!(page.texts(".diff-title ins").join(" ").contains("without"));
    assert_eq!(
        page.count("form[action$='/approve']"),
        0,
        "not for the suggester"
    );
    let again = bob.get(&format!("/posts/{q}/edit")).await;
    assert_eq!(
        again.status,
        StatusCode::CONFLICT,
        "one pending suggestion per post"
    );

    let id = page_url.rsplit('/').next().unwrap();
    let cy = app.client("10.8.4.2");
    cy.log_in("cy", "maple tree 1").await;
    let ccsrf = cy.csrf("/settings").await;
    assert_eq!(
        cy.post(
            &format!("/suggested-edits/{id}/approve"),
            &[("csrf", &ccsrf)]
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        bob.post(
            &format!("/suggested-edits/{id}/approve"),
            &[("csrf", &csrf)]
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );

    let author = app.client("10.8.4.3");
    author.log_in("ann", "maple tree 1").await;
    let question_page = author.get(&path).await;
    assert_eq!(
        question_page.attrs(".pending-edit", "href"),
        [page_url.as_str()]
    );
    let acsrf = author.csrf("/settings").await;
    let no_reason = author
        .post(
            &format!("/suggested-edits/{id}/reject"),
            &[("csrf", &acsrf), ("reason", "  ")],
        )
        .await;
    assert_eq!(no_reason.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(no_reason.count("#reason-error"), 1);
    let approved = author
        .post(
            &format!("/suggested-edits/{id}/approve"),
            &[("csrf", &acsrf)],
        )
        .await;
    assert_eq!(approved.status, StatusCode::SEE_OTHER);
    assert_eq!(approved.location(), path);
    let after = author.get(&format!("/questions/{q}")).await;
    assert_eq!(
        after.status,
        StatusCode::MOVED_PERMANENTLY,
        "the title, and so the slug, changed"
    );
    assert_eq!(
        app.store.editable_post(q).await.unwrap().unwrap().title,
        "A question without a typo in it"
    );
    assert_eq!(
        app.store
            .user(bob_user.id)
            .await
            .unwrap()
            .unwrap()
            .reputation,
        3
    );
    let twice = author
        .post(
            &format!("/suggested-edits/{id}/approve"),
            &[("csrf", &acsrf)],
        )
        .await;
    assert_eq!(twice.status, StatusCode::CONFLICT);

    let profile = bob.get(&format!("/users/{}/bob", bob_user.id)).await;
    assert!(
        profile
            .texts(".badge-item")
            .iter()
            .any(|b| b.starts_with("Editor")),
        "{:?}",
        profile.texts(".badge-item")
    );
    assert_eq!(profile.texts(".rep-list .rep-amount"), ["+2"]);
    assert!(
        profile
            .text(".rep-list li")
            .contains("suggested edit approved")
    );
}

#[tokio::test]
async fn profiles_show_badges_and_reputation_history() {
    let app = TestApp::new().await;
    let ann = app.account("ann", "maple tree 1", Role::User).await;
    let bob = app.account("bob", "maple tree 1", Role::User).await;
    let cat = fx::category(&*app.store, None, "general").await;
    let q = fx::ask(
        &*app.store,
        ann.id,
        cat.id,
        "A question earning points",
        &["x"],
        0,
    )
    .await;
    fx::vote(&*app.store, q, bob.id, VoteValue::Up).await;
    let page = app.get(&format!("/users/{}/ann", ann.id)).await;
    assert_eq!(page.texts(".profile-facts dd")[0], "11");
    assert_eq!(page.text("#badges-heading"), "1 badge");
    assert!(page.text(".badge-item").starts_with("Student"));
    assert_eq!(page.texts(".rep-list .rep-amount"), ["+10"]);
    assert_eq!(
        page.attrs(".rep-list a", "href"),
        [format!("/questions/{q}/a-question-earning-points")]
    );
}
