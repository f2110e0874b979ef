//! The Stack Exchange-shaped API's lists: by sets of ids, tags, dates, orders and
//! bounds, with totals; deleted posts left out.

use super::*;

fn questions() -> ListQuery {
    ListQuery {
        scope: IdScope::All,
        kind: PostKind::Question,
        tagged: Vec::new(),
        from: None,
        to: None,
        order: ListOrder::Creation,
        descending: true,
        min: None,
        max: None,
        page: 1,
        per_page: 30,
    }
}

fn ids<T>(page: &Page<T>, id: impl Fn(&T) -> i64) -> Vec<i64> {
    page.items.iter().map(id).collect()
}

/// Lists filter, order, bound and page as asked, and count what they filter.
pub async fn exchange_lists_filter_order_and_count(store: Arc<dyn Store>) {
    let ann = user(&*store, "ann").await;
    let bob = user(&*store, "bob").await;
    let cat = category(&*store, None, "general").await;
    let q1 = ask(
        &*store,
        ann.id,
        cat.id,
        "First question here",
        &["alpha", "beta"],
        10,
    )
    .await;
    let q2 = ask(
        &*store,
        bob.id,
        cat.id,
        "Second question here",
        &["beta"],
        20,
    )
    .await;
    let gone = ask(&*store, bob.id, cat.id, "A question deleted", &["beta"], 30).await;
    let a1 = answer(&*store, q1, bob.id, 40).await;
    let a2 = answer(&*store, q1, ann.id, 50).await;
    let lost = answer(&*store, gone, ann.id, 60).await;
    comment(&*store, q1, bob.id, 70).await;
    comment(&*store, a1, ann.id, 80).await;
    vote(&*store, a1, ann.id, VoteValue::Up).await;
    store.set_post_deleted(gone, true, at(90)).await.unwrap();
    let posts = |q: ListQuery| {
        let store = store.clone();
        async move { store.list_posts(&q).await.unwrap() }
    };
    let post_id = |p: &ListedPost| p.post.id.0;

    let all = posts(questions()).await;
    assert_eq!((ids(&all, post_id), all.total), (vec![q2.0, q1.0], 2));
    assert_eq!(all.items[1].tags, ["alpha", "beta"]);
    assert_eq!(all.items[1].question_id, q1);
    let oldest = posts(ListQuery {
        descending: false,
        ..questions()
    })
    .await;
    assert_eq!(ids(&oldest, post_id), [q1.0, q2.0]);
    let both_tags = posts(ListQuery {
        tagged: vec!["alpha".into(), "beta".into()],
        ..questions()
    })
    .await;
    assert_eq!(ids(&both_tags, post_id), [q1.0]);
    let dated = posts(ListQuery {
        from: Some(at(15)),
        to: Some(at(25)),
        ..questions()
    })
    .await;
    assert_eq!(ids(&dated, post_id), [q2.0]);
    let second = posts(ListQuery {
        per_page: 1,
        page: 2,
        ..questions()
    })
    .await;
    assert_eq!((ids(&second, post_id), second.total), (vec![q1.0], 2));
    let counted = posts(ListQuery {
        per_page: 0,
        ..questions()
    })
    .await;
    assert_eq!((counted.items.len(), counted.total), (0, 2));
    let by_id = posts(ListQuery {
        scope: IdScope::Ids(vec![q1.0, a1.0, gone.0, 999]),
        ..questions()
    })
    .await;
    assert_eq!(
        ids(&by_id, post_id),
        [q1.0],
        "answers, deleted and unknown ids are left out"
    );

    let answers = ListQuery {
        kind: PostKind::Answer,
        order: ListOrder::Votes,
        ..questions()
    };
    store
        .accept_answer(q1, Some(a1), ReputationRules::default())
        .await
        .unwrap();
    let of_q1 = posts(ListQuery {
        scope: IdScope::Parents(vec![q1.0, gone.0]),
        ..answers.clone()
    })
    .await;
    assert_eq!(ids(&of_q1, post_id), [a1.0, a2.0], "highest score first");
    assert!(
        of_q1
            .items
            .iter()
            .all(|a| a.question_id == q1 && a.tags.is_empty())
    );
    let accepted: Vec<bool> = of_q1.items.iter().map(|a| a.accepted).collect();
    assert_eq!(
        accepted,
        [true, false],
        "the accepted answer, and the other"
    );
    let q1_listed = posts(ListQuery {
        scope: IdScope::Ids(vec![q1.0, q2.0]),
        ..questions()
    })
    .await;
    let flags: Vec<bool> = q1_listed.items.iter().map(|q| q.accepted).collect();
    assert_eq!(flags, [false, true], "q2 has none, q1 has one");
    let by_ann = posts(ListQuery {
        scope: IdScope::Authors(vec![ann.id.0]),
        ..answers.clone()
    })
    .await;
    assert_eq!(
        ids(&by_ann, post_id),
        [a2.0],
        "an answer to a deleted question is left out"
    );
    let scored = posts(ListQuery {
        min: Some(1),
        ..answers.clone()
    })
    .await;
    assert_eq!(ids(&scored, post_id), [a1.0]);
    let unscored = posts(ListQuery {
        max: Some(0),
        ..answers
    })
    .await;
    assert_eq!(ids(&unscored, post_id), [a2.0]);
    let _ = lost;

    let comments = store
        .list_comments(&ListQuery {
            scope: IdScope::Parents(vec![q1.0]),
            ..questions()
        })
        .await
        .unwrap();
    assert_eq!((comments.total, comments.items[0].post_id), (1, q1));
    let everyone = store.list_comments(&questions()).await.unwrap();
    assert_eq!(
        ids(&everyone, |c| c.post_id.0),
        [a1.0, q1.0],
        "newest first"
    );

    let users = store
        .users_by_ids(&[bob.id, ann.id, UserId(999)])
        .await
        .unwrap();
    assert_eq!(
        users.iter().map(|u| u.handle.as_str()).collect::<Vec<_>>(),
        ["ann", "bob"]
    );
    assert!(store.users_by_ids(&[]).await.unwrap().is_empty());
    let tags = store
        .tags_by_names(&["beta".into(), "nothing".into(), "alpha".into()])
        .await
        .unwrap();
    assert_eq!(
        tags.iter().map(|t| t.name.as_str()).collect::<Vec<_>>(),
        ["beta", "alpha"]
    );

    // Asking and answering earned first badges (Student, Teacher): counted by name
    // for the site and by class for each user.
    let awards = store.badge_awards().await.unwrap();
    let awarded = |name: &str| {
        awards
            .iter()
            .find(|(n, _)| n == name)
            .map_or(0, |(_, c)| *c)
    };
    assert_eq!((awarded("Student"), awarded("Teacher")), (2, 2));
    let counts = store.badge_counts(&[ann.id, UserId(999)]).await.unwrap();
    assert!(counts.iter().all(|(u, _, _)| *u == ann.id));
    let bronze = counts
        .iter()
        .find(|(_, class, _)| class == "bronze")
        .map_or(0, |(_, _, n)| *n);
    assert!(bronze >= 2, "{counts:?}");
    assert!(store.badge_counts(&[]).await.unwrap().is_empty());

    let totals = store.site_totals(at(100)).await.unwrap();
    assert_eq!(
        (
            totals.questions,
            totals.unanswered,
            totals.answers,
            totals.comments,
            totals.users
        ),
        (2, 1, 2, 2, 2)
    );
    assert_eq!(totals.votes, 1);
}
