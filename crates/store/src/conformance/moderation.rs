//! Flags, closing, locks, suspensions, the moderation log and the review queue.
//!
//! Long on purpose: moderation's checks follow one thread through flags, votes and
//! locks, as a site lives them.

use super::*;

pub(crate) fn flag(post: PostId, user: UserId, kind: FlagKind, threshold: i64) -> NewFlag {
    NewFlag {
        post,
        comment: None,
        user,
        kind,
        message: String::new(),
        at: at(50),
        hide_threshold: threshold,
        hide_penalty: 100,
    }
}

/// Deletion records who asked: an author cannot undelete what a moderator deleted
/// or flags hid, and a locked post takes neither from its author (issue 16).
pub async fn authors_cannot_undo_what_moderators_and_flags_did(store: Arc<dyn Store>) {
    let ann = user(&*store, "ann").await;
    let moderator = user(&*store, "mod").await;
    let cat = category(&*store, None, "general").await;
    let q = ask(&*store, ann.id, cat.id, "A question to moderate", &["x"], 0).await;
    let change = |delete: bool, by: UserId, moderator: bool| PostDeletion {
        post: q,
        delete,
        by,
        moderator,
        reason: if moderator {
            "off topic".into()
        } else {
            String::new()
        },
        at: at(10),
    };
    let deleted = |store: Arc<dyn Store>| async move {
        store.editable_post(q).await.unwrap().unwrap().deleted
    };
    // Her own deletion she may undo.
    store
        .change_post_deletion(change(true, ann.id, false))
        .await
        .unwrap();
    assert!(deleted(store.clone()).await);
    store
        .change_post_deletion(change(false, ann.id, false))
        .await
        .unwrap();
    assert!(!deleted(store.clone()).await);

    // A moderator's she may not; the moderator may.
    store
        .change_post_deletion(change(true, moderator.id, true))
        .await
        .unwrap();
    let refused = store
        .change_post_deletion(change(false, ann.id, false))
        .await;
    assert!(
        matches!(refused, Err(StoreError::Refused(_))),
        "{refused:?}"
    );
    assert!(deleted(store.clone()).await);
    store
        .change_post_deletion(change(false, moderator.id, true))
        .await
        .unwrap();
    assert!(!deleted(store.clone()).await);
    // A moderator deleting their own post deletes it as its author.
    let own = ask(
        &*store,
        moderator.id,
        cat.id,
        "A moderator's own question",
        &["x"],
        1,
    )
    .await;
    store
        .change_post_deletion(PostDeletion {
            post: own,
            ..change(true, moderator.id, true)
        })
        .await
        .unwrap();
    store
        .change_post_deletion(PostDeletion {
            post: own,
            ..change(false, moderator.id, false)
        })
        .await
        .unwrap();

    // Locked: neither from her, both from a moderator.
    store.set_locked(q, true, at(11)).await.unwrap();
    for delete in [true, false] {
        let refused = store
            .change_post_deletion(change(delete, ann.id, false))
            .await;
        assert!(
            matches!(refused, Err(StoreError::Refused(_))),
            "{refused:?}"
        );
    }
    assert!(!deleted(store.clone()).await);
    store
        .change_post_deletion(change(true, moderator.id, true))
        .await
        .unwrap();
    store
        .change_post_deletion(change(false, moderator.id, true))
        .await
        .unwrap();
    store.set_locked(q, false, at(12)).await.unwrap();

    // Hidden by flags: only the moderator's restore brings it back.
    let flaggers = [user(&*store, "f1").await.id, user(&*store, "f2").await.id];
    for f in flaggers {
        store
            .create_flag(flag(q, f, FlagKind::Spam, 2))
            .await
            .unwrap();
    }
    assert!(deleted(store.clone()).await, "hidden by two spam flags");
    for moderating in [false, true] {
        let by = if moderating { moderator.id } else { ann.id };
        let refused = store
            .change_post_deletion(change(false, by, moderating))
            .await;
        assert!(
            matches!(refused, Err(StoreError::Refused(_))),
            "{refused:?}"
        );
    }
    assert!(deleted(store.clone()).await);
    assert!(matches!(
        store
            .change_post_deletion(PostDeletion {
                post: PostId(q.0 + 1_000),
                ..change(true, ann.id, false)
            })
            .await,
        Err(StoreError::NotFound { .. })
    ));
}

/// Spam flags hide a post at the threshold and cost its author 100; a moderator
/// restores it and the points; one flag per user; comments hide too.
pub async fn flags_hide_spam_at_the_threshold_and_moderators_restore(store: Arc<dyn Store>) {
    let ([ann], cat, q) = Fixture::new(&*store)
        .question("Buy cheap watches here now", &["x"], 0)
        .build(["ann"])
        .await;
    let mut voters = Vec::new();
    for i in 0..12 {
        voters.push(user(&*store, &format!("v{i}")).await.id);
    }
    for v in &voters {
        vote(&*store, q, *v, VoteValue::Up).await; // ann: 1 + 120
    }
    let flaggers = [
        user(&*store, "f1").await.id,
        user(&*store, "f2").await.id,
        user(&*store, "f3").await.id,
    ];
    assert!(
        !store
            .create_flag(flag(q, flaggers[0], FlagKind::Spam, 3))
            .await
            .unwrap()
    );
    let twice = store
        .create_flag(flag(q, flaggers[0], FlagKind::Rude, 3))
        .await;
    assert!(
        matches!(twice, Err(StoreError::Conflict { .. })),
        "{twice:?}"
    );
    assert!(matches!(
        store
            .create_flag(flag(q, flaggers[1], FlagKind::NotAnAnswer, 3))
            .await,
        Err(StoreError::Refused(_))
    ));
    assert!(
        !store
            .create_flag(flag(q, flaggers[1], FlagKind::Rude, 3))
            .await
            .unwrap()
    );
    assert_eq!(store.pending_flags(10).await.unwrap().len(), 2);
    assert!(
        store
            .create_flag(flag(q, flaggers[2], FlagKind::Spam, 3))
            .await
            .unwrap(),
        "the third hides it"
    );
    assert!(
        store
            .question_thread(q)
            .await
            .unwrap()
            .unwrap()
            .question
            .deleted
    );
    assert_eq!(reputation(&*store, ann.id).await, 21);
    assert_eq!(
        store
            .list_questions(&QuestionQuery::default())
            .await
            .unwrap()
            .total,
        0
    );

    let moderator = user(&*store, "moderator").await;
    store
        .restore_hidden_post(q, moderator.id, 100, at(60))
        .await
        .unwrap();
    assert!(
        !store
            .question_thread(q)
            .await
            .unwrap()
            .unwrap()
            .question
            .deleted
    );
    assert_eq!(reputation(&*store, ann.id).await, 121);
    assert!(
        store.pending_flags(10).await.unwrap().is_empty(),
        "its spam flags were declined"
    );
    assert!(matches!(
        store
            .restore_hidden_post(q, moderator.id, 100, at(61))
            .await,
        Err(StoreError::Refused(_))
    ));
    assert!(store.recompute_reputation(false).await.unwrap().is_empty());

    // A needs-moderator flag waits to be marked.
    let other = ask(
        &*store,
        ann.id,
        cat.id,
        "A perfectly ordinary question",
        &["x"],
        1,
    )
    .await;
    store
        .create_flag(NewFlag {
            message: "looks copied".into(),
            ..flag(other, flaggers[0], FlagKind::NeedsModerator, 3)
        })
        .await
        .unwrap();
    let pending = store.pending_flags(10).await.unwrap();
    assert_eq!(pending.len(), 1);
    assert_eq!(
        (
            pending[0].kind.as_str(),
            pending[0].message.as_str(),
            pending[0].question_id
        ),
        ("needs_moderator", "looks copied", other)
    );
    store
        .resolve_flag(pending[0].id, moderator.id, true, at(70))
        .await
        .unwrap();
    assert!(matches!(
        store
            .resolve_flag(pending[0].id, moderator.id, false, at(71))
            .await,
        Err(StoreError::NotFound { .. })
    ));

    // A comment hides at its own threshold; the post stays.
    comment(&*store, other, flaggers[1], 80).await;
    let c = store
        .question_thread(other)
        .await
        .unwrap()
        .unwrap()
        .comments[0]
        .id;
    let comment_flag = NewFlag {
        comment: Some(c),
        ..flag(other, flaggers[2], FlagKind::Rude, 1)
    };
    assert!(store.create_flag(comment_flag).await.unwrap());
    let thread = store.question_thread(other).await.unwrap().unwrap();
    assert!(thread.comments.is_empty());
    assert!(!thread.question.deleted);
    assert!(matches!(
        store
            .create_flag(flag(PostId(other.0 + 99), flaggers[0], FlagKind::Spam, 3))
            .await,
        Err(StoreError::NotFound { .. })
    ));
}

pub(crate) fn close_vote(
    question: PostId,
    user: UserId,
    close: bool,
    threshold: i64,
) -> NewCloseVote {
    NewCloseVote {
        question,
        user,
        close,
        reason: "needs more focus".into(),
        duplicate_of: None,
        at: at(90),
        threshold,
    }
}

/// Three votes close; a closed question takes no answers; reopening works the same.
pub async fn close_votes_close_and_reopen(store: Arc<dyn Store>) {
    let ann = user(&*store, "ann").await;
    let voters = [
        user(&*store, "c1").await.id,
        user(&*store, "c2").await.id,
        user(&*store, "c3").await.id,
    ];
    let cat = category(&*store, None, "general").await;
    let q = ask(
        &*store,
        ann.id,
        cat.id,
        "A question too broad to answer",
        &["x"],
        0,
    )
    .await;
    let original = ask(
        &*store,
        ann.id,
        cat.id,
        "The original question here",
        &["x"],
        0,
    )
    .await;
    assert_eq!(
        store
            .cast_close_vote(close_vote(q, voters[0], true, 3))
            .await
            .unwrap(),
        (false, 1)
    );
    assert!(
        matches!(
            store
                .cast_close_vote(close_vote(q, voters[0], true, 3))
                .await,
            Err(StoreError::Conflict { .. })
        ),
        "one vote each"
    );
    assert!(
        matches!(
            store
                .cast_close_vote(close_vote(q, voters[1], false, 3))
                .await,
            Err(StoreError::Refused(_))
        ),
        "it is open"
    );
    assert_eq!(store.close_votes(q).await.unwrap(), (1, 0));
    assert_eq!(
        store
            .cast_close_vote(close_vote(q, voters[1], true, 3))
            .await
            .unwrap(),
        (false, 2)
    );
    let last = NewCloseVote {
        reason: "duplicate".into(),
        duplicate_of: Some(original),
        ..close_vote(q, voters[2], true, 3)
    };
    assert_eq!(store.cast_close_vote(last).await.unwrap(), (true, 3));
    let thread = store.question_thread(q).await.unwrap().unwrap();
    assert_eq!(thread.question.closed_reason.as_deref(), Some("duplicate"));
    assert_eq!(thread.question.duplicate_of, Some(original));
    assert_eq!(store.close_votes(q).await.unwrap(), (0, 0), "votes cleared");
    let refused = store
        .create_answer(NewAnswer {
            question: q,
            author: voters[0],
            body: PostBody::from_markdown("an answer to a closed one"),
            created_at: at(91),
        })
        .await;
    assert!(
        matches!(refused, Err(StoreError::Refused(_))),
        "{refused:?}"
    );
    // A moderator reopens at once (threshold 1).
    assert_eq!(
        store
            .cast_close_vote(close_vote(q, ann.id, false, 1))
            .await
            .unwrap(),
        (true, 1)
    );
    let thread = store.question_thread(q).await.unwrap().unwrap();
    assert_eq!(
        (thread.question.closed_reason, thread.question.duplicate_of),
        (None, None)
    );
    answer(&*store, q, voters[0], 92).await;
    let itself = NewCloseVote {
        duplicate_of: Some(q),
        ..close_vote(q, voters[0], true, 3)
    };
    assert!(matches!(
        store.cast_close_vote(itself).await,
        Err(StoreError::Refused(_))
    ));
    let missing = NewCloseVote {
        duplicate_of: Some(PostId(q.0 + 999)),
        ..close_vote(q, voters[0], true, 3)
    };
    assert!(matches!(
        store.cast_close_vote(missing).await,
        Err(StoreError::Refused(_))
    ));
    let on_answer = store
        .cast_close_vote(close_vote(
            store.question_thread(q).await.unwrap().unwrap().answers[0].id,
            voters[0],
            true,
            3,
        ))
        .await;
    assert!(matches!(on_answer, Err(StoreError::Refused(_))));
}

/// A locked post takes no edits, votes, answers or comments until it is unlocked.
pub async fn locked_posts_refuse_changes(store: Arc<dyn Store>) {
    let ([ann, bob], _, q) = Fixture::new(&*store)
        .question("A question to be locked", &["x"], 0)
        .build(["ann", "bob"])
        .await;
    comment(&*store, q, bob.id, 1).await;
    let c = store.question_thread(q).await.unwrap().unwrap().comments[0].id;
    store.set_locked(q, true, at(5)).await.unwrap();
    let thread = store.question_thread(q).await.unwrap().unwrap();
    assert!(thread.question.locked);
    let base = store
        .editable_post(q)
        .await
        .unwrap()
        .unwrap()
        .latest_revision;
    let refusals = [
        store
            .cast_vote(NewVote {
                post: q,
                user: bob.id,
                value: VoteValue::Up,
                created_at: at(6),
                rules: ReputationRules::default(),
            })
            .await
            .err(),
        store
            .create_answer(NewAnswer {
                question: q,
                author: bob.id,
                body: PostBody::from_markdown("nope"),
                created_at: at(6),
            })
            .await
            .err(),
        store
            .create_comment(NewComment {
                post: q,
                author: bob.id,
                body: PostBody::inline("nope nope nope nope"),
                created_at: at(6),
            })
            .await
            .err(),
        store
            .edit_post(edit(
                q,
                ann.id,
                base,
                "A question to be edited",
                "New body text here",
                &["x"],
            ))
            .await
            .err(),
    ];
    for refusal in refusals {
        assert!(
            matches!(refusal, Some(StoreError::Refused(_))),
            "{refusal:?}"
        );
    }
    assert!(store.toggle_comment_vote(c, ann.id, at(6)).await.is_err());
    store.set_locked(q, false, at(7)).await.unwrap();
    vote(&*store, q, bob.id, VoteValue::Up).await;
    store.set_protected(q, true, at(8)).await.unwrap();
    assert!(
        store
            .question_thread(q)
            .await
            .unwrap()
            .unwrap()
            .question
            .protected
    );
    assert!(matches!(
        store.set_locked(PostId(q.0 + 77), true, at(9)).await,
        Err(StoreError::NotFound { .. })
    ));
}

/// Suspensions are stored and lifted; the log keeps moderator actions, newest first.
pub async fn suspensions_and_the_moderation_log(store: Arc<dyn Store>) {
    let ann = user(&*store, "ann").await;
    let moderator = user(&*store, "moderator").await;
    store
        .set_suspension(ann.id, Some(at(1_000)), "spamming")
        .await
        .unwrap();
    let read = store.user(ann.id).await.unwrap().unwrap();
    assert!(read.is_suspended(at(999)) && !read.is_suspended(at(1_000)));
    assert_eq!(read.suspension_reason, "spamming");
    assert!(store.session("none", at(0)).await.unwrap().is_none());
    store.set_suspension(ann.id, None, "").await.unwrap();
    assert!(
        !store
            .user(ann.id)
            .await
            .unwrap()
            .unwrap()
            .is_suspended(at(999))
    );
    assert!(matches!(
        store.set_suspension(UserId(ann.id.0 + 50), None, "").await,
        Err(StoreError::NotFound { .. })
    ));
    store
        .log_moderation(moderator.id, "suspend", "user", ann.id.0, "spamming", at(1))
        .await
        .unwrap();
    store
        .log_moderation(moderator.id, "lift_suspension", "user", ann.id.0, "", at(2))
        .await
        .unwrap();
    let log = store.moderation_log(1).await.unwrap();
    assert_eq!(log.total, 2);
    assert_eq!(
        (log.items[0].action.as_str(), log.items[1].reason.as_str()),
        ("lift_suspension", "spamming")
    );
    assert_eq!(log.items[0].moderator.id, moderator.id);
}

/// A user's first post waits for review; their second does not.
pub async fn first_posts_wait_for_review(store: Arc<dyn Store>) {
    let ([ann, bob, reviewer], cat, q) = Fixture::new(&*store)
        .question("A newcomer's first question", &["x"], 0)
        .build(["ann", "bob", "reviewer"])
        .await;
    ask(
        &*store,
        ann.id,
        cat.id,
        "A newcomer's second question",
        &["x"],
        1,
    )
    .await;
    let a = answer(&*store, q, bob.id, 2).await;
    let tasks = store.review_tasks(reviewer.id, 10).await.unwrap();
    let posts: Vec<PostId> = tasks.iter().map(|t| t.post_id).collect();
    assert_eq!(posts, [q, a]);
    assert_eq!(tasks[1].question_title, "A newcomer's first question");
    assert_eq!(
        store.review_tasks(ann.id, 10).await.unwrap().len(),
        1,
        "not one's own"
    );
    store
        .skip_review("first_post", tasks[0].id, reviewer.id)
        .await
        .unwrap();
    assert_eq!(store.review_tasks(reviewer.id, 10).await.unwrap().len(), 1);
    store
        .resolve_review(tasks[1].id, reviewer.id, true, "", at(3))
        .await
        .unwrap();
    assert!(
        store
            .review_tasks(reviewer.id, 10)
            .await
            .unwrap()
            .is_empty()
    );
    assert!(matches!(
        store
            .resolve_review(tasks[1].id, reviewer.id, false, "x", at(4))
            .await,
        Err(StoreError::NotFound { .. })
    ));
    store
        .skip_review("suggestion", 42, reviewer.id)
        .await
        .unwrap();
    store
        .skip_review("suggestion", 42, reviewer.id)
        .await
        .unwrap();
    assert_eq!(store.skipped_suggestions(reviewer.id).await.unwrap(), [42]);
}
