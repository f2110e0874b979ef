//! Every permission boundary: one reputation point short is refused, and a regular
//! user forging a moderator's form is refused and changes nothing.

use super::*;

on_both_databases!(
    privilege_thresholds_are_exact,
    forged_moderator_forms_are_refused_and_change_nothing,
);

async fn privilege_thresholds_are_exact(engine: &str) {
    let Some((app, cat)) = site(engine, twelve_point_privileges()).await else {
        return;
    };
    let olga = fx::user(&*app.store, "olga").await;
    let q = fx::ask(
        &*app.store,
        olga.id,
        cat.id,
        "Which rivers froze in the winter of 1709",
        &["climate"],
        0,
    )
    .await;
    let (eleven_id, eleven) = member(&app, "eleven", Role::User, "10.20.0.1").await;
    raise_to_eleven(&app, &cat, eleven_id, "eleven").await;
    let (twelve_id, twelve) = member(&app, "twelve", Role::User, "10.20.0.2").await;
    raise_to_twelve(&app, &cat, twelve_id, "twelve").await;
    let (_, moderator) = member(&app, "mod", Role::Moderator, "10.20.0.3").await;

    // Flagging at 12.
    let flag_uri = format!("/posts/{q}/flag");
    refused(
        &act(&eleven, &flag_uri, &[("kind", "rude")]).await,
        StatusCode::FORBIDDEN,
        "You need 12 reputation to flag; you have 11.",
    );
    assert!(app.store.pending_flags(10).await.unwrap().is_empty());
    let flagged = act(&twelve, &flag_uri, &[("kind", "rude")]).await;
    assert_eq!(flagged.status, StatusCode::SEE_OTHER, "{}", flagged.body);
    assert_eq!(app.store.pending_flags(10).await.unwrap().len(), 1);

    // Voting to close at 12.
    let close_uri = format!("/posts/{q}/close");
    refused(
        &act(&eleven, &close_uri, &[("reason", "needs_focus")]).await,
        StatusCode::FORBIDDEN,
        "You need 12 reputation to vote to close; you have 11.",
    );
    let voted = act(&twelve, &close_uri, &[("reason", "needs_focus")]).await;
    assert_eq!(voted.status, StatusCode::SEE_OTHER, "{}", voted.body);
    let tally = app.store.close_votes(q).await.unwrap();
    assert_eq!(tally, (1, 0), "one vote of three: still open");
    assert_eq!(thread_of(&app, q).await.question.closed_reason, None);

    // The review queue at 12.
    refused(
        &eleven.get("/review").await,
        StatusCode::FORBIDDEN,
        "The review queue opens at 12 reputation; you have 11.",
    );
    assert_eq!(twelve.get("/review").await.status, StatusCode::OK);

    // A protected question takes answers from 11 earned points (12 in all).
    let protect = act(&moderator, &format!("/posts/{q}/mod/protect"), &[]).await;
    assert_eq!(protect.status, StatusCode::SEE_OTHER);
    let page = question_page(&eleven, q).await;
    assert!(page.text(".banner").contains("Protected"));
    assert_eq!(page.count("#your-answer textarea"), 0, "no form to refuse");
    let answer_uri = format!("/questions/{q}/answers");
    refused(
        &act(&eleven, &answer_uri, &[("body", ANSWER)]).await,
        StatusCode::FORBIDDEN,
        "needs 11 reputation earned",
    );
    let answered = act(&twelve, &answer_uri, &[("body", ANSWER)]).await;
    assert_eq!(answered.status, StatusCode::SEE_OTHER, "{}", answered.body);
    let thread = thread_of(&app, q).await;
    assert_eq!(thread.answers.len(), 1);
    assert_eq!(thread.answers[0].author.id, twelve_id);
}

async fn forged_moderator_forms_are_refused_and_change_nothing(engine: &str) {
    let privileges = Privileges {
        flag: 1,
        ..TestApp::open_privileges()
    };
    let Some((app, cat)) = site(engine, privileges).await else {
        return;
    };
    let (ann_id, _) = member(&app, "ann", Role::User, "10.25.0.1").await;
    let (_, bob) = member(&app, "bob", Role::User, "10.25.0.2").await;
    let (_, moderator) = member(&app, "mod", Role::Moderator, "10.25.0.3").await;
    let q = fx::ask(
        &*app.store,
        ann_id,
        cat.id,
        "What did Roman roads rest on",
        &["roads"],
        0,
    )
    .await;
    assert_eq!(
        act(&bob, &format!("/posts/{q}/flag"), &[("kind", "rude")])
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    let flag = app.store.pending_flags(10).await.unwrap()[0].id;
    let task = app.store.review_tasks(UserId(0), 10).await.unwrap()[0].id;

    let forged = [
        (format!("/posts/{q}/mod/lock"), vec![]),
        (format!("/posts/{q}/mod/protect"), vec![]),
        (format!("/posts/{q}/mod/restore"), vec![]),
        (
            format!("/users/{ann_id}/moderate/suspend"),
            vec![("days", "30"), ("reason", "forged")],
        ),
        (format!("/mod/flags/{flag}/helpful"), vec![]),
        (format!("/mod/flags/{flag}/decline"), vec![]),
    ];
    for (uri, fields) in &forged {
        refused(
            &act(&bob, uri, fields).await,
            StatusCode::FORBIDDEN,
            "Only moderators can do this.",
        );
    }
    refused(
        &act(&bob, &format!("/review/first-posts/{task}/approve"), &[]).await,
        StatusCode::FORBIDDEN,
        "The review queue opens at",
    );
    for page in ["/mod/flags", "/mod/log"] {
        refused(
            &bob.get(page).await,
            StatusCode::FORBIDDEN,
            "Only moderators can do this.",
        );
    }

    // Visitors are sent to log in; a moderator without the form's token is refused.
    let visitor = app.client("10.25.0.9");
    let page = visitor.get("/mod/flags").await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert_eq!(page.location(), "/login?next=/mod/flags");
    let lock = visitor
        .post(&format!("/posts/{q}/mod/lock"), &[("csrf", "x")])
        .await;
    assert_eq!(lock.status, StatusCode::SEE_OTHER);
    assert!(lock.location().starts_with("/login"));
    let tokenless = moderator
        .post(
            &format!("/posts/{q}/mod/lock"),
            &[("csrf", "not-the-token")],
        )
        .await;
    assert_eq!(tokenless.status, StatusCode::FORBIDDEN);
    let cross_site = moderator
        .post_with(
            &format!("/users/{ann_id}/moderate/suspend"),
            &[("days", "3"), ("reason", "x")],
            &[("sec-fetch-site", "cross-site")],
        )
        .await;
    assert_eq!(cross_site.status, StatusCode::FORBIDDEN);

    let thread = thread_of(&app, q).await;
    assert!(!thread.question.locked);
    assert!(!thread.question.protected);
    assert_eq!(
        app.store
            .user(ann_id)
            .await
            .unwrap()
            .unwrap()
            .suspended_until,
        None
    );
    assert_eq!(app.store.pending_flags(10).await.unwrap().len(), 1);
    assert_eq!(
        app.store.review_tasks(UserId(0), 10).await.unwrap().len(),
        1
    );
    assert!(log_actions(&app).await.is_empty());
}
