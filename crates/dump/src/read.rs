//! Streaming rows out of a dump file, one line at a time.
//!
//! The official files keep one `<row .../>` per line (line breaks inside values are
//! written `&#xA;`), so a line is read, parsed as one element and dropped: memory stays
//! flat whatever the size of the file, and every error can name its line.

use crate::error::{DumpError, Problem};
use quick_xml::Reader;
use quick_xml::events::Event;
use std::fs::File;
use std::io::Read;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};

/// The longest line read, in bytes. The longest rows of the official dumps (a post
/// of 30,000 characters, escaped) are far shorter; a longer line is refused with its
/// file and line rather than read into memory whole.
pub const MAX_LINE_BYTES: u64 = 16 * 1024 * 1024;

/// One row: its attributes in file order, unescaped, and the line it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// The line of the file it stood on, from 1.
    pub line: u64,
    /// Attribute names and values, in the order the file gave them.
    pub attrs: Vec<(String, String)>,
}

impl Row {
    /// Parses one `<row .../>` line on its own (for a row found by its offset).
    pub fn parse(text: &str, line: u64) -> Result<Row, Problem> {
        parse_row(text.trim(), line)
    }

    /// The value of `name`, if the row has it.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Reads the rows of one dump file.
pub struct RowReader<R> {
    input: R,
    file: PathBuf,
    root: String,
    line: u64,
    bytes: u64,
    buf: String,
    finished: bool,
}

impl RowReader<BufReader<File>> {
    /// Opens `path`, whose root element must be `root` (e.g. "posts").
    pub fn open(path: &Path, root: &str) -> Result<Self, DumpError> {
        let file = File::open(path).map_err(|e| DumpError {
            file: path.to_owned(),
            line: None,
            problem: Problem::Io(e),
        })?;
        Self::new(BufReader::with_capacity(1 << 16, file), path, root)
    }
}

impl<R: BufRead> RowReader<R> {
    /// Reads rows from `input`, naming it `file` in errors; checks the declaration and
    /// the root element `root` first.
    pub fn new(input: R, file: &Path, root: &str) -> Result<Self, DumpError> {
        let mut reader = Self {
            input,
            file: file.to_owned(),
            root: root.to_owned(),
            line: 0,
            bytes: 0,
            buf: String::new(),
            finished: false,
        };
        let first = reader.next_line()?.unwrap_or_default();
        if !first.trim_start_matches('\u{feff}').starts_with("<?xml") {
            return Err(reader.error(Problem::NoDeclaration));
        }
        let second = reader.next_line()?.unwrap_or_default();
        if second.trim() != format!("<{root}>") {
            return Err(reader.error(Problem::WrongRoot {
                expected: root.to_owned(),
                found: excerpt(second.trim()),
            }));
        }
        Ok(reader)
    }

    /// An error at the current line.
    pub fn error(&self, problem: Problem) -> DumpError {
        DumpError {
            file: self.file.clone(),
            line: Some(self.line),
            problem,
        }
    }

    /// The file being read.
    pub fn file(&self) -> &Path {
        &self.file
    }

    /// The line last read, from 1 (0 before the first).
    pub fn line(&self) -> u64 {
        self.line
    }

    /// How many bytes have been read so far (for progress).
    pub fn bytes_read(&self) -> u64 {
        self.bytes
    }

    fn next_line(&mut self) -> Result<Option<String>, DumpError> {
        self.buf.clear();
        let read = (&mut self.input)
            .take(MAX_LINE_BYTES + 1)
            .read_line(&mut self.buf)
            .map_err(|e| DumpError {
                file: self.file.clone(),
                line: Some(self.line + 1),
                problem: Problem::Io(e),
            })?;
        if read == 0 {
            return Ok(None);
        }
        if read as u64 > MAX_LINE_BYTES {
            self.line += 1;
            return Err(self.error(Problem::LineTooLong {
                limit: MAX_LINE_BYTES,
            }));
        }
        self.bytes += read as u64;
        self.line += 1;
        Ok(Some(self.buf.trim_end_matches(['\n', '\r']).to_owned()))
    }

    /// The next row, `None` after the root element closes, or an error naming the line.
    pub fn next_row(&mut self) -> Result<Option<Row>, DumpError> {
        if self.finished {
            return Ok(None);
        }
        loop {
            let Some(line) = self.next_line()? else {
                return Err(self.error(Problem::Truncated(self.root.clone())));
            };
            let text = line.trim();
            if text.is_empty() {
                continue;
            }
            if text == format!("</{}>", self.root) {
                self.finished = true;
                return Ok(None);
            }
            return parse_row(text, self.line)
                .map(Some)
                .map_err(|p| self.error(p));
        }
    }
}

impl<R: BufRead> Iterator for RowReader<R> {
    type Item = Result<Row, DumpError>;

    fn next(&mut self) -> Option<Self::Item> {
        self.next_row().transpose()
    }
}

/// Parses one `<row .../>` line.
fn parse_row(text: &str, line: u64) -> Result<Row, Problem> {
    if !text.starts_with("<row") {
        return Err(Problem::NotARow(excerpt(text)));
    }
    let mut reader = Reader::from_str(text);
    let element = match reader.read_event() {
        Ok(Event::Empty(e)) if e.name().as_ref() == b"row" => e,
        Ok(_) => return Err(Problem::NotARow(excerpt(text))),
        Err(e) => return Err(Problem::Malformed(e.to_string())),
    };
    let mut attrs = Vec::new();
    for attr in element.attributes() {
        let attr = attr.map_err(|e| Problem::Malformed(e.to_string()))?;
        let name = String::from_utf8(attr.key.as_ref().to_vec())
            .map_err(|_| Problem::Malformed("an attribute name is not UTF-8".into()))?;
        let value = attr
            .unescape_value()
            .map_err(|e| Problem::Malformed(format!("{name}: {e}")))?
            .into_owned();
        attrs.push((name, value));
    }
    match reader.read_event() {
        Ok(Event::Eof) => Ok(Row { line, attrs }),
        Ok(_) => Err(Problem::Malformed(
            "more than one element on the line".into(),
        )),
        Err(e) => Err(Problem::Malformed(e.to_string())),
    }
}

/// The start of `text`, short enough for a message.
fn excerpt(text: &str) -> String {
    let mut short: String = text.chars().take(60).collect();
    if short.len() < text.len() {
        short.push('…');
    }
    short
}
