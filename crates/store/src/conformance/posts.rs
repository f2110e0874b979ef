//! Posts and threads: categories, questions, answers, comments, lists, the
//! question page's statements.

use super::*;

/// Children hang under parents; sibling slugs are unique, cousins may share one.
pub async fn categories_form_a_tree_with_unique_sibling_slugs(store: Arc<dyn Store>) {
    let history = category(&*store, None, "history").await;
    let science = category(&*store, None, "science").await;
    let modern = category(&*store, Some(history.id), "modern").await;
    category(&*store, Some(science.id), "modern").await; // same slug, other parent
    match store
        .create_category(NewCategory {
            parent: Some(history.id),
            slug: "modern".into(),
            name: "Again".into(),
            description: String::new(),
            position: 1,
        })
        .await
    {
        Err(StoreError::Conflict { .. }) => {}
        other => panic!("expected a conflict, got {other:?}"),
    }
    match store
        .create_category(NewCategory {
            parent: None,
            slug: "history".into(),
            name: "History again".into(),
            description: String::new(),
            position: 1,
        })
        .await
    {
        Err(StoreError::Conflict { .. }) => {}
        other => panic!("expected a conflict at the top, got {other:?}"),
    }
    let all = store.categories().await.unwrap();
    assert_eq!(all.len(), 4);
    assert_eq!(all[0].parent_id, None);
    assert_eq!(all[1].parent_id, None);
    let found = all.iter().find(|c| c.id == modern.id).unwrap();
    assert_eq!(found.parent_id, Some(history.id));
    assert_eq!(found.name, "modern");
}

/// The thread has the question, its tags, its category path, answers and comments.
pub async fn a_question_thread_holds_everything_its_page_shows(store: Arc<dyn Store>) {
    let ann = user(&*store, "ann").await;
    let bob = user(&*store, "bob").await;
    let history = category(&*store, None, "history").await;
    let modern = category(&*store, Some(history.id), "modern").await;
    let q = ask(
        &*store,
        ann.id,
        modern.id,
        "Why did it happen?",
        &["causes", "europe"],
        0,
    )
    .await;
    let a = answer(&*store, q, bob.id, 10).await;
    comment(&*store, q, bob.id, 20).await;
    comment(&*store, a, ann.id, 30).await;
    comment(&*store, a, bob.id, 40).await;

    let thread = store.question_thread(q).await.unwrap().expect("thread");
    // The bodies search snippets are cut from: those that exist, whatever order.
    let mut bodies = store.post_bodies(&[a, PostId(999_999), q]).await.unwrap();
    bodies.sort();
    let expected: Vec<(PostId, String)> = [q, a]
        .iter()
        .zip([&thread.question, &thread.answers[0]])
        .map(|(id, post)| (*id, post.body_markdown.clone()))
        .collect();
    assert_eq!(bodies, expected);
    assert!(store.post_bodies(&[]).await.unwrap().is_empty());
    assert_eq!(thread.question.id, q);
    assert_eq!(thread.question.kind, PostKind::Question);
    assert_eq!(thread.question.title, "Why did it happen?");
    assert!(
        thread
            .question
            .body_html
            .as_str()
            .contains("<em>Why did it happen?</em>")
    );
    assert!(
        thread
            .question
            .body_markdown
            .contains("*Why did it happen?*")
    );
    assert_eq!(thread.question.author.id, ann.id);
    assert_eq!(thread.question.author.display_name, "Ann");
    assert_eq!(thread.question.answer_count, 1);
    assert_eq!(thread.question.comment_count, 1);
    assert_eq!(thread.question.created_at, at(0));
    assert_eq!(thread.question.last_activity_at, at(40));
    assert_eq!(thread.tags, vec!["causes".to_owned(), "europe".to_owned()]);
    let path: Vec<&str> = thread
        .category_path
        .iter()
        .map(|c| c.slug.as_str())
        .collect();
    assert_eq!(path, ["history", "modern"]);
    assert_eq!(thread.answers.len(), 1);
    assert_eq!(thread.answers[0].author.id, bob.id);
    assert_eq!(thread.answers[0].comment_count, 2);
    assert_eq!(thread.comments_of(q).count(), 1);
    let under_answer: Vec<i64> = thread.comments_of(a).map(|c| c.author.id.0).collect();
    assert_eq!(under_answer, [ann.id.0, bob.id.0]);

    let tag = store.tag("causes").await.unwrap().expect("tag");
    assert_eq!(tag.question_count, 1);
    let popular: Vec<String> = store
        .popular_tags(10)
        .await
        .unwrap()
        .into_iter()
        .map(|t| t.name)
        .collect();
    assert_eq!(popular, ["causes", "europe"]);
    assert_eq!(store.popular_tags(1).await.unwrap().len(), 1);
    assert_eq!(store.tag("nope").await.unwrap(), None);
    // An answer id is not a question page.
    assert_eq!(store.question_thread(a).await.unwrap(), None);
    assert_eq!(
        store.question_thread(PostId(a.0 + 1000)).await.unwrap(),
        None
    );
}

/// Answers come accepted first, then by score, then oldest first.
pub async fn answers_list_accepted_first_then_by_score(store: Arc<dyn Store>) {
    let ann = user(&*store, "ann").await;
    let voters = [user(&*store, "v1").await, user(&*store, "v2").await];
    let bob = user(&*store, "bob").await;
    let cat = category(&*store, None, "general").await;
    let q = ask(&*store, ann.id, cat.id, "Which answer wins?", &["order"], 0).await;
    let first = answer(&*store, q, bob.id, 1).await;
    let second = answer(&*store, q, bob.id, 2).await;
    let third = answer(&*store, q, bob.id, 3).await;
    for v in &voters {
        vote(&*store, third, v.id, VoteValue::Up).await;
    }
    vote(&*store, second, voters[0].id, VoteValue::Up).await;
    let order = |t: QuestionThread| t.answers.iter().map(|a| a.id).collect::<Vec<_>>();
    let thread = store.question_thread(q).await.unwrap().unwrap();
    assert_eq!(order(thread), [third, second, first]);
    store
        .accept_answer(q, Some(first), ReputationRules::default())
        .await
        .unwrap();
    let thread = store.question_thread(q).await.unwrap().unwrap();
    assert_eq!(thread.question.accepted_answer_id, Some(first));
    assert_eq!(order(thread), [first, third, second]);
}

/// Answers to answers, to missing questions, comments on missing posts: refused.
pub async fn bad_references_are_refused(store: Arc<dyn Store>) {
    let ([ann], _, q) = Fixture::new(&*store)
        .question("A question to answer", &[], 0)
        .build(["ann"])
        .await;
    let a = answer(&*store, q, ann.id, 1).await;
    let to_answer = store
        .create_answer(NewAnswer {
            question: a,
            author: ann.id,
            body: PostBody::from_markdown("nested"),
            created_at: at(2),
        })
        .await;
    assert!(
        matches!(
            to_answer,
            Err(StoreError::Refused(Refusal::AnswerToAnswer { .. }))
        ),
        "{to_answer:?}"
    );
    let missing = store
        .create_answer(NewAnswer {
            question: PostId(q.0 + 1000),
            author: ann.id,
            body: PostBody::from_markdown("lost"),
            created_at: at(2),
        })
        .await;
    assert!(
        matches!(missing, Err(StoreError::NotFound { .. })),
        "{missing:?}"
    );
    let comment_missing = store
        .create_comment(NewComment {
            post: PostId(q.0 + 1000),
            author: ann.id,
            body: PostBody::from_markdown("lost"),
            created_at: at(2),
        })
        .await;
    assert!(matches!(comment_missing, Err(StoreError::NotFound { .. })));
    let thread = store.question_thread(q).await.unwrap().unwrap();
    assert_eq!(
        thread.question.answer_count, 1,
        "refused writes changed nothing"
    );
    assert_eq!(thread.answers.len(), 1);
}

/// Comment counts follow comments on each post.
pub async fn comments_count_and_group_by_post(store: Arc<dyn Store>) {
    let ([ann], _, q) = Fixture::new(&*store)
        .question("Comment counting question", &[], 0)
        .build(["ann"])
        .await;
    let answers = [
        answer(&*store, q, ann.id, 1).await,
        answer(&*store, q, ann.id, 2).await,
    ];
    for i in 0..3 {
        comment(&*store, answers[1], ann.id, 10 + i).await;
    }
    comment(&*store, answers[0], ann.id, 20).await;
    let thread = store.question_thread(q).await.unwrap().unwrap();
    assert_eq!(thread.question.comment_count, 0);
    let counts: Vec<(PostId, i64)> = thread
        .answers
        .iter()
        .map(|a| (a.id, a.comment_count))
        .collect();
    assert!(
        counts.contains(&(answers[0], 1)) && counts.contains(&(answers[1], 3)),
        "{counts:?}"
    );
    assert_eq!(thread.comments.len(), 4);
    assert_eq!(thread.comments_of(answers[1]).count(), 3);
}

/// Sorts, filters (category with descendants, tag, author, unanswered) and paging.
pub async fn question_lists_sort_filter_and_page(store: Arc<dyn Store>) {
    let ann = user(&*store, "ann").await;
    let bob = user(&*store, "bob").await;
    let top = category(&*store, None, "history").await;
    let child = category(&*store, Some(top.id), "modern").await;
    let grandchild = category(&*store, Some(child.id), "wars").await;
    let other = category(&*store, None, "science").await;
    let q1 = ask(&*store, ann.id, top.id, "First question asked", &["a"], 0).await;
    let q2 = ask(
        &*store,
        bob.id,
        grandchild.id,
        "Second question asked",
        &["a", "b"],
        10,
    )
    .await;
    let q3 = ask(
        &*store,
        ann.id,
        other.id,
        "Third question asked",
        &["b"],
        20,
    )
    .await;
    answer(&*store, q1, bob.id, 30).await; // q1 becomes the most active
    vote(&*store, q2, ann.id, VoteValue::Up).await;
    vote(&*store, q3, bob.id, VoteValue::Down).await;

    let list = |filter: QuestionFilter, sort: QuestionSort| {
        let store = store.clone();
        async move {
            let page = store
                .list_questions(&QuestionQuery {
                    filter,
                    sort,
                    ..Default::default()
                })
                .await
                .unwrap();
            (
                page.total,
                page.items.iter().map(|q| q.id).collect::<Vec<_>>(),
            )
        }
    };
    assert_eq!(
        list(QuestionFilter::All, QuestionSort::Active).await,
        (3, vec![q1, q3, q2])
    );
    assert_eq!(
        list(QuestionFilter::All, QuestionSort::Newest).await,
        (3, vec![q3, q2, q1])
    );
    assert_eq!(
        list(QuestionFilter::All, QuestionSort::Score).await,
        (3, vec![q2, q1, q3])
    );
    assert_eq!(
        list(QuestionFilter::All, QuestionSort::Unanswered).await,
        (2, vec![q3, q2])
    );
    assert_eq!(
        list(QuestionFilter::Category(top.id), QuestionSort::Newest).await,
        (2, vec![q2, q1]),
        "a category lists its descendants' questions"
    );
    assert_eq!(
        list(QuestionFilter::Category(child.id), QuestionSort::Newest).await,
        (1, vec![q2])
    );
    assert_eq!(
        list(QuestionFilter::Tag("b".into()), QuestionSort::Newest).await,
        (2, vec![q3, q2])
    );
    assert_eq!(
        list(QuestionFilter::Tag("zzz".into()), QuestionSort::Newest).await,
        (0, vec![])
    );
    assert_eq!(
        list(QuestionFilter::Author(ann.id), QuestionSort::Newest).await,
        (2, vec![q3, q1])
    );

    let page = store
        .list_questions(&QuestionQuery::default())
        .await
        .unwrap();
    let first = page.items.iter().find(|q| q.id == q2).unwrap();
    assert_eq!(first.tags, ["a", "b"]);
    assert_eq!(first.score, 1);
    assert_eq!(first.author.display_name, "Bob");
    assert_eq!(first.category_id, grandchild.id);
    let answered = page.items.iter().find(|q| q.id == q1).unwrap();
    assert_eq!(answered.answer_count, 1);
    assert_eq!(answered.last_activity_at, at(30));

    let paged = |page: u32| QuestionQuery {
        page,
        per_page: 2,
        sort: QuestionSort::Newest,
        ..Default::default()
    };
    let p1 = store.list_questions(&paged(1)).await.unwrap();
    let p2 = store.list_questions(&paged(2)).await.unwrap();
    let p3 = store.list_questions(&paged(3)).await.unwrap();
    assert_eq!((p1.items.len(), p2.items.len(), p3.items.len()), (2, 1, 0));
    assert_eq!(p1.page_count(), 2);
    assert_eq!(p2.items[0].id, q1);
}

/// The question page's reads are as many for 50 answers with comments as for 1.
pub async fn question_page_queries_do_not_grow_with_content(store: Arc<dyn Store>) {
    let ([ann], cat, small) = Fixture::new(&*store)
        .question("A question with one answer", &["x"], 0)
        .build(["ann"])
        .await;
    answer(&*store, small, ann.id, 1).await;
    let big = ask(
        &*store,
        ann.id,
        cat.id,
        "A question with fifty answers",
        &["x", "y", "z"],
        0,
    )
    .await;
    for i in 0..50 {
        let a = answer(&*store, big, ann.id, i).await;
        comment(&*store, a, ann.id, i).await;
        comment(&*store, a, ann.id, i + 1).await;
    }
    comment(&*store, big, ann.id, 99).await;

    let before = store.queries_executed();
    let small_thread = store.question_thread(small).await.unwrap().unwrap();
    let small_queries = store.queries_executed() - before;
    let before = store.queries_executed();
    let big_thread = store.question_thread(big).await.unwrap().unwrap();
    let big_queries = store.queries_executed() - before;
    assert_eq!(small_thread.answers.len(), 1);
    assert_eq!(big_thread.answers.len(), 50);
    assert_eq!(big_thread.comments.len(), 101);
    assert_eq!(small_queries, big_queries, "queries grew with the thread");
    assert_eq!(
        big_queries, 1,
        "a question's thread is read in one statement"
    );
}

/// A user's answers, newest first, with their questions' titles.
pub async fn user_answers_are_listed(store: Arc<dyn Store>) {
    let ([ann, bob], cat, q1) = Fixture::new(&*store)
        .question("Question number one", &[], 0)
        .build(["ann", "bob"])
        .await;
    let q2 = ask(&*store, ann.id, cat.id, "Question number two", &[], 0).await;
    let a1 = answer(&*store, q1, bob.id, 1).await;
    let a2 = answer(&*store, q2, bob.id, 2).await;
    store
        .accept_answer(q1, Some(a1), ReputationRules::default())
        .await
        .unwrap();
    let page = store.user_answers(bob.id, 1).await.unwrap();
    assert_eq!(page.total, 2);
    assert_eq!(page.items[0].id, a2);
    assert_eq!(page.items[0].question_title, "Question number two");
    assert!(!page.items[0].accepted);
    assert!(page.items[1].accepted);
    assert_eq!(store.user_answers(ann.id, 1).await.unwrap().total, 0);
}

/// An answer's question is its parent; a question is its own.
pub async fn question_of_resolves_answers(store: Arc<dyn Store>) {
    let ([ann], _, q) = Fixture::new(&*store)
        .question("Where does this answer go", &[], 0)
        .build(["ann"])
        .await;
    let a = answer(&*store, q, ann.id, 1).await;
    assert_eq!(store.question_of(q).await.unwrap(), Some(q));
    assert_eq!(store.question_of(a).await.unwrap(), Some(q));
    assert_eq!(store.question_of(PostId(a.0 + 100)).await.unwrap(), None);
}

/// One post read alone: the same as in its thread, deleted ones marked.
pub async fn a_post_reads_alone_as_in_its_thread(store: Arc<dyn Store>) {
    let ([_, bob], _, q) = Fixture::new(&*store)
        .question("Read me without my answers", &[], 0)
        .build(["ann", "bob"])
        .await;
    let a = answer(&*store, q, bob.id, 1).await;
    let thread = store.question_thread(q).await.unwrap().unwrap();
    let question = store.post(q).await.unwrap().expect("the question");
    assert_eq!(question, thread.question);
    let alone = store.post(a).await.unwrap().expect("the answer");
    assert_eq!(alone, thread.answers[0]);
    assert_eq!(alone.kind, PostKind::Answer);
    assert_eq!(alone.author.id, bob.id);
    store.set_post_deleted(a, true, 5).await.unwrap();
    assert!(store.post(a).await.unwrap().unwrap().deleted);
    assert_eq!(store.post(PostId(a.0 + 100)).await.unwrap(), None);
}

/// Tags are listed by popularity, name or age, a page at a time, leaving out those
/// no live question carries (issue 18).
pub async fn tags_are_listed_by_popularity_name_and_age(store: Arc<dyn Store>) {
    use ponder_core::paging::TagSort;
    let ([ann], cat, _) = Fixture::new(&*store)
        .question("First question here", &["rust", "async"], 0)
        .build(["ann"])
        .await;
    ask(
        &*store,
        ann.id,
        cat.id,
        "Second question here",
        &["rust"],
        1,
    )
    .await;
    let gone = ask(
        &*store,
        ann.id,
        cat.id,
        "Third question here",
        &["zebra"],
        2,
    )
    .await;
    store.set_post_deleted(gone, true, at(3)).await.unwrap();
    let names = |page: Page<Tag>| page.items.into_iter().map(|t| t.name).collect::<Vec<_>>();
    let popular = store.list_tags(TagSort::Popular, 1).await.unwrap();
    assert_eq!(popular.total, 2, "zebra's only question is deleted");
    assert_eq!(popular.items[0].question_count, 2);
    assert_eq!(names(popular), ["rust", "async"]);
    assert_eq!(
        names(store.list_tags(TagSort::Name, 1).await.unwrap()),
        ["async", "rust"]
    );
    let newest = names(store.list_tags(TagSort::Newest, 1).await.unwrap());
    assert_eq!(newest.len(), 2);
    assert!(
        store
            .list_tags(TagSort::Name, 2)
            .await
            .unwrap()
            .items
            .is_empty()
    );
}

/// Every question list's total (the site's, each category's with its subtree, each
/// tag's, each author's; all questions and the unanswered) is kept, not counted on
/// each view: it must still equal the questions the list shows after each kind of
/// write that moves a question in or out of one.
pub async fn list_totals_follow_every_change(store: Arc<dyn Store>) {
    let ann = user(&*store, "ann").await;
    let bob = user(&*store, "bob").await;
    let science = category(&*store, None, "science").await;
    let physics = category(&*store, Some(science.id), "physics").await;
    let history = category(&*store, None, "history").await;
    let q1 = ask(
        &*store,
        ann.id,
        physics.id,
        "Why is the sky blue",
        &["a", "b"],
        1,
    )
    .await;
    let q2 = ask(&*store, bob.id, history.id, "When did Rome fall", &["b"], 2).await;
    ask(&*store, ann.id, science.id, "What is a field", &[], 3).await;
    let authors = [ann.id, bob.id];
    let check = async |step: &str, site: i64, unanswered: i64| {
        let all = totals(&*store, QuestionFilter::All).await;
        assert_eq!(all, (site, unanswered), "{step}: the site's totals");
        for category in store.categories().await.unwrap() {
            totals(&*store, QuestionFilter::Category(category.id)).await;
            let own = listed_whole(
                &*store,
                QuestionFilter::Category(category.id),
                QuestionSort::Active,
            )
            .await
            .items
            .into_iter()
            .filter(|q| q.category_id == category.id)
            .count();
            assert_eq!(
                store.category_question_count(category.id).await.unwrap(),
                own as i64,
                "{step}: {}'s own questions",
                category.slug
            );
        }
        for tag in ["a", "b", "c", "none"] {
            totals(&*store, QuestionFilter::Tag(tag.to_owned())).await;
        }
        for author in authors {
            totals(&*store, QuestionFilter::Author(author)).await;
        }
    };
    check("asked", 3, 3).await;
    assert_eq!(
        totals(&*store, QuestionFilter::Category(science.id)).await,
        (2, 2),
        "a category counts its subtree"
    );
    assert_eq!(
        totals(&*store, QuestionFilter::Tag("b".into())).await,
        (2, 2)
    );

    let a = answer(&*store, q1, bob.id, 10).await;
    check("answered", 3, 2).await;
    answer(&*store, q1, ann.id, 11).await;
    check("answered twice", 3, 2).await;
    store.set_post_deleted(a, true, at(12)).await.unwrap();
    check("one answer deleted", 3, 2).await;
    let last = store.question_thread(q1).await.unwrap().unwrap().answers;
    let live = last.iter().find(|x| !x.deleted).unwrap().id;
    store.set_post_deleted(live, true, at(13)).await.unwrap();
    check("both answers deleted", 3, 3).await;
    store.set_post_deleted(a, false, at(14)).await.unwrap();
    check("an answer undeleted", 3, 2).await;

    store.set_post_deleted(q2, true, at(15)).await.unwrap();
    check("a question deleted", 2, 1).await;
    assert_eq!(
        totals(&*store, QuestionFilter::Tag("b".into())).await,
        (1, 0)
    );
    store.set_post_deleted(q2, true, at(16)).await.unwrap();
    check("deleted again", 2, 1).await;
    store.set_post_deleted(q2, false, at(17)).await.unwrap();
    check("undeleted", 3, 2).await;

    let base = store
        .editable_post(q1)
        .await
        .unwrap()
        .unwrap()
        .latest_revision;
    store
        .edit_post(PostEdit {
            post: q1,
            editor: ann.id,
            base_revision: base,
            title: "Why is the sky blue by day".into(),
            body: PostBody::from_markdown("Body of the question, long enough to read."),
            tags: vec!["b".into(), "c".into()],
            summary: "retagged".into(),
            at: at(18),
        })
        .await
        .unwrap();
    check("retagged", 3, 2).await;
    assert_eq!(
        totals(&*store, QuestionFilter::Tag("a".into())).await,
        (0, 0)
    );
    assert_eq!(
        totals(&*store, QuestionFilter::Tag("c".into())).await,
        (1, 0)
    );

    let b = store.tag("b").await.unwrap().unwrap().id;
    let c = store.tag("c").await.unwrap().unwrap().id;
    store.merge_tags(b, c, at(19)).await.unwrap();
    check("tags merged", 3, 2).await;
    assert_eq!(
        totals(&*store, QuestionFilter::Tag("c".into())).await,
        (2, 1)
    );

    store
        .delete_category(physics.id, Some(history.id), at(20))
        .await
        .unwrap();
    check("a category merged into another", 3, 2).await;
    assert_eq!(
        totals(&*store, QuestionFilter::Category(history.id)).await,
        (2, 1)
    );

    store
        .delete_user_with_content(bob.id, ann.id, at(21))
        .await
        .unwrap();
    check("an author's content deleted", 2, 2).await;
}

/// A list's first page, large enough to hold the whole of a test's list.
async fn listed_whole(
    store: &dyn Store,
    filter: QuestionFilter,
    sort: QuestionSort,
) -> Page<QuestionSummary> {
    store
        .list_questions(&QuestionQuery {
            filter,
            sort,
            per_page: 1000,
            ..Default::default()
        })
        .await
        .unwrap()
}

/// A list's totals (all questions, unanswered), checked against the questions it
/// lists when asked for all of them at once.
pub(crate) async fn totals(store: &dyn Store, filter: QuestionFilter) -> (i64, i64) {
    let mut found = [0; 2];
    for (slot, sort) in [QuestionSort::Active, QuestionSort::Unanswered]
        .into_iter()
        .enumerate()
    {
        let page = listed_whole(store, filter.clone(), sort).await;
        assert_eq!(
            page.total,
            page.items.len() as i64,
            "{filter:?} sorted {sort:?}: the total and the list disagree"
        );
        found[slot] = page.total;
    }
    (found[0], found[1])
}

/// A list's pages, asked one by one, are the list asked whole, whichever way the
/// store finds them: a list holding most of the site walks the site's order and
/// keeps its own, a small one (or a deep page) gathers its own and sorts them. Small
/// pages make both happen within one list.
pub async fn large_and_small_lists_page_alike(store: Arc<dyn Store>) {
    let ann = user(&*store, "ann").await;
    let bob = user(&*store, "bob").await;
    let big = category(&*store, None, "big").await;
    let inner = category(&*store, Some(big.id), "inner").await;
    let small = category(&*store, None, "small").await;
    let mut asked = Vec::new();
    for i in 0..36 {
        let (home, tags): (CategoryId, &[&str]) = match i % 9 {
            0 => (small.id, &["rare", "common"]),
            1 | 2 => (inner.id, &["common"]),
            3 => (big.id, &[]),
            _ => (big.id, &["common"]),
        };
        let title = format!("Question number {i} of the lists");
        let q = ask(&*store, ann.id, home, &title, tags, i).await;
        asked.push(q);
    }
    // Answers move activity and leave some unanswered; votes spread the scores.
    for (n, q) in asked.iter().enumerate() {
        if n % 4 != 0 {
            answer(&*store, *q, bob.id, 100 + (n as i64 * 7) % 40).await;
        }
        if n % 4 == 1 {
            vote(&*store, *q, bob.id, VoteValue::Up).await;
        }
    }
    let filters = [
        QuestionFilter::All,
        QuestionFilter::Category(big.id),
        QuestionFilter::Category(inner.id),
        QuestionFilter::Category(small.id),
        QuestionFilter::Tag("common".into()),
        QuestionFilter::Tag("rare".into()),
    ];
    for filter in filters {
        for sort in QuestionSort::ALL {
            let whole = listed_whole(&*store, filter.clone(), sort).await;
            assert!(!whole.items.is_empty(), "{filter:?} {sort:?}");
            let mut paged = Vec::new();
            for page in 1.. {
                let found = store
                    .list_questions(&QuestionQuery {
                        filter: filter.clone(),
                        sort,
                        page,
                        per_page: 2,
                    })
                    .await
                    .unwrap();
                assert_eq!(found.total, whole.total, "{filter:?} {sort:?} page {page}");
                if found.items.is_empty() {
                    break;
                }
                paged.extend(found.items.into_iter().map(|q| q.id));
            }
            let expected: Vec<PostId> = whole.items.iter().map(|q| q.id).collect();
            assert_eq!(paged, expected, "{filter:?} sorted {sort:?}");
        }
    }
}
