//! What an import did, file by file: rows read, rows added, and rows skipped with why.

use std::collections::BTreeMap;
use std::fmt;

/// How many example lines are kept for each reason a row was skipped.
const EXAMPLES: usize = 3;

/// What happened to one file's rows.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct FileSummary {
    /// Rows read.
    pub read: u64,
    /// Rows that added something new to the site.
    pub added: u64,
    /// Rows the site already had (an earlier run imported them).
    pub already: u64,
    /// Rows skipped, by reason: how many, and the first few lines.
    pub skipped: BTreeMap<String, (u64, Vec<u64>)>,
    /// Notes: what the file's rows became where that is not one row to one row.
    pub notes: Vec<String>,
    /// Rows that lacked an attribute older dumps do not have, by what was assumed
    /// instead: how many.
    pub defaulted: BTreeMap<String, u64>,
    /// Attributes the file has never had (a newer dump's), ignored: in how many
    /// rows each stood.
    pub unknown: BTreeMap<String, u64>,
    /// Milliseconds spent on the file.
    pub millis: u64,
    /// Whether skipped rows are named by id (a database's tables) rather than
    /// by line (a dump's files).
    pub by_id: bool,
}

impl FileSummary {
    /// Counts a skipped row.
    pub(crate) fn skip(&mut self, reason: impl Into<String>, line: u64) {
        let entry = self.skipped.entry(reason.into()).or_default();
        entry.0 += 1;
        if entry.1.len() < EXAMPLES {
            entry.1.push(line);
        }
    }

    /// Counts a row that took a default for an attribute it lacked; the summary
    /// says so once, with the count.
    pub(crate) fn defaulted(&mut self, what: &str) {
        match self.defaulted.get_mut(what) {
            Some(count) => *count += 1,
            None => {
                self.defaulted.insert(what.to_owned(), 1);
            }
        }
    }

    /// Counts a value of an attribute the file has never had.
    pub(crate) fn unknown_attribute(&mut self, name: &str) {
        match self.unknown.get_mut(name) {
            Some(count) => *count += 1,
            None => {
                self.unknown.insert(name.to_owned(), 1);
            }
        }
    }

    /// Rows skipped in all.
    pub fn skipped_count(&self) -> u64 {
        self.skipped.values().map(|(n, _)| n).sum()
    }

    /// How many rows were skipped for `reason`.
    pub fn skipped_for(&self, reason: &str) -> u64 {
        self.skipped.get(reason).map_or(0, |(n, _)| *n)
    }
}

/// What an import did.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct ImportSummary {
    /// By file name, in the order read.
    pub files: Vec<(String, FileSummary)>,
    /// Placeholders made for users absent from the dump.
    pub placeholders: u64,
    /// Questions and answers added.
    pub posts_added: u64,
    /// Accepted answers and duplicate links set.
    pub links: (u64, u64),
    /// Post bodies, comments and about-me texts whose links to the original site
    /// were made local.
    pub links_made_local: u64,
    /// What `--fetch-images` did, when asked to.
    pub images: Option<ImageSummary>,
    /// Seconds the import took.
    pub seconds: f64,
    /// Seconds of it spent after the files: indexes, links and counts.
    pub finishing_seconds: f64,
}

/// What copying imported posts' pictures into the site did.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct ImageSummary {
    /// Pictures copied (each address once).
    pub copied: u64,
    /// Pictures that could not be copied, which keep their address.
    pub failed: u64,
    /// Up to [`ImageSummary::EXAMPLES`] of those, each with why.
    pub failures: Vec<(String, String)>,
    /// Posts whose pictures now come from the site.
    pub posts_changed: u64,
}

impl ImageSummary {
    /// How many failures are told one by one.
    pub const EXAMPLES: usize = 5;

    /// Counts a picture that could not be copied from `url`, for `reason`.
    pub(crate) fn add_failure(&mut self, url: &str, reason: String) {
        self.failed += 1;
        if self.failures.len() < Self::EXAMPLES {
            self.failures.push((url.to_owned(), reason));
        }
    }
}

impl ImportSummary {
    /// The summary of `file`, if it was read.
    pub fn file(&self, name: &str) -> Option<&FileSummary> {
        self.files.iter().find(|(n, _)| n == name).map(|(_, s)| s)
    }
}

impl fmt::Display for ImportSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (name, s) in &self.files {
            write!(f, "{name}: {} rows read, {} added", s.read, s.added)?;
            if s.already > 0 {
                write!(f, ", {} already in the site", s.already)?;
            }
            if !s.skipped.is_empty() {
                write!(f, ", {} skipped", s.skipped_count())?;
            }
            writeln!(f, " ({:.1} s)", s.millis as f64 / 1000.0)?;
            for (reason, (count, lines)) in &s.skipped {
                let lines: Vec<String> = lines.iter().map(u64::to_string).collect();
                let more = if *count > lines.len() as u64 {
                    ", …"
                } else {
                    ""
                };
                let unit = if s.by_id { "id" } else { "line" };
                writeln!(
                    f,
                    "  skipped {count}: {reason} ({unit} {}{more})",
                    lines.join(", ")
                )?;
            }
            for (what, count) in &s.defaulted {
                writeln!(f, "  {count} {what}")?;
            }
            for (name, count) in &s.unknown {
                writeln!(
                    f,
                    "  ignored the attribute {name}, unknown to this version, in {count} rows"
                )?;
            }
            for note in &s.notes {
                writeln!(f, "  {note}")?;
            }
        }
        writeln!(
            f,
            "indexes made again, links set and counts checked in {:.1} s",
            self.finishing_seconds
        )?;
        if self.links_made_local > 0 {
            writeln!(
                f,
                "links to the original site's imported posts and users made local in {} texts \
                 (post bodies, comments, about-me texts; their revisions keep the originals)",
                self.links_made_local
            )?;
        }
        if let Some(images) = &self.images {
            writeln!(
                f,
                "pictures from other hosts: {} copied into the site, shown by {} posts; \
                 {} could not be copied and keep their address",
                images.copied, images.posts_changed, images.failed
            )?;
            for (url, reason) in &images.failures {
                writeln!(f, "  {url}: {reason}")?;
            }
        }
        writeln!(
            f,
            "{} questions and answers added, {} placeholder users for users absent from the dump, \
             {} accepted answers and {} duplicate links set, in {:.1} s ({:.0} posts/s)",
            self.posts_added,
            self.placeholders,
            self.links.0,
            self.links.1,
            self.seconds,
            self.posts_added as f64 / self.seconds.max(0.001)
        )
    }
}
