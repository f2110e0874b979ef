//! Reading and writing rows: the real sample dump, exact bytes out, a round trip of
//! awkward values, and every kind of bad file named by its line.

use ponder_dump::{Problem, Row, RowReader, RowWriter};
use std::io::Cursor;
use std::path::{Path, PathBuf};

/// The real sample (see its README for the licence); `None`, said aloud, when this
/// checkout has no `../shared/data` beside it.
fn sample() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/stackexchange/french.meta.stackexchange.com");
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!("skipped: no sample dump at {}", dir.display());
        None
    }
}

fn read_all(text: &str, root: &str) -> Result<Vec<Row>, ponder_dump::DumpError> {
    RowReader::new(
        Cursor::new(text.as_bytes().to_vec()),
        Path::new("X.xml"),
        root,
    )?
    .collect()
}

#[test]
fn the_sample_reads_row_for_row() {
    let Some(dir) = sample() else { return };
    for (file, root, rows) in [
        ("Posts.xml", "posts", 781),
        ("Users.xml", "users", 1703),
        ("Comments.xml", "comments", 1305),
        ("Tags.xml", "tags", 94),
        ("Votes.xml", "votes", 4349),
        ("PostHistory.xml", "posthistory", 2881),
        ("Badges.xml", "badges", 4002),
        ("PostLinks.xml", "postlinks", 134),
    ] {
        let read: Vec<Row> = RowReader::open(&dir.join(file), root)
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(read.len(), rows, "{file}");
        assert_eq!(read[0].attrs[0].0, "Id", "{file}: Id comes first");
        assert_eq!(read[0].line, 3, "{file}");
    }
    let posts: Vec<Row> = RowReader::open(&dir.join("Posts.xml"), "posts")
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let first = &posts[0];
    assert_eq!(first.get("Id"), Some("1"));
    assert_eq!(first.get("PostTypeId"), Some("1"));
    let body = first.get("Body").unwrap();
    assert!(body.starts_with("<p>I was the originator"), "{body}");
    assert!(
        body.contains("</p>\n\n<p>"),
        "character references become line breaks"
    );
    assert!(
        body.contains("EL&amp;U"),
        "one level of escaping is undone, no more"
    );
}

#[test]
fn rows_are_written_with_the_official_bytes() {
    let mut writer = RowWriter::new(Vec::new(), Path::new("Comments.xml"), "comments").unwrap();
    writer
        .row(&[
            ("Id", Some("1")),
            ("PostId", Some("7")),
            ("Score", Some("0")),
            ("Text", Some("a \"b\" <c> & d\nnext\ttab\r")),
            ("UserDisplayName", None),
            ("UserId", Some("3")),
        ])
        .unwrap();
    writer
        .row(&[("Id", Some("2")), ("Text", Some("l'été ✓"))])
        .unwrap();
    let bytes = writer.finish().unwrap();
    let expected = "\u{feff}<?xml version=\"1.0\" encoding=\"utf-8\"?>\r\n<comments>\r\n  <row Id=\"1\" PostId=\"7\" Score=\"0\" Text=\"a &quot;b&quot; &lt;c&gt; &amp; d&#xA;next\ttab&#xD;\" UserId=\"3\" />\r\n  <row Id=\"2\" Text=\"l'été ✓\" />\r\n</comments>";
    assert_eq!(String::from_utf8(bytes).unwrap(), expected);
}

#[test]
fn what_is_written_reads_back_the_same() {
    let values = [
        "plain",
        "",
        "quotes \" and ' and &amp; literally",
        "lines\r\nand\nmore\n\n",
        "<p>HTML &amp; <a href=\"x\">links</a></p>",
        "  leading and trailing spaces  ",
        "tabs\tinside",
        "unicode: Ωμέγα, 中文, 🙂",
    ];
    let mut writer = RowWriter::new(Vec::new(), Path::new("Posts.xml"), "posts").unwrap();
    for (i, value) in values.iter().enumerate() {
        let id = i.to_string();
        writer
            .row(&[("Id", Some(&id)), ("Body", Some(value))])
            .unwrap();
    }
    let bytes = writer.finish().unwrap();
    let rows = read_all(&String::from_utf8(bytes).unwrap(), "posts").unwrap();
    assert_eq!(rows.len(), values.len());
    for (i, (row, value)) in rows.iter().zip(values).enumerate() {
        assert_eq!(row.get("Id"), Some(i.to_string().as_str()));
        assert_eq!(row.get("Body"), Some(value), "row {i}");
        assert_eq!(row.line, i as u64 + 3);
    }
}

#[test]
fn bad_files_are_named_with_their_line() {
    let head = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<posts>\n";
    let endless = "a".repeat(ponder_dump::MAX_LINE_BYTES as usize);
    let cases: [(String, u64, &str); 8] = [
        // Issue 16: a line is never read into memory past the cap.
        (
            format!("{head}  <row Id=\"1\" />\n  <row Id=\"2\" Body=\"{endless}\" />\n</posts>"),
            4,
            "over 16 MiB long",
        ),
        ("<posts>\n</posts>".to_owned(), 1, "XML declaration"),
        (
            "<?xml version=\"1.0\"?>\n<users>\n</users>".to_owned(),
            2,
            "expected the root element <posts>",
        ),
        (
            format!("{head}  <row Id=\"1\" />\n"),
            3,
            "ends before </posts>",
        ),
        (
            format!("{head}  <row Id=\"1\" />\n  <row Id=\"2 Body=\"x\" />\n</posts>"),
            4,
            "malformed XML",
        ),
        (
            format!("{head}  <row Id=\"1\" Body=\"a &bogus; b\" />\n</posts>"),
            3,
            "malformed XML",
        ),
        (
            format!("{head}  <post Id=\"1\" />\n</posts>"),
            3,
            "not a <row",
        ),
        (
            format!("{head}  <row Id=\"1\" /><row Id=\"2\" />\n</posts>"),
            3,
            "more than one element",
        ),
    ];
    for (text, line, says) in cases {
        let err = read_all(&text, "posts").unwrap_err();
        let message = err.to_string();
        assert_eq!(err.line, Some(line), "{message}");
        assert!(
            message.starts_with(&format!("X.xml, line {line}: ")),
            "{message}"
        );
        assert!(message.contains(says), "{message:?} should say {says:?}");
    }
    let missing = RowReader::open(Path::new("/nonexistent/Posts.xml"), "posts")
        .err()
        .unwrap();
    assert!(matches!(missing.problem, Problem::Io(_)));
    assert!(missing.to_string().starts_with("/nonexistent/Posts.xml: "));
}
