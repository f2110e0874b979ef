//! The one rule for the characters of text people send: which ones no field takes.
//! Every field's check in core starts here, and the web layer applies the same rule
//! to addresses and to form fields no check reads, so that both databases see the
//! same input (PostgreSQL cannot store NUL at all; SQLite stores anything). Names
//! also refuse the invisible format characters ([`check_name_characters`]).

/// Whether a field is one line (a title, a name, a search) or running text that
/// may break lines (a body, a comment, an about-me).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lines {
    /// One line: a line break is refused like any other control character.
    One,
    /// Several lines: line feeds and carriage returns are taken.
    Many,
}

/// The first character of `text` that no field takes: NUL and the other C0 and C1
/// control characters (DEL among them) except the tab, and except line breaks in
/// running text.
pub fn refused_character(text: &str, lines: Lines) -> Option<char> {
    text.chars().find(|&c| is_refused(c, lines))
}

/// Whether no field takes `c` (see [`refused_character`]).
fn is_refused(c: char, lines: Lines) -> bool {
    c.is_control() && c != '\t' && !(lines == Lines::Many && matches!(c, '\n' | '\r'))
}

/// Checks `text` against the rule: the message for the person who typed it, naming
/// the character, if it holds one no field takes.
pub fn check_characters(text: &str, lines: Lines) -> Result<(), String> {
    match refused_character(text, lines) {
        None => Ok(()),
        Some('\n' | '\r') => Err("use one line, without line breaks".into()),
        Some(c) => Err(format!(
            "remove the invisible control character {} (it cannot be stored)",
            code_point(c)
        )),
    }
}

/// Checks a name that others read beside what it names (a member's display name, a
/// category's, a token's): one line by the rule, and no format characters, which
/// could reorder or hide the text around it.
pub fn check_name_characters(name: &str) -> Result<(), String> {
    check_characters(name, Lines::One)?;
    if name.chars().any(is_format_character) {
        return Err(
            "a name cannot contain invisible formatting characters (direction marks, zero-width characters and the like)"
                .into(),
        );
    }
    Ok(())
}

/// `c` as Unicode writes it: `U+0000`.
pub fn code_point(c: char) -> String {
    format!("U+{:04X}", u32::from(c))
}

/// Characters that change how text around them is shown without showing
/// themselves (Unicode's format characters, general category Cf, and the
/// bidirectional controls among them): in a name they reorder or hide what others
/// read beside it, so names refuse them; running text keeps them (joiners and marks
/// are part of writing in many scripts and of emoji).
pub fn is_format_character(c: char) -> bool {
    matches!(
        c,
        '\u{ad}'
            | '\u{600}'..='\u{605}'
            | '\u{61c}'
            | '\u{6dd}'
            | '\u{70f}'
            | '\u{180e}'
            | '\u{200b}'..='\u{200f}'
            | '\u{202a}'..='\u{202e}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{206f}'
            | '\u{feff}'
            | '\u{fff9}'..='\u{fffb}'
            | '\u{110bd}'
            | '\u{1bca0}'..='\u{1bca3}'
            | '\u{1d173}'..='\u{1d17a}'
            | '\u{e0001}'
            | '\u{e0020}'..='\u{e007f}'
    )
}

/// `text` with every character no field takes replaced by U+FFFD, for showing text
/// stored before the rule held (a SQLite site's about-me could hold any).
pub fn shown_safely(text: &str, lines: Lines) -> std::borrow::Cow<'_, str> {
    if refused_character(text, lines).is_none() {
        return std::borrow::Cow::Borrowed(text);
    }
    std::borrow::Cow::Owned(
        text.chars()
            .map(|c| if is_refused(c, lines) { '\u{fffd}' } else { c })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_are_refused_and_named() {
        for (text, c) in [
            ("a\0b", '\0'),
            ("\u{1}", '\u{1}'),
            ("esc \u{1b}[31m", '\u{1b}'),
            ("del \u{7f}", '\u{7f}'),
            ("c1 \u{85}", '\u{85}'),
            ("c1 \u{9f}", '\u{9f}'),
            ("\u{8}", '\u{8}'),
        ] {
            for lines in [Lines::One, Lines::Many] {
                assert_eq!(refused_character(text, lines), Some(c), "{text:?}");
                let message = check_characters(text, lines).unwrap_err();
                assert!(message.contains(&code_point(c)), "{message}");
            }
        }
        assert_eq!(code_point('\0'), "U+0000");
        assert_eq!(code_point('\u{1b}'), "U+001B");
    }

    #[test]
    fn line_breaks_only_in_running_text_and_tabs_anywhere() {
        for text in ["two\nlines", "two\r\nlines", "cr\r"] {
            assert_eq!(check_characters(text, Lines::Many), Ok(()));
            assert_eq!(
                check_characters(text, Lines::One),
                Err("use one line, without line breaks".into())
            );
        }
        for lines in [Lines::One, Lines::Many] {
            assert_eq!(check_characters("a\tb", lines), Ok(()));
            // Everything printable passes: quotes, percent, emoji, right-to-left
            // text, joiners, the replacement character itself.
            for text in ["'\"\\%_", "😀👩‍💻", "שלום עולם", "x\u{200d}y", "\u{fffd}", ""]
            {
                assert_eq!(check_characters(text, lines), Ok(()), "{text:?}");
            }
        }
    }

    #[test]
    fn stored_text_is_shown_with_replacements() {
        assert!(matches!(
            shown_safely("plain\ntext", Lines::Many),
            std::borrow::Cow::Borrowed(_)
        ));
        assert_eq!(
            shown_safely("a\0b\u{1b}c\nd\te", Lines::Many),
            "a\u{fffd}b\u{fffd}c\nd\te"
        );
        assert_eq!(shown_safely("a\nb", Lines::One), "a\u{fffd}b");
    }

    #[test]
    fn names_refuse_format_characters_too() {
        assert_eq!(check_name_characters("Ann Smith 😀"), Ok(()));
        for bad in ["evil\u{202e}txt.exe", "zero\u{200b}width", "bom\u{feff}"] {
            assert!(
                check_name_characters(bad)
                    .unwrap_err()
                    .contains("formatting"),
                "{bad:?}"
            );
        }
        assert!(
            check_name_characters("a\0b")
                .unwrap_err()
                .contains("U+0000")
        );
        assert!(check_name_characters("two\nlines").is_err());
    }

    #[test]
    fn format_characters() {
        for c in ['\u{202e}', '\u{200b}', '\u{feff}', '\u{2066}', '\u{ad}'] {
            assert!(is_format_character(c), "{c:?}");
        }
        for c in ['a', ' ', 'é', '😀', '\u{fffd}'] {
            assert!(!is_format_character(c), "{c:?}");
        }
    }
}
