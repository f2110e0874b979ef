//! URL slugs: lowercase ASCII words joined by hyphens, derived from a title or name.
//! The slug is decoration; ids decide what a URL names, and a wrong slug redirects.

/// Longest slug produced, in bytes; longer titles are cut at a word boundary.
pub const MAX_SLUG_LEN: usize = 80;

/// Turns a title into a slug: `"Why is Rust's borrow checker strict?"` becomes
/// `"why-is-rusts-borrow-checker-strict"`. Common Latin accents are folded
/// (`é` to `e`); other characters separate words. Never empty: a title with no
/// usable letters gives `"untitled"`.
pub fn slugify(title: &str) -> String {
    let mut slug = String::with_capacity(title.len().min(MAX_SLUG_LEN));
    let mut pending_hyphen = false;
    for c in title.chars() {
        if c == '\'' || c == '\u{2019}' {
            continue; // "Rust's" reads better as "rusts" than "rust-s"
        }
        let folded = fold(c);
        if folded.is_empty() {
            pending_hyphen = !slug.is_empty();
            continue;
        }
        let extra = folded.len() + usize::from(pending_hyphen);
        if slug.len() + extra > MAX_SLUG_LEN {
            break;
        }
        if pending_hyphen {
            slug.push('-');
            pending_hyphen = false;
        }
        slug.push_str(folded);
    }
    if slug.is_empty() {
        slug.push_str("untitled");
    }
    slug
}

/// Folds one character to slug text: ASCII letters and digits lowercased, common
/// accented Latin letters to their base letter, anything else to nothing.
fn fold(c: char) -> &'static str {
    const ASCII: [&str; 36] = [
        "0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "a", "b", "c", "d", "e", "f", "g", "h",
        "i", "j", "k", "l", "m", "n", "o", "p", "q", "r", "s", "t", "u", "v", "w", "x", "y", "z",
    ];
    let lower = c.to_ascii_lowercase();
    if lower.is_ascii_digit() {
        return ASCII[(lower as u8 - b'0') as usize];
    }
    if lower.is_ascii_lowercase() {
        return ASCII[10 + (lower as u8 - b'a') as usize];
    }
    match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' => "a",
        'æ' | 'Æ' => "ae",
        'ç' | 'Ç' => "c",
        'è' | 'é' | 'ê' | 'ë' | 'È' | 'É' | 'Ê' | 'Ë' => "e",
        'ì' | 'í' | 'î' | 'ï' | 'Ì' | 'Í' | 'Î' | 'Ï' => "i",
        'ñ' | 'Ñ' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' | 'Ø' => "o",
        'œ' | 'Œ' => "oe",
        'ß' => "ss",
        'ù' | 'ú' | 'û' | 'ü' | 'Ù' | 'Ú' | 'Û' | 'Ü' => "u",
        'ý' | 'ÿ' | 'Ý' => "y",
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_lowercased_and_joined() {
        assert_eq!(
            slugify("Why is Rust's borrow checker strict?"),
            "why-is-rusts-borrow-checker-strict"
        );
        assert_eq!(slugify("  C++ -- and   C#  "), "c-and-c");
    }

    #[test]
    fn accents_fold_and_markup_disappears() {
        assert_eq!(slugify("Où est l'été ?"), "ou-est-lete");
        assert_eq!(
            slugify("<script>alert(1)</script>"),
            "script-alert-1-script"
        );
    }

    #[test]
    fn never_empty_and_never_too_long() {
        assert_eq!(slugify("???"), "untitled");
        assert_eq!(slugify(""), "untitled");
        assert_eq!(slugify("日本語"), "untitled");
        let long = "word ".repeat(100);
        let slug = slugify(&long);
        assert!(slug.len() <= MAX_SLUG_LEN);
        assert!(!slug.ends_with('-'));
    }
}
