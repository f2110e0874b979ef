//! Rules for what people post: titles, bodies, tags, comments and edit summaries.
//! Each check returns the message to show beside the field.

use crate::input::{Lines, check_characters};

/// Fewest characters in a title.
pub const TITLE_MIN: usize = 15;
/// Most characters in a title.
pub const TITLE_MAX: usize = 150;
/// Fewest characters in a question or answer body.
pub const BODY_MIN: usize = 30;
/// Most characters in a question or answer body.
pub const BODY_MAX: usize = 30_000;
/// Fewest tags on a question.
pub const TAGS_MIN: usize = 1;
/// Most tags on a question.
pub const TAGS_MAX: usize = 5;
/// Most characters in a tag.
pub const TAG_MAX_LEN: usize = 35;
/// Fewest characters in a comment.
pub const COMMENT_MIN: usize = 15;
/// Most characters in a comment.
pub const COMMENT_MAX: usize = 600;
/// Most characters in an edit summary.
pub const SUMMARY_MAX: usize = 300;

fn length_check(text: &str, min: usize, max: usize, what: &str) -> Result<(), String> {
    let len = text.chars().count();
    if len < min {
        if len == 0 {
            return Err(format!("write the {what}: at least {min} characters"));
        }
        return Err(format!(
            "make the {what} at least {min} characters (it has {len})"
        ));
    }
    if len > max {
        return Err(format!(
            "make the {what} at most {max} characters (it has {len})"
        ));
    }
    Ok(())
}

/// Checks a title; returns it trimmed, with runs of whitespace folded.
pub fn validate_title(raw: &str) -> Result<String, String> {
    let title = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    check_characters(&title, Lines::Many)?;
    length_check(&title, TITLE_MIN, TITLE_MAX, "title")?;
    Ok(title)
}

/// Checks a question or answer body (Markdown); returns it with trailing whitespace trimmed.
pub fn validate_body(raw: &str) -> Result<String, String> {
    let body = raw.trim_end().replace("\r\n", "\n");
    check_characters(&body, Lines::Many)?;
    if body.trim().is_empty() {
        return Err(format!("write the text: at least {BODY_MIN} characters"));
    }
    length_check(&body, BODY_MIN, BODY_MAX, "text")?;
    Ok(body)
}

/// Checks a comment; returns it trimmed.
pub fn validate_comment(raw: &str) -> Result<String, String> {
    let comment = raw.trim().replace("\r\n", "\n");
    check_characters(&comment, Lines::Many)?;
    length_check(&comment, COMMENT_MIN, COMMENT_MAX, "comment")?;
    Ok(comment)
}

/// Checks an edit summary (optional); returns it trimmed.
pub fn validate_summary(raw: &str) -> Result<String, String> {
    let summary = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    check_characters(&summary, Lines::Many)?;
    length_check(&summary, 0, SUMMARY_MAX, "summary")?;
    Ok(summary)
}

/// Checks a space- or comma-separated tag list: 1 to 5 tags of lowercase letters,
/// digits and `+ # . -`, at most 35 characters each; duplicates are dropped.
pub fn validate_tags(raw: &str) -> Result<Vec<String>, String> {
    let mut tags: Vec<String> = Vec::new();
    for tag in raw.split(|c: char| c.is_whitespace() || c == ',') {
        let tag = tag.trim().to_lowercase();
        if tag.is_empty() {
            continue;
        }
        if tag.chars().count() > TAG_MAX_LEN {
            return Err(format!(
                "“{}…” is too long: a tag has at most {TAG_MAX_LEN} characters",
                tag.chars().take(20).collect::<String>()
            ));
        }
        if !tag
            .chars()
            .all(|c| c.is_alphanumeric() || "+#.-".contains(c))
            || !tag.starts_with(char::is_alphanumeric)
        {
            return Err(format!(
                "“{}” is not a tag: use letters, digits and + # . - (starting with a letter or digit), separated by spaces",
                tag.chars().take(40).collect::<String>()
            ));
        }
        if !tags.contains(&tag) {
            tags.push(tag);
        }
    }
    if tags.len() < TAGS_MIN {
        return Err(
            "add at least one tag, such as the subject or the tool the question is about".into(),
        );
    }
    if tags.len() > TAGS_MAX {
        return Err(format!(
            "use at most {TAGS_MAX} tags (there are {})",
            tags.len()
        ));
    }
    Ok(tags)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn title_bounds() {
        assert!(validate_title(&"t".repeat(14)).is_err());
        assert!(validate_title(&"t".repeat(15)).is_ok());
        assert!(validate_title(&"t".repeat(150)).is_ok());
        assert!(validate_title(&"t".repeat(151)).is_err());
        assert_eq!(
            validate_title("  a   title  with spaces ").unwrap(),
            "a title with spaces"
        );
        assert!(validate_title("a title with a \u{7} bell").is_err());
        assert!(
            validate_title("              ")
                .unwrap_err()
                .starts_with("write the title")
        );
    }

    #[test]
    fn body_bounds() {
        assert!(validate_body(&"b".repeat(29)).is_err());
        assert!(validate_body(&"b".repeat(30)).is_ok());
        assert!(validate_body(&"b".repeat(30_000)).is_ok());
        assert!(validate_body(&"b".repeat(30_001)).is_err());
        assert!(validate_body(&" ".repeat(100)).is_err());
        assert_eq!(
            validate_body("line one is long enough to pass\r\nline two  \n").unwrap(),
            "line one is long enough to pass\nline two"
        );
    }

    #[test]
    fn comment_bounds() {
        assert!(validate_comment(&"c".repeat(14)).is_err());
        assert!(validate_comment(&"c".repeat(15)).is_ok());
        assert!(validate_comment(&"c".repeat(600)).is_ok());
        assert!(validate_comment(&"c".repeat(601)).is_err());
        assert!(
            validate_comment(&format!("   {}   ", "c".repeat(14))).is_err(),
            "spaces do not count"
        );
    }

    #[test]
    fn tag_lists() {
        assert_eq!(
            validate_tags("Rust  sql, c++ c# rust").unwrap(),
            ["rust", "sql", "c++", "c#"]
        );
        assert!(validate_tags("").is_err());
        assert!(validate_tags("a b c d e").is_ok());
        assert!(
            validate_tags("a b c d e f")
                .unwrap_err()
                .contains("at most 5")
        );
        assert!(validate_tags("<script>").is_err());
        assert!(validate_tags("-dash").is_err());
        assert!(validate_tags(&"x".repeat(36)).is_err());
        assert!(validate_tags(&"x".repeat(35)).is_ok());
        assert_eq!(validate_tags("été").unwrap(), ["été"]);
    }

    #[test]
    fn summaries() {
        assert_eq!(validate_summary("").unwrap(), "");
        assert!(validate_summary(&"s".repeat(301)).is_err());
    }
}
