//! The change log, what its entries reach, and the feed's stored positions and
//! lease.

use super::*;

/// Each write appends one change, in order, readable from any point.
pub async fn every_write_appends_to_the_change_log(store: Arc<dyn Store>) {
    let ([ann, bob], _, q) = Fixture::new(&*store)
        .question("Changes are logged here", &[], 0)
        .build(["ann", "bob"])
        .await;
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
pub(crate) async fn changes_when_settled(store: &dyn Store, expected: usize) -> Vec<Change> {
    for _ in 0..100 {
        let all = store.changes_since(0, 100).await.unwrap();
        if all.len() >= expected {
            return all;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    store.changes_since(0, 100).await.unwrap()
}

/// A follower's lookup: the questions of posts and comments, deleted ones too, in
/// two queries at most however many ids, and none for none.
pub async fn thread_questions_name_the_questions_of_posts_and_comments(store: Arc<dyn Store>) {
    let ([ann], cat, first) = Fixture::new(&*store)
        .question("Which thread is this", &[], 0)
        .build(["ann"])
        .await;
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
