//! Words for numbers and times as the pages show them, the HTML escaper, and bytes
//! as hex.

use crate::time::Timestamp;

/// A count with its noun, pluralised in English: `0 comments`, `1 comment`,
/// `2 comments`. `plural` is given because English plurals are irregular
/// (`reply`/`replies`).
pub fn count(n: i64, singular: &str, plural: &str) -> String {
    if n == 1 {
        format!("1 {singular}")
    } else {
        format!("{n} {plural}")
    }
}

/// How long ago `then` was, seen at `now`: `just now`, `5 mins ago`, `3 hours ago`,
/// `yesterday`, `4 days ago`, `2 months ago`, `3 years ago`. A time in the future
/// (clock skew) reads as `just now`.
pub fn relative_time(then: Timestamp, now: Timestamp) -> String {
    let secs = now.saturating_sub(then);
    const MIN: i64 = 60;
    const HOUR: i64 = 60 * MIN;
    const DAY: i64 = 24 * HOUR;
    match secs {
        s if s < MIN => "just now".to_owned(),
        s if s < HOUR => format!("{} ago", count(s / MIN, "min", "mins")),
        s if s < DAY => format!("{} ago", count(s / HOUR, "hour", "hours")),
        s if s < 2 * DAY => "yesterday".to_owned(),
        s if s < 31 * DAY => format!("{} ago", count(s / DAY, "day", "days")),
        s if s < 365 * DAY => format!("{} ago", count(s / (30 * DAY), "month", "months")),
        s => format!("{} ago", count(s / (365 * DAY), "year", "years")),
    }
}

/// A large count in short form: `999`, `1.2k`, `15k`, `3.4m`.
pub fn short_number(n: i64) -> String {
    let abs = n.unsigned_abs();
    let sign = if n < 0 { "-" } else { "" };
    match abs {
        0..=999 => n.to_string(),
        1_000..=9_999 => format!("{sign}{:.1}k", abs as f64 / 1_000.0).replace(".0k", "k"),
        10_000..=999_999 => format!("{sign}{}k", abs / 1_000),
        _ => format!("{sign}{:.1}m", abs as f64 / 1_000_000.0).replace(".0m", "m"),
    }
}

/// A whole number with thousands separators: `1234567` becomes `1,234,567`.
pub fn thousands(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Writes `text` to `out` escaped for HTML, in text and in quoted attribute
/// values alike: the one escaper for HTML that is not a template's.
pub fn write_escaped_html(out: &mut impl std::fmt::Write, text: &str) -> std::fmt::Result {
    let mut rest = text;
    while let Some(at) = rest.find(['&', '<', '>', '"', '\'']) {
        out.write_str(&rest[..at])?;
        out.write_str(match rest.as_bytes()[at] {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            _ => "&#39;",
        })?;
        rest = &rest[at + 1..];
    }
    out.write_str(rest)
}

/// `bytes` as lower-case hexadecimal, two digits a byte (digests, tokens, names).
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        out.push(char::from(DIGITS[usize::from(byte >> 4)]));
        out.push(char::from(DIGITS[usize::from(byte & 15)]));
    }
    out
}

/// `text` escaped for HTML (see [`write_escaped_html`]).
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    // Writing to a String cannot fail.
    let _ = write_escaped_html(&mut out, text);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_is_escaped_in_text_and_attributes() {
        assert_eq!(
            escape_html(r#"<a href="x">Tom & 'Jerry'</a>"#),
            "&lt;a href=&quot;x&quot;&gt;Tom &amp; &#39;Jerry&#39;&lt;/a&gt;"
        );
        assert_eq!(escape_html("plain, é ü 日本"), "plain, é ü 日本");
        assert_eq!(escape_html(""), "");
        assert_eq!(escape_html("&&"), "&amp;&amp;");
    }

    #[test]
    fn bytes_are_two_hex_digits_each() {
        assert_eq!(hex(&[]), "");
        assert_eq!(hex(&[0x00, 0x0f, 0xa0, 0xff, 0x5c]), "000fa0ff5c");
    }

    #[test]
    fn counts_are_pluralised() {
        assert_eq!(count(0, "comment", "comments"), "0 comments");
        assert_eq!(count(1, "comment", "comments"), "1 comment");
        assert_eq!(count(2, "comment", "comments"), "2 comments");
        assert_eq!(count(-1, "vote", "votes"), "-1 votes");
    }

    #[test]
    fn relative_times() {
        let now = 1_000_000_000;
        assert_eq!(relative_time(now, now), "just now");
        assert_eq!(relative_time(now + 50, now), "just now");
        assert_eq!(relative_time(now - 60, now), "1 min ago");
        assert_eq!(relative_time(now - 3 * 3600, now), "3 hours ago");
        assert_eq!(relative_time(now - 30 * 3600, now), "yesterday");
        assert_eq!(relative_time(now - 4 * 86_400, now), "4 days ago");
        assert_eq!(relative_time(now - 65 * 86_400, now), "2 months ago");
        assert_eq!(relative_time(now - 800 * 86_400, now), "2 years ago");
    }

    #[test]
    fn thousands_separators() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_000), "1,000");
        assert_eq!(thousands(-1_234_567), "-1,234,567");
    }

    #[test]
    fn short_numbers() {
        assert_eq!(short_number(999), "999");
        assert_eq!(short_number(1_000), "1k");
        assert_eq!(short_number(1_234), "1.2k");
        assert_eq!(short_number(15_400), "15k");
        assert_eq!(short_number(3_400_000), "3.4m");
    }
}
