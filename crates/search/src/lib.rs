//! Ponder's search.
//!
//! - [`query`]: the query language readers type into the search box (`[tag]`,
//!   `user:7`, `"exact phrase"`, `-excluded` and the other operators), parsed into a
//!   [`SearchQuery`] that never fails: whatever the input, it yields something to
//!   search for and notes on what was ignored and why.
//!
//! The tantivy index, fed from the store's change log, will live here beside it.

pub mod query;

pub use query::{PostKindFilter, SearchQuery, parse};
