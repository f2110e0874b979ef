//! Moving a site in and out of Ponder in the Stack Exchange data dump format.
//!
//! [`import_stackexchange`] streams a dump folder (Users.xml, Posts.xml, ...) into a
//! store in batches, keeping ids so that `/questions/{id}` matches the original site,
//! and can be run again to finish an interrupted import; [`export_stackexchange`]
//! writes a site back out with the official files' byte conventions. The row format
//! itself lives in `ponder-dump`; this crate maps rows to Ponder's data and back.
//! [`import_answer`] moves an Apache Answer site in from its database.

mod answer;
mod attributes;
mod dates;
mod error;
mod export;
mod id_set;
mod images;
mod import;
mod links;
mod mapping;
mod sources;
mod summary;

pub use answer::{AnswerImportOptions, AnswerTarget, import_answer};
pub use error::ExchangeError;
pub use export::{ExportSummary, export_stackexchange};
pub use images::{COPIES_AT_ONCE, ImageCopier, MAX_IMAGES_PER_POST};
pub use import::{ImportOptions, import_stackexchange};
pub use summary::{FileSummary, ImageSummary, ImportSummary};

/// Told how far a long job has come, for a progress bar.
pub trait Progress: Send + Sync {
    /// The total amount of work, in bytes of input (or rows of output), once at the start.
    fn total(&self, units: u64);
    /// Work done so far, and the file at hand.
    fn update(&self, file: &str, done: u64);
}

/// A [`Progress`] that shows nothing.
pub struct NoProgress;

impl Progress for NoProgress {
    fn total(&self, _: u64) {}
    fn update(&self, _: &str, _: u64) {}
}
