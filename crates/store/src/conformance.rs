//! The conformance suite: what every backend must do, run against each of them.
//!
//! A backend's test file calls [`conformance_tests!`](crate::conformance_tests) with
//! an async function that makes a fresh, empty store (or `None` to skip, with the
//! reason printed); the macro writes one `#[tokio::test]` per check below.

#![expect(
    clippy::unwrap_used,
    reason = "test code: a failed step should fail the test"
)]

use crate::*;
use ponder_core::paging::QuestionSort;
use ponder_core::refusal::Refusal;
use ponder_core::reputation::ReputationRules;
use ponder_core::{CategoryId, PostId, UserId};
use std::any::Any;
use std::sync::Arc;

/// A fresh store for one test, and whatever must live as long as it (a temporary
/// folder, a database to drop).
pub struct TestStore {
    /// The store under test.
    pub store: Arc<dyn Store>,
    /// Dropped after the test.
    pub guard: Box<dyn Any + Send>,
}

/// Writes one `#[tokio::test]` per conformance check, each on a fresh store from
/// `$factory` (an `async fn() -> Option<TestStore>`; `None` skips).
#[macro_export]
macro_rules! conformance_tests {
    ($factory:path) => {
        $crate::conformance_tests!(@each $factory;
            users_are_created_and_read,
            handles_and_emails_are_unique_without_regard_to_case,
            categories_form_a_tree_with_unique_sibling_slugs,
            a_question_thread_holds_everything_its_page_shows,
            answers_list_accepted_first_then_by_score,
            bad_references_are_refused,
            comments_count_and_group_by_post,
            question_lists_sort_filter_and_page,
            votes_move_score_and_reputation,
            accepting_moves_reputation_and_order,
            every_write_appends_to_the_change_log,
            question_page_queries_do_not_grow_with_content,
            user_answers_are_listed,
            question_of_resolves_answers,
            thread_questions_name_the_questions_of_posts_and_comments,
            a_post_reads_alone_as_in_its_thread,
            concurrent_votes_are_all_counted,
            accounts_are_found_by_handle_or_email,
            sessions_expire_and_end,
            sessions_are_listed_touched_and_ended_one_by_one,
            profiles_roles_and_passwords_change,
            deleting_an_account_keeps_what_they_wrote,
            email_tokens_work_once_and_expire,
            a_chosen_password_ends_every_reset_link,
            the_mail_allowance_holds_against_racing_requests,
            a_signup_link_makes_one_account,
            stored_texts_are_read_in_pages_and_rendered_anew_unless_edited,
            the_signup_allowance_holds_per_address_against_racing_requests,
            avatars_are_stored_and_replaced,
            edits_make_revisions_and_stale_edits_are_refused,
            concurrent_edits_let_exactly_one_win,
            deleting_and_undeleting_move_the_counters,
            reputation_follows_stack_exchange_rules_and_replays,
            badges_are_earned_once,
            comment_upvotes_toggle,
            suggested_edits_wait_for_review,
            bulk_loads_keep_ids_and_counters,
            bulk_updates_link_and_exports_read_back,
            flags_hide_spam_at_the_threshold_and_moderators_restore,
            close_votes_close_and_reopen,
            locked_posts_refuse_changes,
            authors_cannot_undo_what_moderators_and_flags_did,
            reputation_history_names_no_deleted_post,
            suspensions_and_the_moderation_log,
            first_posts_wait_for_review,
            writes_raced_by_another_are_refused_by_name,
            feed_positions_move_on_and_one_node_leads
        );
    };
    (@each $factory:path; $($name:ident),*) => {
        $(
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() {
                let Some(test_store) = $factory().await else { return };
                $crate::conformance::$name(test_store.store.clone()).await;
                drop(test_store);
            }
        )*
    };
}

/// A fixed clock for tests: 2026-01-01T00:00:00Z plus `offset` seconds.
pub fn at(offset: i64) -> i64 {
    1_767_225_600 + offset
}

/// Creates a user with this handle (display name capitalised, no email).
pub async fn user(store: &dyn Store, handle: &str) -> User {
    let mut display = handle.to_owned();
    if let Some(first) = display.get_mut(0..1) {
        first.make_ascii_uppercase();
    }
    store
        .create_user(NewUser {
            handle: handle.to_owned(),
            display_name: display,
            email: Some(format!("{handle}@example.com")),
            password_hash: None,
            role: Role::User,
            about: PostBody::from_markdown(format!("I am **{handle}**.")),
            created_at: at(0),
        })
        .await
        .expect("create user")
}

/// Creates a category.
pub async fn category(store: &dyn Store, parent: Option<CategoryId>, slug: &str) -> Category {
    store
        .create_category(NewCategory {
            parent,
            slug: slug.to_owned(),
            name: slug.replace('-', " "),
            description: format!("Questions about {slug}."),
            position: 0,
        })
        .await
        .expect("create category")
}

/// Asks a question at `at(offset)`.
pub async fn ask(
    store: &dyn Store,
    author: UserId,
    category: CategoryId,
    title: &str,
    tags: &[&str],
    offset: i64,
) -> PostId {
    store
        .create_question(NewQuestion {
            author,
            category,
            title: title.to_owned(),
            body: PostBody::from_markdown(format!("Body of *{title}*, long enough to read.")),
            tags: tags.iter().map(|t| (*t).to_owned()).collect(),
            created_at: at(offset),
        })
        .await
        .expect("create question")
}

/// Answers a question at `at(offset)`.
pub async fn answer(store: &dyn Store, question: PostId, author: UserId, offset: i64) -> PostId {
    store
        .create_answer(NewAnswer {
            question,
            author,
            body: PostBody::from_markdown(format!("Answer by user {author} at {offset}.")),
            created_at: at(offset),
        })
        .await
        .expect("create answer")
}

/// Comments on a post at `at(offset)`.
pub async fn comment(store: &dyn Store, post: PostId, author: UserId, offset: i64) {
    store
        .create_comment(NewComment {
            post,
            author,
            body: PostBody::from_markdown(format!("Comment at {offset} by {author}.")),
            created_at: at(offset),
        })
        .await
        .expect("create comment");
}

/// Votes on a post.
pub async fn vote(store: &dyn Store, post: PostId, user: UserId, value: VoteValue) {
    store
        .cast_vote(NewVote {
            post,
            user,
            value,
            created_at: at(100),
            rules: ReputationRules::default(),
        })
        .await
        .expect("vote");
}

async fn reputation(store: &dyn Store, user: UserId) -> i64 {
    store.user(user).await.unwrap().unwrap().reputation
}

/// A user created is read back the same; an unknown id is `None`.
pub async fn users_are_created_and_read(store: Arc<dyn Store>) {
    assert!(store.is_empty().await.unwrap());
    let ann = user(&*store, "ann").await;
    assert!(!store.is_empty().await.unwrap());
    assert_eq!(ann.handle, "ann");
    assert_eq!(ann.display_name, "Ann");
    assert_eq!(ann.reputation, 1);
    assert_eq!(ann.role, Role::User);
    assert!(!ann.deleted);
    assert_eq!(
        ann.about_html.as_str(),
        "<p>I am <strong>ann</strong>.</p>\n"
    );
    assert_eq!(store.user(ann.id).await.unwrap(), Some(ann.clone()));
    assert_eq!(store.user(UserId(ann.id.0 + 1000)).await.unwrap(), None);
}

/// `Ann` and `ann` are one handle; emails likewise.
pub async fn handles_and_emails_are_unique_without_regard_to_case(store: Arc<dyn Store>) {
    user(&*store, "ann").await;
    let mut dup = NewUser {
        handle: "ANN".into(),
        display_name: "Other".into(),
        email: Some("other@example.com".into()),
        password_hash: None,
        role: Role::User,
        about: PostBody::from_markdown(""),
        created_at: at(0),
    };
    match store.create_user(dup.clone()).await {
        Err(StoreError::Conflict { constraint }) => {
            assert!(constraint.contains("handle"), "{constraint}")
        }
        other => panic!("expected a handle conflict, got {other:?}"),
    }
    dup.handle = "other".into();
    dup.email = Some("ANN@Example.COM".into());
    match store.create_user(dup.clone()).await {
        Err(StoreError::Conflict { constraint }) => {
            assert!(constraint.contains("email"), "{constraint}")
        }
        other => panic!("expected an email conflict, got {other:?}"),
    }
    dup.email = None;
    store
        .create_user(dup)
        .await
        .expect("a free handle without email is fine");
}

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
    let ann = user(&*store, "ann").await;
    let cat = category(&*store, None, "general").await;
    let q = ask(&*store, ann.id, cat.id, "A question to answer", &[], 0).await;
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
    let ann = user(&*store, "ann").await;
    let cat = category(&*store, None, "general").await;
    let q = ask(&*store, ann.id, cat.id, "Comment counting question", &[], 0).await;
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

/// A vote moves the score and the author's reputation; changing or withdrawing it
/// moves them back; one's own post is refused; reputation never drops below 1.
pub async fn votes_move_score_and_reputation(store: Arc<dyn Store>) {
    let ann = user(&*store, "ann").await;
    let bob = user(&*store, "bob").await;
    let cat = category(&*store, None, "general").await;
    let q = ask(&*store, ann.id, cat.id, "Vote on this question", &[], 0).await;
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
    let ann = user(&*store, "ann").await;
    let bob = user(&*store, "bob").await;
    let cy = user(&*store, "cy").await;
    let cat = category(&*store, None, "general").await;
    let q = ask(&*store, ann.id, cat.id, "Which one do I accept", &[], 0).await;
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

/// Each write appends one change, in order, readable from any point.
pub async fn every_write_appends_to_the_change_log(store: Arc<dyn Store>) {
    let ann = user(&*store, "ann").await;
    let bob = user(&*store, "bob").await;
    let cat = category(&*store, None, "general").await;
    let q = ask(&*store, ann.id, cat.id, "Changes are logged here", &[], 0).await;
    let a = answer(&*store, q, bob.id, 1).await;
    comment(&*store, a, ann.id, 2).await;
    vote(&*store, a, ann.id, VoteValue::Up).await;
    store
        .accept_answer(q, Some(a), ReputationRules::default())
        .await
        .unwrap();
    let all = changes_when_settled(&*store, 8).await;
    let kinds: Vec<&str> = all.iter().map(|c| c.kind.as_str()).collect();
    assert_eq!(
        kinds,
        [
            "user.created",
            "user.created",
            "category.created",
            "post.created",
            "post.created",
            "comment.created",
            "vote.cast",
            "answer.accepted"
        ]
    );
    assert!(all.windows(2).all(|w| w[0].id < w[1].id));
    assert_eq!(all[3].entity_id, q.0);
    let tail = store.changes_since(all[5].id, 100).await.unwrap();
    assert_eq!(tail.len(), 2);
    assert_eq!(store.changes_since(all[0].id, 2).await.unwrap().len(), 2);
}

/// The change log once it holds `expected` entries. A backend may hold back a
/// committed change while an older transaction is still running (PostgreSQL does,
/// so that no change is skipped), so this waits a little, up to five seconds.
async fn changes_when_settled(store: &dyn Store, expected: usize) -> Vec<Change> {
    for _ in 0..100 {
        let all = store.changes_since(0, 100).await.unwrap();
        if all.len() >= expected {
            return all;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    store.changes_since(0, 100).await.unwrap()
}

/// The question page's reads are as many for 50 answers with comments as for 1.
pub async fn question_page_queries_do_not_grow_with_content(store: Arc<dyn Store>) {
    let ann = user(&*store, "ann").await;
    let cat = category(&*store, None, "general").await;
    let small = ask(
        &*store,
        ann.id,
        cat.id,
        "A question with one answer",
        &["x"],
        0,
    )
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
    assert!(
        big_queries <= 6,
        "{big_queries} queries for one question page"
    );
}

/// A user's answers, newest first, with their questions' titles.
pub async fn user_answers_are_listed(store: Arc<dyn Store>) {
    let ann = user(&*store, "ann").await;
    let bob = user(&*store, "bob").await;
    let cat = category(&*store, None, "general").await;
    let q1 = ask(&*store, ann.id, cat.id, "Question number one", &[], 0).await;
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
    let ann = user(&*store, "ann").await;
    let cat = category(&*store, None, "general").await;
    let q = ask(&*store, ann.id, cat.id, "Where does this answer go", &[], 0).await;
    let a = answer(&*store, q, ann.id, 1).await;
    assert_eq!(store.question_of(q).await.unwrap(), Some(q));
    assert_eq!(store.question_of(a).await.unwrap(), Some(q));
    assert_eq!(store.question_of(PostId(a.0 + 100)).await.unwrap(), None);
}

/// A follower's lookup: the questions of posts and comments, deleted ones too, in
/// two queries at most however many ids, and none for none.
pub async fn thread_questions_name_the_questions_of_posts_and_comments(store: Arc<dyn Store>) {
    let ann = user(&*store, "ann").await;
    let cat = category(&*store, None, "general").await;
    let first = ask(&*store, ann.id, cat.id, "Which thread is this", &[], 0).await;
    let second = ask(&*store, ann.id, cat.id, "Another thread again", &[], 1).await;
    let answer_id = answer(&*store, first, ann.id, 2).await;
    let mut comments = Vec::new();
    for (post, offset) in [(answer_id, 3), (second, 4), (answer_id, 5)] {
        comments.push(
            store
                .create_comment(NewComment {
                    post,
                    author: ann.id,
                    body: PostBody::from_markdown(format!("Comment number {offset} here.")),
                    created_at: at(offset),
                })
                .await
                .unwrap(),
        );
    }
    let before = store.queries_executed();
    assert_eq!(store.thread_questions(&[], &[]).await.unwrap(), []);
    assert_eq!(store.queries_executed(), before, "no ids, no query");
    assert_eq!(
        store.thread_questions(&[answer_id], &[]).await.unwrap(),
        [first]
    );
    assert_eq!(
        store
            .thread_questions(&[], &[comments[0], comments[2]])
            .await
            .unwrap(),
        [first]
    );
    let before = store.queries_executed();
    assert_eq!(
        store
            .thread_questions(&[second, answer_id, PostId(second.0 + 1_000)], &comments)
            .await
            .unwrap(),
        [first, second],
        "each question once, in id order; unknown ids name nothing"
    );
    assert_eq!(store.queries_executed() - before, 2);
    store
        .set_post_deleted(answer_id, true, at(6))
        .await
        .unwrap();
    assert_eq!(
        store
            .thread_questions(&[answer_id], &[comments[0]])
            .await
            .unwrap(),
        [first],
        "a deleted post's thread still changed"
    );
}

/// One post read alone: the same as in its thread, deleted ones marked.
pub async fn a_post_reads_alone_as_in_its_thread(store: Arc<dyn Store>) {
    let ann = user(&*store, "ann").await;
    let bob = user(&*store, "bob").await;
    let cat = category(&*store, None, "general").await;
    let q = ask(
        &*store,
        ann.id,
        cat.id,
        "Read me without my answers",
        &[],
        0,
    )
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

/// Many users voting on one post at once: every vote counts, exactly once.
pub async fn concurrent_votes_are_all_counted(store: Arc<dyn Store>) {
    let ann = user(&*store, "ann").await;
    let cat = category(&*store, None, "general").await;
    let q = ask(&*store, ann.id, cat.id, "Everyone votes on this", &[], 0).await;
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

/// A user's sessions, with their browsers and last use, newest use first; one
/// ended by its owner only (issue 16).
pub async fn sessions_are_listed_touched_and_ended_one_by_one(store: Arc<dyn Store>) {
    let ann = user(&*store, "ann").await;
    let bob = user(&*store, "bob").await;
    for (id, owner, expires) in [
        ("s1", ann.id, 100),
        ("s2", ann.id, 100),
        ("old", ann.id, 5),
        ("b1", bob.id, 100),
    ] {
        store
            .create_session(session(id, owner, at(expires)))
            .await
            .unwrap();
    }
    let long = NewSession {
        user_agent: "x".repeat(1_000),
        ..session("long", bob.id, at(100))
    };
    store.create_session(long).await.unwrap();
    store.touch_session("s2", at(20)).await.unwrap();
    let listed = store.user_sessions(ann.id, at(10)).await.unwrap();
    let ids: Vec<&str> = listed.iter().map(|s| s.id_hash.as_str()).collect();
    assert_eq!(ids, ["s2", "s1"], "unexpired, last used first");
    assert_eq!(listed[0].user_agent, "Browser s2");
    assert_eq!(
        (listed[0].last_seen_at, listed[1].last_seen_at),
        (at(20), at(0))
    );
    assert_eq!(listed[0].created_at, at(0));
    assert_eq!(
        store
            .session("s2", at(30))
            .await
            .unwrap()
            .unwrap()
            .last_seen_at,
        at(20)
    );
    let bobs = store.user_sessions(bob.id, at(10)).await.unwrap();
    let long = bobs.iter().find(|s| s.id_hash == "long").unwrap();
    assert_eq!(long.user_agent.chars().count(), USER_AGENT_MAX);

    assert!(
        !store.end_user_session(bob.id, "s1").await.unwrap(),
        "not bob's"
    );
    assert!(store.session("s1", at(30)).await.unwrap().is_some());
    assert!(store.end_user_session(ann.id, "s1").await.unwrap());
    assert_eq!(store.session("s1", at(30)).await.unwrap(), None);
    assert!(!store.end_user_session(ann.id, "s1").await.unwrap(), "once");
}

/// Log-in finds an account by handle or email, without regard to case.
pub async fn accounts_are_found_by_handle_or_email(store: Arc<dyn Store>) {
    let ann = user(&*store, "Ann").await;
    store
        .set_password_hash(ann.id, "$argon2id$fake")
        .await
        .unwrap();
    for login in ["ann", "ANN", " Ann ", "ann@example.com", "ANN@EXAMPLE.COM"] {
        let record = store
            .login_record(login)
            .await
            .unwrap()
            .unwrap_or_else(|| panic!("{login}"));
        assert_eq!(record.user.id, ann.id);
        assert_eq!(record.password_hash.as_deref(), Some("$argon2id$fake"));
        assert_eq!(record.email.as_deref(), Some("Ann@example.com"));
        assert!(!record.email_verified);
    }
    assert_eq!(store.login_record("nobody").await.unwrap(), None);
    assert_eq!(store.login_record("").await.unwrap(), None);
    store.set_email_verified(ann.id, at(5)).await.unwrap();
    assert!(
        store
            .login_record_by_id(ann.id)
            .await
            .unwrap()
            .unwrap()
            .email_verified
    );
    let page = store.list_users(1).await.unwrap();
    assert_eq!((page.total, page.items.len()), (1, 1));
}

fn session(id_hash: &str, user: UserId, expires_at: i64) -> NewSession {
    NewSession {
        id_hash: id_hash.to_owned(),
        user,
        csrf_token: format!("csrf-{id_hash}"),
        created_at: at(0),
        expires_at,
        user_agent: format!("Browser {id_hash}"),
    }
}

/// A session works until it expires or is ended; ending all but one keeps that one.
pub async fn sessions_expire_and_end(store: Arc<dyn Store>) {
    let ann = user(&*store, "ann").await;
    store
        .create_session(session("a", ann.id, at(100)))
        .await
        .unwrap();
    store
        .create_session(session("b", ann.id, at(100)))
        .await
        .unwrap();
    store
        .create_session(session("c", ann.id, at(10)))
        .await
        .unwrap();
    let live = store
        .session("a", at(50))
        .await
        .unwrap()
        .expect("live session");
    assert_eq!(live.user.id, ann.id);
    assert_eq!(live.csrf_token, "csrf-a");
    assert_eq!(
        store.session("a", at(100)).await.unwrap(),
        None,
        "expired at its time"
    );
    assert_eq!(store.session("zzz", at(50)).await.unwrap(), None);
    assert_eq!(store.delete_expired_sessions(at(50)).await.unwrap(), 1);
    store.delete_session("b").await.unwrap();
    assert_eq!(store.session("b", at(50)).await.unwrap(), None);
    store
        .create_session(session("d", ann.id, at(100)))
        .await
        .unwrap();
    assert_eq!(
        store.delete_user_sessions(ann.id, Some("a")).await.unwrap(),
        1
    );
    assert!(store.session("a", at(50)).await.unwrap().is_some());
    let dup = store.create_session(session("a", ann.id, at(100))).await;
    assert!(matches!(dup, Err(StoreError::Conflict { .. })), "{dup:?}");
}

/// Profile, password and role changes land; an unknown user is NotFound.
pub async fn profiles_roles_and_passwords_change(store: Arc<dyn Store>) {
    let ann = user(&*store, "ann").await;
    store
        .update_profile(
            ann.id,
            ProfileEdit {
                display_name: "Ann Smith".into(),
                about: PostBody::from_markdown("Hi <script>x</script>*there*"),
            },
        )
        .await
        .unwrap();
    store.set_role(ann.id, Role::Moderator).await.unwrap();
    let read = store.user(ann.id).await.unwrap().unwrap();
    assert_eq!(read.display_name, "Ann Smith");
    // The script shows as the text typed (issue 16); nothing of it runs.
    assert_eq!(
        read.about_html.as_str(),
        "<p>Hi &lt;script&gt;x&lt;/script&gt;<em>there</em></p>\n"
    );
    assert_eq!(read.role, Role::Moderator);
    let missing = UserId(ann.id.0 + 100);
    assert!(matches!(
        store.set_role(missing, Role::Admin).await,
        Err(StoreError::NotFound { .. })
    ));
    assert!(matches!(
        store.set_password_hash(missing, "x").await,
        Err(StoreError::NotFound { .. })
    ));
}

/// A deleted account's posts stay under a placeholder; its handle and email are free
/// again; it cannot log in and its sessions end.
pub async fn deleting_an_account_keeps_what_they_wrote(store: Arc<dyn Store>) {
    let ann = user(&*store, "ann").await;
    let cat = category(&*store, None, "general").await;
    let q = ask(
        &*store,
        ann.id,
        cat.id,
        "A question that outlives me",
        &[],
        0,
    )
    .await;
    store
        .create_session(session("s", ann.id, at(1000)))
        .await
        .unwrap();
    store.delete_user(ann.id, at(10)).await.unwrap();

    let thread = store
        .question_thread(q)
        .await
        .unwrap()
        .expect("the question stays");
    assert!(thread.question.author.deleted);
    assert_eq!(thread.question.author.id, ann.id);
    let gone = store.user(ann.id).await.unwrap().unwrap();
    assert!(gone.deleted);
    assert_ne!(gone.handle, "ann");
    assert_eq!(store.login_record("ann").await.unwrap(), None);
    assert_eq!(store.login_record_by_id(ann.id).await.unwrap(), None);
    assert_eq!(store.session("s", at(20)).await.unwrap(), None);
    user(&*store, "ann").await; // the handle and email are free again
    assert!(matches!(
        store.delete_user(ann.id, at(11)).await,
        Err(StoreError::NotFound { .. })
    ));
}

fn token(hash: &str, user: UserId, purpose: TokenPurpose, expires_at: i64) -> NewEmailToken {
    NewEmailToken {
        token_hash: hash.to_owned(),
        user,
        purpose,
        email: "ann@example.com".into(),
        created_at: at(0),
        expires_at,
    }
}

/// A mailed token works once, for its purpose only, until it expires.
pub async fn email_tokens_work_once_and_expire(store: Arc<dyn Store>) {
    let ann = user(&*store, "ann").await;
    store
        .create_email_token(token("t1", ann.id, TokenPurpose::VerifyEmail, at(100)))
        .await
        .unwrap();
    store
        .create_email_token(token("t2", ann.id, TokenPurpose::ResetPassword, at(100)))
        .await
        .unwrap();
    assert_eq!(
        store
            .use_email_token("t1", TokenPurpose::ResetPassword, at(1))
            .await
            .unwrap(),
        None
    );
    assert_eq!(
        store
            .use_email_token("t2", TokenPurpose::ResetPassword, at(100))
            .await
            .unwrap(),
        None
    );
    assert_eq!(
        store
            .use_email_token("t1", TokenPurpose::VerifyEmail, at(1))
            .await
            .unwrap(),
        Some((ann.id, "ann@example.com".to_owned()))
    );
    assert_eq!(
        store
            .use_email_token("t1", TokenPurpose::VerifyEmail, at(2))
            .await
            .unwrap(),
        None
    );

    store
        .create_email_token(token("t3", ann.id, TokenPurpose::ResetPassword, at(100)))
        .await
        .unwrap();
    let mut tasks = Vec::new();
    for _ in 0..8 {
        let store = store.clone();
        tasks.push(tokio::spawn(async move {
            store
                .use_email_token("t3", TokenPurpose::ResetPassword, at(5))
                .await
        }));
    }
    let mut uses = 0;
    for task in tasks {
        if task.await.unwrap().unwrap().is_some() {
            uses += 1;
        }
    }
    assert_eq!(uses, 1, "a token raced by eight requests works once");
}

/// A password chosen by a reset link or in settings ends every other reset link
/// of the account (issue 16); a verification link, another account's reset link and
/// the same password hashed anew end nothing.
pub async fn a_chosen_password_ends_every_reset_link(store: Arc<dyn Store>) {
    let ann = user(&*store, "ann").await;
    let bob = user(&*store, "bob").await;
    for (hash, owner, purpose) in [
        ("r1", ann.id, TokenPurpose::ResetPassword),
        ("r2", ann.id, TokenPurpose::ResetPassword),
        ("v1", ann.id, TokenPurpose::VerifyEmail),
        ("b1", bob.id, TokenPurpose::ResetPassword),
    ] {
        store
            .create_email_token(token(hash, owner, purpose, at(100)))
            .await
            .unwrap();
    }
    let used = store
        .use_email_token("r1", TokenPurpose::ResetPassword, at(1))
        .await
        .unwrap();
    assert_eq!(used.map(|(user, _)| user), Some(ann.id));
    store
        .change_password(ann.id, "$argon2id$new", at(2))
        .await
        .unwrap();
    let record = store.login_record_by_id(ann.id).await.unwrap().unwrap();
    assert_eq!(record.password_hash.as_deref(), Some("$argon2id$new"));
    let use_token = |hash: &'static str, purpose| {
        let store = store.clone();
        async move { store.use_email_token(hash, purpose, at(3)).await.unwrap() }
    };
    assert_eq!(use_token("r2", TokenPurpose::ResetPassword).await, None);
    assert!(use_token("v1", TokenPurpose::VerifyEmail).await.is_some());
    assert!(use_token("b1", TokenPurpose::ResetPassword).await.is_some());

    store
        .create_email_token(token("r3", ann.id, TokenPurpose::ResetPassword, at(100)))
        .await
        .unwrap();
    store
        .set_password_hash(ann.id, "$argon2id$rehashed")
        .await
        .unwrap();
    assert!(use_token("r3", TokenPurpose::ResetPassword).await.is_some());
    assert!(matches!(
        store.change_password(UserId(999_999), "x", at(4)).await,
        Err(StoreError::NotFound { .. })
    ));
}

/// Tokens made within an allowance: a pause after each, a cap a day, counted per
/// purpose, and eight racing requests store one (issue 16).
pub async fn the_mail_allowance_holds_against_racing_requests(store: Arc<dyn Store>) {
    use ponder_core::mail_allowance::{DAY, MailAllowance};
    let ann = user(&*store, "ann").await;
    let allowance = MailAllowance {
        cooldown_secs: 60,
        per_day: 2,
    };
    let made_at = |hash: &str, purpose, created: i64| NewEmailToken {
        created_at: created,
        ..token(hash, ann.id, purpose, created + 3_600)
    };
    let mut tasks = Vec::new();
    for i in 0..8 {
        let store = store.clone();
        let token = made_at(&format!("race{i}"), TokenPurpose::ResetPassword, at(0));
        tasks.push(tokio::spawn(async move {
            store.create_email_token_within(token, allowance).await
        }));
    }
    let mut stored = 0;
    for task in tasks {
        match task.await.unwrap().unwrap() {
            Ok(()) => stored += 1,
            Err(wait) => assert_eq!(wait, 60),
        }
    }
    assert_eq!(stored, 1, "racing requests store one token");
    let within = |hash: &'static str, purpose, created| {
        let store = store.clone();
        let token = made_at(hash, purpose, created);
        async move {
            store
                .create_email_token_within(token, allowance)
                .await
                .unwrap()
        }
    };
    assert_eq!(
        within("soon", TokenPurpose::ResetPassword, at(30)).await,
        Err(30)
    );
    assert_eq!(
        within("other", TokenPurpose::VerifyEmail, at(30)).await,
        Ok(())
    );
    assert_eq!(
        within("second", TokenPurpose::ResetPassword, at(60)).await,
        Ok(())
    );
    assert_eq!(
        within("third", TokenPurpose::ResetPassword, at(600)).await,
        Err(DAY - 600),
        "two a day"
    );
    assert_eq!(
        within("next-day", TokenPurpose::ResetPassword, at(DAY)).await,
        Ok(())
    );
    assert!(
        store
            .use_email_token("next-day", TokenPurpose::ResetPassword, at(DAY + 1))
            .await
            .unwrap()
            .is_some()
    );
    assert_eq!(
        store
            .use_email_token("third", TokenPurpose::ResetPassword, at(601))
            .await
            .unwrap(),
        None,
        "a refused token is not stored"
    );
}

fn signup(token_hash: &str, handle: &str, email: &str, created: i64) -> NewSignup {
    NewSignup {
        token_hash: token_hash.into(),
        handle: handle.into(),
        email: email.into(),
        password_hash: "$argon2id$signup".into(),
        next_path: "/questions".into(),
        created_at: created,
        expires_at: created + 3 * 86_400,
    }
}

/// A sign-up makes no account until its link is opened; then one, verified, under
/// the handle given then, and the link works once, before it expires (issue 16).
pub async fn a_signup_link_makes_one_account(store: Arc<dyn Store>) {
    use ponder_core::mail_allowance::MailAllowance;
    let allowance = MailAllowance::default();
    let new = signup("t1", "ann", "Ann@Example.org", at(0));
    assert_eq!(
        store.create_signup_within(new, allowance).await.unwrap(),
        Ok(())
    );
    assert_eq!(store.login_record("ann@example.org").await.unwrap(), None);
    assert_eq!(
        store.pending_signup("t1", at(3 * 86_400)).await.unwrap(),
        None
    );
    assert_eq!(store.pending_signup("nope", at(1)).await.unwrap(), None);
    assert_eq!(
        store.pending_signup("t1", at(1)).await.unwrap(),
        Some(PendingSignup {
            handle: "ann".into(),
            email: "Ann@Example.org".into(),
            next_path: "/questions".into(),
        })
    );
    // Opened after the handle was taken: refused, and the link still works.
    user(&*store, "bob").await;
    assert!(matches!(
        store.finish_signup("t1", "BOB", at(2)).await,
        Err(StoreError::Conflict { .. })
    ));
    assert!(store.pending_signup("t1", at(2)).await.unwrap().is_some());
    let made = store
        .finish_signup("t1", "annie", at(3))
        .await
        .unwrap()
        .expect("the account");
    assert_eq!(made.handle, "annie");
    assert_eq!(made.display_name, "annie");
    assert_eq!(made.role, Role::User);
    let record = store
        .login_record("ANN@example.org")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(record.user.id, made.id);
    assert!(record.email_verified);
    assert_eq!(record.password_hash.as_deref(), Some("$argon2id$signup"));
    assert_eq!(store.finish_signup("t1", "ann", at(4)).await.unwrap(), None);
    assert_eq!(store.pending_signup("t1", at(4)).await.unwrap(), None);

    // A second sign-up for the address, opened once it has an account: refused.
    let again = signup("t2", "ann2", "ann@example.ORG", at(100));
    assert_eq!(
        store.create_signup_within(again, allowance).await.unwrap(),
        Ok(())
    );
    assert!(matches!(
        store.finish_signup("t2", "ann2", at(101)).await,
        Err(StoreError::Conflict { .. })
    ));
    // An expired link makes nothing.
    let late = signup("t3", "cat", "cat@example.org", at(0));
    assert_eq!(
        store.create_signup_within(late, allowance).await.unwrap(),
        Ok(())
    );
    assert_eq!(
        store
            .finish_signup("t3", "cat", at(3 * 86_400))
            .await
            .unwrap(),
        None
    );
    assert_eq!(store.login_record("cat").await.unwrap(), None);
    assert_eq!(store.list_users(1).await.unwrap().total, 2);
}

/// Sign-ups mailed to one address get a pause and a daily cap, whatever case the
/// address is typed in, and eight racing sign-ups store one (issue 16).
pub async fn the_signup_allowance_holds_per_address_against_racing_requests(store: Arc<dyn Store>) {
    use ponder_core::mail_allowance::{DAY, MailAllowance};
    let allowance = MailAllowance {
        cooldown_secs: 60,
        per_day: 2,
    };
    let mut tasks = Vec::new();
    for i in 0..8 {
        let store = store.clone();
        let new = signup(&format!("race{i}"), "ann", "ann@example.org", at(0));
        tasks.push(tokio::spawn(async move {
            store.create_signup_within(new, allowance).await
        }));
    }
    let mut stored = 0;
    for task in tasks {
        match task.await.unwrap().unwrap() {
            Ok(()) => stored += 1,
            Err(wait) => assert_eq!(wait, 60),
        }
    }
    assert_eq!(stored, 1, "racing sign-ups store one");
    let within = |hash: &str, email: &str, created: i64| {
        let store = store.clone();
        let new = signup(hash, "ann", email, created);
        async move { store.create_signup_within(new, allowance).await.unwrap() }
    };
    assert_eq!(within("soon", "ANN@example.org", at(59)).await, Err(1));
    assert_eq!(within("other", "bob@example.org", at(59)).await, Ok(()));
    assert_eq!(within("second", "Ann@Example.org", at(60)).await, Ok(()));
    assert_eq!(
        within("third", "ann@example.org", at(600)).await,
        Err(DAY - 600),
        "two a day"
    );
    assert_eq!(store.pending_signup("third", at(601)).await.unwrap(), None);
    assert_eq!(within("next-day", "ann@example.org", at(DAY)).await, Ok(()));
}

/// Every kind of rendered text is read in id order after a given id, and its HTML
/// is replaced only while its Markdown is the one read (issue 16: posts stored by
/// an older renderer can be rendered again).
pub async fn stored_texts_are_read_in_pages_and_rendered_anew_unless_edited(store: Arc<dyn Store>) {
    use ponder_core::markdown::SafeHtml;
    let ann = user(&*store, "ann").await;
    let bob = user(&*store, "bob").await;
    let cat = category(&*store, None, "general").await;
    let first = ask(&*store, ann.id, cat.id, "First", &[], 1).await;
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

/// Avatars are stored, replaced, and gone with their account.
pub async fn avatars_are_stored_and_replaced(store: Arc<dyn Store>) {
    let ann = user(&*store, "ann").await;
    assert_eq!(store.avatar(ann.id).await.unwrap(), None);
    let png = Avatar {
        content_type: "image/png".into(),
        bytes: vec![0, 1, 2, 255],
        updated_at: at(1),
    };
    store.set_avatar(ann.id, png.clone()).await.unwrap();
    assert_eq!(store.avatar(ann.id).await.unwrap(), Some(png));
    let second = Avatar {
        content_type: "image/png".into(),
        bytes: vec![9; 1000],
        updated_at: at(2),
    };
    store.set_avatar(ann.id, second.clone()).await.unwrap();
    assert_eq!(store.avatar(ann.id).await.unwrap(), Some(second));
    store.delete_user(ann.id, at(3)).await.unwrap();
    assert_eq!(store.avatar(ann.id).await.unwrap(), None);
}

fn edit(
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
    let ann = user(&*store, "ann").await;
    let bob = user(&*store, "bob").await;
    let cat = category(&*store, None, "general").await;
    let q = ask(
        &*store,
        ann.id,
        cat.id,
        "The first title of it",
        &["old", "kept"],
        0,
    )
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
    let ann = user(&*store, "ann").await;
    let cat = category(&*store, None, "general").await;
    let q = ask(&*store, ann.id, cat.id, "A contested question", &["x"], 0).await;
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
    let ann = user(&*store, "ann").await;
    let bob = user(&*store, "bob").await;
    let cat = category(&*store, None, "general").await;
    let q = ask(
        &*store,
        ann.id,
        cat.id,
        "A question to delete",
        &["gone"],
        0,
    )
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

/// The downvoter of an answer pays 1; the daily cap holds per UTC day; the ledger
/// replays to the stored totals, and a tampered total is found and fixed.
pub async fn reputation_follows_stack_exchange_rules_and_replays(store: Arc<dyn Store>) {
    let ann = user(&*store, "ann").await;
    let bob = user(&*store, "bob").await;
    let cat = category(&*store, None, "general").await;
    let q = ask(&*store, ann.id, cat.id, "A question for reputation", &[], 0).await;
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
    let ann = user(&*store, "ann").await;
    let bob = user(&*store, "bob").await;
    let cat = category(&*store, None, "general").await;
    let q1 = ask(&*store, ann.id, cat.id, "The first question asked", &[], 0).await;
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
    let ann = user(&*store, "ann").await;
    let bob = user(&*store, "bob").await;
    let cat = category(&*store, None, "general").await;
    let q = ask(&*store, ann.id, cat.id, "A question with a comment", &[], 0).await;
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

/// A suggestion waits; approving applies it as the suggester's revision (+2), and a
/// second pending suggestion on the same post is refused.
pub async fn suggested_edits_wait_for_review(store: Arc<dyn Store>) {
    let ann = user(&*store, "ann").await;
    let bob = user(&*store, "bob").await;
    let cat = category(&*store, None, "general").await;
    let q = ask(&*store, ann.id, cat.id, "A question to improve", &["x"], 0).await;
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
        body_markdown: "A clearer body for the question.".into(),
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
        .approve_suggested_edit(id, ann.id, ReputationRules::default(), at(20))
        .await
        .unwrap();
    let thread = store.question_thread(q).await.unwrap().unwrap();
    assert_eq!(thread.question.title, "A better question title");
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
            .approve_suggested_edit(id, ann.id, ReputationRules::default(), at(21))
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
            .approve_suggested_edit(stale, ann.id, ReputationRules::default(), at(22))
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
    let batch = BulkBatch {
        users,
        posts: vec![question.clone(), answer],
        comments: vec![loaded_comment],
        ..BulkBatch::default()
    };
    let loaded = store.bulk_load(batch.clone()).await.unwrap();
    assert_eq!(
        (loaded.users, loaded.posts, loaded.comments, loaded.accepted),
        (2, 2, 1, 1)
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

    // Without its secondary indexes the site still reads right; they come back.
    store.suspend_indexes("dump").await.unwrap();
    store.suspend_indexes("dump").await.unwrap();
    let listed = store
        .list_questions(&QuestionQuery::default())
        .await
        .unwrap();
    assert_eq!(listed.total, 2);
    store.restore_indexes("dump").await.unwrap();
    store.restore_indexes("dump").await.unwrap();
    assert_eq!(
        store
            .list_questions(&QuestionQuery::default())
            .await
            .unwrap()
            .total,
        2
    );
}

fn flag(post: PostId, user: UserId, kind: FlagKind, threshold: i64) -> NewFlag {
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

/// The public reputation history names a question only while it and the post the
/// points came from are visible (issue 16).
pub async fn reputation_history_names_no_deleted_post(store: Arc<dyn Store>) {
    let ann = user(&*store, "ann").await;
    let bob = user(&*store, "bob").await;
    let cat = category(&*store, None, "general").await;
    let q = ask(
        &*store,
        ann.id,
        cat.id,
        "A title that will go away",
        &["x"],
        0,
    )
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
    let ann = user(&*store, "ann").await;
    let cat = category(&*store, None, "general").await;
    let q = ask(
        &*store,
        ann.id,
        cat.id,
        "Buy cheap watches here now",
        &["x"],
        0,
    )
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

fn close_vote(question: PostId, user: UserId, close: bool, threshold: i64) -> NewCloseVote {
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
    let ann = user(&*store, "ann").await;
    let bob = user(&*store, "bob").await;
    let cat = category(&*store, None, "general").await;
    let q = ask(
        &*store,
        ann.id,
        cat.id,
        "A question to be locked",
        &["x"],
        0,
    )
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
    let ann = user(&*store, "ann").await;
    let bob = user(&*store, "bob").await;
    let reviewer = user(&*store, "reviewer").await;
    let cat = category(&*store, None, "general").await;
    let q = ask(
        &*store,
        ann.id,
        cat.id,
        "A newcomer's first question",
        &["x"],
        0,
    )
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

/// A write that another beat to the post is refused with the rule it broke, never
/// failed: an answer as the question closes, a vote as the post is locked, an edit
/// as the post is deleted, an accept as the answer is deleted, and the second of
/// two editors saving from the same revision (issue 17).
pub async fn writes_raced_by_another_are_refused_by_name(store: Arc<dyn Store>) {
    let ann = user(&*store, "ann").await;
    let bob = user(&*store, "bob").await;
    let cat = category(&*store, None, "general").await;
    let q = ask(&*store, ann.id, cat.id, "Racing", &["race"], 1).await;
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

/// Site-wide subscribers' positions are stored and never move back; work that
/// must run on one node is leased to one at a time on PostgreSQL (the one
/// process leads on SQLite), and a dropped lease frees it (issue 17).
pub async fn feed_positions_move_on_and_one_node_leads(store: Arc<dyn Store>) {
    assert_eq!(store.feed_position("mail").await.unwrap(), 0);
    store.set_feed_position("mail", 5, at(1)).await.unwrap();
    store.set_feed_position("mail", 3, at(2)).await.unwrap();
    store.set_feed_position("webhooks", 2, at(3)).await.unwrap();
    assert_eq!(store.feed_position("mail").await.unwrap(), 5, "never back");
    assert_eq!(store.feed_position("webhooks").await.unwrap(), 2);
    store.set_feed_position("mail", 9, at(4)).await.unwrap();
    assert_eq!(store.feed_position("mail").await.unwrap(), 9);

    let first = store.lead("mail").await.unwrap();
    assert!(first.is_some());
    let second = store.lead("mail").await.unwrap();
    if store.backend() != "postgres" {
        assert!(second.is_some(), "the one process always leads");
        return;
    }
    assert!(second.is_none(), "one node leads at a time");
    assert!(
        store.lead("webhooks").await.unwrap().is_some(),
        "other work has a lease of its own"
    );
    drop(first);
    // The server frees the lock when it sees the lease's connection close.
    let mut again = None;
    for _ in 0..250 {
        again = store.lead("mail").await.unwrap();
        if again.is_some() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert!(again.is_some(), "a dropped lease frees the work");
}
