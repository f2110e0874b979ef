//! Exporting in the Stack Exchange dump format: the official files' byte conventions
//! and attribute orders, and a round trip (import, export, import into an empty site,
//! export again) that gives the same files, on both databases.

#![expect(
    clippy::unwrap_used,
    reason = "test helpers: a failed step should fail the test"
)]

mod support;

use ponder_exchange::{NoProgress, export_stackexchange};
use ponder_store::Store;
use std::path::Path;
use std::sync::Arc;
use support::*;

const FILES: [&str; 8] = [
    "Users.xml",
    "Posts.xml",
    "PostHistory.xml",
    "PostLinks.xml",
    "Comments.xml",
    "Tags.xml",
    "Votes.xml",
    "Badges.xml",
];

macro_rules! on_both_databases {
    ($check:ident) => {
        mod $check {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let a = super::store_on("sqlite").await.unwrap();
                let b = super::store_on("sqlite").await.unwrap();
                super::$check(a.store.clone(), b.store.clone()).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                let (Some(a), Some(b)) = (
                    super::store_on("postgres").await,
                    super::store_on("postgres").await,
                ) else {
                    return;
                };
                super::$check(a.store.clone(), b.store.clone()).await;
            }
        }
    };
}

on_both_databases!(a_small_dump_round_trips);
on_both_databases!(the_sample_round_trips);

async fn export(store: &dyn Store, dir: &Path) {
    export_stackexchange(store, dir, &NoProgress).await.unwrap();
}

/// Import `source` into `first`, export it, import that into `second`, export again:
/// the two exports must be the same bytes.
async fn round_trip(first: Arc<dyn Store>, second: Arc<dyn Store>, source: &Path) {
    import(&first, source).await.unwrap();
    let out = tempfile::tempdir().unwrap();
    let (a, b) = (out.path().join("a"), out.path().join("b"));
    export(&*first, &a).await;
    import(&second, &a).await.unwrap();
    export(&*second, &b).await;
    for file in FILES {
        let (x, y) = (
            std::fs::read(a.join(file)).unwrap(),
            std::fs::read(b.join(file)).unwrap(),
        );
        if x != y {
            let (x, y) = (String::from_utf8_lossy(&x), String::from_utf8_lossy(&y));
            let diff = x.lines().zip(y.lines()).find(|(l, r)| l != r);
            panic!("{file} differs after a round trip: {diff:?}");
        }
    }
    conventions(&a);
    assert_eq!(post_kinds(&*first).await, post_kinds(&*second).await);
    assert_eq!(live_users(&*first).await, live_users(&*second).await);
}

/// The byte conventions of the official dumps, checked on every exported file.
fn conventions(dir: &Path) {
    for file in FILES {
        let bytes = std::fs::read(dir.join(file)).unwrap();
        let text = std::str::from_utf8(&bytes).expect("UTF-8");
        let lines: Vec<&str> = text.split("\r\n").collect();
        assert_eq!(
            lines[0], "\u{feff}<?xml version=\"1.0\" encoding=\"utf-8\"?>",
            "{file}"
        );
        let root = file.trim_end_matches(".xml").to_lowercase();
        assert_eq!(lines[1], format!("<{root}>"), "{file}");
        assert_eq!(*lines.last().unwrap(), format!("</{root}>"), "{file}");
        for row in &lines[2..lines.len() - 1] {
            assert!(
                row.starts_with("  <row Id=\"") && row.ends_with(" />"),
                "{file}: {row}"
            );
            assert!(
                !row.contains('\n') && !row.contains('\r'),
                "{file}: one row a line"
            );
        }
    }
    for row in rows_in(dir, "Comments.xml") {
        assert!(
            row.split_whitespace()
                .nth(2)
                .unwrap()
                .starts_with("PostId="),
            "{row}"
        );
    }
    for row in rows_in(dir, "Badges.xml") {
        assert!(
            row.split_whitespace()
                .nth(2)
                .unwrap()
                .starts_with("UserId="),
            "{row}"
        );
    }
    for row in rows_in(dir, "Posts.xml") {
        let names: Vec<&str> = row
            .split("=\"")
            .filter_map(|part| part.rsplit(' ').next())
            .collect();
        if let Some(title) = names.iter().position(|n| *n == "Title") {
            assert_eq!(names[title + 1], "Tags", "{row}");
        }
        assert_eq!(names[1], "PostTypeId");
    }
}

async fn a_small_dump_round_trips(first: Arc<dyn Store>, second: Arc<dyn Store>) {
    let dir = tempfile::tempdir().unwrap();
    small_dump(dir.path());
    round_trip(first.clone(), second, dir.path()).await;

    let out = tempfile::tempdir().unwrap();
    export(&*first, out.path()).await;
    let posts = rows_in(out.path(), "Posts.xml");
    assert_eq!(posts.len(), 3);
    assert!(posts[0].starts_with(
        "  <row Id=\"1\" PostTypeId=\"1\" AcceptedAnswerId=\"3\" CreationDate=\"2011-08-17T20:18:56.000\" Score=\"11\" ViewCount=\"295\" Body=\"&lt;p&gt;Which &lt;b&gt;verb&lt;/b&gt;?&lt;/p&gt;"
    ), "{}", posts[0]);
    assert!(posts[0].contains(" Title=\"Which verb goes here?\" Tags=\"&lt;grammar&gt;&lt;verbs&gt;\" AnswerCount=\"1\""), "{}", posts[0]);
    let history = rows_in(out.path(), "PostHistory.xml");
    assert!(
        history[0].contains("PostHistoryTypeId=\"5\" PostId=\"1\""),
        "edited: {}",
        history[0]
    );
    assert!(
        history[0].contains("Text=\"Which **verb**?&#xD;&#xA;&#xD;&#xA;![x](javascript:x)\""),
        "{}",
        history[0]
    );
    assert!(
        history[1].contains("PostHistoryTypeId=\"10\" PostId=\"1\"")
            && history[1].contains("Comment=\"105\"")
    );
    assert_eq!(
        rows_in(out.path(), "PostLinks.xml"),
        [
            "  <row Id=\"1\" CreationDate=\"2011-08-20T10:00:00.000\" PostId=\"4\" RelatedPostId=\"1\" LinkTypeId=\"3\" />"
        ]
    );
    // Placeholders are deleted users, left out as the official dumps leave them out.
    let users = rows_in(out.path(), "Users.xml");
    assert_eq!(users.len(), 2);
    assert!(users[0].starts_with("  <row Id=\"-1\" Reputation=\"1\""));
    assert_eq!(
        rows_in(out.path(), "Badges.xml"),
        [
            "  <row Id=\"1\" UserId=\"2\" Name=\"Autobiographer\" Date=\"2011-08-17T19:49:15.000\" Class=\"3\" TagBased=\"False\" />"
        ]
    );
}

async fn the_sample_round_trips(first: Arc<dyn Store>, second: Arc<dyn Store>) {
    let Some(dir) = sample() else { return };
    round_trip(first, second, &dir).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_site_s_own_votes_are_exported_without_voters() {
    let t = store_on("sqlite").await.unwrap();
    let store = &*t.store;
    let ann = ponder_store::conformance::user(store, "ann").await;
    let bob = ponder_store::conformance::user(store, "bob").await;
    let cat = ponder_store::conformance::category(store, None, "general").await;
    let q =
        ponder_store::conformance::ask(store, ann.id, cat.id, "A question of our own", &["own"], 1)
            .await;
    ponder_store::conformance::vote(store, q, bob.id, ponder_store::VoteValue::Up).await;
    let out = tempfile::tempdir().unwrap();
    export(store, out.path()).await;
    conventions(out.path());
    let votes = rows_in(out.path(), "Votes.xml");
    assert_eq!(votes.len(), 1);
    assert!(
        votes[0].contains(&format!("PostId=\"{}\" VoteTypeId=\"2\"", q.0)),
        "{}",
        votes[0]
    );
    assert!(
        votes[0].contains("T00:00:00.000\""),
        "votes carry their day only"
    );
    assert!(!votes[0].contains("UserId"), "voters stay anonymous");
}
