//! Bulk loads, exports, and stored texts rendered again.

use super::*;

/// Texts are read by id (those there are, in id order); replacing both Markdown
/// and HTML works only while the Markdown is as read.
pub async fn texts_are_read_by_id_and_replaced_unless_edited(store: Arc<dyn Store>) {
    use ponder_core::markdown::SafeHtml;
    let ([ann], cat, first) = Fixture::new(&*store)
        .question("First", &[], 1)
        .build(["ann"])
        .await;
    let second = ask(&*store, ann.id, cat.id, "Second", &[], 2).await;
    let third = ask(&*store, ann.id, cat.id, "Third", &[], 3).await;
    let read = |ids: Vec<i64>| {
        let store = store.clone();
        async move {
            store
                .stored_texts_of(RenderedText::PostBody, ids)
                .await
                .unwrap()
        }
    };
    let found = read(vec![third.0, first.0, 999_999]).await;
    assert_eq!(
        found.iter().map(|t| t.id).collect::<Vec<_>>(),
        [first.0, third.0]
    );
    assert_eq!(found[0].markdown, "Body of *First*, long enough to read.");
    assert!(read(Vec::new()).await.is_empty());
    let about = store
        .stored_texts_of(RenderedText::About, vec![ann.id.0])
        .await
        .unwrap();
    assert_eq!(about[0].markdown, "I am **ann**.");

    let html = SafeHtml::from_trusted_storage("<p>new</p>".to_owned());
    assert!(
        !store
            .replace_text(
                RenderedText::PostBody,
                first.0,
                "edited meanwhile",
                "new",
                &html
            )
            .await
            .unwrap()
    );
    assert_eq!(read(vec![first.0]).await[0].html, found[0].html);
    assert!(
        store
            .replace_text(
                RenderedText::PostBody,
                first.0,
                &found[0].markdown,
                "new",
                &html
            )
            .await
            .unwrap()
    );
    let replaced = read(vec![first.0, second.0]).await;
    assert_eq!(
        (replaced[0].markdown.as_str(), replaced[0].html.as_str()),
        ("new", "<p>new</p>")
    );
    assert_ne!(replaced[1].markdown, "new", "only the one named");
}

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

/// Text loaded in bulk comes back character for character: tabs, newlines,
/// carriage returns, backslashes, and `\N` as text rather than NULL.
pub async fn bulk_text_comes_back_character_for_character(store: Arc<dyn Store>) {
    let cat = category(&*store, None, "general").await;
    let awkward = "Tab\there, \\N, back\\slash\\, \\t, CR\r\nLF\n\u{e9}";
    let question = BulkPost {
        id: PostId(9100),
        kind: PostKind::Question,
        parent_id: None,
        category_id: Some(cat.id),
        author_id: UserId(600),
        title: format!("Title {awkward}"),
        body: PostBody::from_storage(awkward.to_owned(), format!("<p>{awkward}</p>")),
        tags: vec![],
        score: 0,
        answer_count: 0,
        comment_count: 1,
        view_count: 0,
        accepted_answer_id: None,
        created_at: at(1),
        last_activity_at: at(1),
        edited_at: None,
        deleted_at: None,
        closed_at: None,
        close_reason: String::new(),
        duplicate_of: None,
        owner_name: Some("\\N".into()),
        licence: Some("CC BY-SA 4.0".into()),
        favorite_count: Some(0),
        community_owned_at: Some(at(5)),
        time_millis: None,
    };
    let batch = BulkBatch {
        users: vec![BulkUser {
            id: UserId(600),
            handle: "awkward".into(),
            display_name: "Awk\tward".into(),
            reputation: 1,
            about: PostBody::from_markdown(""),
            created_at: at(0),
            last_seen_at: None,
            deleted_at: None,
            profile: None,
            time_millis: None,
        }],
        posts: vec![question],
        comments: vec![BulkComment {
            id: CommentId(7100),
            post_id: PostId(9100),
            author_id: UserId(600),
            body: PostBody::inline(awkward),
            score: 0,
            created_at: at(2),
            deleted_at: None,
            owner_name: None,
            licence: Some("CC BY-SA 3.0".into()),
            time_millis: None,
        }],
        ..BulkBatch::default()
    };
    store.bulk_load(batch).await.unwrap();
    let thread = store.question_thread(PostId(9100)).await.unwrap().unwrap();
    assert_eq!(thread.question.title, format!("Title {awkward}"));
    assert_eq!(thread.question.body_markdown, awkward);
    assert_eq!(
        thread.question.body_html.as_str(),
        format!("<p>{awkward}</p>")
    );
    let comments = store.export_comments(0, 10).await.unwrap();
    assert_eq!(comments[0].body.markdown(), awkward);
    assert_eq!(comments[0].licence.as_deref(), Some("CC BY-SA 3.0"));
    let posts = store.export_posts(0, 10).await.unwrap();
    assert_eq!(posts[0].licence.as_deref(), Some("CC BY-SA 4.0"));
    assert_eq!(
        (posts[0].favorite_count, posts[0].community_owned_at),
        (Some(0), Some(at(5))),
        "a count of none is kept as such"
    );
    assert_eq!(
        posts[0].owner_name.as_deref(),
        Some("\\N"),
        "text, not NULL"
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
            profile: None,
            time_millis: None,
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
            profile: None,
            time_millis: None,
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
        owner_name: None,
        licence: None,
        favorite_count: None,
        community_owned_at: None,
        time_millis: None,
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
        owner_name: None,
        licence: None,
        favorite_count: None,
        community_owned_at: None,
        time_millis: None,
    };
    let loaded_comment = BulkComment {
        id: CommentId(7000),
        post_id: PostId(9000),
        author_id: UserId(501),
        body: PostBody::inline("A loaded comment here"),
        score: 1,
        created_at: at(3),
        deleted_at: None,
        owner_name: None,
        licence: None,
        time_millis: None,
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
        profile: None,
        time_millis: None,
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
        owner_name: None,
        licence: None,
        favorite_count: None,
        community_owned_at: None,
        time_millis: None,
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
            profile: None,
            time_millis: None,
        }],
        tags: vec![BulkTag {
            id: 77,
            name: "imported".into(),
            description: String::new(),
            question_count: 0,
            wiki: PostBody::from_markdown(""),
            moderator_only: false,
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
            owner_name: None,
            licence: None,
            time_millis: None,
        }],
        badges: vec![BulkBadge {
            id: 3,
            user_id: UserId(-1),
            name: "Autobiographer".into(),
            class: "bronze".into(),
            post_id: None,
            awarded_at: at(4),
            tag_based: false,
            time_millis: None,
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
        // An answer is no linked question; a post links to no itself; post 99 is
        // not there.
        linked: vec![
            (PostId(11), PostId(10)),
            (PostId(10), PostId(13)),
            (PostId(10), PostId(11)),
            (PostId(10), PostId(10)),
            (PostId(99), PostId(10)),
            (PostId(11), PostId(10)),
        ],
        ..BulkBatch::default()
    };
    let done = store.bulk_load(updates).await.unwrap();
    assert_eq!(
        (
            done.sources,
            done.close_reasons,
            done.tag_descriptions,
            done.accepted,
            done.duplicates,
            done.linked
        ),
        (1, 1, 1, 1, 1, 2)
    );
    assert_eq!(
        store.export_linked(10, 14).await.unwrap(),
        [(PostId(10), PostId(13)), (PostId(11), PostId(10))]
    );
    assert_eq!(store.export_linked(12, 14).await.unwrap(), []);
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
            wiki: PostBody::from_markdown(""),
            moderator_only: false,
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

/// An import's votes are kept with their type, voter (where named) and bounty, and
/// its badges award by award, tag badges marked; exports give the imported votes
/// their ids and the site's own after them; a badge imported once is not given
/// again by the site.
pub async fn imported_votes_and_every_badge_award_are_kept(store: Arc<dyn Store>) {
    let cat = category(&*store, None, "general").await;
    let question = BulkPost {
        id: PostId(10),
        kind: PostKind::Question,
        parent_id: None,
        category_id: Some(cat.id),
        author_id: UserId(5),
        title: "An imported question, title and all ".into(),
        body: PostBody::imported("<p>Imported</p>", None),
        tags: vec!["imported".into()],
        score: 2,
        answer_count: 0,
        comment_count: 0,
        view_count: 3,
        accepted_answer_id: None,
        created_at: at(1),
        last_activity_at: at(1),
        edited_at: None,
        deleted_at: None,
        closed_at: None,
        close_reason: String::new(),
        duplicate_of: None,
        owner_name: None,
        licence: None,
        favorite_count: None,
        community_owned_at: None,
        time_millis: None,
    };
    let badge = |id: i64, name: &str, class: &str, tag_based: bool| BulkBadge {
        id,
        user_id: UserId(5),
        name: name.into(),
        class: class.into(),
        post_id: None,
        awarded_at: at(id),
        tag_based,
        time_millis: None,
    };
    let loaded_vote = |id: i64, vote_type: i64, user: Option<i64>, bounty: Option<i64>| BulkVote {
        id,
        post_id: PostId(10),
        vote_type,
        user_id: user.map(UserId),
        bounty,
        created_at: at(86_400),
    };
    let votes = vec![
        loaded_vote(7, UP_VOTE_TYPE, None, None),
        loaded_vote(9, 5, Some(5), None),
        loaded_vote(12, 8, Some(5), Some(50)),
    ];
    let badges = vec![
        badge(1, "Nice Answer", "bronze", false),
        badge(2, "Nice Answer", "bronze", false),
        badge(3, "Nice Answer", "bronze", false),
        badge(4, "Student", "bronze", false),
        badge(6, "rust", "silver", true),
    ];
    let batch = BulkBatch {
        users: vec![BulkUser {
            id: UserId(5),
            handle: "imported-5".into(),
            display_name: "Imported ".into(),
            reputation: 101,
            about: PostBody::from_markdown(""),
            created_at: at(0),
            last_seen_at: None,
            deleted_at: None,
            profile: None,
            time_millis: None,
        }],
        posts: vec![question],
        badges: badges.clone(),
        votes: votes.clone(),
        ..BulkBatch::default()
    };
    let loaded = store.bulk_load(batch.clone()).await.unwrap();
    assert_eq!((loaded.badges, loaded.votes), (5, 3));
    let again = store.bulk_load(batch).await.unwrap();
    assert_eq!(
        (again.badges, again.votes),
        (0, 0),
        "loading twice adds nothing"
    );
    assert_eq!(store.export_badges(0, 10).await.unwrap(), badges);
    assert_eq!(store.export_votes(i64::MIN, 10).await.unwrap(), votes);

    // The imported member asks on the site: Student, imported already, is not given
    // again; the site's own votes are exported after the imported ones.
    ask(
        &*store,
        UserId(5),
        cat.id,
        "A question asked on the site",
        &[],
        2,
    )
    .await;
    let students = store
        .badges(UserId(5))
        .await
        .unwrap()
        .into_iter()
        .filter(|b| b.name == "Student")
        .count();
    assert_eq!(students, 1);
    let ann = user(&*store, "ann").await;
    vote(&*store, PostId(10), ann.id, VoteValue::Down).await;
    let mut exported = Vec::new();
    let mut after = i64::MIN;
    loop {
        let page = store.export_votes(after, 2).await.unwrap();
        let Some(last) = page.last() else { break };
        after = last.id;
        exported.extend(page);
    }
    assert_eq!(exported.len(), 4, "{exported:?}");
    assert_eq!(exported[..3], votes[..]);
    let own = exported[3];
    assert!(own.id > 12, "after the imported ids: {own:?}");
    assert_eq!(
        (own.post_id, own.vote_type, own.user_id, own.bounty),
        (PostId(10), DOWN_VOTE_TYPE, None, None)
    );
}

/// An import's revisions keep their ids, editors, summaries and dates, each
/// filled in from the one before it (in the same batch or an earlier one) with
/// what it did not change; the site's own edits come after them.
pub async fn imported_revisions_are_filled_in_from_the_one_before(store: Arc<dyn Store>) {
    let cat = category(&*store, None, "general").await;
    let user = |id: i64, name: &str| BulkUser {
        id: UserId(id),
        handle: format!("imported-{id}"),
        display_name: name.into(),
        reputation: 1,
        about: PostBody::from_markdown(""),
        created_at: at(0),
        last_seen_at: None,
        deleted_at: None,
        profile: None,
        time_millis: None,
    };
    let revision = |id: i64,
                    editor: i64,
                    title: Option<&str>,
                    body: Option<&str>,
                    tags: Option<&[&str]>,
                    summary: &str| BulkRevision {
        id,
        post_id: PostId(10),
        editor_id: UserId(editor),
        title: title.map(str::to_owned),
        body: body.map(str::to_owned),
        tags: tags.map(|t| t.iter().map(|s| (*s).to_owned()).collect()),
        summary: summary.into(),
        created_at: at(id),
        guid: Some(format!("guid-{id}")),
        rollback: id == 130,
        imported: true,
        // As a dump may order them: tags, then body, then title.
        row_ids: [
            title.map(|_| id + 2),
            body.map(|_| id + 1),
            tags.map(|_| id),
        ],
        licence: (id == 110).then(|| "CC BY-SA 3.0".to_owned()),
        time_millis: None,
        editor_name: None,
    };
    let first = BulkBatch {
        users: vec![user(5, "Asker"), user(6, "Editor")],
        posts: vec![BulkPost {
            id: PostId(10),
            kind: PostKind::Question,
            parent_id: None,
            category_id: Some(cat.id),
            author_id: UserId(5),
            title: "A better title".into(),
            body: PostBody::imported("<p>Third body</p>", Some("Third body".into())),
            tags: vec!["rust".into(), "sql".into()],
            score: 0,
            answer_count: 0,
            comment_count: 0,
            view_count: 0,
            accepted_answer_id: None,
            created_at: at(100),
            last_activity_at: at(130),
            edited_at: Some(at(130)),
            deleted_at: None,
            closed_at: None,
            close_reason: String::new(),
            duplicate_of: None,
            owner_name: None,
            licence: None,
            favorite_count: None,
            community_owned_at: None,
            time_millis: None,
        }],
        revisions: vec![
            revision(
                100,
                5,
                Some("A title"),
                Some("First body"),
                Some(&["rust"]),
                "",
            ),
            revision(110, 6, None, Some("Second body"), None, "grammar"),
        ],
        ..BulkBatch::default()
    };
    let loaded = store.bulk_load(first.clone()).await.unwrap();
    assert_eq!(loaded.revisions, 2);
    let second = BulkBatch {
        revisions: vec![revision(
            130,
            6,
            Some("A better title"),
            Some("Third body"),
            Some(&["rust", "sql"]),
            "clearer",
        )],
        ..BulkBatch::default()
    };
    assert_eq!(store.bulk_load(second.clone()).await.unwrap().revisions, 1);
    assert_eq!(
        store.bulk_load(first).await.unwrap().revisions,
        0,
        "loaded once"
    );
    assert_eq!(store.bulk_load(second).await.unwrap().revisions, 0);

    let history = store.revisions(PostId(10)).await.unwrap();
    let seen: Vec<(i64, i64, &str, &str, String, &str, i64)> = history
        .iter()
        .map(|r| {
            (
                r.id,
                r.number,
                r.title.as_str(),
                r.body_markdown.as_str(),
                r.tags.join(" "),
                r.summary.as_str(),
                r.created_at,
            )
        })
        .collect();
    assert_eq!(
        seen,
        [
            (100, 1, "A title", "First body", "rust".into(), "", at(100)),
            (
                110,
                2,
                "A title",
                "Second body",
                "rust".into(),
                "grammar",
                at(110)
            ),
            (
                130,
                3,
                "A better title",
                "Third body",
                "rust sql".into(),
                "clearer",
                at(130)
            ),
        ]
    );
    assert_eq!(
        history.iter().map(|r| r.editor.id).collect::<Vec<_>>(),
        [UserId(5), UserId(6), UserId(6)]
    );

    // An edit on the site comes after the imported history.
    let editable = store.editable_post(PostId(10)).await.unwrap().unwrap();
    assert_eq!(editable.latest_revision, 130);
    let made = store
        .edit_post(PostEdit {
            post: PostId(10),
            editor: UserId(5),
            base_revision: editable.latest_revision,
            title: "A better title".into(),
            body: PostBody::from_markdown("Fourth body, written on the site."),
            tags: vec!["rust".into(), "sql".into()],
            summary: "on the site".into(),
            at: at(200),
        })
        .await
        .unwrap();
    assert!(made > 130, "{made}");
    assert_eq!(store.revisions(PostId(10)).await.unwrap().len(), 4);

    // Exports read an imported revision back as the dump had it (the fields its
    // rows set, its GUID, whether it rolled back), the site's own with every field.
    let exported = store.export_revisions(10, 10).await.unwrap();
    let shapes: Vec<_> = exported
        .iter()
        .map(|r| {
            (
                r.title.is_some(),
                r.body.is_some(),
                r.tags.is_some(),
                r.guid.as_deref(),
                r.rollback,
                r.imported,
            )
        })
        .collect();
    assert_eq!(
        shapes,
        [
            (true, true, true, Some("guid-100"), false, true),
            (false, true, false, Some("guid-110"), false, true),
            (true, true, true, Some("guid-130"), true, true),
            (true, true, true, None, false, false),
        ]
    );
    assert_eq!(
        exported.iter().map(|r| r.row_ids).collect::<Vec<_>>(),
        [
            [Some(102), Some(101), Some(100)],
            [None, Some(111), None],
            [Some(132), Some(131), Some(130)],
            [None, None, None],
        ]
    );
    assert_eq!(exported[1].body.as_deref(), Some("Second body"));
    assert_eq!(
        exported
            .iter()
            .map(|r| r.licence.as_deref())
            .collect::<Vec<_>>(),
        [None, Some("CC BY-SA 3.0"), None, None]
    );
    assert_eq!(
        exported[3].tags.as_deref(),
        Some(["rust".to_owned(), "sql".to_owned()].as_slice())
    );
    assert_eq!(store.export_revisions(11, 99).await.unwrap(), []);
    assert_eq!(
        store.revision_ids().await.unwrap(),
        RevisionIds {
            largest: made,
            largest_imported: 130,
            posts_without_history: 0,
        }
    );
}
