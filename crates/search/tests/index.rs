//! The search index against a real store, on SQLite and (when configured) on
//! PostgreSQL: it follows the change log, ranks titles above bodies, applies every
//! operator, never shows deleted posts, and survives any query.

#![expect(
    clippy::unwrap_used,
    reason = "test helpers: a failed step should fail the test"
)]

use ponder_core::reputation::ReputationRules;
use ponder_core::{CategoryId, PostId};
use ponder_search::{SearchIndex, SearchSort, Subject, parse};
use ponder_store::conformance::{self as fx, TestStore};
use ponder_store::{NewAnswer, PostBody, PostEdit, Store, VoteValue};
use std::sync::Arc;

/// Takes in every change, waiting (up to five seconds) for changes PostgreSQL still
/// holds back while older transactions of other tests run.
async fn settle(index: &SearchIndex, store: &dyn Store) {
    let settled = index
        .catch_up_settled(store, std::time::Duration::from_secs(5))
        .await
        .unwrap();
    assert!(settled, "the index did not reach the newest change");
}

/// Waits (up to five seconds) until the newest change in the log is visible, so a
/// single pass of the follower reads everything written so far. This test's
/// writes come one after another, so when the newest is visible all are.
async fn newest_change_visible(store: &dyn Store) {
    let newest = store.last_change_id().await.unwrap();
    for _ in 0..250 {
        if !store.changes_since(newest - 1, 1).await.unwrap().is_empty() {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    panic!("change {newest} stayed hidden");
}

fn ids(index: &SearchIndex, q: &str) -> Vec<PostId> {
    ids_sorted(index, q, SearchSort::Relevance)
}

fn ids_sorted(index: &SearchIndex, q: &str, sort: SearchSort) -> Vec<PostId> {
    index
        .search(&parse(q), None, sort, 0, 50)
        .unwrap()
        .hits
        .into_iter()
        .map(|h| h.id)
        .collect()
}

async fn follows_the_change_log_and_applies_operators(store: Arc<dyn Store>) {
    let s = &*store;
    let ann = fx::user(s, "ann").await;
    let bob = fx::user(s, "bob").await;
    let history = fx::category(s, None, "history").await;
    let modern = fx::category(s, Some(history.id), "modern").await;
    let science = fx::category(s, None, "science").await;
    let index = SearchIndex::in_memory().unwrap();

    let wall = fx::ask(
        s,
        ann.id,
        modern.id,
        "Why did the Berlin wall fall",
        &["cold-war", "germany"],
        0,
    )
    .await;
    let other = fx::ask(
        s,
        bob.id,
        science.id,
        "How do physicists describe motion",
        &["physics"],
        10,
    )
    .await;
    let body_mention = s
        .create_question(ponder_store::NewQuestion {
            author: bob.id,
            category: science.id,
            title: "A question about bricks and mortar".into(),
            body: PostBody::from_markdown(
                "Walls are built from bricks; the wall in my garden is leaning.",
            ),
            tags: vec!["building".into()],
            created_at: fx::at(20),
        })
        .await
        .unwrap();
    let answer = s
        .create_answer(NewAnswer {
            question: wall,
            author: bob.id,
            body: PostBody::from_markdown(
                "Because **Moscow** stopped backing the East German leadership.",
            ),
            created_at: fx::at(30),
        })
        .await
        .unwrap();
    assert!(
        ids(&index, "wall").is_empty(),
        "nothing indexed before the index follows"
    );
    settle(&index, s).await;
    assert_eq!(index.num_docs(), 4);

    // Titles weigh more than bodies; stemming finds "walls" for "wall".
    assert_eq!(ids(&index, "wall"), [wall, body_mention]);
    assert_eq!(ids(&index, "moscow"), [answer]);
    assert_eq!(ids(&index, "\"east german leadership\""), [answer]);
    assert!(
        ids(&index, "\"german east leadership\"").is_empty(),
        "a phrase keeps its order"
    );
    assert_eq!(ids(&index, "wall -garden"), [wall]);
    assert_eq!(ids(&index, "[germany]"), [wall, answer]);
    assert_eq!(ids(&index, "[germany] is:question"), [wall]);
    assert_eq!(ids(&index, "is:answer"), [answer]);
    assert_eq!(ids(&index, &format!("user:{}", bob.id)).len(), 3);
    let unanswered = ids(&index, "answers:0");
    assert_eq!(unanswered.len(), 2);
    assert!(unanswered.contains(&other) && unanswered.contains(&body_mention));
    assert_eq!(ids(&index, "answers:1"), [wall]);
    // category: includes descendants.
    let by_category = |category: CategoryId| {
        index
            .search(
                &parse("is:question"),
                Some(Some(category)),
                SearchSort::Newest,
                0,
                10,
            )
            .unwrap()
            .hits
            .into_iter()
            .map(|h| h.id)
            .collect::<Vec<_>>()
    };
    assert_eq!(by_category(history.id), [wall]);
    assert_eq!(by_category(modern.id), [wall]);
    assert_eq!(by_category(science.id), [body_mention, other]);
    assert!(
        index
            .search(&parse("wall"), Some(None), SearchSort::Relevance, 0, 10)
            .unwrap()
            .hits
            .is_empty(),
        "an unknown category finds nothing"
    );

    // Votes, acceptance and edits flow in through the change log.
    fx::vote(s, other, ann.id, VoteValue::Up).await;
    s.accept_answer(wall, Some(answer), ReputationRules::default())
        .await
        .unwrap();
    let base = s
        .editable_post(other)
        .await
        .unwrap()
        .unwrap()
        .latest_revision;
    s.edit_post(PostEdit {
        post: other,
        editor: bob.id,
        base_revision: base,
        title: "How do physicists describe velocity".into(),
        body: PostBody::from_markdown("Speed and direction together, measured carefully."),
        tags: vec!["physics".into()],
        summary: String::new(),
        at: fx::at(40),
    })
    .await
    .unwrap();
    settle(&index, s).await;
    assert_eq!(ids(&index, "score:1"), [other]);
    assert_eq!(ids(&index, "isaccepted:yes"), [answer]);
    assert_eq!(ids(&index, "velocity"), [other]);
    assert!(ids(&index, "motion").is_empty(), "the old title is gone");
    assert_eq!(
        ids_sorted(&index, "is:question", SearchSort::Votes)[0],
        other
    );
    assert_eq!(
        ids_sorted(&index, "is:question", SearchSort::Newest),
        [body_mention, other, wall]
    );

    // Deleting takes a post out (and a question takes its answers); undeleting restores.
    s.set_post_deleted(wall, true, fx::at(50)).await.unwrap();
    settle(&index, s).await;
    assert!(ids(&index, "wall").iter().all(|id| *id != wall));
    assert!(
        ids(&index, "moscow").is_empty(),
        "the answer of a deleted question is gone too"
    );
    s.set_post_deleted(wall, false, fx::at(51)).await.unwrap();
    settle(&index, s).await;
    assert_eq!(ids(&index, "moscow"), [answer]);

    // Snippets highlight, escape and page; they are cut from the database's bodies.
    let mut results = index
        .search(&parse("moscow"), None, SearchSort::Relevance, 0, 10)
        .unwrap();
    assert_eq!(results.hits[0].snippet_html, "");
    index
        .add_snippets(s, &parse("moscow"), None, &mut results.hits)
        .await
        .unwrap();
    assert_eq!(results.total, 1);
    assert!(
        results.hits[0].snippet_html.contains("<b>Moscow</b>"),
        "{}",
        results.hits[0].snippet_html
    );
    assert_eq!(
        results.hits[0].title, "Why did the Berlin wall fall",
        "an answer shows its question's title"
    );
    let page2 = index
        .search(&parse("is:question"), None, SearchSort::Newest, 2, 2)
        .unwrap();
    assert_eq!((page2.total, page2.hits.len()), (3, 1));

    // Without a subject (the ask form and the similar-questions API), questions
    // whose titles share a word:
    // never answers, never the question itself.
    let none = Subject::default();
    let related = index
        .related("Why did the wall come down", &none, None, 5)
        .unwrap();
    assert_eq!(related[0].id, wall);
    assert!(related.iter().all(|h| h.id == h.question_id));
    let others = index
        .related("Why did the wall come down", &none, Some(wall), 5)
        .unwrap();
    assert!(others.iter().all(|h| h.id != wall));
    assert_eq!(others.len(), related.len() - 1);
    assert_eq!(
        index
            .related("wall wall wall", &none, None, 1)
            .unwrap()
            .len(),
        1
    );
    assert!(index.related("", &none, None, 5).unwrap().is_empty());
    assert!(index.related("wall", &none, None, 0).unwrap().is_empty());
    assert!(
        index.related("moscow", &none, None, 5).unwrap().is_empty(),
        "words of bodies alone do not relate titles"
    );
}

async fn survives_any_query(store: Arc<dyn Store>) {
    let s = &*store;
    let ann = fx::user(s, "ann").await;
    let cat = fx::category(s, None, "general").await;
    fx::ask(s, ann.id, cat.id, "A question anyone can find", &["x"], 0).await;
    let index = SearchIndex::in_memory().unwrap();
    settle(&index, s).await;
    let long = "word ".repeat(2_000);
    for q in [
        "",
        "   ",
        "\"",
        "\"unbalanced quote",
        "-only -excluded",
        "[",
        "[]",
        "user:abc",
        "is:",
        "score:-99999999999999",
        "answers:99999999999",
        "unknown:op",
        "\u{0}\u{7}\u{1b}[31m",
        "the a an of",
        "***",
        "((((",
        "\\",
        &long,
        "🙂 emoji",
        "категория",
        "é",
    ] {
        let results = index
            .search(&parse(q), None, SearchSort::Relevance, 0, 10)
            .unwrap();
        assert!(results.total <= 1, "{q:?}");
    }
    assert_eq!(ids(&index, "anyone"), ids(&index, "ANYONE"));
}

async fn catches_up_after_a_restart_and_rebuilds(store: Arc<dyn Store>) {
    let s = &*store;
    let dir = tempfile::tempdir().unwrap();
    let ann = fx::user(s, "ann").await;
    let cat = fx::category(s, None, "general").await;
    let first = fx::ask(s, ann.id, cat.id, "The first question indexed", &["x"], 0).await;
    {
        let index = SearchIndex::open(dir.path()).unwrap();
        settle(&index, s).await;
        assert_eq!(ids(&index, "first"), [first]);
    }
    let second = fx::ask(s, ann.id, cat.id, "The second question indexed", &["x"], 1).await;
    let index = SearchIndex::open(dir.path()).unwrap();
    assert!(index.last_change() > 0, "the position survived the restart");
    assert_eq!(ids(&index, "first"), [first]);
    let before = index.last_change();
    settle(&index, s).await;
    let read = index.last_change() - before;
    assert!(
        (1..=3).contains(&read),
        "only what happened while it was down: {read}"
    );
    assert_eq!(ids(&index, "second"), [second]);

    let mut seen = Vec::new();
    let rebuilt = index.rebuild(s, |done| seen.push(done)).await.unwrap();
    assert_eq!(rebuilt, 2);
    assert_eq!(seen, [2]);
    assert_eq!(index.num_docs(), 2);
    assert_eq!(index.last_change(), s.last_change_id().await.unwrap());
}

async fn the_follower_makes_new_posts_searchable_within_a_second(store: Arc<dyn Store>) {
    let s = &*store;
    let ann = fx::user(s, "ann").await;
    let cat = fx::category(s, None, "general").await;
    let index = Arc::new(SearchIndex::in_memory().unwrap());
    let subscribers: Vec<Arc<dyn ponder_feed::Subscriber>> = vec![index.clone()];
    let follower = tokio::spawn(
        ponder_feed::Follower::new(store.clone(), subscribers, 1_000)
            .run(std::time::Duration::from_millis(100)),
    );
    let q = fx::ask(s, ann.id, cat.id, "Zeppelins over the harbour", &["x"], 0).await;
    let posted = std::time::Instant::now();
    while ids(&index, "zeppelins").is_empty() {
        assert!(
            posted.elapsed() < std::time::Duration::from_secs(1),
            "not searchable within a second"
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert_eq!(ids(&index, "zeppelins"), [q]);
    s.set_post_deleted(q, true, fx::at(5)).await.unwrap();
    let deleted = std::time::Instant::now();
    while !ids(&index, "zeppelins").is_empty() {
        assert!(
            deleted.elapsed() < std::time::Duration::from_secs(1),
            "still found a second after deletion"
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    follower.abort();
}

/// A test body, boxed so one runner serves both backends.
type TestFuture = std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send>>;

async fn run(
    make: impl std::future::Future<Output = Option<TestStore>>,
    test: fn(Arc<dyn Store>) -> TestFuture,
) {
    let Some(test_store) = make.await else { return };
    test(test_store.store.clone()).await;
}

async fn each_pass_names_the_questions_whose_threads_changed(store: Arc<dyn Store>) {
    let s = &*store;
    let ann = fx::user(s, "ann").await;
    let cat = fx::category(s, None, "general").await;
    let index = SearchIndex::in_memory().unwrap();
    let q = fx::ask(s, ann.id, cat.id, "Lighthouses of the Baltic", &["x"], 0).await;
    let other = fx::ask(s, ann.id, cat.id, "Canals of the Rhine", &["x"], 1).await;
    newest_change_visible(s).await;
    let first = index.sync_batch(s, 1_000).await.unwrap();
    assert!(first.changes >= 2);
    assert_eq!(first.questions, [q, other]);
    let answer = fx::answer(s, q, ann.id, 2).await;
    newest_change_visible(s).await;
    let answered = index.sync_batch(s, 1_000).await.unwrap();
    assert_eq!(answered.questions, [q], "an answer names its question");
    fx::comment(s, answer, ann.id, 3).await;
    newest_change_visible(s).await;
    let commented = index.sync_batch(s, 1_000).await.unwrap();
    assert_eq!(commented.changes, 1);
    assert_eq!(
        commented.questions,
        [q],
        "a comment on an answer names the answer's question"
    );
    assert!(!commented.everything);
    s.set_locked(other, true, fx::at(4)).await.unwrap();
    newest_change_visible(s).await;
    let locked = index.sync_batch(s, 1_000).await.unwrap();
    assert_eq!(locked.questions, [other], "locking names the question");
    assert!(!locked.everything);
    s.set_role(ann.id, ponder_store::Role::Moderator)
        .await
        .unwrap();
    newest_change_visible(s).await;
    let promoted = index.sync_batch(s, 1_000).await.unwrap();
    assert!(promoted.questions.is_empty());
    assert!(
        promoted.everything,
        "a user's role shows beside everything they wrote"
    );
    assert_eq!(
        index.sync_batch(s, 1_000).await.unwrap(),
        Default::default()
    );
}

/// Spam flags hide a post: it leaves the index with the flag that hid it, and
/// comes back when a moderator restores it.
async fn posts_hidden_by_flags_leave_the_index_until_restored(store: Arc<dyn Store>) {
    let s = &*store;
    let ann = fx::user(s, "ann").await;
    let cat = fx::category(s, None, "general").await;
    let index = SearchIndex::in_memory().unwrap();
    let q = fx::ask(s, ann.id, cat.id, "Cheap replica sundials", &["x"], 0).await;
    settle(&index, s).await;
    assert_eq!(ids(&index, "sundials"), [q]);
    let mut hid = false;
    for name in ["f1", "f2", "f3"] {
        let flagger = fx::user(s, name).await;
        hid = s
            .create_flag(ponder_store::NewFlag {
                post: q,
                comment: None,
                user: flagger.id,
                kind: ponder_store::FlagKind::Spam,
                message: String::new(),
                at: fx::at(10),
                hide_threshold: 3,
                hide_penalty: 100,
            })
            .await
            .unwrap();
    }
    assert!(hid, "the third flag hides the question");
    settle(&index, s).await;
    assert!(
        ids(&index, "sundials").is_empty(),
        "hidden spam is not found"
    );
    let moderator = fx::user(s, "moderator").await;
    s.restore_hidden_post(q, moderator.id, 100, fx::at(20))
        .await
        .unwrap();
    settle(&index, s).await;
    assert_eq!(ids(&index, "sundials"), [q], "restored, it is found again");
}

/// Related questions share the subject: a tag, or (untagged) the category and a
/// word; shared tags weigh most, then words, then the category; a question that
/// shares only words, in another subject, is never listed.
async fn related_questions_share_the_subject(store: Arc<dyn Store>) {
    let s = &*store;
    let ann = fx::user(s, "ann").await;
    let history = fx::category(s, None, "history").await;
    let modern = fx::category(s, Some(history.id), "modern").await;
    let cooking = fx::category(s, None, "cooking").await;
    let index = SearchIndex::in_memory().unwrap();
    let wall = fx::ask(
        s,
        ann.id,
        modern.id,
        "Why did the Berlin Wall fall in 1989",
        &["cold-war", "germany"],
        1,
    )
    .await;
    let airlift = fx::ask(
        s,
        ann.id,
        modern.id,
        "Why did the Berlin airlift work",
        &["cold-war", "germany"],
        2,
    )
    .await;
    let containment = fx::ask(
        s,
        ann.id,
        modern.id,
        "What did containment mean after 1947",
        &["cold-war", "diplomacy"],
        3,
    )
    .await;
    let suez = fx::ask(
        s,
        ann.id,
        modern.id,
        "Why did the Suez crisis matter",
        &["decolonisation"],
        4,
    )
    .await;
    // Shares "fall" and "wall" with the Berlin question, and nothing else.
    let souffle = fx::ask(
        s,
        ann.id,
        cooking.id,
        "Why did my souffle fall against the oven wall",
        &["baking"],
        5,
    )
    .await;
    let untagged = fx::ask(s, ann.id, modern.id, "Berlin in 1989", &[], 6).await;
    settle(&index, s).await;

    let subject = Subject {
        tags: vec!["cold-war".into(), "germany".into()],
        category: Some(modern.id),
        area: Some(history.id),
    };
    let title = "Why did the Berlin Wall fall in 1989";
    let found: Vec<PostId> = index
        .related(title, &subject, Some(wall), 5)
        .unwrap()
        .into_iter()
        .map(|h| h.id)
        .collect();
    // Both tags and a word, then one tag: the Suez question shares the category
    // alone, the souffle only words, the untagged one no tag.
    assert_eq!(found, [airlift, containment]);
    // The same, read from the id column.
    assert_eq!(
        index.related_ids(title, &subject, Some(wall), 5).unwrap(),
        found
    );
    assert_eq!(
        index.related_ids(title, &subject, Some(wall), 1).unwrap(),
        [airlift]
    );
    assert!(
        index
            .related_ids(title, &subject, None, 0)
            .unwrap()
            .is_empty()
    );
    assert!(!found.contains(&souffle) && !found.contains(&suez) && !found.contains(&untagged));
    assert_eq!(
        index.related(title, &subject, Some(wall), 1).unwrap().len(),
        1
    );

    // A tag of its own relates nothing: an empty list, not the nearest words.
    let lonely = Subject {
        tags: vec!["numismatics".into()],
        category: Some(modern.id),
        area: Some(history.id),
    };
    // A tag shared across trees of categories is a homonym: "baking" here, under
    // history, relates nothing in cooking.
    let homonym = Subject {
        tags: vec!["baking".into()],
        category: Some(modern.id),
        area: Some(history.id),
    };
    assert!(
        index
            .related(title, &homonym, Some(wall), 5)
            .unwrap()
            .is_empty()
    );
    let same_tree = Subject {
        area: Some(cooking.id),
        category: Some(cooking.id),
        ..homonym
    };
    assert_eq!(
        index
            .related(title, &same_tree, Some(wall), 5)
            .unwrap()
            .into_iter()
            .map(|h| h.id)
            .collect::<Vec<_>>(),
        [souffle]
    );
    assert!(
        index
            .related(title, &lonely, Some(wall), 5)
            .unwrap()
            .is_empty()
    );

    // Untagged: the category (or one below it) and a word of the title.
    let untagged_subject = Subject {
        tags: Vec::new(),
        category: Some(history.id),
        area: Some(history.id),
    };
    let found: Vec<PostId> = index
        .related("Berlin in 1989", &untagged_subject, Some(untagged), 5)
        .unwrap()
        .into_iter()
        .map(|h| h.id)
        .collect();
    assert!(
        found.contains(&wall) && found.contains(&airlift),
        "{found:?}"
    );
    assert!(
        !found.contains(&souffle) && !found.contains(&suez),
        "{found:?}"
    );
    let elsewhere = Subject {
        tags: Vec::new(),
        category: Some(cooking.id),
        area: Some(cooking.id),
    };
    assert!(
        index
            .related("Berlin in 1989", &elsewhere, Some(untagged), 5)
            .unwrap()
            .is_empty()
    );
}

macro_rules! on_both {
    ($($name:ident),*) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::run(ponder_store_sqlite::testing::fresh_store(), |s| Box::pin(super::$name(s))).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::run(ponder_store_postgres::testing::fresh_store(), |s| Box::pin(super::$name(s))).await;
                }
            )*
        }
    };
}

on_both!(
    the_follower_makes_new_posts_searchable_within_a_second,
    follows_the_change_log_and_applies_operators,
    survives_any_query,
    catches_up_after_a_restart_and_rebuilds,
    each_pass_names_the_questions_whose_threads_changed,
    posts_hidden_by_flags_leave_the_index_until_restored,
    related_questions_share_the_subject
);
