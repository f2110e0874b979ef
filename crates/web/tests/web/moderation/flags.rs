//! Flags: spam and rudeness hide posts at the threshold, moderators restore them.

use super::*;

on_both_databases!(spam_flags_hide_posts_and_moderators_restore_them,);

async fn spam_flags_hide_posts_and_moderators_restore_them(engine: &str) {
    let privileges = Privileges {
        flag: 1,
        ..TestApp::open_privileges()
    };
    let Some((app, cat)) = site(engine, privileges).await else {
        return;
    };
    let ann = fx::user(&*app.store, "ann").await;
    let sam = fx::user(&*app.store, "sam").await;
    let q = fx::ask(
        &*app.store,
        ann.id,
        cat.id,
        "How were medieval bridges built",
        &["engineering"],
        0,
    )
    .await;
    let spam = fx::answer(&*app.store, q, sam.id, 1).await;
    for n in 0..11 {
        let fan = fx::user(&*app.store, &format!("fan{n}")).await;
        fx::vote(&*app.store, spam, fan.id, VoteValue::Up).await;
    }
    assert_eq!(reputation(&app, sam.id).await, 111);
    let visitor = app.client("10.21.0.99");
    let answer_anchor = format!("#answer-{spam}");

    // Bad flags are refused with a reason: an unknown kind, a moderator's attention
    // without a message, one's own post or comment.
    let (first_id, first) = member(&app, "flagger0", Role::User, "10.21.0.0").await;
    let own = fx::answer(&*app.store, q, first_id, 2).await;
    refused(
        &act(&first, &format!("/posts/{own}/flag"), &[("kind", "spam")]).await,
        StatusCode::FORBIDDEN,
        "You cannot flag your own post.",
    );
    fx::comment(&*app.store, own, first_id, 3).await;
    let own_comment = thread_of(&app, q).await.comments[0].id;
    refused(
        &act(
            &first,
            &format!("/comments/{own_comment}/flag"),
            &[("kind", "rude")],
        )
        .await,
        StatusCode::FORBIDDEN,
        "You cannot flag your own comment.",
    );
    let flag_uri = format!("/posts/{spam}/flag");
    refused(
        &act(&first, &flag_uri, &[("kind", "bogus")]).await,
        StatusCode::BAD_REQUEST,
        "Choose what is wrong",
    );
    refused(
        &act(&first, &flag_uri, &[("kind", "needs_moderator")]).await,
        StatusCode::BAD_REQUEST,
        "Say what a moderator should look at.",
    );

    // Five spam flags leave it up; a second flag from the same user is refused.
    let mut flaggers = vec![first];
    for n in 1..6 {
        let (_, client) = member(
            &app,
            &format!("flagger{n}"),
            Role::User,
            &format!("10.21.0.{n}"),
        )
        .await;
        flaggers.push(client);
    }
    for client in &flaggers[..5] {
        let page = act(client, &flag_uri, &[("kind", "spam")]).await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    }
    refused(
        &act(&flaggers[0], &flag_uri, &[("kind", "rude")]).await,
        StatusCode::CONFLICT,
        "You did that already.",
    );
    assert_eq!(question_page(&visitor, q).await.count(&answer_anchor), 1);
    assert_eq!(reputation(&app, sam.id).await, 111);

    // The sixth hides it and costs its author 100.
    let sixth = act(&flaggers[5], &flag_uri, &[("kind", "spam")]).await;
    assert_eq!(sixth.status, StatusCode::SEE_OTHER);
    assert_eq!(question_page(&visitor, q).await.count(&answer_anchor), 0);
    assert_eq!(reputation(&app, sam.id).await, 11);

    // Moderators see the group, with every flag, and restore the post.
    let (_, moderator) = member(&app, "mod", Role::Moderator, "10.21.1.1").await;
    let flags = moderator.get("/mod/flags").await;
    assert_eq!(flags.status, StatusCode::OK);
    assert_eq!(flags.count(".flag-group"), 1);
    assert_eq!(flags.count(".flag-group .flag-list > li"), 6);
    assert!(flags.text(".flag-group h2").contains("deleted"));
    let restored = act(&moderator, &format!("/posts/{spam}/mod/restore"), &[]).await;
    assert_eq!(restored.status, StatusCode::SEE_OTHER, "{}", restored.body);
    assert_eq!(question_page(&visitor, q).await.count(&answer_anchor), 1);
    assert_eq!(reputation(&app, sam.id).await, 111, "the penalty is undone");
    refused(
        &act(&moderator, &format!("/posts/{spam}/mod/restore"), &[]).await,
        StatusCode::FORBIDDEN,
        "not hidden by flags",
    );

    assert_eq!(
        moderator.get("/mod/flags").await.count(".flag-group"),
        0,
        "restoring declines the flags that hid it"
    );

    // Other flags are marked helpful or declined, each once.
    let on_question = format!("/posts/{q}/flag");
    let raised = act(
        &flaggers[0],
        &on_question,
        &[
            ("kind", "needs_moderator"),
            ("message", "Copied from a blog"),
        ],
    )
    .await;
    assert_eq!(raised.status, StatusCode::SEE_OTHER);
    refused(
        &act(&flaggers[1], &on_question, &[("kind", "not_an_answer")]).await,
        StatusCode::FORBIDDEN,
        "Only an answer can be flagged as not an answer.",
    );
    let raised = act(&flaggers[1], &on_question, &[("kind", "rude")]).await;
    assert_eq!(raised.status, StatusCode::SEE_OTHER);
    let flags = moderator.get("/mod/flags").await;
    assert!(flags.text(".flag-group").contains("Copied from a blog"));
    let declines = flags.attrs("form[action$='/decline']", "action");
    assert_eq!(declines.len(), 2);
    let helpful = declines[0].replace("/decline", "/helpful");
    assert_eq!(
        act(&moderator, &helpful, &[]).await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        act(&moderator, &declines[1], &[("reason", "it was fine")])
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    refused(
        &act(&moderator, &declines[1], &[]).await,
        StatusCode::CONFLICT,
        "handled already",
    );
    assert_eq!(moderator.get("/mod/flags").await.count(".flag-group"), 0);

    // One moderator flag hides a comment at once.
    fx::comment(&*app.store, q, sam.id, 5).await;
    let on_question = |thread: &ponder_store::QuestionThread| {
        thread
            .comments
            .iter()
            .filter(|c| c.post_id == q)
            .map(|c| c.id)
            .collect::<Vec<_>>()
    };
    let comment = on_question(&thread_of(&app, q).await)[0];
    let comment_flag = format!("/comments/{comment}/flag");
    assert_eq!(
        question_page(&flaggers[0], q)
            .await
            .attrs(&format!("#comment-{comment} form.flag-form"), "action"),
        [comment_flag.as_str()]
    );
    assert_eq!(
        act(&moderator, &comment_flag, &[("kind", "spam")])
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    let thread = thread_of(&app, q).await;
    assert!(on_question(&thread).is_empty(), "the comment is hidden");
    assert_eq!(thread.question.comment_count, 0);

    // ... and a moderator shows it again from the flags page.
    let flags = moderator.get("/mod/flags").await;
    let restore = format!("/comments/{comment}/mod/restore");
    assert_eq!(
        flags.attrs(".flag-group form[action*='/mod/restore']", "action"),
        [restore.as_str()]
    );
    assert_eq!(
        act(&moderator, &restore, &[]).await.status,
        StatusCode::SEE_OTHER
    );
    let thread = thread_of(&app, q).await;
    assert_eq!(on_question(&thread), [comment]);
    assert_eq!(thread.question.comment_count, 1);
    assert_eq!(moderator.get("/mod/flags").await.count(".flag-group"), 0);
    refused(
        &act(&moderator, &restore, &[]).await,
        StatusCode::FORBIDDEN,
        "not hidden by flags",
    );
    refused(
        &act(&flaggers[0], &restore, &[]).await,
        StatusCode::FORBIDDEN,
        "Only moderators can do this.",
    );

    let actions: Vec<String> = log_actions(&app).await.into_iter().map(|e| e.0).collect();
    assert_eq!(
        actions,
        [
            "restore_comment",
            "flag_spam",
            "flag_declined",
            "flag_helpful",
            "restore"
        ],
        "newest first; a moderator's flag is an action too"
    );
}
