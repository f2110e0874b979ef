//! Changes to the category tree: renames keep old addresses, moves refuse cycles
//! and log their questions, order, deletion of empty categories, and merges.

use super::*;
use ponder_core::refusal::Refusal;

/// The refusal in `result`, or a panic naming what came instead.
fn refusal<T: std::fmt::Debug>(result: StoreResult<T>) -> Refusal {
    match result {
        Err(StoreError::Refused(refusal)) => refusal,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

/// A rename keeps the old segment as an address; a taken segment is a conflict.
pub async fn a_renamed_category_keeps_its_old_address(store: Arc<dyn Store>) {
    let history = category(&*store, None, "history").await;
    let modern = category(&*store, Some(history.id), "modern").await;
    category(&*store, Some(history.id), "ancient").await;
    let renamed = store
        .update_category(modern.id, "Recent history", "recent", "Since *1900*.")
        .await
        .unwrap();
    assert_eq!(renamed.slug, "recent");
    assert_eq!(renamed.parent_id, Some(history.id));
    let stored = store.categories().await.unwrap();
    let now = stored.iter().find(|c| c.id == modern.id).unwrap();
    assert_eq!(
        (now.name.as_str(), now.description.as_str()),
        ("Recent history", "Since *1900*.")
    );
    assert_eq!(
        store
            .old_category_slug(Some(history.id), "modern")
            .await
            .unwrap(),
        Some(modern.id)
    );
    assert_eq!(store.old_category_slug(None, "modern").await.unwrap(), None);
    assert!(matches!(
        store.update_category(modern.id, "Old", "ancient", "").await,
        Err(StoreError::Conflict { .. })
    ));
    assert_eq!(
        refusal(store.update_category(CategoryId(9_999), "X", "x", "").await),
        Refusal::NoSuchCategory
    );
    let kinds: Vec<String> = feed::changes_when_settled(&*store, 4)
        .await
        .into_iter()
        .map(|c| c.kind)
        .collect();
    assert!(kinds.contains(&"category.updated".to_owned()), "{kinds:?}");
}

/// A move refuses a cycle, goes last among its new siblings, keeps the old
/// address and logs each question below it as moved.
pub async fn a_moved_category_refuses_cycles_and_logs_its_questions(store: Arc<dyn Store>) {
    let ann = user(&*store, "ann").await;
    let history = category(&*store, None, "history").await;
    let modern = category(&*store, Some(history.id), "modern").await;
    let wars = category(&*store, Some(modern.id), "wars").await;
    let science = category(&*store, None, "science").await;
    let q1 = ask(
        &*store,
        ann.id,
        modern.id,
        "A question on modern history",
        &[],
        1,
    )
    .await;
    let q2 = ask(
        &*store,
        ann.id,
        wars.id,
        "A question on a modern war",
        &[],
        2,
    )
    .await;
    ask(&*store, ann.id, science.id, "A question on science", &[], 3).await;
    for bad in [modern.id, wars.id] {
        assert_eq!(
            refusal(store.move_category(modern.id, Some(bad), at(10)).await),
            Refusal::CategoryCycle
        );
    }
    assert_eq!(
        refusal(
            store
                .move_category(modern.id, Some(CategoryId(9_999)), at(10))
                .await
        ),
        Refusal::NoSuchCategory
    );
    let before = store.changes_since(0, 1_000).await.unwrap().len();
    store
        .move_category(modern.id, Some(science.id), at(10))
        .await
        .unwrap();
    let stored = store.categories().await.unwrap();
    let moved = stored.iter().find(|c| c.id == modern.id).unwrap();
    assert_eq!(moved.parent_id, Some(science.id));
    assert_eq!(
        store
            .old_category_slug(Some(history.id), "modern")
            .await
            .unwrap(),
        Some(modern.id)
    );
    let after = feed::changes_when_settled(&*store, before + 3).await;
    let moved_questions: Vec<i64> = after[before..]
        .iter()
        .filter(|c| c.kind == "question.moved")
        .map(|c| c.entity_id)
        .collect();
    assert_eq!(moved_questions, [q1.0, q2.0]);
    // To the top, and back: a move to where it is changes nothing.
    store.move_category(modern.id, None, at(11)).await.unwrap();
    let top: Vec<_> = store
        .categories()
        .await
        .unwrap()
        .into_iter()
        .filter(|c| c.parent_id.is_none())
        .map(|c| c.slug)
        .collect();
    assert_eq!(top.last().map(String::as_str), Some("modern"));
    let count = feed::changes_when_settled(&*store, before + 6).await.len();
    store.move_category(modern.id, None, at(12)).await.unwrap();
    assert_eq!(store.changes_since(0, 1_000).await.unwrap().len(), count);
}

/// Siblings take the order given, which must name each of them once.
pub async fn siblings_are_reordered_as_given(store: Arc<dyn Store>) {
    let a = category(&*store, None, "a").await;
    let b = category(&*store, None, "b").await;
    let c = category(&*store, None, "c").await;
    let child = category(&*store, Some(a.id), "child").await;
    store
        .reorder_categories(None, &[c.id, a.id, b.id])
        .await
        .unwrap();
    let order: Vec<String> = store
        .categories()
        .await
        .unwrap()
        .into_iter()
        .filter(|x| x.parent_id.is_none())
        .map(|x| x.slug)
        .collect();
    assert_eq!(order, ["c", "a", "b"]);
    for bad in [
        vec![c.id, a.id],
        vec![c.id, a.id, b.id, b.id],
        vec![c.id, a.id, child.id],
    ] {
        assert_eq!(
            refusal(store.reorder_categories(None, &bad).await),
            Refusal::NoSuchCategory
        );
    }
}

/// An empty category is deleted; one with questions or children only by a
/// merge, which moves them (with their old addresses) into the target.
pub async fn categories_are_deleted_when_empty_or_merged(store: Arc<dyn Store>) {
    let ann = user(&*store, "ann").await;
    let history = category(&*store, None, "history").await;
    let old = category(&*store, Some(history.id), "old").await;
    let wars = category(&*store, Some(old.id), "wars").await;
    let kept = category(&*store, Some(history.id), "kept").await;
    let empty = category(&*store, None, "empty").await;
    let q1 = ask(&*store, ann.id, old.id, "A question filed in old", &[], 1).await;
    ask(
        &*store,
        ann.id,
        old.id,
        "Another question filed in old",
        &[],
        2,
    )
    .await;
    ask(&*store, ann.id, wars.id, "A question filed in wars", &[], 3).await;

    assert_eq!(
        store.delete_category(empty.id, None, at(5)).await.unwrap(),
        0
    );
    assert!(
        store
            .categories()
            .await
            .unwrap()
            .iter()
            .all(|c| c.id != empty.id)
    );
    assert_eq!(
        refusal(store.delete_category(old.id, None, at(5)).await),
        Refusal::CategoryNotEmpty {
            questions: 2,
            children: 1
        }
    );
    for bad in [old.id, wars.id] {
        assert_eq!(
            refusal(store.delete_category(old.id, Some(bad), at(5)).await),
            Refusal::CategoryMergeIntoItself
        );
    }
    assert_eq!(
        refusal(
            store
                .delete_category(old.id, Some(CategoryId(9_999)), at(5))
                .await
        ),
        Refusal::NoSuchCategory
    );
    // Nothing changed by the refusals.
    assert_eq!(store.category_question_count(old.id).await.unwrap(), 2);

    assert_eq!(
        store
            .delete_category(old.id, Some(kept.id), at(6))
            .await
            .unwrap(),
        2
    );
    assert_eq!(store.category_question_count(kept.id).await.unwrap(), 2);
    let stored = store.categories().await.unwrap();
    assert!(stored.iter().all(|c| c.id != old.id));
    assert_eq!(
        stored.iter().find(|c| c.id == wars.id).unwrap().parent_id,
        Some(kept.id)
    );
    let docs = store.search_documents(&[q1]).await.unwrap();
    assert_eq!(docs[0].category_id, kept.id);
    assert_eq!(
        store
            .old_category_slug(Some(history.id), "old")
            .await
            .unwrap(),
        Some(kept.id)
    );
}
