//! Locks: a locked post refuses edits, votes, answers and comments.

use super::*;

on_both_databases!(locked_posts_refuse_edits_votes_answers_and_comments,);

async fn locked_posts_refuse_edits_votes_answers_and_comments(engine: &str) {
    let Some((app, cat)) = site(engine, TestApp::open_privileges()).await else {
        return;
    };
    let (ann_id, ann) = member(&app, "ann", Role::User, "10.23.0.1").await;
    let (bob_id, bob) = member(&app, "bob", Role::User, "10.23.0.2").await;
    let (_, moderator) = member(&app, "mod", Role::Moderator, "10.23.0.3").await;
    let q = fx::ask(
        &*app.store,
        ann_id,
        cat.id,
        "Who drew the first world map",
        &["maps"],
        0,
    )
    .await;
    let answer = fx::answer(&*app.store, q, bob_id, 1).await;
    fx::comment(&*app.store, q, bob_id, 2).await;
    let comment = thread_of(&app, q).await.comments[0].id;

    let lock = act(
        &moderator,
        &format!("/posts/{q}/mod/lock"),
        &[("reason", "edit war")],
    )
    .await;
    assert_eq!(lock.status, StatusCode::SEE_OTHER);
    let page = question_page(&bob, q).await;
    assert!(page.text(".banner.locked").contains("Locked"));
    assert_eq!(page.count("#question form[data-vote] button"), 0);

    let base = base_revision(&app, q).await;
    let edit = [
        ("title", "Who drew the first map of the world"),
        ("body", "The author's own rewrite of the body, long enough."),
        ("tags", "maps"),
        ("base_revision", base.as_str()),
    ];
    let attempts = [
        (&ann, format!("/posts/{q}/edit"), &edit[..]),
        (&bob, format!("/posts/{q}/vote"), &[("value", "up")][..]),
        (
            &bob,
            format!("/posts/{q}/comments"),
            &[("body", "A comment long enough to post")][..],
        ),
        (
            &bob,
            format!("/questions/{q}/answers"),
            &[("body", ANSWER)][..],
        ),
        (
            &ann,
            format!("/comments/{comment}/vote"),
            &[("value", "up")][..],
        ),
    ];
    for (client, uri, fields) in attempts {
        let page = act(client, &uri, fields).await;
        assert_eq!(
            page.status,
            StatusCode::FORBIDDEN,
            "{uri}: {}",
            page.text("main")
        );
        assert!(
            page.text(".error-page .message").contains("locked"),
            "{uri}"
        );
    }
    let thread = thread_of(&app, q).await;
    assert_eq!(thread.question.title, "Who drew the first world map");
    assert_eq!(thread.question.score, 0);
    assert_eq!(thread.answers.len(), 1);
    assert_eq!(thread.comments.len(), 1);
    assert_eq!(thread.comments[0].score, 0);

    // Unlocked, the same vote counts; a locked answer refuses on its own.
    assert_eq!(
        act(&moderator, &format!("/posts/{q}/mod/unlock"), &[])
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    let vote = act(&bob, &format!("/posts/{q}/vote"), &[("value", "up")]).await;
    assert_eq!(vote.status, StatusCode::SEE_OTHER);
    assert_eq!(
        act(&moderator, &format!("/posts/{answer}/mod/lock"), &[])
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    let refused_vote = act(&ann, &format!("/posts/{answer}/vote"), &[("value", "up")]).await;
    assert_eq!(refused_vote.status, StatusCode::FORBIDDEN);
    assert_eq!(app.store.post_score(answer).await.unwrap(), Some(0));

    let actions: Vec<(String, String)> = log_actions(&app)
        .await
        .into_iter()
        .map(|e| (e.0, e.3))
        .collect();
    assert_eq!(
        actions,
        [
            ("lock".to_owned(), String::new()),
            ("unlock".to_owned(), String::new()),
            ("lock".to_owned(), "edit war".to_owned()),
        ]
    );
}
