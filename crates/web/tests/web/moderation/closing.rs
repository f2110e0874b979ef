//! Closing and reopening, by votes or a moderator.

use super::*;

on_both_databases!(questions_close_by_votes_or_a_moderator_and_reopen,);

async fn questions_close_by_votes_or_a_moderator_and_reopen(engine: &str) {
    let Some((app, cat)) = site(engine, twelve_point_privileges()).await else {
        return;
    };
    let ann = fx::user(&*app.store, "ann").await;
    let original = fx::ask(
        &*app.store,
        ann.id,
        cat.id,
        "Why is the sky blue at noon",
        &["physics"],
        0,
    )
    .await;
    let copy = fx::ask(
        &*app.store,
        ann.id,
        cat.id,
        "What makes the daytime sky blue",
        &["physics"],
        1,
    )
    .await;
    let mut voters = Vec::new();
    for n in 0..3 {
        let (id, client) = member(
            &app,
            &format!("voter{n}"),
            Role::User,
            &format!("10.22.0.{n}"),
        )
        .await;
        raise_to_twelve(&app, &cat, id, &format!("voter{n}")).await;
        voters.push(client);
    }
    let close_uri = format!("/posts/{copy}/close");
    let original_id = original.to_string();

    // Bad reasons are refused.
    refused(
        &act(&voters[0], &close_uri, &[]).await,
        StatusCode::BAD_REQUEST,
        "Choose a reason to close.",
    );
    refused(
        &act(
            &voters[0],
            &close_uri,
            &[("reason", "duplicate"), ("duplicate_of", "abc")],
        )
        .await,
        StatusCode::BAD_REQUEST,
        "Give the number of the question",
    );
    refused(
        &act(
            &voters[0],
            &close_uri,
            &[("reason", "duplicate"), ("duplicate_of", &copy.to_string())],
        )
        .await,
        StatusCode::FORBIDDEN,
        "cannot duplicate itself",
    );
    refused(
        &act(
            &voters[0],
            &close_uri,
            &[("reason", "off_topic"), ("off_topic", "99")],
        )
        .await,
        StatusCode::BAD_REQUEST,
        "Choose why it is off-topic.",
    );

    // Three votes close it as a duplicate.
    let duplicate = [
        ("reason", "duplicate"),
        ("duplicate_of", original_id.as_str()),
    ];
    for (n, voter) in voters.iter().enumerate() {
        let page = act(voter, &close_uri, &duplicate).await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
        let closed = thread_of(&app, copy).await.question.closed_reason.is_some();
        assert_eq!(closed, n == 2, "after vote {}", n + 1);
        if n == 0 {
            refused(
                &act(voter, &close_uri, &duplicate).await,
                StatusCode::CONFLICT,
                "You did that already.",
            );
        }
    }
    let page = question_page(&voters[0], copy).await;
    assert!(page.text(".banner.closed").contains("Closed as duplicate"));
    assert_eq!(
        page.attrs(".banner.closed a", "href"),
        ["/questions/".to_owned() + &original_id]
    );
    assert_eq!(page.count("#your-answer textarea"), 0);

    // A closed question takes no answers.
    refused(
        &act(
            &voters[0],
            &format!("/questions/{copy}/answers"),
            &[("body", ANSWER)],
        )
        .await,
        StatusCode::FORBIDDEN,
        "closed",
    );
    assert!(thread_of(&app, copy).await.answers.is_empty());

    // One reopen vote is not enough; a moderator reopens at once.
    let reopen_uri = format!("/posts/{copy}/reopen");
    assert_eq!(
        act(&voters[0], &reopen_uri, &[]).await.status,
        StatusCode::SEE_OTHER
    );
    let (_, moderator) = member(&app, "mod", Role::Moderator, "10.22.1.1").await;
    assert!(
        question_page(&moderator, copy)
            .await
            .count(".banner.closed")
            == 1
    );
    assert_eq!(
        act(&moderator, &reopen_uri, &[]).await.status,
        StatusCode::SEE_OTHER
    );
    let page = question_page(&voters[1], copy).await;
    assert_eq!(page.count(".banner.closed"), 0);
    let answered = act(
        &voters[1],
        &format!("/questions/{copy}/answers"),
        &[("body", ANSWER)],
    )
    .await;
    assert_eq!(answered.status, StatusCode::SEE_OTHER, "{}", answered.body);

    // A moderator closes at once, with a site-defined off-topic reason.
    let closed = act(
        &moderator,
        &format!("/posts/{original}/close"),
        &[("reason", "off_topic"), ("off_topic", "1")],
    )
    .await;
    assert_eq!(closed.status, StatusCode::SEE_OTHER);
    let page = question_page(&voters[2], original).await;
    assert!(
        page.text(".banner.closed")
            .contains("off-topic: it asks for recommendations")
    );

    let log = log_actions(&app).await;
    assert_eq!(log.len(), 2, "only the moderator's actions: {log:?}");
    assert_eq!(
        log[0],
        (
            "close".to_owned(),
            "post".to_owned(),
            original.0,
            "off-topic: it asks for recommendations of books, tools or other resources".to_owned()
        )
    );
    assert_eq!(log[1].0, "reopen");
    assert_eq!(log[1].2, copy.0);
}
