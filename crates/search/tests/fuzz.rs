//! Property tests standing in for a fuzzer (see `ponder-core`'s `tests/fuzz.rs`):
//! the search box's parser takes anything a visitor types, operators and quotes
//! in any order, and keeps within its bounds without panicking.

use ponder_search::query::{MAX_QUERY_CHARS, MAX_TERMS, parse};
use proptest::prelude::*;

/// What people type into a search box, operators and their broken forms included.
const PIECES: &[&str] = &[
    "wall",
    "berlin",
    "\"",
    "\"the wall\"",
    "-",
    "-bread",
    "[",
    "]",
    "[cold-war]",
    "user:",
    "user:12",
    "user:-1",
    "user:99999999999999999999",
    "score:",
    "score:3",
    "score:-5",
    "answers:",
    "answers:0",
    "is:question",
    "is:answer",
    "is:",
    "isaccepted:yes",
    "isaccepted:",
    "category:",
    "category:history/modern",
    "*",
    "?",
    "~",
    "^",
    ":",
    " ",
    "  ",
    "\t",
    "\n",
    "é",
    "東京",
    "\u{202e}",
    "\u{0}",
    "AND",
    "OR",
    "NOT",
    "(",
    ")",
    "+",
    "title:",
    "body:",
    "\\",
];

fn query_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        6 => proptest::sample::select(PIECES).prop_map(str::to_owned),
        1 => any::<String>(),
    ];
    proptest::collection::vec(piece, 0..80).prop_map(|parts| parts.concat())
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
    fn any_query_parses_within_its_bounds(text in query_text()) {
        let query = parse(&text);
        let phrase_words: usize = query.phrases.iter().map(|p| p.split(' ').count()).sum();
        let terms = query.words.len() + query.excluded.len() + query.tags.len() + phrase_words;
        prop_assert!(terms <= MAX_TERMS, "{terms} terms from {text:?}");
        for word in query.words.iter().chain(&query.excluded).chain(&query.tags) {
            prop_assert!(word.chars().count() <= MAX_QUERY_CHARS, "{word:?}");
            prop_assert!(!word.is_empty(), "an empty term from {text:?}");
        }
    }
}
