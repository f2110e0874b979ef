//! The store conformance suite on PostgreSQL. Runs when `PONDER_TEST_POSTGRES_URL`
//! names a server; see `ponder_store_postgres::testing`.

use ponder_store_postgres::testing::{fresh_store, with_database};

ponder_store::conformance_tests!(fresh_store);

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
