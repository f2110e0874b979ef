//! The Stack Exchange data dump format, the common tongue of Q&A data: each file
//! (Posts.xml, Users.xml, ...) is an XML declaration, a root element, and one
//! `<row .../>` per line whose attributes are the columns.
//!
//! [`RowReader`] streams rows from any file with memory that does not grow with the
//! file, and names the file and line in every error; [`RowWriter`] writes rows with
//! the byte conventions of the official dumps. Mapping rows to Ponder's data is the
//! importer's job, not this crate's.

mod error;
mod read;
mod write;

pub use error::{DumpError, Problem};
pub use read::{MAX_LINE_BYTES, Row, RowReader};
pub use write::RowWriter;
