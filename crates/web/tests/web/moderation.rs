//! Moderation through the Router, on both databases: flags and spam hiding, closing
//! and reopening, locks and protection, suspensions, the review queue, the log, and
//! every permission boundary (one reputation point short is refused; a suspended user
//! is refused everywhere; a regular user forging a moderator's form is refused).

use crate::support::{Client, Page, TestApp};
use axum::http::StatusCode;
use ponder_core::reputation::Privileges;
use ponder_core::{PostId, UserId};
use ponder_store::conformance as fx;
use ponder_store::{Category, Role, VoteValue};

on_both_databases!(
    privilege_thresholds_are_exact,
    spam_flags_hide_posts_and_moderators_restore_them,
    questions_close_by_votes_or_a_moderator_and_reopen,
    locked_posts_refuse_edits_votes_answers_and_comments,
    suspended_users_read_but_cannot_write,
    forged_moderator_forms_are_refused_and_change_nothing,
    the_review_queue_approves_rejects_and_skips,
);

const ANSWER: &str = "An answer with enough words to be worth reading here.";

/// Thresholds a test can sit exactly on: flagging, close votes and review at 12,
/// answering a protected question at 11 earned (12 total); votes and comments open.
fn twelve_point_privileges() -> Privileges {
    Privileges {
        flag: 12,
        vote_to_close: 12,
        edit_others: 12,
        answer_protected: 11,
        ..TestApp::open_privileges()
    }
}

/// A site on `engine` with one category, or `None` when the engine is not configured.
async fn site(engine: &str, privileges: Privileges) -> Option<(TestApp, Category)> {
    let app = TestApp::on(engine, privileges).await?;
    let cat = fx::category(&*app.store, None, "general").await;
    Some((app, cat))
}

/// A logged-in browser for a new account with `role`.
async fn member(app: &TestApp, handle: &str, role: Role, ip: &str) -> (UserId, Client) {
    let user = app.account(handle, "maple tree 1", role).await;
    let client = app.client(ip);
    client.log_in(handle, "maple tree 1").await;
    (user.id, client)
}

/// The question's thread as the store has it now.
async fn thread_of(app: &TestApp, q: PostId) -> ponder_store::QuestionThread {
    app.store.question_thread(q).await.unwrap().unwrap()
}

/// The revision an edit of `post` must name.
async fn base_revision(app: &TestApp, post: PostId) -> String {
    app.store
        .editable_post(post)
        .await
        .unwrap()
        .unwrap()
        .latest_revision
        .to_string()
}

async fn reputation(app: &TestApp, user: UserId) -> i64 {
    app.store.user(user).await.unwrap().unwrap().reputation
}

/// Brings a new user (reputation 1) to exactly 11: one upvoted question.
async fn raise_to_eleven(app: &TestApp, cat: &Category, user: UserId, tag: &str) {
    let q = fx::ask(
        &*app.store,
        user,
        cat.id,
        &format!("A question that earns {tag} ten points"),
        &["x"],
        0,
    )
    .await;
    let voter = fx::user(&*app.store, &format!("{tag}-voter")).await;
    fx::vote(&*app.store, q, voter.id, VoteValue::Up).await;
    assert_eq!(reputation(app, user).await, 11);
}

/// Brings a new user (reputation 1) to exactly 12: an accepted answer (+15) that
/// drew two downvotes (-2 each).
async fn raise_to_twelve(app: &TestApp, cat: &Category, user: UserId, tag: &str) {
    let asker = fx::user(&*app.store, &format!("{tag}-asker")).await;
    let q = fx::ask(
        &*app.store,
        asker.id,
        cat.id,
        &format!("A question {tag} answers well"),
        &["x"],
        0,
    )
    .await;
    let a = fx::answer(&*app.store, q, user, 1).await;
    app.store
        .accept_answer(q, Some(a), Default::default())
        .await
        .unwrap();
    for n in 0..2 {
        let voter = fx::user(&*app.store, &format!("{tag}-critic{n}")).await;
        fx::vote(&*app.store, a, voter.id, VoteValue::Down).await;
    }
    assert_eq!(reputation(app, user).await, 12);
}

/// Posts a form with the client's CSRF token.
async fn act(client: &Client, uri: &str, fields: &[(&str, &str)]) -> Page {
    let csrf = client.csrf("/settings").await;
    let mut all = vec![("csrf", csrf.as_str())];
    all.extend_from_slice(fields);
    client.post(uri, &all).await
}

fn refused(page: &Page, status: StatusCode, says: &str) {
    assert_eq!(page.status, status, "{}", page.body);
    let message = page.text(".error-page .message");
    assert!(message.contains(says), "{message:?} should say {says:?}");
}

async fn question_page(client: &Client, q: PostId) -> Page {
    let page = client.get(&format!("/questions/{q}")).await;
    if page.status == StatusCode::MOVED_PERMANENTLY || page.status == StatusCode::SEE_OTHER {
        return client.get(&page.location()).await;
    }
    page
}

async fn log_actions(app: &TestApp) -> Vec<(String, String, i64, String)> {
    let log = app.store.moderation_log(1).await.unwrap();
    log.items
        .into_iter()
        .map(|e| (e.action, e.target_kind, e.target_id, e.reason))
        .collect()
}

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
