//! Conformance: links between posts and the lookups rendering needs (issue 21).

use super::*;
use ponder_core::markdown::{RenderOptions, SiteLinks};

/// A body linking to the questions of `titles` by path.
fn linking(text: &str, titles: &[(PostId, &str)]) -> PostBody {
    PostBody::rendered(
        text,
        &RenderOptions {
            site: SiteLinks {
                base_url: "https://ask.example.org".into(),
                titles: titles
                    .iter()
                    .map(|(id, title)| (id.0, (*title).to_owned()))
                    .collect(),
                ..SiteLinks::default()
            },
            ..RenderOptions::default()
        },
    )
}

/// A post's links are written with its body, replaced by an edit, and read from
/// both ends, live posts only; titles and members are looked up by id and handle.
pub async fn links_are_kept_with_bodies_and_read_both_ways(store: Arc<dyn Store>) {
    let ann = user(&*store, "Ann").await;
    let cat = category(&*store, None, "links").await;
    let a = ask(
        &*store,
        ann.id,
        cat.id,
        "The first question here",
        &["x"],
        1,
    )
    .await;
    let b = ask(
        &*store,
        ann.id,
        cat.id,
        "The second question here",
        &["x"],
        2,
    )
    .await;
    let c = ask(
        &*store,
        ann.id,
        cat.id,
        "The third question here",
        &["x"],
        3,
    )
    .await;

    assert_eq!(
        store.question_titles(&[c, a, PostId(9_999)]).await.unwrap(),
        [
            (a, "The first question here".to_owned()),
            (c, "The third question here".to_owned())
        ]
    );
    assert!(store.question_titles(&[]).await.unwrap().is_empty());
    assert_eq!(
        store
            .members_by_handles(&["ANN".into(), "nobody".into()])
            .await
            .unwrap(),
        [("ann".to_owned(), ann.id)]
    );

    // An answer on A links to B; C's body links to A (and to itself, ignored).
    let body = linking(
        &format!("See https://ask.example.org/questions/{}", b.0),
        &[(b, "The second question here")],
    );
    assert_eq!(body.links(), [b]);
    let answer = store
        .create_answer(NewAnswer {
            question: a,
            author: ann.id,
            body,
            created_at: at(4),
        })
        .await
        .unwrap();
    let latest = store
        .editable_post(c)
        .await
        .unwrap()
        .unwrap()
        .latest_revision;
    store
        .edit_post(PostEdit {
            post: c,
            editor: ann.id,
            base_revision: latest,
            title: "The third question here".into(),
            body: linking(
                &format!("Like [that one](/questions/{}) and /questions/{}", a.0, c.0),
                &[
                    (a, "The first question here"),
                    (c, "The third question here"),
                ],
            ),
            tags: vec!["x".into()],
            summary: String::new(),
            at: at(5),
        })
        .await
        .unwrap();

    let ids = |found: Vec<LinkedQuestion>| found.into_iter().map(|q| q.id).collect::<Vec<_>>();
    assert_eq!(ids(store.linked_questions(a, 10).await.unwrap()), {
        let mut both = vec![b, c];
        both.sort();
        both
    });
    assert_eq!(ids(store.linked_questions(b, 10).await.unwrap()), [a]);
    assert_eq!(ids(store.linked_questions(c, 10).await.unwrap()), [a]);
    assert_eq!(store.linked_questions(a, 1).await.unwrap().len(), 1);

    // A deleted answer links nothing; a deleted question is not listed.
    store.set_post_deleted(answer, true, at(6)).await.unwrap();
    assert!(store.linked_questions(b, 10).await.unwrap().is_empty());
    store.set_post_deleted(c, true, at(7)).await.unwrap();
    assert!(store.linked_questions(a, 10).await.unwrap().is_empty());
    assert_eq!(store.question_titles(&[c]).await.unwrap(), []);

    // An edit without the link takes it away.
    store.set_post_deleted(answer, false, at(8)).await.unwrap();
    assert_eq!(ids(store.linked_questions(b, 10).await.unwrap()), [a]);
    let latest = store
        .editable_post(answer)
        .await
        .unwrap()
        .unwrap()
        .latest_revision;
    store
        .edit_post(PostEdit {
            post: answer,
            editor: ann.id,
            base_revision: latest,
            title: String::new(),
            body: PostBody::from_markdown("No links any more in this answer."),
            tags: Vec::new(),
            summary: String::new(),
            at: at(9),
        })
        .await
        .unwrap();
    assert!(store.linked_questions(b, 10).await.unwrap().is_empty());
}

/// A question's page reads as its thread and what is listed beside it read apart:
/// answers accepted first, comments, tags and the category path in order, the
/// linked questions up to the limit and the stored related list; an answer's id or
/// an unknown one is no page.
pub async fn a_question_page_is_its_thread_and_what_is_beside_it(store: Arc<dyn Store>) {
    let ann = user(&*store, "ann").await;
    let bob = user(&*store, "bob").await;
    let history = category(&*store, None, "history").await;
    let modern = category(&*store, Some(history.id), "modern").await;
    let q = ask(
        &*store,
        ann.id,
        modern.id,
        "Why did the wall fall?",
        &["causes", "europe", "berlin"],
        0,
    )
    .await;
    let mut others = Vec::new();
    for n in 0..3 {
        let title = format!("Another question number {n}");
        others.push(ask(&*store, ann.id, history.id, &title, &["causes"], n + 1).await);
    }
    let first = answer(&*store, q, bob.id, 10).await;
    let second = answer(&*store, q, ann.id, 11).await;
    vote(&*store, second, bob.id, VoteValue::Up).await;
    store
        .accept_answer(q, Some(first), ReputationRules::default())
        .await
        .unwrap();
    comment(&*store, q, bob.id, 20).await;
    comment(&*store, first, ann.id, 30).await;
    comment(&*store, second, bob.id, 40).await;
    // An answer here links to two others; an answer on the third links here.
    let there = [
        (others[0], "Another question number 0"),
        (others[1], "Another question number 1"),
    ];
    let here = [(q, "Why did the wall fall?")];
    for (question, text, titles, at_) in [
        (
            q,
            format!(
                "See /questions/{} and /questions/{}",
                others[0].0, others[1].0
            ),
            &there[..],
            41,
        ),
        (
            others[2],
            format!("Compare /questions/{}", q.0),
            &here[..],
            42,
        ),
    ] {
        store
            .create_answer(NewAnswer {
                question,
                author: bob.id,
                body: linking(&text, titles),
                created_at: at(at_),
            })
            .await
            .unwrap();
    }
    store
        .store_related(&[(q, vec![others[2], others[0]])], at(50))
        .await
        .unwrap();

    let before = store.queries_executed();
    let (thread, links) = store.question_page(q, 10).await.unwrap().expect("a page");
    let queries = store.queries_executed() - before;
    assert_eq!(queries, 1, "a question page is read in one statement");
    assert_eq!(thread, store.question_thread(q).await.unwrap().unwrap());
    assert_eq!(links, store.thread_links(q, 10).await.unwrap());
    let answers: Vec<PostId> = thread.answers.iter().map(|a| a.id).collect();
    assert_eq!(answers[..2], [first, second], "accepted first");
    assert_eq!(answers.len(), 3);
    assert_eq!(thread.tags, ["causes", "europe", "berlin"]);
    let path: Vec<&str> = thread
        .category_path
        .iter()
        .map(|c| c.slug.as_str())
        .collect();
    assert_eq!(path, ["history", "modern"]);
    assert_eq!(thread.comments.len(), 3);
    assert_eq!(thread.comments_of(first).count(), 1);
    let ids = |found: &[LinkedQuestion]| found.iter().map(|q| q.id).collect::<Vec<_>>();
    assert_eq!(ids(&links.linked), others);
    let related = links.related.expect("a stored list");
    assert_eq!(related.computed_at, at(50));
    assert_eq!(ids(&related.questions), [others[2], others[0]]);
    assert_eq!(related.questions[0].title, "Another question number 2");

    let (_, one) = store.question_page(q, 1).await.unwrap().unwrap();
    assert_eq!(ids(&one.linked), [others[0]]);
    let (alone, beside) = store.question_page(others[1], 10).await.unwrap().unwrap();
    assert_eq!(alone.question.title, "Another question number 1");
    assert!(alone.answers.is_empty() && alone.comments.is_empty());
    assert_eq!(ids(&beside.linked), [q]);
    assert_eq!(beside.related, None);
    assert_eq!(store.question_page(first, 10).await.unwrap(), None);
    assert_eq!(
        store.question_page(PostId(999_999), 10).await.unwrap(),
        None
    );
}

/// Related lists are stored in order and replaced whole, show live questions only,
/// are dropped when their question is edited, and pass over what does not exist.
pub async fn related_lists_are_stored_replaced_and_dropped_on_edit(store: Arc<dyn Store>) {
    let ann = user(&*store, "ann").await;
    let cat = category(&*store, None, "related").await;
    let mut q = Vec::new();
    for n in 0..4 {
        q.push(
            ask(
                &*store,
                ann.id,
                cat.id,
                &format!("Related question number {n}"),
                &["x"],
                n,
            )
            .await,
        );
    }
    let answer = super::answer(&*store, q[0], ann.id, 5).await;
    assert_eq!(store.related_questions(q[0]).await.unwrap(), None);
    let due = |after: Option<RelatedDuePosition>, older_than: i64, limit: u32| {
        let store = store.clone();
        async move {
            store
                .related_due(after, older_than, limit)
                .await
                .unwrap()
                .into_iter()
                .map(|s| s.id)
                .collect::<Vec<_>>()
        }
    };
    // Every question is due at first (not the answer), by id, a page at a time.
    assert_eq!(due(None, at(0), 10).await, q);
    assert_eq!(due(None, at(0), 2).await, q[..2]);
    assert_eq!(due(Some((0, q[1])), at(0), 10).await, q[2..]);
    let first = store.related_due(None, at(0), 1).await.unwrap();
    assert_eq!(
        first,
        [RelatedSubject {
            id: q[0],
            title: "Related question number 0".into(),
            tags: vec!["x".into()],
            category: cat.id,
            computed_at: 0,
        }]
    );

    // In the order given; itself, an answer and a missing id are passed over.
    store
        .store_related(
            &[
                (q[0], vec![q[2], q[0], answer, PostId(99_999), q[1]]),
                (q[1], Vec::new()),
                (answer, vec![q[2]]),
                (PostId(99_998), vec![q[2]]),
            ],
            at(10),
        )
        .await
        .unwrap();
    let ids = |list: Option<RelatedList>| {
        list.map(|l| {
            (
                l.computed_at,
                l.questions.into_iter().map(|q| q.id).collect::<Vec<_>>(),
            )
        })
    };
    assert_eq!(
        ids(store.related_questions(q[0]).await.unwrap()),
        Some((at(10), vec![q[2], q[1]]))
    );
    let first = store.related_questions(q[0]).await.unwrap().unwrap();
    assert_eq!(first.questions[0].title, "Related question number 2");
    // Stored empty is not the same as never stored.
    assert_eq!(
        ids(store.related_questions(q[1]).await.unwrap()),
        Some((at(10), vec![]))
    );
    assert_eq!(store.related_questions(answer).await.unwrap(), None);
    assert_eq!(store.related_questions(PostId(99_998)).await.unwrap(), None);
    store.store_related(&[], at(11)).await.unwrap();
    // Stored lists are not due, unless computed before the time given: those never
    // computed first, then the oldest, each group by question.
    assert_eq!(due(None, at(10), 10).await, q[2..]);
    assert_eq!(due(None, at(11), 10).await, [q[2], q[3], q[0], q[1]]);
    assert_eq!(
        due(Some((0, q[3])), at(11), 10).await,
        [q[0], q[1]],
        "the position is past every list never computed"
    );
    assert_eq!(due(Some((at(10), q[0])), at(11), 10).await, [q[1]]);
    store
        .store_related(&[(q[2], vec![q[0]])], at(5))
        .await
        .unwrap();
    assert_eq!(
        due(None, at(11), 10).await,
        [q[3], q[2], q[0], q[1]],
        "older lists come first"
    );

    // Replaced whole.
    store
        .store_related(&[(q[0], vec![q[3]])], at(12))
        .await
        .unwrap();
    assert_eq!(
        ids(store.related_questions(q[0]).await.unwrap()),
        Some((at(12), vec![q[3]]))
    );

    // A deleted question is not shown, and shows again when undeleted.
    store
        .store_related(&[(q[0], vec![q[3], q[2]])], at(13))
        .await
        .unwrap();
    store.set_post_deleted(q[3], true, at(14)).await.unwrap();
    assert_eq!(
        ids(store.related_questions(q[0]).await.unwrap()),
        Some((at(13), vec![q[2]]))
    );
    store.set_post_deleted(q[3], false, at(15)).await.unwrap();
    assert_eq!(
        ids(store.related_questions(q[0]).await.unwrap()),
        Some((at(13), vec![q[3], q[2]]))
    );

    // Editing the question drops its list; editing another leaves it.
    let latest = store
        .editable_post(q[1])
        .await
        .unwrap()
        .unwrap()
        .latest_revision;
    store
        .edit_post(PostEdit {
            post: q[1],
            editor: ann.id,
            base_revision: latest,
            title: "Related question number 1, retitled".into(),
            body: PostBody::from_markdown("A body that says more than before."),
            tags: vec!["y".into()],
            summary: String::new(),
            at: at(16),
        })
        .await
        .unwrap();
    assert_eq!(store.related_questions(q[1]).await.unwrap(), None);
    assert!(store.related_questions(q[0]).await.unwrap().is_some());
    // A deleted question is not due, and is due again at once when undeleted; a
    // new question is due at once.
    store.set_post_deleted(q[2], true, at(17)).await.unwrap();
    assert_eq!(due(None, at(13), 10).await, [q[1], q[3]]);
    store.set_post_deleted(q[2], false, at(18)).await.unwrap();
    let q4 = ask(
        &*store,
        ann.id,
        cat.id,
        "Related question number 4",
        &["x"],
        4,
    )
    .await;
    assert_eq!(due(None, at(13), 10).await, [q[1], q[2], q[3], q4]);
    assert_eq!(store.related_questions(q4).await.unwrap(), None);
    // A list computed for a deleted question is not stored: undeleted, it is due.
    store.set_post_deleted(q4, true, at(19)).await.unwrap();
    store
        .store_related(&[(q4, vec![q[0]])], at(20))
        .await
        .unwrap();
    store.set_post_deleted(q4, false, at(21)).await.unwrap();
    assert_eq!(store.related_questions(q4).await.unwrap(), None);
    assert_eq!(due(Some((0, q[3])), at(13), 10).await, [q4]);
}

/// Uploads are recorded once per member, counted toward their quota and known by
/// name to anyone.
pub async fn uploads_are_recorded_once_per_member(store: Arc<dyn Store>) {
    let ann = user(&*store, "ann").await;
    let bob = user(&*store, "bob").await;
    assert_eq!(store.uploaded_bytes(ann.id).await.unwrap(), 0);
    assert!(store.upload_type("abc.png").await.unwrap().is_none());
    assert!(
        store
            .record_upload("abc.png", ann.id, 1_000, "image/png", at(1))
            .await
            .unwrap()
    );
    assert!(
        !store
            .record_upload("abc.png", ann.id, 1_000, "image/png", at(2))
            .await
            .unwrap(),
        "the same picture again is nothing new"
    );
    assert!(
        store
            .record_upload("abc.png", bob.id, 1_000, "image/png", at(3))
            .await
            .unwrap()
    );
    store
        .record_upload("def.jpg", ann.id, 2_500, "image/jpeg", at(4))
        .await
        .unwrap();
    assert_eq!(store.uploaded_bytes(ann.id).await.unwrap(), 3_500);
    assert_eq!(store.uploaded_bytes(bob.id).await.unwrap(), 1_000);
    assert_eq!(
        store.upload_type("def.jpg").await.unwrap().as_deref(),
        Some("image/jpeg")
    );
}
