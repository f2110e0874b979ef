//! Suspensions: a suspended user reads but cannot write.

use super::*;

on_both_databases!(suspended_users_read_but_cannot_write,);

async fn suspended_users_read_but_cannot_write(engine: &str) {
    let privileges = Privileges {
        flag: 1,
        vote_to_close: 1,
        ..TestApp::open_privileges()
    };
    let Some((app, cat)) = site(engine, privileges).await else {
        return;
    };
    let (ann_id, _) = member(&app, "ann", Role::User, "10.24.0.1").await;
    let (bob_id, bob) = member(&app, "bob", Role::User, "10.24.0.2").await;
    let (mod_id, moderator) = member(&app, "mod", Role::Moderator, "10.24.0.3").await;
    let q = fx::ask(
        &*app.store,
        ann_id,
        cat.id,
        "When were the first maps printed",
        &["maps"],
        0,
    )
    .await;
    let own = fx::ask(
        &*app.store,
        bob_id,
        cat.id,
        "Bob asks about printing presses",
        &["maps"],
        1,
    )
    .await;
    fx::comment(&*app.store, q, ann_id, 2).await;
    let comment = thread_of(&app, q).await.comments[0].id;

    // Bad suspension forms change nothing.
    let suspend_uri = format!("/users/{bob_id}/moderate/suspend");
    for (days, reason, says) in [
        ("0", "spam", "Suspend for 1 to 365 days."),
        ("366", "spam", "Suspend for 1 to 365 days."),
        ("three", "spam", "Suspend for 1 to 365 days."),
        ("3", "  ", "Give the reason the user will see"),
    ] {
        refused(
            &act(
                &moderator,
                &suspend_uri,
                &[("days", days), ("reason", reason)],
            )
            .await,
            StatusCode::BAD_REQUEST,
            says,
        );
    }
    refused(
        &act(
            &moderator,
            &format!("/users/{mod_id}/moderate/suspend"),
            &[("days", "3"), ("reason", "spam")],
        )
        .await,
        StatusCode::FORBIDDEN,
        "Moderators are not suspended",
    );
    assert_eq!(
        app.store
            .user(bob_id)
            .await
            .unwrap()
            .unwrap()
            .suspended_until,
        None
    );

    let suspended = act(
        &moderator,
        &suspend_uri,
        &[("days", "3"), ("reason", "Posting links to a shop")],
    )
    .await;
    assert_eq!(
        suspended.status,
        StatusCode::SEE_OTHER,
        "{}",
        suspended.body
    );

    // They can log in and read, and see why and until when.
    let again = app.client("10.24.0.4");
    again.log_in("bob", "maple tree 1").await;
    let page = question_page(&again, q).await;
    assert_eq!(page.status, StatusCode::OK);
    let banner = page.text(".banner.closed[role=alert]");
    assert!(banner.contains("Posting links to a shop"), "{banner}");
    assert!(banner.contains("Suspended until"), "{banner}");
    assert_eq!(page.count("form[data-vote] button"), 0, "no votes offered");
    assert_eq!(page.count("form.comment-form, form.flag-form"), 0);
    assert_eq!(page.count("#your-answer textarea"), 0);
    assert!(
        page.texts(".hint")
            .iter()
            .any(|h| h.contains("suspended: you can read, but not comment"))
    );

    // They cannot post, edit, vote, comment, flag or vote to close.
    let base = base_revision(&app, own).await;
    let category = cat.id.to_string();
    let attempts: Vec<(String, Vec<(&str, &str)>)> = vec![
        (
            "/ask".into(),
            vec![
                ("title", "A question while suspended"),
                ("body", "The body of a question written while suspended."),
                ("category", &category),
                ("tags", "maps"),
                ("action", "post"),
            ],
        ),
        (format!("/questions/{q}/answers"), vec![("body", ANSWER)]),
        (
            format!("/posts/{q}/comments"),
            vec![("body", "A comment while suspended")],
        ),
        (format!("/posts/{q}/vote"), vec![("value", "up")]),
        (format!("/comments/{comment}/vote"), vec![("value", "up")]),
        (format!("/posts/{q}/flag"), vec![("kind", "rude")]),
        (format!("/posts/{q}/close"), vec![("reason", "needs_focus")]),
        (
            format!("/posts/{own}/edit"),
            vec![
                ("title", "Bob edits while suspended"),
                ("body", "A body written by a suspended user, long enough."),
                ("tags", "maps"),
                ("base_revision", &base),
            ],
        ),
        (format!("/posts/{own}/delete"), vec![]),
    ];
    for (uri, fields) in &attempts {
        let page = act(&bob, uri, fields).await;
        assert_eq!(page.status, StatusCode::FORBIDDEN, "{uri}: {}", page.body);
        assert!(
            page.text(".error-page .message")
                .contains("Your account is suspended until"),
            "{uri}"
        );
    }
    let thread = thread_of(&app, q).await;
    assert!(thread.answers.is_empty());
    assert_eq!(thread.comments.len(), 1);
    assert_eq!(thread.comments[0].score, 0);
    assert_eq!(thread.question.score, 0);
    assert!(app.store.pending_flags(10).await.unwrap().is_empty());
    assert_eq!(app.store.close_votes(q).await.unwrap(), (0, 0));
    let mine = app.store.editable_post(own).await.unwrap().unwrap();
    assert_eq!(mine.title, "Bob asks about printing presses");

    // Lifted, they write again.
    let lifted = act(
        &moderator,
        &format!("/users/{bob_id}/moderate/unsuspend"),
        &[("reason", "appeal accepted")],
    )
    .await;
    assert_eq!(lifted.status, StatusCode::SEE_OTHER);
    let (uri, fields) = &attempts[3];
    assert_eq!(act(&bob, uri, fields).await.status, StatusCode::SEE_OTHER);
    let page = question_page(&bob, q).await;
    assert_eq!(page.count(".banner[role=alert]"), 0);
    assert!(
        page.count("form[data-vote] button") > 0,
        "votes are offered again"
    );

    let log = log_actions(&app).await;
    assert_eq!(
        log,
        [
            (
                "lift_suspension".to_owned(),
                "user".to_owned(),
                bob_id.0,
                "appeal accepted".to_owned()
            ),
            (
                "suspend".to_owned(),
                "user".to_owned(),
                bob_id.0,
                "3 days: Posting links to a shop".to_owned()
            ),
        ]
    );
    let shown = moderator.get("/mod/log").await;
    assert_eq!(
        shown.texts(".mod-log td.action"),
        ["lift_suspension", "suspend"]
    );
}
