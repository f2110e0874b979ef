//! The store conformance suite on PostgreSQL. Runs when `PONDER_TEST_POSTGRES_URL`
//! names a server; see `ponder_store_postgres::testing`.

use ponder_store_postgres::testing::{
    fresh_bulk_load_store, fresh_pg_store, fresh_store, server_address, with_address, with_database,
};

ponder_store::conformance_tests!(fresh_store);

/// Long texts are compressed with lz4 where the server has it (this one does:
/// Debian's PostgreSQL 15), and a body written afterwards reads back whole.
// Multi-threaded, as the conformance tests: the guard drops the database from a
// thread of its own, which a single-threaded runtime blocked in the drop would starve.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn long_texts_are_compressed_with_lz4() {
    let Some((pg, test_store)) = fresh_pg_store().await else {
        return;
    };
    for (table, column) in [
        ("post_bodies", "body_markdown"),
        ("post_bodies", "body_html"),
        ("comments", "body_markdown"),
        ("comments", "body_html"),
        ("revisions", "body_markdown"),
        ("suggested_edits", "body_markdown"),
    ] {
        assert_eq!(
            pg.column_compression(table, column).await.unwrap(),
            "lz4",
            "{table}.{column}"
        );
    }
    let store = &*test_store.store;
    let ann = ponder_store::conformance::user(store, "ann").await;
    let cat = ponder_store::conformance::category(store, None, "general").await;
    let long = "A paragraph long enough to be stored out of line and compressed. ".repeat(200);
    let question = store
        .create_question(ponder_store::NewQuestion {
            author: ann.id,
            category: cat.id,
            title: "Does a long body survive compression".into(),
            body: ponder_store::PostBody::from_markdown(long.clone()),
            tags: Vec::new(),
            created_at: ponder_store::conformance::at(1),
        })
        .await
        .unwrap();
    let post = store.post(question).await.unwrap().unwrap();
    assert_eq!(post.body_markdown, long);
}

#[test]
fn database_names_are_swapped_in_urls() {
    assert_eq!(
        with_database("postgres://postgres@127.0.0.1:5432/test", "x"),
        "postgres://postgres@127.0.0.1:5432/x"
    );
    assert_eq!(
        with_database("postgres://u:p@h/test?sslmode=disable", "x"),
        "postgres://u:p@h/x?sslmode=disable"
    );
    assert_eq!(
        with_database("postgres://h:5432", "x"),
        "postgres://h:5432/x"
    );
}

#[test]
fn server_addresses_are_read_and_swapped_in_urls() {
    let relay: std::net::SocketAddr = "127.0.0.1:6000".parse().unwrap();
    assert_eq!(
        server_address("postgres://postgres@127.0.0.1:5432/test").as_deref(),
        Some("127.0.0.1:5432")
    );
    assert_eq!(
        server_address("postgres://u:p@db/test?sslmode=disable").as_deref(),
        Some("db:5432")
    );
    assert_eq!(server_address("not a url"), None);
    assert_eq!(
        with_address("postgres://postgres@127.0.0.1:5432/test", relay),
        "postgres://postgres@127.0.0.1:6000/test"
    );
    assert_eq!(
        with_address("postgres://u:p@db/test?sslmode=disable", relay),
        "postgres://u:p@127.0.0.1:6000/test?sslmode=disable"
    );
    assert_eq!(
        with_address("postgres://db", relay),
        "postgres://127.0.0.1:6000"
    );
}

/// A bulk loader's commits do not wait for the disk; a server's do.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_bulk_loads_commit_without_waiting_for_the_disk() {
    let Some((bulk, _bulk_guard)) = fresh_bulk_load_store().await else {
        return;
    };
    assert_eq!(bulk.setting("synchronous_commit").await.unwrap(), "off");
    let Some((shared, _shared_guard)) = fresh_pg_store().await else {
        return;
    };
    assert_eq!(shared.setting("synchronous_commit").await.unwrap(), "on");
}

/// After a bulk load the tables it filled have planner statistics, and the empty
/// ones are left unanalysed (analysed empty, PostgreSQL would keep plans that scan
/// them as they fill).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn statistics_are_updated_for_the_tables_a_load_filled() {
    let Some((pg, test_store)) = fresh_pg_store().await else {
        return;
    };
    let store = &*test_store.store;
    let ann = ponder_store::conformance::user(store, "ann").await;
    let cat = ponder_store::conformance::category(store, None, "general").await;
    ponder_store::conformance::ask(store, ann.id, cat.id, "A question to analyse", &["x"], 1).await;
    assert!(!pg.analysed("posts").await.unwrap());
    store.update_statistics().await.unwrap();
    for table in ["posts", "users", "post_bodies", "tags"] {
        assert!(pg.analysed(table).await.unwrap(), "{table}");
    }
    assert!(!pg.analysed("related_questions").await.unwrap());
}
