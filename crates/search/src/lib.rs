//! Ponder's search.
//!
//! - [`query`]: the query language readers type into the search box (`[tag]`,
//!   `user:7`, `"exact phrase"`, `-excluded` and the other operators), parsed into a
//!   [`SearchQuery`] that never fails: whatever the input, it yields something to
//!   search for and notes on what was ignored and why.
//!
//! - [`index`]: the tantivy index in `<data>/index`, one document per visible post,
//!   kept in step with the database as a subscriber of the change feed
//!   (`ponder_feed`).
//!
//! - `directory`: the index folder as tantivy reads it, with `pread` instead of a
//!   mapping, so that the index's pages stay out of the server's resident memory.

mod directory;
pub mod index;
pub mod query;

pub use index::{SearchError, SearchHit, SearchIndex, SearchResults, SearchSort, Subject};
pub use query::{PostKindFilter, SearchQuery, parse};
