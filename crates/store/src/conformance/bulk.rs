//! Bulk loads, exports, and stored texts rendered again.

use super::*;

/// Every kind of rendered text is read in id order after a given id, and its HTML
/// is replaced only while its Markdown is the one read (issue 16: posts stored by
/// an older renderer can be rendered again).
pub async fn stored_texts_are_read_in_pages_and_rendered_anew_unless_edited(store: Arc<dyn Store>) {
    use ponder_core::markdown::SafeHtml;
    let ([ann, bob], cat, first) = Fixture::new(&*store)
        .question("First", &[], 1)
        .build(["ann", "bob"])
        .await;
    let second = ask(&*store, ann.id, cat.id, "Second", &[], 2).await;
    let reply = answer(&*store, first, bob.id, 3).await;
    comment(&*store, reply, ann.id, 4).await;

    let bodies = store
        .stored_texts(RenderedText::PostBody, 0, 2)
        .await
        .unwrap();
    assert_eq!(
        bodies.iter().map(|t| t.id).collect::<Vec<_>>(),
        [first.0, second.0]
    );
    assert_eq!(bodies[0].markdown, "Body of *First*, long enough to read.");
    assert_eq!(
        bodies[0].html,
        "<p>Body of <em>First</em>, long enough to read.</p>\n"
    );
    let rest = store
        .stored_texts(RenderedText::PostBody, second.0, 10)
        .await
        .unwrap();
    assert_eq!(rest.iter().map(|t| t.id).collect::<Vec<_>>(), [reply.0]);
    let comments = store
        .stored_texts(RenderedText::Comment, 0, 10)
        .await
        .unwrap();
    assert_eq!(comments.len(), 1);
    assert_eq!(comments[0].markdown, format!("Comment at 4 by {}.", ann.id));
    let abouts = store
        .stored_texts(RenderedText::About, 0, 10)
        .await
        .unwrap();
    assert_eq!(
        abouts
            .iter()
            .map(|t| (t.id, t.markdown.as_str()))
            .collect::<Vec<_>>(),
        [(ann.id.0, "I am **ann**."), (bob.id.0, "I am **bob**.")]
    );

    let html = SafeHtml::from_trusted_storage("<p>anew</p>".to_owned());
    for (kind, text) in [
        (RenderedText::PostBody, &bodies[0]),
        (RenderedText::Comment, &comments[0]),
        (RenderedText::About, &abouts[1]),
    ] {
        let edited = format!("{} (edited)", text.markdown);
        assert!(
            !store
                .replace_rendered_html(kind, text.id, &edited, &html)
                .await
                .unwrap(),
            "{kind:?}: an edit since the read wins"
        );
        let unchanged = store.stored_texts(kind, text.id - 1, 1).await.unwrap();
        assert_eq!(unchanged[0].html, text.html, "{kind:?}");
        assert!(
            store
                .replace_rendered_html(kind, text.id, &text.markdown, &html)
                .await
                .unwrap(),
            "{kind:?}"
        );
        let renewed = store.stored_texts(kind, text.id - 1, 1).await.unwrap();
        assert_eq!(renewed[0].html, "<p>anew</p>", "{kind:?}");
        assert_eq!(renewed[0].markdown, text.markdown, "{kind:?}");
    }
    assert!(
        !store
            .replace_rendered_html(RenderedText::PostBody, 999_999, "x", &html)
            .await
            .unwrap()
    );
    assert_eq!(
        store
            .user(bob.id)
            .await
            .unwrap()
            .unwrap()
            .about_html
            .as_str(),
        "<p>anew</p>"
    );
}

/// Bulk rows keep their ids and counters; later writes get fresh ids; a batch that
/// fails leaves nothing behind.
pub async fn bulk_loads_keep_ids_and_counters(store: Arc<dyn Store>) {
    let cat = category(&*store, None, "general").await;
    let users = vec![
        BulkUser {
            id: UserId(500),
            handle: "loaded".into(),
            display_name: "Loaded".into(),
            reputation: 77,
            about: PostBody::from_markdown(""),
            created_at: at(0),
            last_seen_at: None,
            deleted_at: None,
        },
        BulkUser {
            id: UserId(501),
            handle: "other".into(),
            display_name: "Other".into(),
            reputation: 1,
            about: PostBody::from_markdown(""),
            created_at: at(0),
            last_seen_at: None,
            deleted_at: None,
        },
    ];
    let question = BulkPost {
        id: PostId(9000),
        kind: PostKind::Question,
        parent_id: None,
        category_id: Some(cat.id),
        author_id: UserId(500),
        title: "A loaded question title".into(),
        body: PostBody::from_markdown("Loaded *body* text."),
        tags: vec!["bulk".into(), "loaded".into()],
        score: 5,
        answer_count: 1,
        comment_count: 1,
        view_count: 123,
        accepted_answer_id: Some(PostId(9001)),
        created_at: at(1),
        last_activity_at: at(3),
        edited_at: None,
        deleted_at: None,
        closed_at: None,
        close_reason: String::new(),
        duplicate_of: None,
    };
    let answer = BulkPost {
        id: PostId(9001),
        kind: PostKind::Answer,
        parent_id: Some(PostId(9000)),
        category_id: None,
        author_id: UserId(501),
        title: String::new(),
        body: PostBody::from_markdown("A loaded answer."),
        tags: vec![],
        score: 2,
        answer_count: 0,
        comment_count: 0,
        view_count: 0,
        accepted_answer_id: None,
        created_at: at(2),
        last_activity_at: at(2),
        edited_at: None,
        deleted_at: None,
        closed_at: None,
        close_reason: String::new(),
        duplicate_of: None,
    };
    let loaded_comment = BulkComment {
        id: CommentId(7000),
        post_id: PostId(9000),
        author_id: UserId(501),
        body: PostBody::inline("A loaded comment here"),
        score: 1,
        created_at: at(3),
        deleted_at: None,
    };
    let deleted_question = BulkPost {
        id: PostId(9002),
        title: "A loaded question, deleted".into(),
        tags: vec![],
        answer_count: 0,
        comment_count: 0,
        accepted_answer_id: None,
        deleted_at: Some(at(4)),
        ..question.clone()
    };
    let batch = BulkBatch {
        users,
        posts: vec![question.clone(), answer, deleted_question],
        comments: vec![loaded_comment],
        ..BulkBatch::default()
    };
    let loaded = store.bulk_load(batch.clone()).await.unwrap();
    assert_eq!(
        (loaded.users, loaded.posts, loaded.comments, loaded.accepted),
        (2, 3, 1, 1)
    );
    // The live question's related list is due; the deleted one's is not.
    let due = store.related_due(None, at(100), 10).await.unwrap();
    assert_eq!(
        due.iter()
            .map(|s| (s.id, s.computed_at))
            .collect::<Vec<_>>(),
        [(PostId(9000), 0)]
    );
    // The same batch again adds nothing and counts nothing twice.
    let again = store.bulk_load(batch).await.unwrap();
    assert_eq!((again.users, again.posts, again.comments), (0, 0, 0));
    let thread = store.question_thread(PostId(9000)).await.unwrap().unwrap();
    assert_eq!(
        (
            thread.question.score,
            thread.question.view_count,
            thread.question.answer_count
        ),
        (5, 123, 1)
    );
    assert_eq!(thread.question.accepted_answer_id, Some(PostId(9001)));
    assert_eq!(thread.answers[0].id, PostId(9001));
    assert_eq!(thread.comments[0].id, CommentId(7000));
    assert_eq!(thread.tags, ["bulk", "loaded"]);
    assert_eq!(store.tag("bulk").await.unwrap().unwrap().question_count, 1);
    assert_eq!(
        store.user(UserId(500)).await.unwrap().unwrap().reputation,
        77
    );

    // Writes after the load get ids beyond it.
    let fresh = user(&*store, "fresh").await;
    assert!(fresh.id.0 > 501, "{}", fresh.id);
    let q = ask(
        &*store,
        fresh.id,
        cat.id,
        "A question after the load",
        &["bulk"],
        5,
    )
    .await;
    assert!(q.0 > 9001, "{q}");
    comment(&*store, q, fresh.id, 6).await;
    assert!(
        store.question_thread(q).await.unwrap().unwrap().comments[0]
            .id
            .0
            > 7000
    );

    // A failing batch (a handle taken by another id) leaves nothing of itself.
    let bulk_user = |id: i64, handle: &str| BulkUser {
        id: UserId(id),
        handle: handle.into(),
        display_name: "Partial".into(),
        reputation: 1,
        about: PostBody::from_markdown(""),
        created_at: at(0),
        last_seen_at: None,
        deleted_at: None,
    };
    let dup = BulkBatch {
        users: vec![bulk_user(600, "partial"), bulk_user(601, "LOADED")],
        ..BulkBatch::default()
    };
    assert!(store.bulk_load(dup).await.is_err());
    assert_eq!(store.user(UserId(600)).await.unwrap(), None);
    drop(question);
}

/// Updates in a bulk batch find their rows (and only sound links are made); a
/// recount fixes counters given wrong; exports read every row back, page by page.
pub async fn bulk_updates_link_and_exports_read_back(store: Arc<dyn Store>) {
    let cat = category(&*store, None, "general").await;
    let post = |id: i64, parent: Option<i64>, deleted: bool| BulkPost {
        id: PostId(id),
        kind: if parent.is_some() {
            PostKind::Answer
        } else {
            PostKind::Question
        },
        parent_id: parent.map(PostId),
        category_id: parent.is_none().then_some(cat.id),
        author_id: UserId(-1),
        title: if parent.is_some() {
            String::new()
        } else {
            format!("Loaded question number {id}")
        },
        body: PostBody::imported("<p>Hello <script>x()</script><b>there</b></p>", None),
        tags: if parent.is_some() {
            vec![]
        } else {
            vec!["imported".into()]
        },
        score: 3,
        answer_count: 9,
        comment_count: 9,
        view_count: 40,
        accepted_answer_id: None,
        created_at: at(1),
        last_activity_at: at(2),
        edited_at: Some(at(2)),
        deleted_at: deleted.then(|| at(3)),
        closed_at: (id == 10).then(|| at(4)),
        close_reason: String::new(),
        duplicate_of: None,
    };
    let batch = BulkBatch {
        users: vec![BulkUser {
            id: UserId(-1),
            handle: "community-m1".into(),
            display_name: "Community".into(),
            reputation: 1,
            about: PostBody::from_markdown(""),
            created_at: at(0),
            last_seen_at: Some(at(5)),
            deleted_at: None,
        }],
        tags: vec![BulkTag {
            id: 77,
            name: "imported".into(),
            description: String::new(),
            question_count: 0,
        }],
        posts: vec![
            post(10, None, false),
            post(11, Some(10), false),
            post(12, Some(10), true),
            post(13, None, false),
            post(14, None, true),
        ],
        comments: vec![BulkComment {
            id: CommentId(5),
            post_id: PostId(11),
            author_id: UserId(-1),
            body: PostBody::inline("a comment"),
            score: 0,
            created_at: at(3),
            deleted_at: None,
        }],
        badges: vec![BulkBadge {
            id: 3,
            user_id: UserId(-1),
            name: "Autobiographer".into(),
            class: "bronze".into(),
            post_id: None,
            awarded_at: at(4),
        }],
        ..BulkBatch::default()
    };
    store.bulk_load(batch).await.unwrap();
    let updates = BulkBatch {
        sources: vec![
            (PostId(10), "Hello **there**".into()),
            (PostId(99), "x".into()),
        ],
        close_reasons: vec![(PostId(10), "duplicate".into()), (PostId(13), "no".into())],
        tag_descriptions: vec![("imported".into(), "From elsewhere".into())],
        // An answer of another question and a non-answer are refused.
        accepted: vec![
            (PostId(13), PostId(11)),
            (PostId(10), PostId(13)),
            (PostId(10), PostId(11)),
        ],
        duplicates: vec![(PostId(10), PostId(11)), (PostId(10), PostId(13))],
        ..BulkBatch::default()
    };
    let done = store.bulk_load(updates).await.unwrap();
    assert_eq!(
        (
            done.sources,
            done.close_reasons,
            done.tag_descriptions,
            done.accepted,
            done.duplicates
        ),
        (1, 1, 1, 1, 1)
    );
    store.recount().await.unwrap();
    assert_eq!(store.content_counts().await.unwrap(), (1, 5));
    let last = store.last_change_id().await.unwrap();
    use ponder_core::changes::ChangeKind;
    assert_eq!(
        store
            .last_change_of(ChangeKind::BulkLoaded, 0)
            .await
            .unwrap(),
        last
    );
    assert_eq!(
        store
            .last_change_of(ChangeKind::BulkLoaded, last)
            .await
            .unwrap(),
        0
    );
    assert_eq!(
        store
            .last_change_of(ChangeKind::PostLocked, 0)
            .await
            .unwrap(),
        0,
        "a kind never logged"
    );

    let mut posts = Vec::new();
    let mut after = 0;
    loop {
        let page = store.export_posts(after, 2).await.unwrap();
        let Some(last) = page.last() else { break };
        after = last.id.0;
        posts.extend(page);
    }
    assert_eq!(
        posts.iter().map(|p| p.id.0).collect::<Vec<_>>(),
        [10, 11, 12, 13, 14]
    );
    let q = &posts[0];
    assert_eq!(q.body.markdown(), "Hello **there**");
    assert_eq!(q.body.html(), "<p>Hello <b>there</b></p>");
    assert_eq!((q.answer_count, q.comment_count), (1, 0), "recounted");
    assert_eq!(posts[1].comment_count, 1);
    assert_eq!(q.accepted_answer_id, Some(PostId(11)));
    assert_eq!(q.duplicate_of, Some(PostId(13)));
    assert_eq!(
        (q.closed_at, q.close_reason.as_str()),
        (Some(at(4)), "duplicate")
    );
    assert_eq!(posts[3].close_reason, "", "open questions keep no reason");
    assert_eq!(q.tags, ["imported"]);
    assert_eq!(
        (q.edited_at, posts[2].deleted_at),
        (Some(at(2)), Some(at(3)))
    );
    let tags = store.export_tags(0, 10).await.unwrap();
    assert_eq!(
        tags,
        [BulkTag {
            id: 77,
            name: "imported".into(),
            description: "From elsewhere".into(),
            question_count: 2,
        }]
    );
    let users = store.export_users(-100, 10).await.unwrap();
    assert_eq!((users.len(), users[0].last_seen_at), (1, Some(at(5))));
    assert_eq!(
        store.export_comments(0, 10).await.unwrap()[0].id,
        CommentId(5)
    );
    assert_eq!(
        store.export_badges(0, 10).await.unwrap()[0].name,
        "Autobiographer"
    );
    assert!(store.export_votes(0, 10).await.unwrap().is_empty());

    // The import record.
    assert_eq!(store.import_run("dump").await.unwrap(), None);
    store.record_import("dump", false, at(7)).await.unwrap();
    store.record_import("dump", false, at(8)).await.unwrap();
    store.record_import("dump", true, at(9)).await.unwrap();
    let run = store.import_run("dump").await.unwrap().unwrap();
    assert_eq!((run.started_at, run.finished_at), (at(7), Some(at(9))));

    // Without its secondary indexes and the triggers that keep the lists' totals,
    // the site still reads right; they come back, and the totals are counted again
    // for what was written meanwhile.
    store.suspend_indexes("dump").await.unwrap();
    store.suspend_indexes("dump").await.unwrap();
    let listed = store
        .list_questions(&QuestionQuery::default())
        .await
        .unwrap();
    assert_eq!(listed.total, 2);
    let asker = users[0].id;
    ask(
        &*store,
        asker,
        cat.id,
        "Asked while the indexes were away",
        &["imported"],
        20,
    )
    .await;
    store.restore_indexes("dump").await.unwrap();
    store.restore_indexes("dump").await.unwrap();
    assert_eq!(totals(&*store, QuestionFilter::All).await, (3, 2));
    assert_eq!(
        totals(&*store, QuestionFilter::Tag("imported".into())).await,
        (3, 2)
    );
    ask(
        &*store,
        asker,
        cat.id,
        "Asked once the triggers were back",
        &[],
        21,
    )
    .await;
    assert_eq!(
        totals(&*store, QuestionFilter::Category(cat.id)).await,
        (4, 3)
    );
}
