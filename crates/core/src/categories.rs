//! What a category's name, address segment and description may be.

use crate::input::{Lines, check_characters, check_name_characters};
use crate::slug::slugify;

/// The longest name, in characters.
pub const NAME_MAX: usize = 60;
/// The longest description, in characters.
pub const DESCRIPTION_MAX: usize = 2_000;

/// Checks a category's name; returns it trimmed, with runs of whitespace folded.
pub fn validate_name(raw: &str) -> Result<String, String> {
    let name = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    if name.is_empty() {
        return Err("name the category".into());
    }
    check_name_characters(&name)?;
    let len = name.chars().count();
    if len > NAME_MAX {
        return Err(format!(
            "use at most {NAME_MAX} characters (this has {len})"
        ));
    }
    Ok(name)
}

/// The address segment of a category: `raw` if given, else made from `name`, in
/// either case made of lowercase letters, digits and dashes.
pub fn validate_slug(raw: &str, name: &str) -> Result<String, String> {
    let source = if raw.trim().is_empty() { name } else { raw };
    let slug = slugify(source);
    // slugify answers "untitled" for text with nothing it can keep.
    if slug == "untitled" && !source.to_lowercase().contains("untitled") {
        return Err(
            "use some Latin letters or digits for the address (type one if the name has none)"
                .into(),
        );
    }
    Ok(slug)
}

/// Checks a description (Markdown, rendered on the category page; its first words
/// are the list's and search engines' summary); returns it trimmed.
pub fn validate_description(raw: &str) -> Result<String, String> {
    let description = raw.trim().replace("\r\n", "\n");
    check_characters(&description, Lines::Many)?;
    let len = description.chars().count();
    if len > DESCRIPTION_MAX {
        return Err(format!(
            "use at most {DESCRIPTION_MAX} characters (this has {len})"
        ));
    }
    Ok(description)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(validate_name("  Old   World  ").unwrap(), "Old World");
        assert!(validate_name("   ").is_err());
        assert!(validate_name("a\u{7}b").is_err());
        assert!(
            validate_name("News\u{202e}weN").is_err(),
            "a direction override"
        );
        assert!(validate_name(&"x".repeat(NAME_MAX)).is_ok());
        assert!(validate_name(&"x".repeat(NAME_MAX + 1)).is_err());
    }

    #[test]
    fn slugs_come_from_the_name_unless_given() {
        assert_eq!(
            validate_slug("", "Early Modern Europe").unwrap(),
            "early-modern-europe"
        );
        assert_eq!(validate_slug("Europe 1500", "x").unwrap(), "europe-1500");
        assert!(validate_slug("", "!!!").is_err());
        assert!(validate_slug("???", "Name").is_err());
    }

    #[test]
    fn descriptions_keep_lines_and_are_bounded() {
        assert_eq!(validate_description(" a\r\nb ").unwrap(), "a\nb");
        assert!(validate_description("a\u{0}b").is_err());
        assert!(validate_description(&"d".repeat(DESCRIPTION_MAX)).is_ok());
        assert!(validate_description(&"d".repeat(DESCRIPTION_MAX + 1)).is_err());
    }
}
