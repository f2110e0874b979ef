//! The review queue: first posts approved, rejected and skipped.

use super::*;

on_both_databases!(the_review_queue_approves_rejects_and_skips,);

async fn the_review_queue_approves_rejects_and_skips(engine: &str) {
    let Some((app, cat)) = site(engine, twelve_point_privileges()).await else {
        return;
    };
    let (rita_id, rita) = member(&app, "rita", Role::User, "10.26.0.1").await;
    raise_to_twelve(&app, &cat, rita_id, "rita").await;
    let (low_id, low) = member(&app, "low", Role::User, "10.26.0.2").await;
    raise_to_eleven(&app, &cat, low_id, "low").await;
    let (_, moderator) = member(&app, "mod", Role::Moderator, "10.26.0.3").await;
    refused(
        &low.get("/review").await,
        StatusCode::FORBIDDEN,
        "The review queue opens at 12 reputation; you have 11.",
    );

    // A newcomer's first question waits for review; their second post does not.
    let (nick_id, nick) = member(&app, "nick", Role::User, "10.26.0.4").await;
    let category = cat.id.to_string();
    let asked = act(
        &nick,
        "/ask",
        &[
            ("title", "How did lighthouses keep their flames lit"),
            (
                "body",
                "Oil, wicks, clockwork? What kept them burning at night?",
            ),
            ("category", &category),
            ("tags", "lighthouses"),
            ("action", "post"),
        ],
    )
    .await;
    assert_eq!(asked.status, StatusCode::SEE_OTHER, "{}", asked.body);
    let nick_q = app
        .store
        .review_tasks(rita_id, 50)
        .await
        .unwrap()
        .into_iter()
        .find(|t| t.author.id == nick_id)
        .expect("nick's first post is queued");
    let pending_for_rita =
        |tasks: Vec<ponder_store::ReviewTask>| tasks.into_iter().map(|t| t.id).collect::<Vec<_>>();
    let before = pending_for_rita(app.store.review_tasks(rita_id, 50).await.unwrap());
    let answered = act(
        &nick,
        &format!("/questions/{}/answers", nick_q.post_id),
        &[("body", ANSWER)],
    )
    .await;
    assert_eq!(answered.status, StatusCode::SEE_OTHER);
    assert_eq!(
        pending_for_rita(app.store.review_tasks(rita_id, 50).await.unwrap()),
        before,
        "only the first post is reviewed"
    );

    let page = rita.get("/review").await;
    assert_eq!(page.status, StatusCode::OK);
    let item = format!("#task-{}", nick_q.id);
    assert!(
        page.text(&item)
            .contains("How did lighthouses keep their flames lit")
    );
    assert_eq!(
        page.count(&format!("#task-{} form", nick_q.id)),
        3,
        "approve, skip and reject"
    );

    // Reject needs a reason; approve and reject each happen once.
    let reject_uri = format!("/review/first-posts/{}/reject", nick_q.id);
    refused(
        &act(&rita, &reject_uri, &[("reason", " ")]).await,
        StatusCode::BAD_REQUEST,
        "Say why",
    );
    assert!(rita.get("/review").await.count(&item) == 1);
    let rejected = act(&rita, &reject_uri, &[("reason", "Needs sources")]).await;
    assert_eq!(rejected.status, StatusCode::SEE_OTHER);
    assert_eq!(rita.get("/review").await.count(&item), 0);
    refused(
        &act(
            &rita,
            &format!("/review/first-posts/{}/approve", nick_q.id),
            &[],
        )
        .await,
        StatusCode::CONFLICT,
        "reviewed already",
    );

    // Skipping hides a task from the one who skipped, not from others.
    let other = app.store.review_tasks(rita_id, 50).await.unwrap()[0].id;
    let skip = act(&rita, &format!("/review/first-posts/{other}/skip"), &[]).await;
    assert_eq!(skip.status, StatusCode::SEE_OTHER);
    assert_eq!(
        rita.get("/review").await.count(&format!("#task-{other}")),
        0
    );
    let for_mod = moderator.get("/review").await;
    assert_eq!(for_mod.count(&format!("#task-{other}")), 1);
    let approved = act(
        &moderator,
        &format!("/review/first-posts/{other}/approve"),
        &[],
    )
    .await;
    assert_eq!(approved.status, StatusCode::SEE_OTHER);
    assert_eq!(
        moderator
            .get("/review")
            .await
            .count(&format!("#task-{other}")),
        0
    );

    // Suggested edits are in the queue too, and skip the same way.
    let ann = fx::user(&*app.store, "ann").await;
    let q = fx::ask(
        &*app.store,
        ann.id,
        cat.id,
        "Where did the compass come from",
        &["navigation"],
        0,
    )
    .await;
    let base = base_revision(&app, q).await;
    let suggested = act(
        &low,
        &format!("/posts/{q}/edit"),
        &[
            ("title", "Where did the magnetic compass come from"),
            (
                "body",
                "A clearer body for the compass question, long enough.",
            ),
            ("tags", "navigation"),
            ("base_revision", &base),
            ("summary", "clearer title"),
        ],
    )
    .await;
    assert_eq!(suggested.status, StatusCode::SEE_OTHER);
    let page = rita.get("/review").await;
    let links = page.attrs(".review-item a[href^='/suggested-edits/']", "href");
    assert_eq!(links.len(), 2, "the item's link and its button: {links:?}");
    let id = links[0].trim_start_matches("/suggested-edits/").to_owned();
    let skip = act(&rita, &format!("/review/suggestions/{id}/skip"), &[]).await;
    assert_eq!(skip.status, StatusCode::SEE_OTHER);
    assert_eq!(
        rita.get("/review")
            .await
            .count(".review-item a[href^='/suggested-edits/']"),
        0
    );
    assert_eq!(
        moderator
            .get("/review")
            .await
            .count(".review-item a[href^='/suggested-edits/']"),
        2
    );

    let log: Vec<(String, i64)> = log_actions(&app)
        .await
        .into_iter()
        .map(|e| (e.0, e.2))
        .collect();
    assert_eq!(log, [("review_approve".to_owned(), other)]);
}
