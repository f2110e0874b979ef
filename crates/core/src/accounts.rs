//! Rules for account fields: what a handle, a display name, an email address and a
//! password may be. Each check returns the message to show beside the field.

use crate::input::{Lines, check_characters, check_name_characters};

/// Fewest characters in a handle.
pub const HANDLE_MIN: usize = 3;
/// Most characters in a handle.
pub const HANDLE_MAX: usize = 30;
/// Most characters in a display name.
pub const DISPLAY_NAME_MAX: usize = 60;
/// Fewest characters in a password.
pub const PASSWORD_MIN: usize = 8;
/// Most characters in a password (argon2 hashes anything, but a bound stops abuse).
pub const PASSWORD_MAX: usize = 1024;
/// Most characters in an email address (RFC 5321's path limit).
pub const EMAIL_MAX: usize = 254;
/// Most characters in an "about me" text.
pub const ABOUT_MAX: usize = 3000;
/// Most characters in a profile's location.
pub const LOCATION_MAX: usize = 100;
/// Most characters in a profile's website address.
pub const WEBSITE_MAX: usize = 200;

/// Checks a handle: 3 to 30 letters, digits, dots, dashes or underscores, starting
/// with a letter or digit. Returns it trimmed.
pub fn validate_handle(raw: &str) -> Result<String, String> {
    let handle = raw.trim();
    if handle.is_empty() {
        return Err("choose a handle".into());
    }
    check_characters(handle, Lines::One)?;
    let len = handle.chars().count();
    if !(HANDLE_MIN..=HANDLE_MAX).contains(&len) {
        return Err(format!(
            "use {HANDLE_MIN} to {HANDLE_MAX} characters (this has {len})"
        ));
    }
    if !handle
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c))
    {
        return Err("use only letters a–z, digits, dots, dashes and underscores".into());
    }
    if !handle.starts_with(|c: char| c.is_ascii_alphanumeric()) {
        return Err("start with a letter or a digit".into());
    }
    if handle.to_ascii_lowercase().starts_with("deleted-user-") {
        return Err("that handle is reserved".into());
    }
    Ok(handle.to_owned())
}

/// Checks a display name: 1 to 60 characters, not only spaces, no control characters.
pub fn validate_display_name(raw: &str) -> Result<String, String> {
    let name = raw.trim();
    if name.is_empty() {
        return Err("enter the name to show beside your posts".into());
    }
    check_name_characters(name)?;
    if name.chars().any(is_moderator_mark) {
        return Err("the diamond marks moderators; choose a name without one".into());
    }
    let len = name.chars().count();
    if len > DISPLAY_NAME_MAX {
        return Err(format!(
            "use at most {DISPLAY_NAME_MAX} characters (this has {len})"
        ));
    }
    Ok(name.to_owned())
}

/// Diamonds, which pages print beside moderators' names.
fn is_moderator_mark(c: char) -> bool {
    matches!(
        c,
        '\u{2662}' | '\u{2666}' | '\u{25c6}' | '\u{25c7}' | '\u{25c8}' | '\u{2b25}'..='\u{2b29}'
            | '\u{1f537}'..='\u{1f539}' | '\u{1f48e}'
    )
}

/// Checks an email address's shape (not that it exists): `local@domain.tld`, no
/// spaces, at most 254 characters. Returns it trimmed.
pub fn validate_email(raw: &str) -> Result<String, String> {
    let email = raw.trim();
    if email.is_empty() {
        return Err("enter your email address".into());
    }
    let invalid = || Err("enter an address like name@example.org".to_owned());
    if email.chars().count() > EMAIL_MAX {
        return Err(format!("use at most {EMAIL_MAX} characters"));
    }
    check_characters(email, Lines::One)?;
    if email.chars().any(char::is_whitespace) {
        return invalid();
    }
    let Some((local, domain)) = email.rsplit_once('@') else {
        return invalid();
    };
    if local.is_empty() || local.len() > 64 || local.contains('@') || !is_host_name(domain) {
        return invalid();
    }
    Ok(email.to_owned())
}

/// Whether an address names its scheme (`mailto:`, `javascript:`): a colon
/// before any dot or slash.
fn has_scheme(address: &str) -> bool {
    let colon = address.find(':');
    let end = address.find(['.', '/']).unwrap_or(address.len());
    colon.is_some_and(|at| at < end)
}

/// The address a profile links to for a stored website (a member's, checked when
/// saved, or an import's, as the dump had it): only a plain `http` or `https`
/// address with a host name, nothing that would run or open something else.
pub fn linkable_website(stored: &str) -> Option<String> {
    let lower = stored.trim_start().to_ascii_lowercase();
    let plain = lower.starts_with("https://") || lower.starts_with("http://");
    validate_website(stored).ok().flatten().filter(|_| plain)
}

/// Whether `host` is a domain name of two labels or more, each of letters,
/// digits and inner dashes.
fn is_host_name(host: &str) -> bool {
    host.contains('.')
        && host.split('.').all(|label| {
            !label.is_empty()
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_alphanumeric() || c == '-')
        })
}

/// Checks a new password: 8 to 1024 characters.
pub fn validate_password(raw: &str) -> Result<(), String> {
    let len = raw.chars().count();
    if len < PASSWORD_MIN {
        return Err(format!("use at least {PASSWORD_MIN} characters"));
    }
    if len > PASSWORD_MAX {
        return Err(format!("use at most {PASSWORD_MAX} characters"));
    }
    if is_common_password(raw) {
        return Err(
            "that password is one of the most common, and the first an attacker tries; choose another (a few unrelated words work well)"
                .into(),
        );
    }
    Ok(())
}

/// The most common passwords of eight characters or more (the shorter ones are
/// refused for their length), one a line, lowercase, as leaked-password counts
/// rank them year after year; shipped with the binary so that no request goes out.
const COMMON_PASSWORDS: &str = include_str!("common_passwords.txt");

/// Whether `password` is a common one, without regard to case or the spaces
/// around it, or one character repeated.
fn is_common_password(password: &str) -> bool {
    let lower = password.trim().to_lowercase();
    let mut chars = lower.chars();
    let repeated = chars.next().is_some_and(|first| chars.all(|c| c == first));
    repeated || COMMON_PASSWORDS.lines().any(|common| common == lower)
}

/// Checks an "about me" text: its length, and no control characters but line
/// breaks and tabs.
pub fn validate_about(raw: &str) -> Result<(), String> {
    check_characters(raw, Lines::Many)?;
    let len = raw.chars().count();
    if len > ABOUT_MAX {
        return Err(format!(
            "use at most {ABOUT_MAX} characters (this has {len})"
        ));
    }
    Ok(())
}

/// Checks a profile's location: at most 100 characters on one line. Returns it
/// trimmed, or `None` when it is blank.
pub fn validate_location(raw: &str) -> Result<Option<String>, String> {
    let location = raw.trim();
    if location.is_empty() {
        return Ok(None);
    }
    check_characters(location, Lines::One)?;
    let len = location.chars().count();
    if len > LOCATION_MAX {
        return Err(format!(
            "use at most {LOCATION_MAX} characters (this has {len})"
        ));
    }
    Ok(Some(location.to_owned()))
}

/// Checks a profile's website: an `http` or `https` address with a host name, at
/// most 200 characters; a bare host name (`example.org/me`) gets `https://`.
/// Returns it trimmed, or `None` when it is blank.
pub fn validate_website(raw: &str) -> Result<Option<String>, String> {
    let typed = raw.trim();
    if typed.is_empty() {
        return Ok(None);
    }
    check_characters(typed, Lines::One)?;
    let lower = typed.to_ascii_lowercase();
    let url = if lower.starts_with("https://") || lower.starts_with("http://") {
        typed.to_owned()
    } else if lower.starts_with("//") || has_scheme(&lower) {
        return Err("use an address that starts with https:// or http://".into());
    } else {
        format!("https://{typed}")
    };
    let len = url.chars().count();
    if len > WEBSITE_MAX {
        return Err(format!(
            "use at most {WEBSITE_MAX} characters (this has {len})"
        ));
    }
    if url
        .chars()
        .any(|c| c.is_whitespace() || "\"'<>\\`".contains(c))
    {
        return Err("an address has no spaces, quotes or angle brackets".into());
    }
    let rest = &url[url.find("://").map_or(0, |at| at + 3)..];
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host = authority.rsplit('@').next().unwrap_or_default();
    let host = host.split(':').next().unwrap_or_default();
    if authority.contains('@') || !is_host_name(host) {
        return Err("enter an address like https://example.org".into());
    }
    Ok(Some(url))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn handles() {
        assert_eq!(validate_handle(" ann_smith "), Ok("ann_smith".into()));
        assert!(validate_handle("abc").is_ok());
        assert!(validate_handle(&"a".repeat(30)).is_ok());
        for bad in [
            "",
            "   ",
            "ab",
            &"a".repeat(31),
            "ann smith",
            "ann\u{7}",
            "an\nn",
            "_ann",
            "<b>",
            "anné",
            "deleted-user-4",
        ] {
            assert!(validate_handle(bad).is_err(), "{bad:?} accepted");
        }
        assert_eq!(
            validate_handle("ab").unwrap_err(),
            "use 3 to 30 characters (this has 2)"
        );
    }

    #[test]
    fn common_passwords_are_refused() {
        for common in [
            "password1",
            "Password1",
            " 12345678 ",
            "QWERTYUIOP",
            "iloveyou",
            "zzzzzzzzzz",
        ] {
            let refused = validate_password(common).unwrap_err();
            assert!(refused.contains("most common"), "{common:?}: {refused}");
        }
        for fine in ["maple tree 1", "correct horse battery", "Tr0ub4dor&3x"] {
            assert_eq!(validate_password(fine), Ok(()), "{fine:?}");
        }
        // The list holds what the length rule lets through, lowercase, once each.
        let mut seen = std::collections::HashSet::new();
        for line in COMMON_PASSWORDS.lines() {
            assert!(
                line.chars().count() >= PASSWORD_MIN,
                "{line:?} is refused for its length"
            );
            assert_eq!(line, line.trim().to_lowercase(), "{line:?}");
            assert!(seen.insert(line), "{line:?} twice");
        }
        assert!(seen.len() > 150);
    }

    #[test]
    fn display_names() {
        assert_eq!(
            validate_display_name(" Inês Duarte "),
            Ok("Inês Duarte".into())
        );
        for bad in ["", "    ", "a\u{0}b", &"x".repeat(61)] {
            assert!(validate_display_name(bad).is_err(), "{bad:?} accepted");
        }
        // Issue 16: nothing that reorders or hides text, and no moderator's diamond.
        for bad in [
            "ann\u{202e}nimda",
            "ann\u{2066}x\u{2069}",
            "a\u{200b}dmin",
            "ann\u{200f}",
            "\u{feff}ann",
            "ann\u{e0041}",
            "ann \u{2666}",
            "ann\u{25c6}",
            "\u{1f537} ann",
        ] {
            let refused = validate_display_name(bad).unwrap_err();
            assert!(
                refused.contains("invisible") || refused.contains("diamond"),
                "{bad:?}: {refused}"
            );
        }
        let longest = "é".repeat(DISPLAY_NAME_MAX);
        assert_eq!(validate_display_name(&longest), Ok(longest.clone()));
        assert!(validate_display_name(&format!("{longest}e")).is_err());
        for fine in ["Zoë ♥", "José María", "李小龍", "عبد الله", "ann (she/her)"] {
            assert_eq!(validate_display_name(fine), Ok(fine.to_owned()), "{fine:?}");
        }
    }

    #[test]
    fn emails() {
        assert_eq!(
            validate_email(" ann@example.org "),
            Ok("ann@example.org".into())
        );
        assert!(validate_email("a.b+c@mail.example.co.uk").is_ok());
        for bad in [
            "",
            "ann",
            "ann@",
            "@example.org",
            "ann@example",
            "ann @example.org",
            "ann@exa mple.org",
            "ann@@example.org",
            "ann@example..org",
            "ann@-example.org",
            "a\u{1}@example.org",
        ] {
            assert!(validate_email(bad).is_err(), "{bad:?} accepted");
        }
        let long = format!("{}@example.org", "a".repeat(250));
        assert!(validate_email(&long).is_err());
        assert!(
            validate_email("ann@my-site.example.org").is_ok(),
            "inner dashes"
        );
        assert!(validate_email(&format!("{}@example.org", "a".repeat(65))).is_err());
        // 254 characters at most: 64 before the @, 189 after.
        let longest = format!(
            "{}@{}com",
            "a".repeat(64),
            format!("{}.", "b".repeat(61)).repeat(3)
        );
        assert_eq!(longest.chars().count(), EMAIL_MAX);
        assert_eq!(validate_email(&longest), Ok(longest.clone()));
        assert_eq!(
            validate_email(&format!("{longest}m")),
            Err(format!("use at most {EMAIL_MAX} characters"))
        );
    }

    #[test]
    fn passwords() {
        assert!(validate_password("kf8#Lq2m").is_ok());
        assert!(validate_password(&"pq".repeat(512)).is_ok());
        assert_eq!(
            validate_password("1234567").unwrap_err(),
            "use at least 8 characters"
        );
        assert_eq!(
            validate_password(&"p".repeat(1025)).unwrap_err(),
            "use at most 1024 characters"
        );
        assert!(
            validate_password("éèéèéèéè").is_ok(),
            "characters, not bytes"
        );
    }

    #[test]
    fn about_texts() {
        assert_eq!(validate_about(""), Ok(()));
        assert_eq!(validate_about("Two lines\nand\ta tab.\r\n"), Ok(()));
        assert_eq!(
            validate_about(&"é".repeat(ABOUT_MAX)),
            Ok(()),
            "characters, not bytes"
        );
        assert_eq!(
            validate_about(&"a".repeat(ABOUT_MAX + 1)),
            Err(format!(
                "use at most {ABOUT_MAX} characters (this has 3001)"
            ))
        );
        for bad in ["ABOUT\0nul", "esc \u{1b}[31m", "\u{85}"] {
            let message = validate_about(bad).unwrap_err();
            assert!(message.contains("control character U+00"), "{message}");
        }
    }

    #[test]
    fn locations() {
        assert_eq!(validate_location("  "), Ok(None));
        assert_eq!(validate_location(" Zürich "), Ok(Some("Zürich".into())));
        let longest = "é".repeat(LOCATION_MAX);
        assert_eq!(validate_location(&longest), Ok(Some(longest.clone())));
        assert_eq!(
            validate_location(&"a".repeat(LOCATION_MAX + 1)),
            Err(format!(
                "use at most {LOCATION_MAX} characters (this has 101)"
            ))
        );
        assert!(validate_location("two\nlines").is_err());
        assert!(validate_location("bell\u{7}").is_err());
    }

    #[test]
    fn websites() {
        assert_eq!(validate_website(" "), Ok(None));
        for (typed, kept) in [
            ("https://example.org", "https://example.org"),
            (
                " HTTP://Example.org/me?x=1#top ",
                "HTTP://Example.org/me?x=1#top",
            ),
            ("example.org/~ann", "https://example.org/~ann"),
            (
                "https://sub.example-site.org:8443/",
                "https://sub.example-site.org:8443/",
            ),
            ("https://bücher.example", "https://bücher.example"),
            ("example.org:8080/x", "https://example.org:8080/x"),
        ] {
            assert_eq!(validate_website(typed), Ok(Some(kept.into())), "{typed}");
        }
        let path = "a".repeat(WEBSITE_MAX - "https://example.org/".len());
        let longest = format!("https://example.org/{path}");
        assert_eq!(validate_website(&longest), Ok(Some(longest.clone())));
        assert_eq!(
            validate_website(&format!("{longest}b")),
            Err(format!(
                "use at most {WEBSITE_MAX} characters (this has 201)"
            ))
        );
        assert_eq!(
            validate_website("homepage"),
            Err("enter an address like https://example.org".into()),
            "a bare word is no host"
        );
        for schemed in [
            "javascript:alert(1)//x.org",
            "mailto:ann@example.org",
            "//example.org",
            "ftp://example.org",
            "localhost:8080",
        ] {
            assert_eq!(
                validate_website(schemed),
                Err("use an address that starts with https:// or http://".into()),
                "{schemed}"
            );
        }
        for bad in [
            "javascript:alert(1)//x.org",
            "mailto:ann@example.org",
            "ftp://example.org",
            "//example.org",
            "data:text/html,x",
            "https://",
            "https://localhost",
            "https://example..org",
            "https://-example.org",
            "https://example-.org",
            "https://user@example.org",
            "https://example.org@evil.example",
            "https://exa mple.org",
            "https://example.org/\"onmouseover",
            "https://example.org/'x",
            "https://example.org/<b>",
            "https://example.org/`x",
            "https://example.org/\\x",
            "https://example.org/\u{0}",
            "https://exam_ple.org",
        ] {
            assert!(validate_website(bad).is_err(), "{bad} was taken");
        }
    }

    #[test]
    fn only_plain_web_addresses_are_linked() {
        for good in [
            "https://example.org/",
            " http://example.org/a?b=c#d",
            "HTTPS://EXAMPLE.ORG",
        ] {
            assert_eq!(linkable_website(good), Some(good.trim().into()), "{good}");
        }
        for bad in [
            "javascript:alert(1)",
            "data:text/html,x",
            "//example.org",
            "example.org",
            "https://example.org/a b",
            "https://example.org/\"x",
            "https://example.org/\u{7}",
            "",
        ] {
            assert_eq!(linkable_website(bad), None, "{bad}");
        }
        let long = format!("https://example.org/{}", "a".repeat(WEBSITE_MAX));
        assert_eq!(linkable_website(&long), None);
    }
}
