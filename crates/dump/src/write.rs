//! Writing dump files with the official byte conventions that other tools rely on:
//! UTF-8 with a byte-order mark, the XML declaration on the first line and the root
//! element on the second, one `  <row .../>` per line ending in CRLF, attributes in
//! the order given (the caller keeps the official order), absent attributes for nulls,
//! and line breaks and tabs inside values written as character references.

use crate::error::{DumpError, Problem};
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

/// Writes the rows of one dump file.
pub struct RowWriter<W: Write> {
    out: W,
    file: PathBuf,
    root: String,
    line: Vec<u8>,
}

impl RowWriter<BufWriter<File>> {
    /// Creates (or replaces) `path` with root element `root`.
    pub fn create(path: &Path, root: &str) -> Result<Self, DumpError> {
        let file = File::create(path).map_err(|e| DumpError {
            file: path.to_owned(),
            line: None,
            problem: Problem::Io(e),
        })?;
        Self::new(BufWriter::with_capacity(1 << 16, file), path, root)
    }
}

impl<W: Write> RowWriter<W> {
    /// Starts a file on `out`, naming it `file` in errors.
    pub fn new(out: W, file: &Path, root: &str) -> Result<Self, DumpError> {
        let mut writer = Self {
            out,
            file: file.to_owned(),
            root: root.to_owned(),
            line: Vec::with_capacity(4096),
        };
        let head = format!("\u{feff}<?xml version=\"1.0\" encoding=\"utf-8\"?>\r\n<{root}>\r\n");
        writer.put(head.as_bytes())?;
        Ok(writer)
    }

    fn put(&mut self, bytes: &[u8]) -> Result<(), DumpError> {
        self.out.write_all(bytes).map_err(|e| DumpError {
            file: self.file.clone(),
            line: None,
            problem: Problem::Io(e),
        })
    }

    /// Writes one row; attributes whose value is `None` are left out.
    pub fn row(&mut self, attrs: &[(&str, Option<&str>)]) -> Result<(), DumpError> {
        let mut line = std::mem::take(&mut self.line);
        line.clear();
        line.extend_from_slice(b"  <row");
        for (name, value) in attrs {
            if let Some(value) = value {
                line.push(b' ');
                line.extend_from_slice(name.as_bytes());
                line.extend_from_slice(b"=\"");
                escape_into(value, &mut line);
                line.push(b'"');
            }
        }
        line.extend_from_slice(b" />\r\n");
        let written = self.put(&line);
        self.line = line;
        written
    }

    /// Closes the root element and flushes; returns the output.
    pub fn finish(mut self) -> Result<W, DumpError> {
        let end = format!("</{}>", self.root);
        self.put(end.as_bytes())?;
        self.out.flush().map_err(|e| DumpError {
            file: self.file.clone(),
            line: None,
            problem: Problem::Io(e),
        })?;
        Ok(self.out)
    }
}

/// Escapes an attribute value as the official files do (tabs stay as they are).
fn escape_into(value: &str, out: &mut Vec<u8>) {
    for c in value.chars() {
        match c {
            '&' => out.extend_from_slice(b"&amp;"),
            '<' => out.extend_from_slice(b"&lt;"),
            '>' => out.extend_from_slice(b"&gt;"),
            '"' => out.extend_from_slice(b"&quot;"),
            '\n' => out.extend_from_slice(b"&#xA;"),
            '\r' => out.extend_from_slice(b"&#xD;"),
            other => {
                let mut bytes = [0; 4];
                out.extend_from_slice(other.encode_utf8(&mut bytes).as_bytes());
            }
        }
    }
}
