//! What a single tag name, a tag's description and its wiki may be.

use crate::input::{Lines, check_characters};
use crate::posts::{BODY_MAX, validate_tags};

/// The longest description of a tag, in characters.
pub const DESCRIPTION_MAX: usize = 500;

/// Checks one tag name, as a question's tags are checked; answers it lowercase.
pub fn validate_tag_name(raw: &str) -> Result<String, String> {
    let tags = validate_tags(raw).map_err(|m| {
        if raw.trim().is_empty() {
            "name the tag".to_owned()
        } else {
            m
        }
    })?;
    match tags.as_slice() {
        [one] => Ok(one.clone()),
        _ => Err("name one tag, without spaces".into()),
    }
}

/// Checks a tag's description: plain text on one line, at most
/// [`DESCRIPTION_MAX`] characters; answers it with its spaces folded.
pub fn validate_tag_description(raw: &str) -> Result<String, String> {
    check_characters(raw, Lines::Many)?;
    let text = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    let len = text.chars().count();
    if len > DESCRIPTION_MAX {
        return Err(format!(
            "use at most {DESCRIPTION_MAX} characters (this has {len})"
        ));
    }
    Ok(text)
}

/// Checks a tag's wiki: Markdown of at most a post's length; answers it trimmed.
pub fn validate_tag_wiki(raw: &str) -> Result<String, String> {
    let text = raw.trim().replace("\r\n", "\n");
    check_characters(&text, Lines::Many)?;
    let len = text.chars().count();
    if len > BODY_MAX {
        return Err(format!(
            "use at most {BODY_MAX} characters (this has {len})"
        ));
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_tag_name_is_checked_as_question_tags_are() {
        assert_eq!(validate_tag_name(" Rust "), Ok("rust".into()));
        assert_eq!(validate_tag_name("c++"), Ok("c++".into()));
        assert!(validate_tag_name("").unwrap_err().contains("name the tag"));
        assert!(
            validate_tag_name("two tags")
                .unwrap_err()
                .contains("one tag")
        );
        assert!(validate_tag_name("-lead").is_err());
        assert!(validate_tag_name(&"x".repeat(36)).is_err());
    }

    #[test]
    fn descriptions_are_one_line_and_bounded() {
        assert_eq!(
            validate_tag_description(" The  Rust\nlanguage. "),
            Ok("The Rust language.".into())
        );
        assert!(validate_tag_description("a\u{0}b").is_err());
        assert!(validate_tag_description(&"x".repeat(DESCRIPTION_MAX)).is_ok());
        assert!(validate_tag_description(&"x".repeat(DESCRIPTION_MAX + 1)).is_err());
    }

    #[test]
    fn wikis_are_bounded_markdown() {
        assert_eq!(validate_tag_wiki(" *hi*\r\n"), Ok("*hi*".into()));
        assert_eq!(validate_tag_wiki(""), Ok(String::new()));
        assert!(validate_tag_wiki("\u{1b}[2J").is_err());
        assert!(validate_tag_wiki(&"x".repeat(BODY_MAX)).is_ok());
        assert!(validate_tag_wiki(&"x".repeat(BODY_MAX + 1)).is_err());
    }
}
