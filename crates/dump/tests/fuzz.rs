//! Property tests standing in for a fuzzer (see `ponder-core`'s `tests/fuzz.rs`):
//! dump rows from a real dump, mutated byte by byte, and whole files of them,
//! must read as rows or as errors naming their line, never a panic or a hang.

use ponder_dump::{Row, RowReader};
use proptest::prelude::*;

/// Rows as the official dumps write them (shortened from the shared sample).
const SEEDS: &[&str] = &[
    r#"<row Id="1" PostTypeId="1" CreationDate="2011-08-17T20:18:56.507" Score="11" ViewCount="295" Body="&lt;p&gt;I was the originator of the EN/FR translation proposal.&lt;/p&gt;&#xA;&#xA;&lt;p&gt;Policy?&lt;/p&gt;" OwnerUserId="7" Title="Translation questions" Tags="&lt;discussion&gt;&lt;translation&gt;" AnswerCount="4" CommentCount="0" ContentLicense="CC BY-SA 3.0" />"#,
    r#"<row Id="-1" Reputation="1" CreationDate="2011-08-17T18:34:28.000" DisplayName="Community" LastAccessDate="2011-08-17T18:34:34.320" WebsiteUrl="http://meta.stackexchange.com/" Location="on the server farm" AboutMe="&lt;p&gt;Hi, I'm not really a person.&lt;/p&gt;" Views="0" UpVotes="5" DownVotes="27" AccountId="-1" />"#,
    r#"<row Id="3" PostId="2" Score="0" Text="Shouldn't this be on meta? &amp; why &#x1F600;" CreationDate="2011-08-17T21:02:03.510" UserId="9" ContentLicense="CC BY-SA 3.0" />"#,
    r#"<row Id="12" PostId="1" VoteTypeId="2" CreationDate="2011-08-17T00:00:00.000" />"#,
];

/// Bytes that break parsers: quotes, brackets, escapes, line breaks, NUL, and a
/// byte that is not UTF-8.
const NASTY: &[u8] = b"<>\"'&;#=/ \n\r\0\xff\xc3x";

/// `seed` with `edits` applied: each deletes, inserts or replaces one byte.
fn mutated(seed: &str, edits: &[(usize, u8, u8)]) -> Vec<u8> {
    let mut bytes = seed.as_bytes().to_vec();
    for &(at, byte, op) in edits {
        let at = if bytes.is_empty() {
            0
        } else {
            at % bytes.len()
        };
        let byte = NASTY[usize::from(byte) % NASTY.len()];
        match op % 3 {
            0 if !bytes.is_empty() => {
                bytes.remove(at);
            }
            1 => bytes.insert(at, byte),
            _ if !bytes.is_empty() => bytes[at] = byte,
            _ => bytes.push(byte),
        }
    }
    bytes
}

fn edits() -> impl Strategy<Value = Vec<(usize, u8, u8)>> {
    proptest::collection::vec((any::<usize>(), any::<u8>(), any::<u8>()), 0..16)
}

fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        failure_persistence: Some(Box::new(
            proptest::test_runner::FileFailurePersistence::Direct(
                "tests/proptest-regressions/fuzz.txt",
            ),
        )),
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config(3_000))]

    #[test]
    fn a_mutated_row_parses_or_is_refused(seed in proptest::sample::select(SEEDS), edits in edits()) {
        let text = String::from_utf8_lossy(&mutated(seed, &edits)).into_owned();
        if let Ok(row) = Row::parse(&text, 7) {
            prop_assert_eq!(row.line, 7);
            let _ = row.get("Id");
        }
    }

    #[test]
    fn a_file_of_mutated_rows_reads_to_its_end(
        rows in proptest::collection::vec((proptest::sample::select(SEEDS), edits()), 0..12),
        text in any::<String>(),
    ) {
        let mut file = b"\xef\xbb\xbf<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<posts>\n".to_vec();
        for (seed, edits) in &rows {
            file.extend_from_slice(b"  ");
            file.extend(mutated(seed, edits));
            file.push(b'\n');
        }
        file.extend_from_slice(text.as_bytes());
        file.extend_from_slice(b"\n</posts>\n");
        let reader = RowReader::new(
            std::io::BufReader::new(&file[..]),
            std::path::Path::new("Posts.xml"),
            "posts",
        );
        let lines = file.iter().filter(|b| **b == b'\n').count();
        if let Ok(reader) = reader {
            // Each item is a line's row or its error: never more items than lines.
            let read = reader.take(10_000).count();
            prop_assert!(read <= lines, "{read} items from {lines} lines");
        }
    }
}
