//! Personal access tokens for the API: what one may do ([`TokenScope`]) and the
//! checks of what a member types when making one (its name, how long it works).

use crate::input::check_name_characters;

/// The longest a token's name may be, in characters.
pub const TOKEN_NAME_MAX: usize = 60;

/// The longest a token works, in days.
pub const TOKEN_DAYS_MAX: i64 = 365;

/// The prefix of every token, so that one pasted somewhere it should not be can
/// be recognised (by a secret scanner, say).
pub const TOKEN_PREFIX: &str = "ponder_pat_";

/// What a token may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TokenScope {
    /// Read what its member may read.
    Read,
    /// Read, and write as its member may (the same privileges, limits and checks
    /// as their forms).
    Write,
}

impl TokenScope {
    /// The name stored and used in forms.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Read => "read",
            Self::Write => "write",
        }
    }

    /// The scope named `name`; `None` for anything else.
    pub fn parse(name: &str) -> Option<Self> {
        match name {
            "read" => Some(Self::Read),
            "write" => Some(Self::Write),
            _ => None,
        }
    }
}

/// Checks a token's name: 1 to [`TOKEN_NAME_MAX`] characters, one line.
pub fn validate_token_name(raw: &str) -> Result<String, String> {
    let name = raw.trim();
    if name.is_empty() {
        return Err("name the token, after what will use it".into());
    }
    check_name_characters(name)?;
    let len = name.chars().count();
    if len > TOKEN_NAME_MAX {
        return Err(format!(
            "use at most {TOKEN_NAME_MAX} characters (this has {len})"
        ));
    }
    Ok(name.to_owned())
}

/// Checks how many days a token works: a whole number from 1 to [`TOKEN_DAYS_MAX`].
pub fn validate_token_days(raw: &str) -> Result<i64, String> {
    raw.trim()
        .parse::<i64>()
        .ok()
        .filter(|d| (1..=TOKEN_DAYS_MAX).contains(d))
        .ok_or_else(|| format!("enter a whole number of days from 1 to {TOKEN_DAYS_MAX}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_read_back_what_they_write() {
        for scope in [TokenScope::Read, TokenScope::Write] {
            assert_eq!(TokenScope::parse(scope.as_str()), Some(scope));
        }
        assert_eq!(TokenScope::parse("admin"), None);
        assert_eq!(TokenScope::parse("Read"), None);
    }

    #[test]
    fn names_are_one_line_of_at_most_sixty_characters() {
        assert_eq!(validate_token_name("  my bot "), Ok("my bot".into()));
        assert!(validate_token_name("").is_err());
        assert!(validate_token_name("   ").is_err());
        assert!(validate_token_name("a\nb").is_err());
        assert!(
            validate_token_name("bot\u{200b}").is_err(),
            "a zero-width space"
        );
        assert_eq!(validate_token_name(&"n".repeat(60)), Ok("n".repeat(60)));
        let long = validate_token_name(&"n".repeat(61)).unwrap_err();
        assert!(long.contains("(this has 61)"), "{long}");
        assert_eq!(validate_token_name(&"é".repeat(60)), Ok("é".repeat(60)));
    }

    #[test]
    fn days_run_from_one_to_a_year() {
        assert_eq!(validate_token_days("1"), Ok(1));
        assert_eq!(validate_token_days(" 365 "), Ok(365));
        for bad in ["0", "366", "-1", "", "x", "1.5", "99999999999999999999"] {
            assert!(validate_token_days(bad).is_err(), "{bad}");
        }
    }
}
