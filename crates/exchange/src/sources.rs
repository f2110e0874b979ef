//! Markdown sources found ahead: a quick first pass over PostHistory.xml notes where
//! each post's latest body revision stands, so posts can be inserted with their
//! source at once instead of being rewritten afterwards.
//!
//! The pass reads raw lines (no XML parsing; the main pass still checks every row)
//! and keeps 16 bytes a post, up to [`MAX_POSTS`]; posts beyond get their source
//! from the main pass, so memory stays bounded whatever the dump's size.

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::os::unix::fs::FileExt;
use std::path::Path;

/// The most posts whose source offset is kept (about 40 MB).
const MAX_POSTS: usize = 2_000_000;
/// How much of the file is read at a time when fetching a row.
const WINDOW: usize = 1 << 20;

/// Where posts' latest body revisions are in PostHistory.xml.
pub(crate) struct Sources {
    file: File,
    offsets: HashMap<i64, u64>,
    window: Vec<u8>,
    window_start: u64,
}

impl Sources {
    /// Scans `path`; `None` if it cannot be read (the main pass will say why).
    pub(crate) fn scan(path: &Path) -> Option<Self> {
        let file = File::open(path).ok()?;
        let mut reader = BufReader::with_capacity(1 << 16, file.try_clone().ok()?);
        let mut offsets: HashMap<i64, u64> = HashMap::new();
        let (mut line, mut offset) = (Vec::new(), 0u64);
        loop {
            line.clear();
            let read = (&mut reader)
                .take(ponder_dump::MAX_LINE_BYTES + 1)
                .read_until(b'\n', &mut line)
                .ok()?;
            if read == 0 {
                break;
            }
            if read as u64 > ponder_dump::MAX_LINE_BYTES {
                // The main pass refuses the line, naming it.
                return None;
            }
            if let Some(post) = body_revision_of(&line)
                && (offsets.len() < MAX_POSTS || offsets.contains_key(&post))
            {
                offsets.insert(post, offset);
            }
            offset += read as u64;
        }
        Some(Self {
            file,
            offsets,
            window: Vec::new(),
            window_start: 0,
        })
    }

    /// The Markdown source of `post`, if the scan found one.
    pub(crate) fn take(&mut self, post: i64) -> Option<String> {
        let offset = self.offsets.remove(&post)?;
        let line = self.line_at(offset)?;
        let row = ponder_dump::Row::parse(&line, 0).ok()?;
        row.get("Text").map(str::to_owned)
    }

    /// The line starting at `offset`.
    fn line_at(&mut self, offset: u64) -> Option<String> {
        loop {
            if offset >= self.window_start {
                let start = (offset - self.window_start) as usize;
                if start < self.window.len()
                    && let Some(end) = self.window[start..].iter().position(|b| *b == b'\n')
                {
                    return String::from_utf8(self.window[start..start + end].to_vec()).ok();
                }
            }
            // Refill from `offset`, twice as wide if a line did not fit.
            let width = if self.window_start == offset {
                (self.window.len() * 2).max(WINDOW)
            } else {
                WINDOW
            };
            if width as u64 > 2 * ponder_dump::MAX_LINE_BYTES {
                return None;
            }
            self.window.resize(width, 0);
            let read = self.file.read_at(&mut self.window, offset).ok()?;
            self.window.truncate(read);
            self.window_start = offset;
            if read < width && !self.window.contains(&b'\n') {
                return String::from_utf8(self.window.clone()).ok();
            }
        }
    }
}

/// The post of a body revision row (types 2, 5 and 8), read from the raw line.
fn body_revision_of(line: &[u8]) -> Option<i64> {
    let kind = attribute(line, b" PostHistoryTypeId=\"")?;
    if !matches!(kind, b"2" | b"5" | b"8") {
        return None;
    }
    std::str::from_utf8(attribute(line, b" PostId=\"")?)
        .ok()?
        .parse()
        .ok()
}

/// The raw value of the attribute whose ` Name="` is `key`.
fn attribute<'l>(line: &'l [u8], key: &[u8]) -> Option<&'l [u8]> {
    let at = line.windows(key.len()).position(|w| w == key)? + key.len();
    let len = line[at..].iter().position(|b| *b == b'"')?;
    Some(&line[at..at + len])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_latest_body_of_each_post() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("PostHistory.xml");
        let long = "x".repeat(3 * WINDOW);
        std::fs::write(
            &path,
            format!(
                "<?xml version=\"1.0\"?>\r\n<posthistory>\r\n\
                 <row Id=\"1\" PostHistoryTypeId=\"2\" PostId=\"7\" Text=\"first &amp; old\" />\r\n\
                 <row Id=\"2\" PostHistoryTypeId=\"1\" PostId=\"7\" Text=\"a title\" />\r\n\
                 <row Id=\"3\" PostHistoryTypeId=\"2\" PostId=\"8\" Text=\"{long}\" />\r\n\
                 <row Id=\"4\" PostHistoryTypeId=\"5\" PostId=\"7\" Text=\"new &amp; better\" />\r\n\
                 <row Id=\"5\" PostHistoryTypeId=\"2\" PostId=\"9\" Text=\"broken & row\" />\r\n\
                 </posthistory>"
            ),
        )
        .unwrap();
        let mut sources = Sources::scan(&path).unwrap();
        assert_eq!(sources.take(7).as_deref(), Some("new & better"));
        assert_eq!(sources.take(7), None, "taken once");
        assert_eq!(sources.take(8).map(|t| t.len()), Some(long.len()));
        assert_eq!(
            sources.take(9),
            None,
            "a malformed row is left to the main pass"
        );
        assert_eq!(sources.take(10), None);
        assert_eq!(
            attribute(b"<row PostId=\"12\" />", b" PostId=\""),
            Some(&b"12"[..])
        );
    }
}
