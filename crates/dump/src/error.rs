//! What can be wrong with a dump file, always said with the file and the line.

use std::path::PathBuf;

/// A problem in one dump file.
#[derive(Debug, thiserror::Error)]
#[error("{}{}: {problem}", file.display(), line.map(|l| format!(", line {l}")).unwrap_or_default())]
pub struct DumpError {
    /// The file.
    pub file: PathBuf,
    /// The line (from 1), when the problem has one.
    pub line: Option<u64>,
    /// What is wrong.
    pub problem: Problem,
}

/// What is wrong.
#[derive(Debug, thiserror::Error)]
pub enum Problem {
    /// The file could not be opened, read or written.
    #[error("{0}")]
    Io(#[from] std::io::Error),
    /// The first line is not an XML declaration.
    #[error("the file does not start with an XML declaration (<?xml ...?>)")]
    NoDeclaration,
    /// The second line is not the root element this file should have.
    #[error("expected the root element <{expected}>, found {found:?}")]
    WrongRoot {
        /// The root element the file should have.
        expected: String,
        /// What the line held.
        found: String,
    },
    /// A line between the root's start and end is not a `<row .../>`.
    #[error("not a <row .../> element: {0}")]
    NotARow(String),
    /// A row's XML could not be read.
    #[error("malformed XML: {0}")]
    Malformed(String),
    /// The file ended before the root element was closed.
    #[error("the file ends before </{0}>: it may have been cut short")]
    Truncated(String),
    /// A line is longer than any row of a real dump.
    #[error("the line is over {} MiB long; a dump keeps one row a line, far shorter", limit / (1024 * 1024))]
    LineTooLong {
        /// The longest line read, in bytes.
        limit: u64,
    },
    /// A row lacks an attribute it must have.
    #[error("the row has no {0} attribute")]
    Missing(&'static str),
    /// An attribute's value is not what it should be.
    #[error("{name}={value:?} is not {expected}")]
    BadValue {
        /// The attribute.
        name: String,
        /// Its value.
        value: String,
        /// What it should have been.
        expected: &'static str,
    },
}
