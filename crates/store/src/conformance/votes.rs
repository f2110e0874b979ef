//! Votes, acceptance, reputation and badges.

use super::*;

/// A vote moves the score and the author's reputation; changing or withdrawing it
/// moves them back; one's own post is refused; reputation never drops below 1.
pub async fn votes_move_score_and_reputation(store: Arc<dyn Store>) {
    let ([ann, bob], _, q) = Fixture::new(&*store)
        .question("Vote on this question", &[], 0)
        .build(["ann", "bob"])
        .await;
    let score = |store: Arc<dyn Store>| async move {
        store
            .question_thread(q)
            .await
            .unwrap()
            .unwrap()
            .question
            .score
    };
    vote(&*store, q, bob.id, VoteValue::Up).await;
    assert_eq!(
        (
            score(store.clone()).await,
            reputation(&*store, ann.id).await
        ),
        (1, 11)
    );
    vote(&*store, q, bob.id, VoteValue::Up).await; // the same vote again counts once
    assert_eq!(
        (
            score(store.clone()).await,
            reputation(&*store, ann.id).await
        ),
        (1, 11)
    );
    vote(&*store, q, bob.id, VoteValue::Down).await;
    assert_eq!(
        (
            score(store.clone()).await,
            reputation(&*store, ann.id).await
        ),
        (-1, 1)
    );
    // Withdrawing the downvote gives back its 2 points; the floor of 1 applied
    // at each step, so the total is not the 1 it would be without the floor.
    vote(&*store, q, bob.id, VoteValue::None).await;
    assert_eq!(
        (
            score(store.clone()).await,
            reputation(&*store, ann.id).await
        ),
        (0, 3)
    );
    let own = store
        .cast_vote(NewVote {
            post: q,
            user: ann.id,
            value: VoteValue::Up,
            created_at: at(1),
            rules: ReputationRules::default(),
        })
        .await;
    assert!(
        matches!(own, Err(StoreError::Refused(Refusal::OwnPostVote))),
        "{own:?}"
    );
    let missing = store
        .cast_vote(NewVote {
            post: PostId(q.0 + 99),
            user: bob.id,
            value: VoteValue::Up,
            created_at: at(1),
            rules: ReputationRules::default(),
        })
        .await;
    assert!(
        matches!(missing, Err(StoreError::NotFound { .. })),
        "{missing:?}"
    );
    assert_eq!(score(store.clone()).await, 0);
}

/// Accepting gives +15 to the answerer and +2 to the asker; changing moves them.
pub async fn accepting_moves_reputation_and_order(store: Arc<dyn Store>) {
    let ([ann, bob, cy], cat, q) = Fixture::new(&*store)
        .question("Which one do I accept", &[], 0)
        .build(["ann", "bob", "cy"])
        .await;
    let other_q = ask(&*store, bob.id, cat.id, "Another question here", &[], 0).await;
    let by_bob = answer(&*store, q, bob.id, 1).await;
    let by_cy = answer(&*store, q, cy.id, 2).await;
    let by_ann = answer(&*store, q, ann.id, 3).await;
    let elsewhere = answer(&*store, other_q, cy.id, 4).await;

    store
        .accept_answer(q, Some(by_bob), ReputationRules::default())
        .await
        .unwrap();
    assert_eq!(reputation(&*store, bob.id).await, 16);
    assert_eq!(reputation(&*store, ann.id).await, 3);
    store
        .accept_answer(q, Some(by_cy), ReputationRules::default())
        .await
        .unwrap();
    assert_eq!(reputation(&*store, bob.id).await, 1);
    assert_eq!(reputation(&*store, cy.id).await, 16);
    assert_eq!(reputation(&*store, ann.id).await, 3);
    store
        .accept_answer(q, Some(by_ann), ReputationRules::default())
        .await
        .unwrap();
    assert_eq!(reputation(&*store, cy.id).await, 1);
    assert_eq!(
        reputation(&*store, ann.id).await,
        1,
        "accepting one's own answer earns nothing"
    );
    store
        .accept_answer(q, None, ReputationRules::default())
        .await
        .unwrap();
    let thread = store.question_thread(q).await.unwrap().unwrap();
    assert_eq!(thread.question.accepted_answer_id, None);
    let wrong = store
        .accept_answer(q, Some(elsewhere), ReputationRules::default())
        .await;
    assert!(
        matches!(
            wrong,
            Err(StoreError::Refused(Refusal::NotAnAnswerTo { .. }))
        ),
        "{wrong:?}"
    );
    let not_q = store
        .accept_answer(by_bob, Some(by_cy), ReputationRules::default())
        .await;
    assert!(
        matches!(not_q, Err(StoreError::NotFound { .. })),
        "{not_q:?}"
    );
}

/// Many users voting on one post at once: every vote counts, exactly once.
pub async fn concurrent_votes_are_all_counted(store: Arc<dyn Store>) {
    let ([ann], _, q) = Fixture::new(&*store)
        .question("Everyone votes on this", &[], 0)
        .build(["ann"])
        .await;
    let mut voters = Vec::new();
    for i in 0..50 {
        voters.push(user(&*store, &format!("voter{i}")).await.id);
    }
    let mut tasks = Vec::new();
    for voter in voters {
        for _ in 0..2 {
            // each voter submits twice, as a double click does
            let store = store.clone();
            tasks.push(tokio::spawn(async move {
                store
                    .cast_vote(NewVote {
                        post: q,
                        user: voter,
                        value: VoteValue::Up,
                        created_at: at(5),
                        rules: ReputationRules::default(),
                    })
                    .await
            }));
        }
    }
    for task in tasks {
        task.await.expect("task").expect("vote");
    }
    let thread = store.question_thread(q).await.unwrap().unwrap();
    assert_eq!(thread.question.score, 50);
    // 50 upvotes are worth 500, but a day's votes earn at most 200.
    assert_eq!(reputation(&*store, ann.id).await, 1 + 200);
    assert!(store.recompute_reputation(false).await.unwrap().is_empty());
}

/// The downvoter of an answer pays 1; the daily cap holds per UTC day; the ledger
/// replays to the stored totals, and a tampered total is found and fixed.
pub async fn reputation_follows_stack_exchange_rules_and_replays(store: Arc<dyn Store>) {
    let ([ann, bob], cat, q) = Fixture::new(&*store)
        .question("A question for reputation", &[], 0)
        .build(["ann", "bob"])
        .await;
    let a = answer(&*store, q, bob.id, 1).await;
    vote(&*store, a, ann.id, VoteValue::Down).await;
    assert_eq!(
        reputation(&*store, ann.id).await,
        1,
        "the floor: 1 - 1 stays 1"
    );
    vote(&*store, q, bob.id, VoteValue::Up).await;
    assert_eq!(reputation(&*store, ann.id).await, 11);
    // Withdrawing the downvote gives back its nominal points, to both, as Stack
    // Exchange does, even where the floor had clipped them.
    vote(&*store, a, ann.id, VoteValue::None).await;
    assert_eq!(reputation(&*store, bob.id).await, 3);
    assert_eq!(reputation(&*store, ann.id).await, 12);
    let history = store.reputation_events(ann.id, 10).await.unwrap();
    let kinds: Vec<&str> = history.iter().map(|e| e.kind.as_str()).collect();
    assert_eq!(
        kinds,
        ["downvote_undone", "upvote", "downvote_cast"],
        "newest first"
    );
    assert_eq!(history[1].question.as_ref().map(|(id, _)| *id), Some(q));
    assert_eq!(history[1].amount, 10);
    // Toggling many times nets out exactly.
    for _ in 0..3 {
        vote(&*store, q, bob.id, VoteValue::None).await;
        vote(&*store, q, bob.id, VoteValue::Up).await;
    }
    assert_eq!(reputation(&*store, ann.id).await, 12);

    // A custom rule set applies, and the cap is per day.
    let rules = ReputationRules {
        question_upvoted: 60,
        daily_vote_cap: 100,
        ..ReputationRules::default()
    };
    let voters = [
        user(&*store, "v1").await,
        user(&*store, "v2").await,
        user(&*store, "v3").await,
    ];
    let q2 = ask(
        &*store,
        bob.id,
        cat.id,
        "Another question for the cap",
        &[],
        0,
    )
    .await;
    for (i, v) in voters.iter().enumerate() {
        let day = if i < 2 { at(0) } else { at(86_400) };
        store
            .cast_vote(NewVote {
                post: q2,
                user: v.id,
                value: VoteValue::Up,
                created_at: day,
                rules,
            })
            .await
            .unwrap();
    }
    // Day one: 60 + 40 (capped at 100); day two: 60.
    assert_eq!(reputation(&*store, bob.id).await, 3 + 100 + 60);
    store
        .cast_vote(NewVote {
            post: q2,
            user: voters[1].id,
            value: VoteValue::None,
            created_at: at(86_401),
            rules,
        })
        .await
        .unwrap();
    assert_eq!(
        reputation(&*store, bob.id).await,
        3 + 60 + 60,
        "withdrawing gives back only what was granted"
    );

    store
        .accept_answer(q, Some(a), ReputationRules::default())
        .await
        .unwrap();
    assert!(
        store.recompute_reputation(false).await.unwrap().is_empty(),
        "the running totals match the replay"
    );
    let before = reputation(&*store, bob.id).await;
    assert_eq!(store.recompute_reputation(true).await.unwrap(), Vec::new());
    assert_eq!(reputation(&*store, bob.id).await, before);
}

/// Badges come once, from the events that earn them.
pub async fn badges_are_earned_once(store: Arc<dyn Store>) {
    let ([ann, bob], cat, q1) = Fixture::new(&*store)
        .question("The first question asked", &[], 0)
        .build(["ann", "bob"])
        .await;
    ask(&*store, ann.id, cat.id, "The second question asked", &[], 1).await;
    let a = answer(&*store, q1, bob.id, 2).await;
    vote(&*store, a, ann.id, VoteValue::Up).await;
    vote(&*store, q1, bob.id, VoteValue::Down).await;
    store
        .accept_answer(q1, Some(a), ReputationRules::default())
        .await
        .unwrap();
    let mut voters = Vec::new();
    for i in 0..10 {
        voters.push(user(&*store, &format!("fan{i}")).await);
    }
    for v in &voters {
        vote(&*store, a, v.id, VoteValue::Up).await;
    }
    let names = |badges: Vec<Badge>| {
        let mut names = badges.into_iter().map(|b| b.name).collect::<Vec<_>>();
        names.sort();
        names
    };
    assert_eq!(
        names(store.badges(ann.id).await.unwrap()),
        ["Student", "Supporter"]
    );
    let bobs = store.badges(bob.id).await.unwrap();
    assert_eq!(
        names(bobs.clone()),
        ["Critic", "Nice Answer", "Scholar", "Teacher"]
    );
    let nice = bobs.iter().find(|b| b.name == "Nice Answer").unwrap();
    assert_eq!((nice.post_id, nice.class.as_str()), (Some(a), "silver"));
}

/// A comment upvote toggles; one's own comment cannot be voted on.
pub async fn comment_upvotes_toggle(store: Arc<dyn Store>) {
    let ([ann, bob], _, q) = Fixture::new(&*store)
        .question("A question with a comment", &[], 0)
        .build(["ann", "bob"])
        .await;
    comment(&*store, q, ann.id, 1).await;
    let c = store.question_thread(q).await.unwrap().unwrap().comments[0].id;
    assert_eq!(
        store.toggle_comment_vote(c, bob.id, at(2)).await.unwrap(),
        (true, 1)
    );
    let votes = store.viewer_votes(bob.id, q).await.unwrap();
    assert_eq!(votes.comments, [c]);
    assert_eq!(
        store.toggle_comment_vote(c, bob.id, at(3)).await.unwrap(),
        (false, 0)
    );
    assert!(matches!(
        store.toggle_comment_vote(c, ann.id, at(4)).await,
        Err(StoreError::Refused(_))
    ));
    assert!(matches!(
        store
            .toggle_comment_vote(CommentId(c.0 + 9), bob.id, at(4))
            .await,
        Err(StoreError::NotFound { .. })
    ));
    vote(&*store, q, bob.id, VoteValue::Down).await;
    assert_eq!(
        store.viewer_votes(bob.id, q).await.unwrap().on(q),
        VoteValue::Down
    );
    assert_eq!(
        store.viewer_votes(ann.id, q).await.unwrap(),
        ViewerVotes::default()
    );
}

/// The public reputation history names a question only while it and the post the
/// points came from are visible (issue 16).
pub async fn reputation_history_names_no_deleted_post(store: Arc<dyn Store>) {
    let ([ann, bob], _, q) = Fixture::new(&*store)
        .question("A title that will go away", &["x"], 0)
        .build(["ann", "bob"])
        .await;
    let a = answer(&*store, q, ann.id, 1).await;
    vote(&*store, q, bob.id, VoteValue::Up).await;
    vote(&*store, a, bob.id, VoteValue::Up).await;
    let named = |store: Arc<dyn Store>| async move {
        store
            .reputation_events(ann.id, 10)
            .await
            .unwrap()
            .into_iter()
            .map(|e| e.question)
            .collect::<Vec<_>>()
    };
    let title = "A title that will go away".to_owned();
    assert_eq!(
        named(store.clone()).await,
        [Some((q, title.clone())), Some((q, title.clone()))]
    );
    store.set_post_deleted(a, true, at(5)).await.unwrap();
    assert_eq!(named(store.clone()).await, [None, Some((q, title))]);
    store.set_post_deleted(a, false, at(6)).await.unwrap();
    store.set_post_deleted(q, true, at(7)).await.unwrap();
    assert_eq!(
        named(store.clone()).await,
        [None, None],
        "the answer's question is gone too"
    );
}
