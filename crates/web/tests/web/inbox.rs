//! The inbox (issue 19): the unread count in every page's header, the list,
//! opening an item (which marks it read and leads to the post), marking read,
//! following from the buttons, what a member follows, moderators' messages and
//! the achievements page; with the bad input each of them meets.

use crate::support::{Client, Page, TestApp};
use axum::http::StatusCode;
use ponder_store::Role;
use ponder_store::conformance as fx;

const PASSWORD: &str = "maple tree 1";

async fn send(client: &Client, uri: &str, fields: &[(&str, &str)]) -> Page {
    let csrf = client.csrf("/settings").await;
    let mut all = vec![("csrf", csrf.as_str())];
    all.extend_from_slice(fields);
    client.post(uri, &all).await
}

/// `author` comments `markdown` on `post`, as another node or a command would.
async fn say(
    app: &TestApp,
    post: ponder_core::PostId,
    author: ponder_core::UserId,
    markdown: &str,
) {
    app.store
        .create_comment(ponder_store::NewComment {
            post,
            author,
            body: ponder_store::PostBody::from_markdown(markdown),
            created_at: fx::at(2),
        })
        .await
        .unwrap();
}

/// The unread count the header shows, 0 when it shows none.
fn unread(page: &Page) -> u32 {
    assert_eq!(
        page.count(".inbox-link"),
        1,
        "the header links to the inbox"
    );
    page.texts(".inbox-link .unread-count")
        .first()
        .and_then(|shown| shown.split_whitespace().next())
        .map_or(0, |n| n.parse().unwrap())
}

async fn the_asker_sees_the_answer_in_the_inbox(engine: &str) {
    let Some(app) = TestApp::on(engine, TestApp::open_privileges()).await else {
        return;
    };
    let inbox = app.start_inbox().await;
    let ann = app.account("ann", PASSWORD, Role::User).await;
    let bob = app.account("bob", PASSWORD, Role::User).await;
    let general = fx::category(&*app.store, None, "general").await;
    let q = fx::ask(
        &*app.store,
        ann.id,
        general.id,
        "How do lifetimes work",
        &["rust"],
        0,
    )
    .await;
    let asker = app.client("10.19.0.1");
    asker.log_in("ann", PASSWORD).await;
    let answerer = app.client("10.19.0.2");
    answerer.log_in("bob", PASSWORD).await;
    let path = format!("/questions/{q}/how-do-lifetimes-work");
    let csrf = answerer.csrf(&path).await;
    let answered = answerer
        .post(
            &format!("/questions/{q}/answers"),
            &[
                ("csrf", &csrf),
                (
                    "body",
                    "A lifetime names how long a borrow lives; the compiler checks it.",
                ),
            ],
        )
        .await;
    assert_eq!(answered.status, StatusCode::SEE_OTHER, "{}", answered.body);
    app.deliver(&inbox).await;

    let home = asker.get("/").await;
    assert_eq!(unread(&home), 1, "the header counts the unread item");
    assert_eq!(unread(&answerer.get("/").await), 0);
    let list = asker.get("/inbox").await;
    assert_eq!(list.status, StatusCode::OK);
    assert_eq!(
        list.text(".inbox-item.unread .inbox-headline"),
        "Unread: New answer to your question"
    );
    assert_eq!(
        list.text(".inbox-item .inbox-title"),
        "How do lifetimes work"
    );
    assert!(list.text(".inbox-meta").starts_with("bob · "));
    let open = list.attrs(".inbox-open", "href").remove(0);

    // Another member's item is not theirs to open or mark.
    assert_eq!(answerer.get(&open).await.status, StatusCode::NOT_FOUND);
    let item = open.trim_start_matches("/inbox/").trim_end_matches("/open");
    let refused = send(&answerer, &format!("/inbox/{item}/read"), &[]).await;
    assert_eq!(refused.status, StatusCode::NOT_FOUND);
    assert_eq!(unread(&asker.get("/").await), 1);
    for bad in ["/inbox/0/open", "/inbox/x/open", "/inbox/99999999/open"] {
        assert_eq!(asker.get(bad).await.status, StatusCode::NOT_FOUND, "{bad}");
    }

    // Opening it leads to the answer and marks it read.
    let opened = asker.get(&open).await;
    assert_eq!(opened.status, StatusCode::SEE_OTHER);
    let answer_id = app.store.question_thread(q).await.unwrap().unwrap().answers[0].id;
    assert_eq!(opened.location(), format!("{path}#answer-{answer_id}"));
    let after = asker.get("/inbox").await;
    assert_eq!(unread(&after), 0);
    assert_eq!(after.count(".inbox-item.unread"), 0);
    assert_eq!(after.count(".inbox-item"), 1, "a read item stays listed");
    assert_eq!(after.count("form[action='/inbox/read-all']"), 0);

    // A comment each way (bob's names ann), then everything read at once.
    fx::comment(&*app.store, answer_id, ann.id, 1).await;
    say(&app, q, bob.id, "@ann does this answer it?").await;
    app.deliver(&inbox).await;
    assert_eq!(
        unread(&answerer.get("/").await),
        1,
        "a comment on bob's answer"
    );
    let list = asker.get("/inbox").await;
    assert_eq!(unread(&list), 1);
    assert_eq!(list.count(".inbox-item.unread"), 1);
    let all = send(&asker, "/inbox/read-all", &[]).await;
    assert_eq!(all.status, StatusCode::SEE_OTHER);
    assert_eq!(unread(&asker.get("/").await), 0);
    // Without its token the form is refused.
    let forged = asker.post("/inbox/read-all", &[("csrf", "forged")]).await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);

    // Opening the question reads its items, as the page's own header shows.
    say(&app, answer_id, bob.id, "@ann and another thing").await;
    app.deliver(&inbox).await;
    assert_eq!(unread(&asker.get("/").await), 1);
    let question_page = asker.get(&path).await;
    assert_eq!(unread(&question_page), 0);
    assert_eq!(app.store.unread_notices(ann.id).await.unwrap(), 0);

    // Pages: past the last is not found, nonsense is a bad request; a visitor logs in.
    assert_eq!(
        asker.get("/inbox?page=2").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        asker.get("/inbox?page=x").await.status,
        StatusCode::BAD_REQUEST
    );
    let visitor = app.client("10.19.0.3");
    let sent = visitor.get("/inbox").await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER);
    assert_eq!(sent.location(), "/login?next=/inbox");
}

async fn members_follow_and_unfollow_from_the_buttons(engine: &str) {
    let Some(app) = TestApp::on(engine, TestApp::open_privileges()).await else {
        return;
    };
    let inbox = app.start_inbox().await;
    let ann = app.account("ann", PASSWORD, Role::User).await;
    let carl = app.account("carl", PASSWORD, Role::User).await;
    app.account("mo", PASSWORD, Role::Moderator).await;
    let general = fx::category(&*app.store, None, "general").await;
    fx::ask(
        &*app.store,
        carl.id,
        general.id,
        "A first question in rust",
        &["rust"],
        0,
    )
    .await;
    app.deliver(&inbox).await;
    let rust = app
        .store
        .tag("rust")
        .await
        .unwrap()
        .unwrap()
        .id
        .0
        .to_string();
    let member = app.client("10.19.1.1");
    member.log_in("ann", PASSWORD).await;

    let tag_page = member.get("/tags/rust").await;
    assert_eq!(tag_page.text(".follow-form button"), "Follow the tag rust");
    let follow = |action: &'static str, kind: &'static str, id: String| {
        let member = &member;
        async move {
            send(
                member,
                "/follow",
                &[
                    ("kind", kind),
                    ("id", &id),
                    ("action", action),
                    ("next", "/tags/rust"),
                ],
            )
            .await
        }
    };
    let done = follow("follow", "tag", rust.clone()).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER);
    assert_eq!(done.location(), "/tags/rust");
    let tag_page = member.get("/tags/rust").await;
    assert!(tag_page.text(".follow-form").starts_with("Following"));
    assert_eq!(tag_page.count(".follow-form button[value=digest]"), 1);

    // Twice, or unfollowing what one does not follow: clear answers, nothing changed.
    let twice = follow("follow", "tag", rust.clone()).await;
    assert_eq!(twice.status, StatusCode::CONFLICT);
    assert!(twice.text("main").contains("You follow this already."));
    let not_followed = follow("unfollow", "user", carl.id.0.to_string()).await;
    assert_eq!(not_followed.status, StatusCode::CONFLICT);
    assert!(not_followed.text("main").contains("You do not follow this"));
    assert_eq!(
        follow("follow", "tag", "99999".into()).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        follow("follow", "planet", "1".into()).await.status,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        follow("shout", "tag", rust.clone()).await.status,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        follow("follow", "tag", "-1".into()).await.status,
        StatusCode::NOT_FOUND
    );
    let elsewhere = send(
        &member,
        "/follow",
        &[
            ("kind", "user"),
            ("id", &carl.id.0.to_string()),
            ("action", "follow"),
            ("next", "//evil.example"),
        ],
    )
    .await;
    assert_eq!(elsewhere.location(), "/", "next stays on this site");

    // A followed tag brings its new questions to the inbox.
    let q = fx::ask(
        &*app.store,
        carl.id,
        general.id,
        "A second question in rust",
        &["rust"],
        1,
    )
    .await;
    app.deliver(&inbox).await;
    let list = member.get("/inbox").await;
    assert_eq!(
        list.count(".inbox-item"),
        1,
        "one item, though both the tag and carl are followed"
    );
    assert_eq!(list.text(".inbox-title"), "A second question in rust");

    // The list of what one follows: the member and moderators see it; others do not.
    let mine = member.get(&format!("/users/{}/following", ann.id)).await;
    assert_eq!(mine.status, StatusCode::OK);
    let mut kinds = mine.texts("tbody td:first-child");
    kinds.sort();
    assert_eq!(kinds, ["Tag", "User"]);
    let moderator = app.client("10.19.1.2");
    moderator.log_in("mo", PASSWORD).await;
    let seen = moderator.get(&format!("/users/{}/following", ann.id)).await;
    assert_eq!(seen.status, StatusCode::OK);
    assert_eq!(
        seen.count(".follow-form"),
        0,
        "a moderator reads it, and changes nothing"
    );
    let other = app.client("10.19.1.3");
    other.log_in("carl", PASSWORD).await;
    assert_eq!(
        other
            .get(&format!("/users/{}/following", ann.id))
            .await
            .status,
        StatusCode::NOT_FOUND
    );

    // Digest only, then unfollow: no more news in the inbox.
    assert_eq!(
        follow("digest", "tag", rust.clone()).await.status,
        StatusCode::SEE_OTHER
    );
    let page = member.get(&format!("/users/{}/following", ann.id)).await;
    assert!(page.text("tbody").contains("digest only"));
    assert_eq!(
        follow("unfollow", "tag", rust.clone()).await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        follow("unfollow", "user", carl.id.0.to_string())
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    let question_page = member.get(&format!("/questions/{q}/x")).await;
    assert_eq!(question_page.status, StatusCode::MOVED_PERMANENTLY);
    let question_page = member.get(&question_page.location()).await;
    assert_eq!(
        question_page.text(".follow-form button"),
        "Follow this question"
    );
    // A visitor sees no button.
    let visitor = app.client("10.19.1.4");
    assert_eq!(visitor.get("/tags/rust").await.count(".follow-form"), 0);
}

async fn moderators_write_to_members(engine: &str) {
    let Some(app) = TestApp::on(engine, TestApp::open_privileges()).await else {
        return;
    };
    let inbox = app.start_inbox().await;
    let ann = app.account("ann", PASSWORD, Role::User).await;
    app.account("mo", PASSWORD, Role::Moderator).await;
    let moderator = app.client("10.19.2.1");
    moderator.log_in("mo", PASSWORD).await;
    let uri = format!("/users/{}/message", ann.id);
    let form = moderator.get(&uri).await;
    assert_eq!(form.status, StatusCode::OK);
    assert_eq!(form.count("label[for=message]"), 1);

    let long = "x".repeat(2_001);
    for (typed, kept) in [("   ", ""), (long.as_str(), long.as_str())] {
        let refused = send(&moderator, &uri, &[("message", typed)]).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            refused
                .text("#message-error")
                .contains("at most 2000 characters")
        );
        assert_eq!(
            refused.text("#message"),
            kept,
            "what was typed is still there"
        );
    }
    let sent = send(
        &moderator,
        &uri,
        &[("message", "Please keep titles short.")],
    )
    .await;
    assert_eq!(sent.status, StatusCode::OK);
    assert!(sent.text(".flash.success").contains("ann will find it"));
    app.deliver(&inbox).await;

    let member = app.client("10.19.2.2");
    member.log_in("ann", PASSWORD).await;
    let list = member.get("/inbox").await;
    assert_eq!(
        list.text(".inbox-headline"),
        "Unread: A message from the moderators"
    );
    assert_eq!(list.text(".inbox-detail"), "Please keep titles short.");
    let open = list.attrs(".inbox-open", "href").remove(0);
    let opened = member.get(&open).await;
    assert!(opened.location().starts_with("/inbox#notice-"));
    let log = moderator.get("/mod/log").await;
    assert!(log.text("main").contains("Please keep titles short."));

    // Members do not write moderators' messages; nobody writes to a missing user.
    assert_eq!(member.get(&uri).await.status, StatusCode::FORBIDDEN);
    let own = format!("/users/{}/message", ann.id);
    assert_eq!(
        send(&member, &own, &[("message", "hi")]).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        moderator.get("/users/99999/message").await.status,
        StatusCode::NOT_FOUND
    );
}

async fn achievements_show_reputation_by_day_and_post(engine: &str) {
    let Some(app) = TestApp::on(engine, TestApp::open_privileges()).await else {
        return;
    };
    let ann = app.account("ann", PASSWORD, Role::User).await;
    let bob = fx::user(&*app.store, "bob").await;
    let carl = fx::user(&*app.store, "carl").await;
    let general = fx::category(&*app.store, None, "general").await;
    let q = fx::ask(
        &*app.store,
        ann.id,
        general.id,
        "A question that earns votes",
        &[],
        0,
    )
    .await;
    fx::vote(&*app.store, q, bob.id, ponder_store::VoteValue::Up).await;
    fx::vote(&*app.store, q, carl.id, ponder_store::VoteValue::Up).await;
    let member = app.client("10.19.3.1");
    member.log_in("ann", PASSWORD).await;
    let page = member.get("/inbox/achievements").await;
    assert_eq!(page.status, StatusCode::OK);
    let reputation = app.store.user(ann.id).await.unwrap().unwrap().reputation;
    assert_eq!(
        page.texts("tbody tr").len(),
        1,
        "two votes on one post and day"
    );
    assert!(
        page.text("tbody td.gain")
            .starts_with(&format!("+{}", reputation - 1))
    );
    assert_eq!(page.text("tbody td:last-child"), reputation.to_string());
    assert!(
        page.text("tbody td:nth-child(3) a")
            .contains("A question that earns votes")
    );
    assert_eq!(
        member.get("/inbox/achievements?page=2").await.status,
        StatusCode::NOT_FOUND
    );
}

async fn members_choose_their_mail(engine: &str) {
    let Some(app) = TestApp::on(engine, TestApp::open_privileges()).await else {
        return;
    };
    let ann = app.account("ann", PASSWORD, Role::User).await;
    let member = app.client("10.19.4.1");
    member.log_in("ann", PASSWORD).await;
    let page = member.get("/settings").await;
    assert_eq!(
        page.count("#mail input[name=direct][checked]"),
        1,
        "on at first"
    );
    assert_eq!(page.attrs("#digest option[selected]", "value"), ["weekly"]);
    let saved = send(&member, "/settings/mail", &[("digest", "daily")]).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    let prefs = app.store.mail_preferences(ann.id).await.unwrap();
    assert!(!prefs.direct, "an unticked box is off");
    assert_eq!(prefs.digest, ponder_core::notices::DigestFrequency::Daily);
    let page = member.get("/settings?saved=mail").await;
    assert_eq!(page.count("#mail input[name=direct][checked]"), 0);
    assert_eq!(page.attrs("#digest option[selected]", "value"), ["daily"]);
    assert!(page.text("main").contains("Your mail choices were saved."));
    let refused = send(
        &member,
        "/settings/mail",
        &[("direct", "on"), ("digest", "hourly")],
    )
    .await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    assert!(
        !app.store.mail_preferences(ann.id).await.unwrap().direct,
        "nothing changed"
    );
    let forged = member
        .post("/settings/mail", &[("csrf", "forged"), ("digest", "off")])
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
}

on_both_databases!(
    members_choose_their_mail,
    the_asker_sees_the_answer_in_the_inbox,
    members_follow_and_unfollow_from_the_buttons,
    moderators_write_to_members,
    achievements_show_reputation_by_day_and_post
);
