//! The search query language.
//!
//! | written | meaning |
//! | --- | --- |
//! | `word` | posts containing the word |
//! | `"exact phrase"` | posts containing the words in that order |
//! | `-word` | posts without the word |
//! | `[tag]` | questions with the tag |
//! | `user:7` | posts by user 7 |
//! | `category:history` | questions in the category or any of its descendants |
//! | `is:question`, `is:answer` | one kind of post |
//! | `score:3` | a score of at least 3 |
//! | `answers:0`, `answers:2` | no answers; at least 2 answers |
//! | `isaccepted:yes`, `isaccepted:no` | answers that are (not) accepted |
//!
//! Parsing never fails. Control characters count as spaces, the input is cut at
//! [`MAX_QUERY_CHARS`], an unclosed quote closes at the end, and an unknown operator
//! or a bad value is searched as words or dropped, with a note saying so.

/// The longest query read, in characters; the rest is ignored (with a note).
pub const MAX_QUERY_CHARS: usize = 500;
/// The most terms kept: words, exclusions, the words of phrases and tags; more are
/// ignored (with a note). A phrase costs the index a position check per word, so
/// its words count one by one.
pub const MAX_TERMS: usize = 32;

/// Which kind of post a search is limited to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PostKindFilter {
    /// Questions only.
    Question,
    /// Answers only.
    Answer,
}

/// A parsed search.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SearchQuery {
    /// Words that must appear (lowercased).
    pub words: Vec<String>,
    /// Phrases that must appear as written (lowercased).
    pub phrases: Vec<String>,
    /// Words that must not appear (lowercased).
    pub excluded: Vec<String>,
    /// Tags the question must carry (lowercased).
    pub tags: Vec<String>,
    /// Only posts by this user.
    pub user: Option<i64>,
    /// Only questions in this category (by slug) or its descendants.
    pub category: Option<String>,
    /// Only this kind of post.
    pub kind: Option<PostKindFilter>,
    /// At least this score.
    pub min_score: Option<i64>,
    /// With `Some(0)`, no answers; otherwise at least this many.
    pub answers: Option<u32>,
    /// Only accepted (or only not accepted) answers.
    pub accepted: Option<bool>,
    /// What was ignored or reinterpreted, in words for the reader.
    pub notes: Vec<String>,
}

impl SearchQuery {
    /// True when nothing at all was asked for: no words, phrases, tags or filters.
    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
            && self.phrases.is_empty()
            && self.tags.is_empty()
            && self.user.is_none()
            && self.category.is_none()
            && self.kind.is_none()
            && self.min_score.is_none()
            && self.answers.is_none()
            && self.accepted.is_none()
    }

    /// True when the query names text to match, not only filters or exclusions.
    pub fn has_text(&self) -> bool {
        !self.words.is_empty() || !self.phrases.is_empty()
    }

    fn note(&mut self, note: String) {
        if !self.notes.contains(&note) && self.notes.len() < 8 {
            self.notes.push(note);
        }
    }

    /// Terms kept so far, as [`MAX_TERMS`] counts them.
    fn terms(&self) -> usize {
        self.words.len()
            + self.excluded.len()
            + self.tags.len()
            + self
                .phrases
                .iter()
                .map(|p| p.split(' ').count())
                .sum::<usize>()
    }

    /// Whether `more` terms still fit; notes it when they do not.
    fn room_for(&mut self, more: usize) -> bool {
        if self.terms() + more > MAX_TERMS {
            self.note(format!("only the first {MAX_TERMS} words were used"));
            return false;
        }
        true
    }

    fn push_word(&mut self, word: &str, excluded: bool) {
        let word = word.trim_matches(|c: char| !c.is_alphanumeric() && c != '#' && c != '+');
        if word.is_empty() {
            return;
        }
        if !self.room_for(1) {
            return;
        }
        let list = if excluded {
            &mut self.excluded
        } else {
            &mut self.words
        };
        let word = word.to_lowercase();
        if !list.contains(&word) {
            list.push(word);
        }
    }
}

/// One piece of the input: a bare token or a quoted phrase.
enum Token {
    Bare(String),
    Phrase { text: String, excluded: bool },
}

/// Splits the input into tokens, honouring quotes; reports an unclosed quote.
fn tokenize(input: &str) -> (Vec<Token>, bool) {
    let mut tokens = Vec::new();
    let mut current = String::new();
    let mut chars = input.chars().peekable();
    let mut unclosed = false;
    while let Some(c) = chars.next() {
        if c == '"' && (current.is_empty() || current == "-") {
            let excluded = current == "-";
            current.clear();
            let mut phrase = String::new();
            let mut closed = false;
            for p in chars.by_ref() {
                if p == '"' {
                    closed = true;
                    break;
                }
                phrase.push(p);
            }
            unclosed |= !closed;
            tokens.push(Token::Phrase {
                text: phrase,
                excluded,
            });
        } else if c.is_whitespace() {
            if !current.is_empty() {
                tokens.push(Token::Bare(std::mem::take(&mut current)));
            }
        } else {
            current.push(c);
        }
    }
    if !current.is_empty() {
        tokens.push(Token::Bare(current));
    }
    (tokens, unclosed)
}

/// Parses what a reader typed. Never fails; see the module documentation.
pub fn parse(input: &str) -> SearchQuery {
    let mut query = SearchQuery::default();
    let char_count = input.chars().count();
    let cleaned: String = input
        .chars()
        .take(MAX_QUERY_CHARS)
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if char_count > MAX_QUERY_CHARS {
        query.note(format!(
            "the query was cut to its first {MAX_QUERY_CHARS} characters"
        ));
    }
    let (tokens, unclosed) = tokenize(&cleaned);
    if unclosed {
        query.note("a closing quote was missing; the phrase runs to the end".to_owned());
    }
    for token in tokens {
        match token {
            Token::Phrase { text, excluded } => {
                let words: Vec<String> = text.split_whitespace().map(str::to_lowercase).collect();
                match words.len() {
                    0 => {}
                    1 => query.push_word(&words[0], excluded),
                    _ if excluded => words.iter().for_each(|w| query.push_word(w, true)),
                    n => {
                        let phrase = words.join(" ");
                        if !query.phrases.contains(&phrase) && query.room_for(n) {
                            query.phrases.push(phrase);
                        }
                    }
                }
            }
            Token::Bare(text) => bare_token(&mut query, &text),
        }
    }
    query
}

fn bare_token(query: &mut SearchQuery, text: &str) {
    if let Some(rest) = text.strip_prefix('[') {
        let tag = rest.trim_end_matches(']').trim().to_lowercase();
        if !tag.is_empty() && !query.tags.contains(&tag) && query.room_for(1) {
            query.tags.push(tag);
        }
        return;
    }
    if let Some(rest) = text.strip_prefix('-') {
        query.push_word(rest, true);
        return;
    }
    let Some((operator, value)) = text.split_once(':') else {
        query.push_word(text, false);
        return;
    };
    let op = operator.to_ascii_lowercase();
    let value_lower = value.to_ascii_lowercase();
    let bad = |query: &mut SearchQuery, expected: &str| {
        query.note(format!(
            "{op}: expects {expected}; “{}” was ignored",
            shorten(value)
        ));
    };
    match op.as_str() {
        "user" => match value.parse::<i64>() {
            Ok(id) if id > 0 => query.user = Some(id),
            _ => bad(query, "a user number, like user:42"),
        },
        "category" => {
            if value.is_empty() {
                bad(query, "a category name, like category:history");
            } else {
                query.category = Some(value_lower);
            }
        }
        "is" => match value_lower.as_str() {
            "question" | "q" => query.kind = Some(PostKindFilter::Question),
            "answer" | "a" => query.kind = Some(PostKindFilter::Answer),
            _ => bad(query, "question or answer"),
        },
        "score" => match value.parse::<i64>() {
            Ok(n) => query.min_score = Some(n),
            Err(_) => bad(query, "a whole number, like score:3"),
        },
        "answers" => match value.parse::<u32>() {
            Ok(n) => query.answers = Some(n),
            Err(_) => bad(query, "a whole number, like answers:0"),
        },
        "isaccepted" => match value_lower.as_str() {
            "yes" | "true" | "1" => query.accepted = Some(true),
            "no" | "false" | "0" => query.accepted = Some(false),
            _ => bad(query, "yes or no"),
        },
        _ => {
            // Not an operator we know (or a word with a colon, like a time):
            // search the words instead of dropping the reader's input.
            if operator.chars().all(|c| c.is_ascii_alphabetic()) && !operator.is_empty() {
                query.note(format!(
                    "there is no operator {}:; its words were searched instead",
                    shorten(operator)
                ));
            }
            for part in text.split(':') {
                query.push_word(part, false);
            }
        }
    }
}

/// The first 30 characters of a value, for a note.
fn shorten(value: &str) -> String {
    let mut s: String = value.chars().take(30).collect();
    if value.chars().count() > 30 {
        s.push('…');
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_phrases_and_exclusions() {
        let q = parse(r#"Berlin wall "fell in 1989" -Kennedy -"cold war""#);
        assert_eq!(q.words, ["berlin", "wall"]);
        assert_eq!(q.phrases, ["fell in 1989"]);
        assert_eq!(q.excluded, ["kennedy", "cold", "war"]);
        assert!(q.notes.is_empty(), "{:?}", q.notes);
    }

    #[test]
    fn every_operator() {
        let q = parse(
            "[Rust] [sql] user:7 category:History is:answer score:3 answers:0 isaccepted:yes",
        );
        assert_eq!(q.tags, ["rust", "sql"]);
        assert_eq!(q.user, Some(7));
        assert_eq!(q.category.as_deref(), Some("history"));
        assert_eq!(q.kind, Some(PostKindFilter::Answer));
        assert_eq!(q.min_score, Some(3));
        assert_eq!(q.answers, Some(0));
        assert_eq!(q.accepted, Some(true));
        assert!(!q.has_text());
        assert!(!q.is_empty());
    }

    #[test]
    fn unbalanced_quotes_close_at_the_end() {
        let q = parse(r#"one "two three"#);
        assert_eq!(q.words, ["one"]);
        assert_eq!(q.phrases, ["two three"]);
        assert_eq!(
            q.notes,
            ["a closing quote was missing; the phrase runs to the end"]
        );
        let q = parse(r#"""#);
        assert!(q.is_empty());
    }

    #[test]
    fn bad_values_and_unknown_operators_are_noted() {
        let q = parse("user:abc score:high is:comment answers:-1 isaccepted:maybe user:0");
        assert!(q.is_empty(), "{q:?}");
        assert_eq!(q.notes.len(), 6, "{:?}", q.notes);
        assert!(
            q.notes[0].contains("user: expects a user number"),
            "{:?}",
            q.notes
        );
        let q = parse("colour:red 10:30");
        assert_eq!(q.words, ["colour", "red", "10", "30"]);
        assert_eq!(
            q.notes,
            ["there is no operator colour:; its words were searched instead"]
        );
    }

    #[test]
    fn hostile_input_is_bounded_and_harmless() {
        let long = "a".repeat(10_000);
        let q = parse(&long);
        assert_eq!(q.words.len(), 1);
        assert_eq!(q.words[0].len(), MAX_QUERY_CHARS);
        assert!(q.notes[0].contains("cut to its first 500"));

        let q = parse("word\u{0}\u{7}\u{1b}[31mred\r\nnext");
        // The escape character became a space; what followed reads as a tag.
        assert_eq!(q.words, ["word", "next"], "{q:?}");
        assert_eq!(q.tags, ["31mred"]);

        let many: String = (0..100).map(|i| format!("w{i} ")).collect();
        let q = parse(&many);
        assert_eq!(q.words.len(), MAX_TERMS);
        assert!(
            q.notes
                .iter()
                .any(|n| n.contains("only the first 32 words"))
        );

        // Issue 16: phrases count word by word, and tags count too.
        let phrases: String = (0..46).map(|i| format!("\"a{i} b{i}\" ")).collect();
        let q = parse(&phrases);
        assert_eq!(q.phrases.len(), MAX_TERMS / 2, "{q:?}");
        assert!(q.notes.iter().any(|n| n.contains("only the first 32")));
        let mixed = format!(
            "{} \"x y z\"",
            (0..30)
                .map(|i| format!("w{i}"))
                .collect::<Vec<_>>()
                .join(" ")
        );
        let q = parse(&mixed);
        assert_eq!(
            (q.words.len(), q.phrases.len()),
            (30, 0),
            "a phrase that does not fit is left out"
        );
        let tags: String = (0..40).map(|i| format!("[t{i}] ")).collect();
        assert_eq!(parse(&tags).tags.len(), MAX_TERMS);

        for only_operators in ["", "   ", "[] -", "- - -", ":::", "\"\"", "[", "]"] {
            let q = parse(only_operators);
            assert!(!q.has_text(), "{only_operators:?} gave {q:?}");
        }
    }
}
