//! Edits, revisions, deletion, suggested edits, and writes raced by another.

use super::*;

pub(crate) fn edit(
    post: PostId,
    editor: UserId,
    base: i64,
    title: &str,
    body: &str,
    tags: &[&str],
) -> PostEdit {
    PostEdit {
        post,
        editor,
        base_revision: base,
        title: title.to_owned(),
        body: PostBody::from_markdown(body),
        tags: tags.iter().map(|t| (*t).to_owned()).collect(),
        summary: "fixed the wording".into(),
        at: at(500),
    }
}

/// An edit writes the post and a revision; an edit from an old revision is stale.
pub async fn edits_make_revisions_and_stale_edits_are_refused(store: Arc<dyn Store>) {
    let ([ann, bob], _, q) = Fixture::new(&*store)
        .question("The first title of it", &["old", "kept"], 0)
        .build(["ann", "bob"])
        .await;
    let a = answer(&*store, q, bob.id, 10).await;
    let before = store.editable_post(q).await.unwrap().unwrap();
    assert_eq!(before.kind, PostKind::Question);
    assert_eq!(before.tags, ["old", "kept"]);
    assert_eq!(before.author_id, ann.id);
    assert!(before.latest_revision > 0);

    let r2 = store
        .edit_post(edit(
            q,
            bob.id,
            before.latest_revision,
            "The second title of it",
            "New *body* text here",
            &["kept", "new"],
        ))
        .await
        .unwrap();
    let thread = store.question_thread(q).await.unwrap().unwrap();
    assert_eq!(thread.question.title, "The second title of it");
    assert!(thread.question.body_html.as_str().contains("<em>body</em>"));
    assert_eq!(thread.question.edited_at, Some(at(500)));
    assert_eq!(thread.question.last_activity_at, at(500));
    assert_eq!(thread.tags, ["kept", "new"]);
    assert_eq!(store.tag("old").await.unwrap().unwrap().question_count, 0);
    assert_eq!(store.tag("kept").await.unwrap().unwrap().question_count, 1);
    assert_eq!(store.tag("new").await.unwrap().unwrap().question_count, 1);

    let stale = store
        .edit_post(edit(
            q,
            ann.id,
            before.latest_revision,
            "A third title for it",
            "Overwriting text here",
            &["x"],
        ))
        .await;
    assert!(
        matches!(stale, Err(StoreError::Stale { current }) if current == r2),
        "{stale:?}"
    );
    assert_eq!(
        store
            .question_thread(q)
            .await
            .unwrap()
            .unwrap()
            .question
            .title,
        "The second title of it"
    );

    let history = store.revisions(q).await.unwrap();
    assert_eq!(history.len(), 2);
    assert_eq!((history[0].number, history[1].number), (1, 2));
    assert_eq!(history[0].title, "The first title of it");
    assert_eq!(history[0].tags, ["old", "kept"]);
    assert_eq!(history[1].editor.id, bob.id);
    assert_eq!(history[1].summary, "fixed the wording");
    assert_eq!(history[1].id, r2);

    // Rolling back is an edit with the old content: a third revision.
    let old = &history[0];
    let tags: Vec<&str> = old.tags.iter().map(String::as_str).collect();
    store
        .edit_post(edit(q, ann.id, r2, &old.title, &old.body_markdown, &tags))
        .await
        .unwrap();
    let history = store.revisions(q).await.unwrap();
    assert_eq!(history.len(), 3);
    assert_eq!(history[2].body_markdown, history[0].body_markdown);
    assert_eq!(
        store.question_thread(q).await.unwrap().unwrap().tags,
        ["old", "kept"]
    );

    // An answer's edit is activity on its question; its tags are ignored.
    let answer_base = store.editable_post(a).await.unwrap().unwrap();
    assert_eq!(answer_base.question_id, q);
    assert_eq!(answer_base.question_title, "The first title of it");
    let mut answer_edit = edit(
        a,
        bob.id,
        answer_base.latest_revision,
        "ignored",
        "A better answer body",
        &["ignored"],
    );
    answer_edit.at = at(900);
    store.edit_post(answer_edit).await.unwrap();
    let thread = store.question_thread(q).await.unwrap().unwrap();
    assert_eq!(thread.question.last_activity_at, at(900));
    assert_eq!(thread.answers[0].title, "");
    assert!(store.tag("ignored").await.unwrap().is_none());
    let missing = store
        .edit_post(edit(PostId(a.0 + 99), bob.id, 1, "t", "b", &[]))
        .await;
    assert!(matches!(missing, Err(StoreError::NotFound { .. })));
}

/// Two editors starting from the same revision: one wins, the other is told.
pub async fn concurrent_edits_let_exactly_one_win(store: Arc<dyn Store>) {
    let ([ann], _, q) = Fixture::new(&*store)
        .question("A contested question", &["x"], 0)
        .build(["ann"])
        .await;
    let base = store
        .editable_post(q)
        .await
        .unwrap()
        .unwrap()
        .latest_revision;
    let mut tasks = Vec::new();
    for i in 0..6 {
        let store = store.clone();
        tasks.push(tokio::spawn(async move {
            store
                .edit_post(edit(
                    q,
                    ann.id,
                    base,
                    &format!("Edited title number {i}"),
                    "Edited body text",
                    &["x"],
                ))
                .await
        }));
    }
    let mut won = 0;
    for task in tasks {
        match task.await.unwrap() {
            Ok(_) => won += 1,
            Err(StoreError::Stale { .. }) => {}
            Err(other) => panic!("unexpected {other:?}"),
        }
    }
    assert_eq!(won, 1);
    assert_eq!(store.revisions(q).await.unwrap().len(), 2);
}

/// Deleting hides a post from counts (not from the database); undeleting restores.
pub async fn deleting_and_undeleting_move_the_counters(store: Arc<dyn Store>) {
    let ([_, bob], _, q) = Fixture::new(&*store)
        .question("A question to delete", &["gone"], 0)
        .build(["ann", "bob"])
        .await;
    let a = answer(&*store, q, bob.id, 1).await;
    store.set_post_deleted(a, true, at(5)).await.unwrap();
    store.set_post_deleted(a, true, at(6)).await.unwrap(); // again: no change
    let thread = store.question_thread(q).await.unwrap().unwrap();
    assert_eq!(thread.question.answer_count, 0);
    assert_eq!(thread.answers.len(), 1, "kept, for those who may see it");
    assert!(thread.answers[0].deleted);
    assert_eq!(store.question_of(a).await.unwrap(), None);
    assert_eq!(store.user_answers(bob.id, 1).await.unwrap().total, 0);
    let base = store.editable_post(a).await.unwrap().unwrap();
    assert!(base.deleted);
    let refused = store
        .edit_post(edit(
            a,
            bob.id,
            base.latest_revision,
            "",
            "Editing a deleted answer",
            &[],
        ))
        .await;
    assert!(
        matches!(refused, Err(StoreError::Refused(_))),
        "{refused:?}"
    );

    store.set_post_deleted(q, true, at(7)).await.unwrap();
    assert_eq!(
        store
            .list_questions(&QuestionQuery::default())
            .await
            .unwrap()
            .total,
        0
    );
    assert_eq!(store.tag("gone").await.unwrap().unwrap().question_count, 0);
    assert!(
        store
            .question_thread(q)
            .await
            .unwrap()
            .unwrap()
            .question
            .deleted
    );

    store.set_post_deleted(q, false, at(8)).await.unwrap();
    store.set_post_deleted(a, false, at(8)).await.unwrap();
    let thread = store.question_thread(q).await.unwrap().unwrap();
    assert!(!thread.question.deleted && !thread.answers[0].deleted);
    assert_eq!(thread.question.answer_count, 1);
    assert_eq!(store.tag("gone").await.unwrap().unwrap().question_count, 1);
    let kinds: Vec<String> = changes_when_settled(&*store, 9)
        .await
        .into_iter()
        .map(|c| c.kind)
        .collect();
    assert!(
        kinds.contains(&"post.deleted".to_owned()) && kinds.contains(&"post.undeleted".to_owned()),
        "{kinds:?}"
    );
    assert!(matches!(
        store.set_post_deleted(PostId(a.0 + 50), true, at(9)).await,
        Err(StoreError::NotFound { .. })
    ));
}

/// A suggestion waits; approving applies it as the suggester's revision (+2), and a
/// second pending suggestion on the same post is refused.
pub async fn suggested_edits_wait_for_review(store: Arc<dyn Store>) {
    let ([ann, bob], _, q) = Fixture::new(&*store)
        .question("A question to improve", &["x"], 0)
        .build(["ann", "bob"])
        .await;
    let base = store
        .editable_post(q)
        .await
        .unwrap()
        .unwrap()
        .latest_revision;
    let suggestion = |title: &str| NewSuggestedEdit {
        post: q,
        author: bob.id,
        base_revision: base,
        title: title.to_owned(),
        body_markdown: "A clearer body for the question, $x^2$.".into(),
        tags: vec!["x".into(), "y".into()],
        summary: "clarity".into(),
        created_at: at(10),
    };
    let id = store
        .create_suggested_edit(suggestion("A better question title"))
        .await
        .unwrap();
    let second = store
        .create_suggested_edit(suggestion("Yet another title here"))
        .await;
    assert!(
        matches!(second, Err(StoreError::Conflict { .. })),
        "{second:?}"
    );
    let pending = store.pending_suggestion(q).await.unwrap().expect("pending");
    assert_eq!(
        (pending.id, pending.author.id, pending.tags.clone()),
        (id, bob.id, vec!["x".to_owned(), "y".to_owned()])
    );
    assert_eq!(store.pending_suggestions(10).await.unwrap().len(), 1);
    store
        .approve_suggested_edit(
            id,
            ann.id,
            ReputationRules::default(),
            RenderOptions {
                math: true,
                ..RenderOptions::default()
            },
            at(20),
        )
        .await
        .unwrap();
    let thread = store.question_thread(q).await.unwrap().unwrap();
    assert_eq!(thread.question.title, "A better question title");
    assert!(
        thread.question.body_html.as_str().contains("<msup>"),
        "rendered with the options given: {}",
        thread.question.body_html.as_str()
    );
    assert_eq!(thread.tags, ["x", "y"]);
    let history = store.revisions(q).await.unwrap();
    assert_eq!(
        history.last().unwrap().editor.id,
        bob.id,
        "credited to the suggester"
    );
    assert_eq!(reputation(&*store, bob.id).await, 3);
    assert!(
        store
            .badges(bob.id)
            .await
            .unwrap()
            .iter()
            .any(|b| b.name == "Editor")
    );
    assert!(matches!(
        store
            .approve_suggested_edit(
                id,
                ann.id,
                ReputationRules::default(),
                RenderOptions::default(),
                at(21)
            )
            .await,
        Err(StoreError::NotFound { .. })
    ));

    // A suggestion written against an old revision cannot be applied.
    let stale = store
        .create_suggested_edit(NewSuggestedEdit {
            base_revision: base,
            ..suggestion("Written against the old one")
        })
        .await
        .unwrap();
    assert!(matches!(
        store
            .approve_suggested_edit(
                stale,
                ann.id,
                ReputationRules::default(),
                RenderOptions::default(),
                at(22)
            )
            .await,
        Err(StoreError::Stale { .. })
    ));
    store
        .reject_suggested_edit(stale, ann.id, "superseded", at(23))
        .await
        .unwrap();
    let rejected = store.suggested_edit(stale).await.unwrap().unwrap();
    assert_eq!(
        (rejected.status.as_str(), rejected.reason.as_str()),
        ("rejected", "superseded")
    );
    assert!(store.pending_suggestion(q).await.unwrap().is_none());
}

/// A write that another beat to the post is refused with the rule it broke, never
/// failed: an answer as the question closes, a vote as the post is locked, an edit
/// as the post is deleted, an accept as the answer is deleted, and the second of
/// two editors saving from the same revision (issue 17).
pub async fn writes_raced_by_another_are_refused_by_name(store: Arc<dyn Store>) {
    let ([ann, bob], _, q) = Fixture::new(&*store)
        .question("Racing", &["race"], 1)
        .build(["ann", "bob"])
        .await;
    let reply = answer(&*store, q, bob.id, 2).await;

    // Bob's vote lands a moment after a moderator locked the answer.
    store.set_locked(reply, true, at(3)).await.unwrap();
    let vote = store
        .cast_vote(NewVote {
            post: reply,
            user: ann.id,
            value: VoteValue::Up,
            created_at: at(4),
            rules: ReputationRules::default(),
        })
        .await;
    assert!(
        matches!(vote, Err(StoreError::Refused(Refusal::PostLocked))),
        "{vote:?}"
    );
    store.set_locked(reply, false, at(5)).await.unwrap();

    // An edit saved after its post was deleted.
    let base = store.editable_post(reply).await.unwrap().unwrap();
    let deletion = PostDeletion {
        post: reply,
        delete: true,
        by: bob.id,
        moderator: false,
        reason: String::new(),
        at: at(6),
    };
    store.change_post_deletion(deletion.clone()).await.unwrap();
    let late_edit = store
        .edit_post(edit(
            reply,
            bob.id,
            base.latest_revision,
            "",
            "An edit that arrives too late",
            &[],
        ))
        .await;
    assert!(
        matches!(late_edit, Err(StoreError::Refused(Refusal::PostDeleted))),
        "{late_edit:?}"
    );

    // An accept of the answer deleted meanwhile.
    let accept = store
        .accept_answer(q, Some(reply), ReputationRules::default())
        .await;
    assert!(
        matches!(
            accept,
            Err(StoreError::Refused(Refusal::NotAnAnswerTo { post, question }))
                if post == reply && question == q
        ),
        "{accept:?}"
    );
    store
        .change_post_deletion(PostDeletion {
            delete: false,
            at: at(7),
            ..deletion
        })
        .await
        .unwrap();

    // Two editors save from the same revision at once: one wins, one is told.
    let base = store
        .editable_post(q)
        .await
        .unwrap()
        .unwrap()
        .latest_revision;
    let mut tasks = Vec::new();
    for (editor, body) in [
        (ann.id, "Ann's version of it"),
        (bob.id, "Bob's version of it"),
    ] {
        let store = store.clone();
        let change = edit(q, editor, base, "Racing", body, &["race"]);
        tasks.push(tokio::spawn(async move { store.edit_post(change).await }));
    }
    let mut outcomes = Vec::new();
    for task in tasks {
        outcomes.push(task.await.unwrap());
    }
    assert_eq!(
        outcomes.iter().filter(|o| o.is_ok()).count(),
        1,
        "{outcomes:?}"
    );
    assert!(
        outcomes
            .iter()
            .any(|o| matches!(o, Err(StoreError::Stale { .. }))),
        "{outcomes:?}"
    );

    // An answer posted as the question is closed.
    store
        .cast_close_vote(close_vote(q, ann.id, true, 1))
        .await
        .unwrap();
    let late_answer = store
        .create_answer(NewAnswer {
            question: q,
            author: bob.id,
            body: PostBody::from_markdown("An answer that arrives too late"),
            created_at: at(95),
        })
        .await;
    assert!(
        matches!(
            late_answer,
            Err(StoreError::Refused(Refusal::QuestionClosed))
        ),
        "{late_answer:?}"
    );
    let thread = store.question_thread(q).await.unwrap().unwrap();
    assert_eq!(thread.answers.len(), 1, "nothing half-written");
}
