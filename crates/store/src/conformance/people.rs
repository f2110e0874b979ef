//! Administering accounts: roles that keep an administrator, activity beside each
//! account, deletion with what it wrote, and a member's own data.

use super::*;
use crate::conformance::moderation::flag;
use ponder_core::refusal::Refusal;

/// The last administrator keeps the role; with two, one may step down.
pub async fn the_last_administrator_keeps_the_role(store: Arc<dyn Store>) {
    let root = user(&*store, "root").await;
    let ann = user(&*store, "ann").await;
    store.set_role(root.id, Role::Admin).await.unwrap();
    for role in [Role::User, Role::Moderator] {
        assert!(matches!(
            store.set_role(root.id, role).await,
            Err(StoreError::Refused(Refusal::LastAdministrator))
        ));
    }
    store.set_role(ann.id, Role::Admin).await.unwrap();
    store.set_role(root.id, Role::User).await.unwrap();
    assert!(matches!(
        store.set_role(ann.id, Role::Moderator).await,
        Err(StoreError::Refused(Refusal::LastAdministrator))
    ));
    assert!(store.has_administrator().await.unwrap());
    // Making someone a moderator needs no administrator check.
    store.set_role(root.id, Role::Moderator).await.unwrap();
}

/// Activity: last use, posts, flags on what they wrote, suspensions; one
/// statement for a page of users.
pub async fn user_activity_counts_posts_flags_and_suspensions(store: Arc<dyn Store>) {
    let ([ann, bob, cy], _, q) = Fixture::new(&*store)
        .question("A question ann asked", &[], 0)
        .build(["ann", "bob", "cy"])
        .await;
    let a = answer(&*store, q, bob.id, 1).await;
    answer(&*store, q, bob.id, 2).await;
    store
        .create_flag(flag(a, ann.id, FlagKind::Spam, 6))
        .await
        .unwrap();
    store
        .log_moderation(ann.id, "suspend", "user", bob.id.0, "spam", at(3))
        .await
        .unwrap();
    let before = store.queries_executed();
    let activity = store.user_activity(&[ann.id, bob.id, cy.id]).await.unwrap();
    assert_eq!(store.queries_executed() - before, 1);
    let of = |id: UserId| activity.iter().find(|a| a.user == id).unwrap().clone();
    assert_eq!(
        (of(ann.id).posts, of(ann.id).flags, of(ann.id).suspensions),
        (1, 0, 0)
    );
    assert_eq!(
        (of(bob.id).posts, of(bob.id).flags, of(bob.id).suspensions),
        (2, 1, 1)
    );
    assert_eq!((of(cy.id).posts, of(cy.id).last_seen), (0, None));
    assert!(store.user_activity(&[]).await.unwrap().is_empty());
}

/// Deleting with content removes the account's posts (as a moderator's
/// deletion) and comments, and anonymises it; its own data lists what it wrote.
pub async fn an_account_is_deleted_with_what_it_wrote(store: Arc<dyn Store>) {
    let ([ann, spammer, root], category, q) = Fixture::new(&*store)
        .question("A question ann asked", &["spam"], 0)
        .build(["ann", "spammer", "root"])
        .await;
    let spam_q = ask(
        &*store,
        spammer.id,
        category.id,
        "Buy cheap watches here now",
        &["spam"],
        1,
    )
    .await;
    let spam_a = answer(&*store, q, spammer.id, 2).await;
    comment(&*store, q, spammer.id, 3).await;
    comment(&*store, q, ann.id, 4).await;
    vote(&*store, q, spammer.id, VoteValue::Up).await;

    let data = store.personal_data(spammer.id).await.unwrap();
    assert_eq!(
        data.posts.iter().map(|p| p.id).collect::<Vec<_>>(),
        [spam_q.0, spam_a.0]
    );
    assert_eq!(data.posts[0].kind, "question");
    assert_eq!(data.posts[1].question_id, Some(q.0));
    assert_eq!(data.comments.len(), 1);
    assert_eq!(data.votes.len(), 1);
    assert_eq!(data.votes[0].value, 1);

    let (posts, comments) = store
        .delete_user_with_content(spammer.id, root.id, at(10))
        .await
        .unwrap();
    assert_eq!((posts, comments), (2, 1));
    let gone = store.user(spammer.id).await.unwrap().unwrap();
    assert!(gone.deleted);
    assert!(store.login_record("spammer").await.unwrap().is_none());
    let thread = store.question_thread(q).await.unwrap().unwrap();
    assert_eq!(
        thread.question.answer_count, 0,
        "the deleted answer no longer counts"
    );
    let spam = store.editable_post(spam_q).await.unwrap().unwrap();
    assert!(spam.deleted);
    // Ann's comment stays.
    assert_eq!(store.personal_data(ann.id).await.unwrap().comments.len(), 1);
    assert!(matches!(
        store
            .delete_user_with_content(spammer.id, root.id, at(11))
            .await,
        Err(StoreError::NotFound { .. })
    ));
}
