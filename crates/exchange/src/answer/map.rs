//! What an Answer row becomes here: ids, handles, profile fields, tag
//! descriptions, badge names and classes, and a revision's content.

use super::source::UserRow;
use crate::import::DESCRIPTION_CHARS;
use crate::mapping;
use ponder_core::time::Timestamp;
use ponder_store::ImportedProfile;
use serde_json::Value;
use std::path::Path;

/// The smallest id Answer's shared sequence gives (`1`, a three-digit object
/// type, thirteen digits).
const SEQUENCE_IDS_FROM: i64 = 10_000_000_000_000_000;
/// What the thirteen-digit number is taken modulo.
const SEQUENCE_SPAN: i64 = 10_000_000_000_000;

/// The id a question, answer, comment, tag or badge award keeps here: the number
/// of Answer's shared sequence (`10010000000000042` → 42). Ids not of that form
/// are kept as they are.
pub(crate) fn local_id(id: i64) -> i64 {
    if id >= SEQUENCE_IDS_FROM {
        id % SEQUENCE_SPAN
    } else {
        id
    }
}

/// The name an import from `source` is recorded under: `answer:` and the SQLite
/// file's name, or the PostgreSQL database's name (never its password).
pub(crate) fn source_name(source: &str) -> String {
    let name = if source.starts_with("postgres://") || source.starts_with("postgresql://") {
        let path = source.split('?').next().unwrap_or(source);
        let host_and_db = path.split('@').next_back().unwrap_or(path);
        host_and_db
            .rsplit('/')
            .next()
            .filter(|db| !db.is_empty() && !db.contains(':'))
            .unwrap_or("postgres")
            .to_owned()
    } else {
        let path = source
            .trim_start_matches("sqlite://")
            .trim_start_matches("sqlite:");
        Path::new(path)
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| "answer".to_owned())
    };
    format!("answer:{name}")
}

/// The handle a member gets: their Answer username when it is a valid handle
/// here (so mentions and addresses still name them), else one made from the
/// name shown and the id.
pub(crate) fn handle_of(username: &str, display_name: &str, id: i64) -> String {
    match ponder_core::accounts::validate_handle(username) {
        Ok(handle) if handle == username => handle,
        _ => mapping::handle_for(display_name, id),
    }
}

/// The profile fields a member's row has beyond the account's core.
pub(crate) fn profile_of(row: &UserRow) -> ImportedProfile {
    let given = |s: &str| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
    ImportedProfile {
        location: given(&row.location),
        website_url: given(&row.website),
        ..ImportedProfile::default()
    }
}

/// A tag's short description: its wiki's first paragraph as plain text, cut at
/// a word within [`DESCRIPTION_CHARS`], as descriptions from dumps are.
pub(crate) fn description_of(wiki: &str) -> String {
    let first = wiki
        .split("\n\n")
        .map(str::trim)
        .find(|p| !p.is_empty())
        .unwrap_or("");
    ponder_core::markdown::plain_excerpt(first, DESCRIPTION_CHARS)
}

/// The latest of `created` and the times `others` give (unset ones ignored).
pub(crate) fn latest(created: Timestamp, others: &[Option<Timestamp>]) -> Timestamp {
    others.iter().flatten().copied().fold(created, i64::max)
}

/// A badge's name: Answer keeps its own badges' names as translation keys
/// (`badge.default_badges.nice_question.name` → "Nice Question"); names an
/// administrator gave are kept.
pub(crate) fn badge_name(name: &str) -> String {
    let Some(key) = name
        .strip_prefix("badge.default_badges.")
        .and_then(|rest| rest.strip_suffix(".name"))
    else {
        return name.trim().to_owned();
    };
    key.split('_')
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut chars = w.chars();
            chars.next().map_or_else(String::new, |first| {
                first.to_uppercase().chain(chars).collect::<String>()
            })
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// A badge's class for Answer's level (1 bronze, 2 silver, 3 gold).
pub(crate) fn badge_class(level: i64) -> &'static str {
    match level {
        3 => "gold",
        2 => "silver",
        _ => "bronze",
    }
}

/// What a revision set: Answer keeps the whole post as JSON (a question with
/// its tags, or an answer).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RevisionContent {
    pub title: Option<String>,
    pub body: String,
    pub tags: Option<Vec<String>>,
}

impl RevisionContent {
    /// Reads `json`, of a question (`question`) or an answer; `None` if it is
    /// not one Answer wrote.
    pub(crate) fn parse(json: &str, question: bool) -> Option<Self> {
        let value: Value = serde_json::from_str(json).ok()?;
        let body = value.get("OriginalText")?.as_str()?.to_owned();
        if !question {
            return Some(Self {
                title: None,
                body,
                tags: None,
            });
        }
        let title = value.get("Title")?.as_str()?.to_owned();
        let tags = match value.get("tags") {
            Some(Value::Array(tags)) => tags
                .iter()
                .filter_map(|t| t.get("SlugName")?.as_str())
                .map(|t| t.trim().to_lowercase())
                .filter(|t| !t.is_empty())
                .collect(),
            _ => Vec::new(),
        };
        Some(Self {
            title: Some(title),
            body,
            tags: Some(tags),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sequence_ids_keep_their_number() {
        assert_eq!(local_id(10010000000000001), 1);
        assert_eq!(local_id(10020000000000042), 42);
        assert_eq!(local_id(10070000000123456), 123456);
        // The smallest sequence id, and ids of other forms, kept as given.
        assert_eq!(local_id(10000000000000000), 0);
        assert_eq!(local_id(9999999999999999), 9999999999999999);
        assert_eq!(local_id(7), 7);
    }

    #[test]
    fn sources_are_named_without_secrets() {
        assert_eq!(source_name("/data/answer.db"), "answer:answer");
        assert_eq!(source_name("sqlite:///srv/qa/site.db"), "answer:site");
        assert_eq!(
            source_name("postgres://answer:s3cret@db.example:5432/answer_prod?sslmode=require"),
            "answer:answer_prod"
        );
        assert_eq!(
            source_name("postgresql://user:pw@localhost:5432"),
            "answer:postgres"
        );
        assert!(!source_name("postgres://u:s3cret@h/db").contains("s3cret"));
    }

    #[test]
    fn usernames_become_handles_when_they_are_valid() {
        assert_eq!(handle_of("alice", "Alice", 3), "alice");
        assert_eq!(handle_of("bob.smith-2", "Bob", 4), "bob.smith-2");
        // Not valid here: made from the name shown and the id.
        assert_eq!(handle_of("-x", "Xavier Q", 5), "xavier-q-5");
        assert_eq!(handle_of("", "Zoë", 6), "zo-6");
        assert_eq!(handle_of("deleted-user-9", "Nine", 9), "nine-9");
        // Valid only once trimmed: not the username as written.
        assert_eq!(handle_of(" alice ", "Alice", 2), "alice-2");
    }

    #[test]
    fn profile_fields_are_kept_trimmed_and_blank_ones_left_out() {
        let mut row = UserRow {
            id: 1,
            username: "a".into(),
            display_name: "A".into(),
            email: String::new(),
            mail_status: 1,
            rank: 1,
            status: 1,
            bio: String::new(),
            website: " https://example.org/me ".into(),
            location: "Lyon".into(),
            created_at: None,
            last_login: None,
            updated_at: None,
        };
        let profile = profile_of(&row);
        assert_eq!(profile.location.as_deref(), Some("Lyon"));
        assert_eq!(
            profile.website_url.as_deref(),
            Some("https://example.org/me")
        );
        assert_eq!(profile.views, None);
        row.website = "  ".into();
        row.location = String::new();
        assert_eq!(profile_of(&row), ImportedProfile::default());
    }

    #[test]
    fn descriptions_are_the_first_paragraph() {
        assert_eq!(
            description_of("\n\nFor  general\nsupport questions.\n\nMore here."),
            "For general support questions."
        );
        assert_eq!(description_of(""), "");
        assert_eq!(description_of(&"a".repeat(600)).chars().count(), 500);
    }

    #[test]
    fn latest_takes_the_greatest_set_time() {
        assert_eq!(latest(10, &[None, Some(5)]), 10);
        assert_eq!(latest(10, &[Some(30), None, Some(20)]), 30);
        assert_eq!(latest(10, &[]), 10);
    }

    #[test]
    fn badge_names_and_classes() {
        assert_eq!(
            badge_name("badge.default_badges.nice_question.name"),
            "Nice Question"
        );
        assert_eq!(
            badge_name("badge.default_badges.autobiographer.name"),
            "Autobiographer"
        );
        assert_eq!(badge_name(" Helper "), "Helper");
        assert_eq!(badge_class(1), "bronze");
        assert_eq!(badge_class(2), "silver");
        assert_eq!(badge_class(3), "gold");
        assert_eq!(badge_class(0), "bronze");
    }

    #[test]
    fn revision_contents() {
        let question = r#"{"ID":"10010000000000001","Title":"What is a tag?",
            "OriginalText":"Why *tags*?","tags":[{"ID":"1","SlugName":"Support"},{"SlugName":""}]}"#;
        assert_eq!(
            RevisionContent::parse(question, true),
            Some(RevisionContent {
                title: Some("What is a tag?".into()),
                body: "Why *tags*?".into(),
                tags: Some(vec!["support".into()]),
            })
        );
        let without_tags = r#"{"Title":"T","OriginalText":"B","tags":null}"#;
        assert_eq!(
            RevisionContent::parse(without_tags, true).and_then(|c| c.tags),
            Some(vec![])
        );
        let answer = r#"{"ID":"10020000000000002","OriginalText":"Because."}"#;
        assert_eq!(
            RevisionContent::parse(answer, false),
            Some(RevisionContent {
                title: None,
                body: "Because.".into(),
                tags: None,
            })
        );
        // Not a post Answer wrote.
        assert_eq!(RevisionContent::parse("not json", false), None);
        assert_eq!(RevisionContent::parse(r#"{"Title":"T"}"#, true), None);
        assert_eq!(
            RevisionContent::parse(r#"{"OriginalText":"B"}"#, true),
            None
        );
        assert_eq!(RevisionContent::parse(r#"{"OriginalText":5}"#, false), None);
    }
}
