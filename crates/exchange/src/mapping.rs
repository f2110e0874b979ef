//! How the dump's codes and conventions map to Ponder's: tag lists, close reasons,
//! badge classes and handles for imported users.

/// The tags of a post as the dumps write them: `<a><b>` in older files, `|a|b|` in
/// newer ones.
pub(crate) fn parse_tags(raw: &str) -> Vec<String> {
    let raw = raw.trim();
    let parts: Vec<&str> = if raw.starts_with('<') {
        raw.split(['<', '>']).collect()
    } else {
        raw.split('|').collect()
    };
    let mut tags: Vec<String> = Vec::new();
    for tag in parts.into_iter().map(str::trim).filter(|t| !t.is_empty()) {
        let tag = tag.to_lowercase();
        if !tags.contains(&tag) {
            tags.push(tag);
        }
    }
    tags
}

/// Tags in the older form, which the sample files use.
pub(crate) fn format_tags(tags: &[String]) -> String {
    tags.iter().map(|t| format!("<{t}>")).collect()
}

/// Ponder's close reason for the dump's close reason id (PostHistory type 10's
/// Comment).
pub(crate) fn close_reason(code: &str) -> String {
    match code.trim() {
        "1" | "101" => "duplicate",
        "2" | "102" => "off-topic",
        "3" | "105" => "opinion-based",
        "4" | "103" => "needs details or clarity",
        "104" => "needs more focus",
        "7" => "too localized",
        "10" => "general reference",
        _ => "closed",
    }
    .to_owned()
}

/// The dump's close reason id for one of Ponder's reasons.
pub(crate) fn close_reason_code(reason: &str) -> &'static str {
    match reason {
        "duplicate" => "101",
        "opinion-based" => "105",
        "needs details or clarity" => "103",
        "needs more focus" => "104",
        "too localized" => "7",
        "general reference" => "10",
        _ => "102",
    }
}

/// Ponder's badge class for the dump's Class (1 gold, 2 silver, 3 bronze).
pub(crate) fn badge_class(code: &str) -> Option<&'static str> {
    match code.trim() {
        "1" => Some("gold"),
        "2" => Some("silver"),
        "3" => Some("bronze"),
        _ => None,
    }
}

/// The class of a badge named `name`, for dumps that do not say (before 2014):
/// Stack Exchange's gold and silver badges by name, bronze for every other (most
/// badges, and tag badges, whose class the name does not tell).
pub(crate) fn badge_class_by_name(name: &str) -> &'static str {
    const GOLD: &[&str] = &[
        "Copy Editor",
        "Electorate",
        "Famous Question",
        "Fanatic",
        "Great Answer",
        "Great Question",
        "Illuminator",
        "Legendary",
        "Marshal",
        "Populist",
        "Publicist",
        "Reversal",
        "Socratic",
        "Stellar Question",
        "Steward",
        "Unsung Hero",
    ];
    const SILVER: &[&str] = &[
        "Announcer",
        "Archaeologist",
        "Booster",
        "Civic Duty",
        "Convention",
        "Deputy",
        "Enthusiast",
        "Epic",
        "Favorite Question",
        "Generalist",
        "Good Answer",
        "Good Question",
        "Guru",
        "Inquisitive",
        "Necromancer",
        "Notable Question",
        "Pundit",
        "Refiner",
        "Strunk & White",
        "Tag Editor",
        "Taxonomist",
        "Yearling",
    ];
    if GOLD.contains(&name) {
        "gold"
    } else if SILVER.contains(&name) {
        "silver"
    } else {
        "bronze"
    }
}

/// The dump's Class for one of Ponder's badge classes.
pub(crate) fn badge_class_code(class: &str) -> &'static str {
    match class {
        "gold" => "1",
        "silver" => "2",
        _ => "3",
    }
}

/// The user id standing for posts and comments whose author the dump does not name.
pub(crate) const NO_OWNER: i64 = 0;

/// The owner attribute of an exported post or comment: none for [`NO_OWNER`], as
/// the dump it came from had none.
pub(crate) fn owner_attribute(author: ponder_core::UserId) -> Option<String> {
    (author.0 != NO_OWNER).then(|| author.0.to_string())
}

/// A unique handle for an imported user: the display name in the characters handles
/// allow, then the id (`m` for a minus), so no two users can get the same one.
pub(crate) fn handle_for(display_name: &str, id: i64) -> String {
    let suffix = if id < 0 {
        format!("-m{}", id.unsigned_abs())
    } else {
        format!("-{id}")
    };
    let mut base = String::new();
    for c in display_name.chars() {
        let c = c.to_ascii_lowercase();
        if c.is_ascii_alphanumeric() || c == '_' || c == '.' {
            base.push(c);
        } else if !base.is_empty() && !base.ends_with('-') {
            base.push('-');
        }
    }
    let room = 30usize.saturating_sub(suffix.len());
    let mut base: String = base.chars().take(room).collect();
    while base.ends_with(['-', '.', '_']) {
        base.pop();
    }
    let base = base.trim_start_matches(['-', '.', '_']);
    let base = if base.is_empty() || base.starts_with("deleted-user") {
        "user"
    } else {
        base
    };
    format!("{base}{suffix}")
}

/// The handle and name a placeholder for a user absent from the dump gets: those of a
/// deleted account, as Ponder gives them.
pub(crate) fn placeholder_names(id: i64) -> (String, String) {
    (format!("deleted-user-{id}"), format!("user{id}"))
}

/// The deleted account that stands, from `at`, for user `id`, whom posts or
/// comments name but the source lacks.
pub(crate) fn placeholder(id: i64, at: ponder_core::time::Timestamp) -> ponder_store::BulkUser {
    let (handle, display_name) = placeholder_names(id);
    ponder_store::BulkUser {
        id: ponder_core::UserId(id),
        handle,
        display_name,
        reputation: 1,
        about: ponder_store::PostBody::from_markdown(""),
        created_at: at,
        last_seen_at: None,
        deleted_at: Some(at),
        profile: None,
        time_millis: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_in_both_forms() {
        assert_eq!(
            parse_tags("<discussion><close-reasons>"),
            ["discussion", "close-reasons"]
        );
        assert_eq!(parse_tags("|c#|.net|C#|"), ["c#", ".net"]);
        assert!(parse_tags("").is_empty());
        assert_eq!(format_tags(&["a".into(), "b-c".into()]), "<a><b-c>");
    }

    #[test]
    fn close_reasons_map_both_ways() {
        for code in ["101", "105", "103", "104", "7", "10", "102"] {
            assert_eq!(close_reason_code(&close_reason(code)), code);
        }
        assert_eq!(close_reason("1"), "duplicate");
        assert_eq!(close_reason("999"), "closed");
        assert_eq!(close_reason_code("off-topic: spam"), "102");
    }

    #[test]
    fn handles_are_valid_and_unique() {
        assert_eq!(handle_for("Nick Craver", 2), "nick-craver-2");
        assert_eq!(handle_for("Community", -1), "community-m1");
        assert_eq!(handle_for("Жора", 40), "user-40");
        assert_eq!(handle_for("deleted-user-5", 7), "user-7");
        assert_eq!(handle_for("  --M'vy!! ", 28), "m-vy-28");
        let long = handle_for(&"a very long display name indeed ".repeat(4), 123_456_789);
        assert!(long.len() <= 30 && long.ends_with("-123456789"), "{long}");
        for handle in [
            long,
            handle_for("Jean-Luc Picard", 9),
            handle_for("Жора", 40),
        ] {
            assert!(
                ponder_core::accounts::validate_handle(&handle).is_ok(),
                "{handle}"
            );
        }
    }
}
