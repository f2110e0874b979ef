//! Following and the inbox: the items each change causes, who is spared, how
//! unread items group, reading one's own items only, and the reputation history.

use super::*;
use ponder_core::notices::{
    DigestFrequency, FollowKind, FollowLevel, MailKind, MailPreferences, NoticeKind,
};

/// The inbox subscriber's name in these checks.
const INBOX: &str = "inbox-check";

/// Delivers every change logged so far (waiting for PostgreSQL's log to settle);
/// how many items were written or grouped.
async fn deliver(store: &dyn Store) -> u64 {
    let last = store.last_change_id().await.unwrap();
    let mut position = store.feed_position(INBOX).await.unwrap();
    let mut written = 0;
    for _ in 0..200 {
        if position >= last {
            break;
        }
        let changes = store.changes_since(position, 500).await.unwrap();
        let Some(newest) = changes.last() else {
            tokio::time::sleep(std::time::Duration::from_millis(25)).await;
            continue;
        };
        let newest = newest.id;
        written += store
            .deliver_notices(INBOX, position, &changes, true, at(1000))
            .await
            .unwrap()
            .expect("nobody else delivers");
        assert_eq!(
            store
                .deliver_notices(INBOX, position, &changes, true, at(1000))
                .await
                .unwrap(),
            None,
            "a batch is delivered once"
        );
        position = newest;
        assert_eq!(store.feed_position(INBOX).await.unwrap(), position);
    }
    assert!(position >= last, "the change log did not settle");
    written
}

/// The kinds in `user`'s inbox, newest first, with their counts.
async fn kinds(store: &dyn Store, user: UserId) -> Vec<(NoticeKind, i64)> {
    store
        .inbox(user, 1)
        .await
        .unwrap()
        .items
        .iter()
        .map(|n| (n.kind, n.count))
        .collect()
}

/// Comments `markdown` on `post` at `at(offset)`.
async fn say(store: &dyn Store, post: PostId, author: UserId, markdown: &str, offset: i64) {
    store
        .create_comment(NewComment {
            post,
            author,
            body: PostBody::from_markdown(markdown),
            created_at: at(offset),
        })
        .await
        .unwrap();
}

/// Answers, comments, mentions, replies and acceptance reach the right members,
/// never the one who acted; unread items on one question group; taking part
/// follows the question.
pub async fn the_inbox_hears_of_answers_comments_mentions_and_acceptance(store: Arc<dyn Store>) {
    let ([ann, bob, carl, dan], _, q) = Fixture::new(&*store)
        .question("Why does the borrow checker complain", &["rust"], 0)
        .build(["ann", "bob", "carl", "dan"])
        .await;
    let bobs = answer(&*store, q, bob.id, 1).await;
    say(
        &*store,
        bobs,
        carl.id,
        "@ann see @bob's answer, and @nobody",
        2,
    )
    .await;
    say(&*store, bobs, ann.id, "@carl thanks, and `@dan` in code", 3).await;
    deliver(&*store).await;
    assert_eq!(
        kinds(&*store, ann.id).await,
        [(NoticeKind::Mention, 1), (NoticeKind::Answer, 1)]
    );
    // Bob is the post's author: one item a comment, a mention where it names him.
    assert_eq!(
        kinds(&*store, bob.id).await,
        [(NoticeKind::Comment, 1), (NoticeKind::Mention, 1)]
    );
    assert_eq!(kinds(&*store, carl.id).await, [(NoticeKind::Reply, 1)]);
    assert!(kinds(&*store, dan.id).await.is_empty());
    let reply = &store.inbox(carl.id, 1).await.unwrap().items[0];
    assert_eq!(
        reply.question,
        Some((q, "Why does the borrow checker complain".into()))
    );
    assert_eq!(reply.post, Some(bobs));
    assert!(reply.comment.is_some());
    assert_eq!(reply.actor.as_ref().map(|(id, _)| *id), Some(ann.id));
    for user in [ann.id, bob.id, carl.id] {
        assert_eq!(
            store
                .follow_level(user, FollowKind::Question, q.0)
                .await
                .unwrap(),
            Some(FollowLevel::Inbox),
            "taking part follows the question"
        );
    }
    assert_eq!(
        store
            .follow_level(dan.id, FollowKind::Question, q.0)
            .await
            .unwrap(),
        None
    );

    // Whom a comment may mention: those who wrote in the thread, by handle prefix.
    let handles = |found: Vec<(String, String)>| -> Vec<String> {
        found.into_iter().map(|(handle, _)| handle).collect()
    };
    let participants = |prefix: &'static str, limit| {
        let store = store.clone();
        async move { handles(store.thread_participants(q, prefix, limit).await.unwrap()) }
    };
    assert_eq!(participants("", 10).await, ["ann", "bob", "carl"]);
    assert_eq!(participants("B", 10).await, ["bob"]);
    assert_eq!(participants("", 2).await, ["ann", "bob"]);
    for nobody in ["%", "_", "a%", "x", "d"] {
        assert!(participants(nobody, 10).await.is_empty(), "{nobody}");
    }
    assert!(
        store
            .thread_participants(PostId(987_654), "", 10)
            .await
            .unwrap()
            .is_empty()
    );

    // A second answer groups into the asker's unread item; the followers hear of it.
    let dans = answer(&*store, q, dan.id, 4).await;
    deliver(&*store).await;
    let inbox = store.inbox(ann.id, 1).await.unwrap();
    let grouped = inbox
        .items
        .iter()
        .find(|n| n.kind == NoticeKind::Answer)
        .unwrap();
    assert_eq!(grouped.count, 2);
    assert_eq!(grouped.post, Some(dans), "a group links to its newest post");
    assert_eq!(store.unread_notices(ann.id).await.unwrap(), 2);
    assert!(
        kinds(&*store, bob.id)
            .await
            .contains(&(NoticeKind::FollowedAnswer, 1))
    );
    assert!(
        kinds(&*store, carl.id)
            .await
            .contains(&(NoticeKind::FollowedAnswer, 1))
    );
    assert!(
        kinds(&*store, dan.id).await.is_empty(),
        "nobody hears of their own answer"
    );

    // Reading: one's own items only; a read item no longer groups.
    let answer_item = grouped.id;
    assert_eq!(
        store
            .mark_notice_read(bob.id, answer_item, at(9))
            .await
            .unwrap(),
        None
    );
    assert_eq!(store.unread_notices(ann.id).await.unwrap(), 2);
    let read = store
        .mark_notice_read(ann.id, answer_item, at(9))
        .await
        .unwrap()
        .unwrap();
    assert!(read.read);
    assert_eq!(store.unread_notices(ann.id).await.unwrap(), 1);
    assert_eq!(
        store
            .mark_notice_read(ann.id, 999_999, at(9))
            .await
            .unwrap(),
        None
    );
    store
        .accept_answer(q, Some(bobs), ReputationRules::default())
        .await
        .unwrap();
    answer(&*store, q, carl.id, 5).await;
    deliver(&*store).await;
    let now = kinds(&*store, ann.id).await;
    assert_eq!(
        now.iter().filter(|(k, _)| *k == NoticeKind::Answer).count(),
        2
    );
    assert!(
        kinds(&*store, bob.id)
            .await
            .contains(&(NoticeKind::Accepted, 1))
    );
    assert_eq!(
        store.mark_all_notices_read(ann.id, at(10)).await.unwrap(),
        2
    );
    assert_eq!(store.unread_notices(ann.id).await.unwrap(), 0);
    assert_eq!(
        store.mark_all_notices_read(ann.id, at(10)).await.unwrap(),
        0
    );
    assert_eq!(
        store.inbox(ann.id, 1).await.unwrap().total,
        3,
        "read items stay listed"
    );

    // Delivering nothing writes nothing and moves nothing.
    let position = store.feed_position(INBOX).await.unwrap();
    assert_eq!(
        store
            .deliver_notices(INBOX, position, &[], true, at(11))
            .await
            .unwrap(),
        Some(0)
    );
    assert_eq!(store.feed_position(INBOX).await.unwrap(), position);
}

/// A new question reaches those who follow one of its tags, its category or one
/// above it, or its author, once each; a digest-only follow brings no item.
/// Following twice, unfollowing what one does not follow and following what does
/// not exist answer plainly.
pub async fn following_brings_new_questions_once(store: Arc<dyn Store>) {
    let ([ann, bob, carl, erin], parent, _) = Fixture::new(&*store)
        .build(["ann", "bob", "carl", "erin"])
        .await;
    let child = category(&*store, Some(parent.id), "child").await;
    ask(
        &*store,
        ann.id,
        parent.id,
        "A question that makes the tag",
        &["rust", "cargo"],
        1,
    )
    .await;
    deliver(&*store).await;
    let rust = store.tag("rust").await.unwrap().unwrap().id.0;
    let cargo = store.tag("cargo").await.unwrap().unwrap().id.0;
    let follows = [
        (ann.id, FollowKind::Tag, rust, FollowLevel::Inbox),
        (ann.id, FollowKind::Tag, cargo, FollowLevel::Inbox),
        (
            ann.id,
            FollowKind::Category,
            parent.id.0,
            FollowLevel::Inbox,
        ),
        (bob.id, FollowKind::User, carl.id.0, FollowLevel::Inbox),
        (erin.id, FollowKind::Tag, rust, FollowLevel::Digest),
        (carl.id, FollowKind::Tag, rust, FollowLevel::Inbox),
    ];
    for (user, kind, target, level) in follows {
        assert!(
            store
                .follow(user, kind, target, level, at(2))
                .await
                .unwrap()
        );
    }
    assert!(
        !store
            .follow(ann.id, FollowKind::Tag, rust, FollowLevel::Inbox, at(3))
            .await
            .unwrap(),
        "following again is no new follow"
    );
    assert!(matches!(
        store
            .follow(ann.id, FollowKind::Tag, 987_654, FollowLevel::Inbox, at(3))
            .await,
        Err(StoreError::NotFound { .. })
    ));
    assert!(matches!(
        store
            .follow(
                ann.id,
                FollowKind::Question,
                987_654,
                FollowLevel::Inbox,
                at(3)
            )
            .await,
        Err(StoreError::NotFound { .. })
    ));
    assert!(
        !store
            .unfollow(ann.id, FollowKind::User, bob.id.0)
            .await
            .unwrap()
    );
    deliver(&*store).await;
    let unread_before = store.unread_notices(ann.id).await.unwrap();

    let q = ask(
        &*store,
        carl.id,
        child.id,
        "A question in the child",
        &["rust", "cargo"],
        4,
    )
    .await;
    deliver(&*store).await;
    let items = store.inbox(ann.id, 1).await.unwrap().items;
    assert_eq!(items[0].kind, NoticeKind::NewQuestion);
    assert_eq!(items[0].count, 1, "three paths, one item");
    assert_eq!(
        items[0].question,
        Some((q, "A question in the child".into()))
    );
    assert_eq!(
        store.unread_notices(ann.id).await.unwrap(),
        unread_before + 1
    );
    assert_eq!(kinds(&*store, bob.id).await, [(NoticeKind::NewQuestion, 1)]);
    assert!(kinds(&*store, erin.id).await.is_empty(), "digest only");
    assert!(
        kinds(&*store, carl.id).await.is_empty(),
        "nobody hears of their own question"
    );

    // Levels change in place; unfollowing stops the news.
    assert!(
        !store
            .follow(erin.id, FollowKind::Tag, rust, FollowLevel::Inbox, at(5))
            .await
            .unwrap()
    );
    assert_eq!(
        store
            .follow_level(erin.id, FollowKind::Tag, rust)
            .await
            .unwrap(),
        Some(FollowLevel::Inbox)
    );
    assert!(
        store
            .unfollow(bob.id, FollowKind::User, carl.id.0)
            .await
            .unwrap()
    );
    ask(
        &*store,
        carl.id,
        child.id,
        "Another question in the child",
        &["rust"],
        6,
    )
    .await;
    deliver(&*store).await;
    assert_eq!(
        kinds(&*store, erin.id).await,
        [(NoticeKind::NewQuestion, 1)]
    );
    assert_eq!(kinds(&*store, bob.id).await.len(), 1);

    let following = store.following(ann.id, 1).await.unwrap();
    assert_eq!(following.total, 5, "three chosen, two questions asked");
    let mut labels: Vec<_> = following
        .items
        .iter()
        .filter(|f| f.kind != FollowKind::Question)
        .map(|f| f.label.clone())
        .collect();
    labels.sort();
    assert_eq!(labels, ["cargo", "general", "rust"]);
    let carls = store.following(carl.id, 1).await.unwrap();
    assert!(
        carls
            .items
            .iter()
            .any(|f| f.kind == FollowKind::Question && f.target_id == q.0),
        "asking follows the question"
    );
}

/// Edits by others, suggestions and their verdicts, locks and deletions by
/// moderators, and moderators' messages reach the author; a deleted account gets
/// nothing.
pub async fn edits_moderation_and_messages_reach_the_author(store: Arc<dyn Store>) {
    let ([ann, bob, mod_], _, q) = Fixture::new(&*store)
        .question("A question that will be edited", &[], 0)
        .build(["ann", "bob", "mo"])
        .await;
    let before = store.editable_post(q).await.unwrap().unwrap();
    store
        .edit_post(crate::conformance::editing::edit(
            q,
            bob.id,
            before.latest_revision,
            "A question that was edited",
            "A better body for it, long enough",
            &[],
        ))
        .await
        .unwrap();
    let own = store.editable_post(q).await.unwrap().unwrap();
    let mut own_edit = crate::conformance::editing::edit(
        q,
        ann.id,
        own.latest_revision,
        "A question its author edited",
        "The author's own body, long enough",
        &[],
    );
    own_edit.at = at(600);
    store.edit_post(own_edit).await.unwrap();
    let latest = store
        .editable_post(q)
        .await
        .unwrap()
        .unwrap()
        .latest_revision;
    let suggestion = store
        .create_suggested_edit(NewSuggestedEdit {
            post: q,
            author: bob.id,
            base_revision: latest,
            title: "A question bob suggests".into(),
            body_markdown: "Bob's suggested body, long enough".into(),
            tags: vec![],
            summary: "clearer".into(),
            created_at: at(700),
        })
        .await
        .unwrap();
    store
        .reject_suggested_edit(suggestion, ann.id, "not better", at(701))
        .await
        .unwrap();
    store.set_locked(q, true, at(702)).await.unwrap();
    store
        .log_moderation(
            mod_.id,
            "lock",
            "post",
            q.0,
            "heated",
            ponder_core::time::now(),
        )
        .await
        .unwrap();
    let message = store
        .message_user(mod_.id, ann.id, "Please keep titles short.", at(703))
        .await
        .unwrap();
    assert!(message > 0);
    assert!(matches!(
        store
            .message_user(mod_.id, UserId(987_654), "Hello", at(703))
            .await,
        Err(StoreError::NotFound { .. })
    ));
    deliver(&*store).await;
    let items = store.inbox(ann.id, 1).await.unwrap().items;
    let mut found: Vec<_> = items.iter().map(|n| (n.kind.as_str(), n.count)).collect();
    found.sort();
    assert_eq!(
        found,
        [
            ("edited", 1),
            ("locked", 1),
            ("moderator_message", 1),
            ("suggested_edit", 1)
        ],
        "the author's own edit tells nobody"
    );
    let item = |kind| items.iter().find(|n| n.kind == kind).unwrap();
    let message_item = item(NoticeKind::ModeratorMessage);
    assert_eq!(message_item.detail, "Please keep titles short.");
    assert_eq!(
        message_item.actor.as_ref().map(|(id, _)| *id),
        Some(mod_.id)
    );
    assert_eq!(message_item.post, None);
    assert_eq!(item(NoticeKind::Locked).detail, "heated");
    assert_eq!(
        item(NoticeKind::Locked).actor.as_ref().map(|(id, _)| *id),
        Some(mod_.id)
    );
    assert_eq!(
        item(NoticeKind::Edited).actor.as_ref().map(|(id, _)| *id),
        Some(bob.id)
    );
    // Opening the question reads its items; the moderator's message stays unread.
    assert_eq!(
        store
            .mark_thread_notices_read(ann.id, q, at(704))
            .await
            .unwrap(),
        3
    );
    assert_eq!(store.unread_notices(ann.id).await.unwrap(), 1);
    assert_eq!(
        store
            .mark_thread_notices_read(bob.id, q, at(704))
            .await
            .unwrap(),
        1,
        "bob's own item only"
    );
    assert_eq!(store.unread_notices(ann.id).await.unwrap(), 1);
    let bobs = store.inbox(bob.id, 1).await.unwrap().items;
    assert_eq!(bobs[0].kind, NoticeKind::SuggestionRejected);
    assert_eq!(bobs[0].detail, "not better");

    // A deleted account hears nothing more.
    store.set_locked(q, false, at(799)).await.unwrap();
    store.delete_user(ann.id, at(800)).await.unwrap();
    let before = store.inbox(ann.id, 1).await.unwrap().total;
    answer(&*store, q, bob.id, 801).await;
    deliver(&*store).await;
    assert_eq!(store.inbox(ann.id, 1).await.unwrap().total, before);
}

/// The achievements page's history groups reputation by day and post, newest
/// first, with the total after each group ending at today's reputation.
pub async fn reputation_history_groups_by_day_and_post(store: Arc<dyn Store>) {
    let ([ann, bob, carl], _, q) = Fixture::new(&*store)
        .question("A question worth votes", &[], 0)
        .build(["ann", "bob", "carl"])
        .await;
    let a = answer(&*store, q, ann.id, 1).await;
    let other = answer(&*store, q, bob.id, 2).await;
    vote(&*store, q, bob.id, VoteValue::Up).await;
    vote(&*store, q, carl.id, VoteValue::Up).await;
    vote(&*store, a, bob.id, VoteValue::Up).await;
    vote(&*store, other, ann.id, VoteValue::Down).await;
    let history = store.reputation_history(ann.id, 1).await.unwrap();
    let now = reputation(&*store, ann.id).await;
    assert!(history.total >= 2);
    assert_eq!(history.items[0].total_after, now);
    for pair in history.items.windows(2) {
        assert_eq!(pair[1].total_after, pair[0].total_after - pair[0].amount);
    }
    let on_question = history.items.iter().find(|g| g.post == Some(q)).unwrap();
    assert_eq!(on_question.events, 2);
    assert_eq!(
        on_question.amount,
        2 * ReputationRules::default().question_upvoted
    );
    assert_eq!(on_question.question.as_ref().map(|(id, _)| *id), Some(q));
    let nobody = store.reputation_history(UserId(987_654), 1).await.unwrap();
    assert!(nobody.items.is_empty());
    assert_eq!(nobody.total, 0);
}

/// The outbox rows waiting for `user`.
async fn waiting_for(store: &dyn Store, user: UserId, now: i64) -> Vec<OutboxMail> {
    store
        .due_mail(now, 100)
        .await
        .unwrap()
        .into_iter()
        .filter(|m| m.user == user)
        .collect()
}

/// Direct items go to the outbox for members with a verified address who want
/// them, once while one waits; a claim is taken once; failures come back later;
/// unsubscribe links turn off their own kind, until they expire.
pub async fn direct_mail_waits_in_the_outbox_once(store: Arc<dyn Store>) {
    let ([ann, bob, carl, dan], _, q) = Fixture::new(&*store)
        .question("A question that gets mail", &[], 0)
        .build(["ann", "bob", "carl", "dan"])
        .await;
    for user in [ann.id, bob.id, dan.id] {
        store.set_email_verified(user, at(0)).await.unwrap();
    }
    deliver(&*store).await;
    // Changes are stamped when they are written: the outbox is due from then.
    let now = ponder_core::time::now() + 5;
    answer(&*store, q, bob.id, 1).await;
    answer(&*store, q, dan.id, 2).await;
    say(&*store, q, bob.id, "@carl @dan have a look", 3).await;
    deliver(&*store).await;
    let anns = waiting_for(&*store, ann.id, now).await;
    assert_eq!(
        anns.len(),
        1,
        "two answers, one item, one mail while it waits"
    );
    assert_eq!(anns[0].kind, MailKind::Direct);
    assert_eq!(anns[0].to, "ann@example.com");
    let notice = store
        .notice(anns[0].notice.unwrap())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(notice.kind, NoticeKind::Answer);
    assert_eq!(notice.count, 2);
    assert!(
        waiting_for(&*store, carl.id, now).await.is_empty(),
        "carl's address is not verified"
    );
    assert_eq!(
        waiting_for(&*store, dan.id, now).await.len(),
        1,
        "dan was mentioned"
    );
    assert!(
        waiting_for(&*store, bob.id, now).await.is_empty(),
        "a comment is not direct"
    );

    // Claimed once; sent; never due again.
    let mail = anns[0].id;
    assert!(store.claim_mail(mail, "hash-ann-1", now).await.unwrap());
    assert!(!store.claim_mail(mail, "hash-ann-2", now).await.unwrap());
    assert!(
        waiting_for(&*store, ann.id, now).await.is_empty(),
        "claimed is not due"
    );
    store
        .finish_mail(mail, MailOutcome::Sent, now)
        .await
        .unwrap();
    assert!(waiting_for(&*store, ann.id, now + 10_000).await.is_empty());

    // A failure comes back at its time, counted; giving up ends it.
    let dans = waiting_for(&*store, dan.id, now).await[0].id;
    assert!(store.claim_mail(dans, "hash-dan-1", now).await.unwrap());
    let retry = MailOutcome::Retry {
        error: "connection refused".into(),
        at: now + 60,
    };
    store.finish_mail(dans, retry, now).await.unwrap();
    assert!(waiting_for(&*store, dan.id, now + 59).await.is_empty());
    let again = waiting_for(&*store, dan.id, now + 60).await;
    assert_eq!(again[0].attempts, 1);
    assert!(
        store
            .claim_mail(dans, "hash-dan-2", now + 60)
            .await
            .unwrap()
    );
    let gave_up = MailOutcome::GaveUp {
        error: "mailbox unavailable".into(),
    };
    store.finish_mail(dans, gave_up, now + 60).await.unwrap();
    assert!(waiting_for(&*store, dan.id, now + 100_000).await.is_empty());

    // The link turns off direct mail only; a wrong or old link does nothing.
    assert_eq!(
        store.unsubscribe("hash-ann-1", now + 5).await.unwrap(),
        Unsubscribed::Done {
            user: ann.id,
            kind: MailKind::Direct
        }
    );
    let prefs = store.mail_preferences(ann.id).await.unwrap();
    assert!(!prefs.direct);
    assert_eq!(prefs.digest, MailPreferences::DEFAULT.digest);
    assert_eq!(
        store.unsubscribe("hash-ann-2", now).await.unwrap(),
        Unsubscribed::Unknown
    );
    assert_eq!(
        store.unsubscribe("", now).await.unwrap(),
        Unsubscribed::Unknown
    );
    assert_eq!(
        store
            .unsubscribe("hash-dan-2", now + UNSUBSCRIBE_WORKS_FOR + 100)
            .await
            .unwrap(),
        Unsubscribed::Expired
    );
    assert!(store.mail_preferences(dan.id).await.unwrap().direct);
    answer(&*store, q, carl.id, 4).await;
    deliver(&*store).await;
    assert!(
        waiting_for(&*store, ann.id, now + 10_000).await.is_empty(),
        "ann turned direct mail off"
    );
}

/// Digests: queued a period after a member is first seen, for those who follow
/// a tag, a category or a user and chose one; they list the new questions there.
pub async fn digests_come_a_period_apart_and_list_what_is_followed(store: Arc<dyn Store>) {
    let ([ann, erin, finn], general, _) = Fixture::new(&*store)
        .question("An old question in rust", &["rust"], 0)
        .build(["ann", "erin", "finn"])
        .await;
    let child = category(&*store, Some(general.id), "child").await;
    for user in [erin.id, finn.id] {
        store.set_email_verified(user, at(0)).await.unwrap();
    }
    let rust = store.tag("rust").await.unwrap().unwrap().id.0;
    store
        .follow(erin.id, FollowKind::Tag, rust, FollowLevel::Digest, at(1))
        .await
        .unwrap();
    store
        .follow(
            finn.id,
            FollowKind::Category,
            general.id.0,
            FollowLevel::Inbox,
            at(1),
        )
        .await
        .unwrap();
    store
        .set_mail_preferences(
            finn.id,
            MailPreferences {
                direct: true,
                digest: DigestFrequency::Daily,
            },
        )
        .await
        .unwrap();
    let start = at(10);
    assert_eq!(
        store.enqueue_due_digests(start, 100).await.unwrap(),
        0,
        "first seen"
    );
    let tagged = ask(
        &*store,
        ann.id,
        child.id,
        "A new question in rust",
        &["rust"],
        20,
    )
    .await;
    let untagged = ask(
        &*store,
        ann.id,
        child.id,
        "A new question elsewhere",
        &[],
        21,
    )
    .await;
    ask(
        &*store,
        erin.id,
        child.id,
        "Erin's own question in rust",
        &["rust"],
        22,
    )
    .await;

    let a_day = start + 86_400;
    assert_eq!(
        store.enqueue_due_digests(a_day, 100).await.unwrap(),
        1,
        "finn's daily"
    );
    assert_eq!(store.enqueue_due_digests(a_day, 100).await.unwrap(), 0);
    let finns = waiting_for(&*store, finn.id, a_day).await;
    assert_eq!(finns[0].kind, MailKind::Digest);
    assert_eq!(finns[0].period, (start, a_day));
    let listed = store
        .digest_questions(finn.id, start, a_day, 20)
        .await
        .unwrap();
    let mut ids: Vec<_> = listed.iter().map(|q| q.id).collect();
    ids.sort();
    assert_eq!(ids.len(), 3, "the category below the followed one counts");
    assert!(ids.contains(&tagged) && ids.contains(&untagged));

    let a_week = start + 7 * 86_400;
    assert_eq!(store.enqueue_due_digests(a_week, 100).await.unwrap(), 2);
    let erins = waiting_for(&*store, erin.id, a_week).await;
    assert_eq!(erins.len(), 1);
    let listed = store
        .digest_questions(erin.id, start, a_week, 20)
        .await
        .unwrap();
    assert_eq!(
        listed.iter().map(|q| q.id).collect::<Vec<_>>(),
        [tagged],
        "the tag's new question, not erin's own"
    );
    assert!(
        store
            .digest_questions(erin.id, a_day * 2, a_week, 20)
            .await
            .unwrap()
            .is_empty(),
        "nothing new in that window"
    );
    // Off means off; an unsubscribe link of a digest turns digests off.
    assert!(
        store
            .claim_mail(erins[0].id, "digest-link", a_week)
            .await
            .unwrap()
    );
    assert_eq!(
        store.unsubscribe("digest-link", a_week).await.unwrap(),
        Unsubscribed::Done {
            user: erin.id,
            kind: MailKind::Digest
        }
    );
    assert_eq!(
        store.mail_preferences(erin.id).await.unwrap().digest,
        DigestFrequency::Off
    );
    assert!(store.mail_preferences(erin.id).await.unwrap().direct);
    assert_eq!(
        store.enqueue_due_digests(a_week * 2, 100).await.unwrap(),
        1,
        "finn's only"
    );
}

/// A merged tag's or category's followers follow what it was merged into (once,
/// for those who followed both); a deleted empty category's follows go.
pub async fn follows_move_with_merges(store: Arc<dyn Store>) {
    let ([ann, bob], general, _) = Fixture::new(&*store)
        .question("A question with two tags", &["rust", "rustlang"], 0)
        .build(["ann", "bob"])
        .await;
    let old = category(&*store, None, "old").await;
    let empty = category(&*store, None, "empty").await;
    let rust = store.tag("rust").await.unwrap().unwrap().id;
    let rustlang = store.tag("rustlang").await.unwrap().unwrap().id;
    let follows = [
        (ann.id, FollowKind::Tag, rust.0, FollowLevel::Inbox),
        (ann.id, FollowKind::Tag, rustlang.0, FollowLevel::Digest),
        (bob.id, FollowKind::Tag, rustlang.0, FollowLevel::Digest),
        (bob.id, FollowKind::Category, old.id.0, FollowLevel::Inbox),
        (bob.id, FollowKind::Category, empty.id.0, FollowLevel::Inbox),
    ];
    for (user, kind, target, level) in follows {
        store
            .follow(user, kind, target, level, at(1))
            .await
            .unwrap();
    }
    store.merge_tags(rustlang, rust, at(2)).await.unwrap();
    assert_eq!(
        store
            .follow_level(ann.id, FollowKind::Tag, rust.0)
            .await
            .unwrap(),
        Some(FollowLevel::Inbox),
        "ann keeps her own follow of the target"
    );
    assert_eq!(
        store
            .follow_level(bob.id, FollowKind::Tag, rust.0)
            .await
            .unwrap(),
        Some(FollowLevel::Digest),
        "bob follows the target as he followed the merged tag"
    );
    assert_eq!(
        store
            .follow_level(bob.id, FollowKind::Tag, rustlang.0)
            .await
            .unwrap(),
        None
    );
    store
        .delete_category(old.id, Some(general.id), at(3))
        .await
        .unwrap();
    store.delete_category(empty.id, None, at(4)).await.unwrap();
    assert_eq!(
        store
            .follow_level(bob.id, FollowKind::Category, general.id.0)
            .await
            .unwrap(),
        Some(FollowLevel::Inbox)
    );
    let bobs = store.following(bob.id, 1).await.unwrap();
    assert_eq!(bobs.total, 2, "the tag and the category merged into");
    assert_eq!(
        store
            .follow_level(bob.id, FollowKind::Category, empty.id.0)
            .await
            .unwrap(),
        None
    );
}
