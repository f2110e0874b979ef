//! The rule for characters (`ponder_core::input`) where no field's own check reads
//! the text: the address and the form fields that name a choice rather than hold
//! writing. A path that decodes to control characters or to bytes that are not
//! UTF-8 names no page (404); such a query is a 400 with a message ([`guard`]). A
//! form field that is not UTF-8 is a 400; a control character in a field that no
//! form checks itself is a 400 naming the field ([`check_form`]). The fields that
//! hold what people write pass through to their forms' checks, which put the
//! message beside the field and keep what was typed.

use crate::error::AppError;
use axum::extract::Request;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use ponder_core::input::{Lines, code_point, refused_character};

/// Form fields whose forms check them with the rule and answer beside the field
/// (besides the site's settings, each checked by its own rule). Any other field
/// with a control character is refused by [`check_form`].
pub const CHECKED_FIELDS: &[&str] = &[
    "title",
    "body",
    "tags",
    "summary",
    "about",
    "display_name",
    "handle",
    "email",
    "login",
    "name",
    "description",
    "wiki",
    "password",
    "current_password",
    "new_password",
];

/// Refuses a request whose path or query holds what no page takes, before any
/// handler reads it.
pub async fn guard(request: Request, next: Next) -> Response {
    use crate::exchange_api::{is_exchange_path, params::ExchangeError};
    let uri = request.uri();
    // The Stack Exchange-shaped API answers in its own error shape.
    let exchange = is_exchange_path(uri.path());
    let path_ok = is_plain(uri.path())
        || decode(uri.path(), false)
            .ok()
            .is_some_and(|path| refused_character(&path, Lines::One).is_none());
    if !path_ok {
        return if exchange {
            ExchangeError::no_method(uri.path()).into_response()
        } else {
            AppError::NotFound("There is no page at this address.".into()).into_response()
        };
    }
    if let Some(query) = uri.query().filter(|query| !is_plain(query))
        && let Err(message) = check_pairs(query, "address", Lines::One, |_| false)
    {
        return if exchange {
            ExchangeError::bad_parameter(message).into_response()
        } else {
            AppError::BadRequest(message).into_response()
        };
    }
    next.run(request).await
}

/// Checks an `application/x-www-form-urlencoded` body: every name and value UTF-8,
/// and no control character in a field outside [`CHECKED_FIELDS`]. The message
/// names the field.
pub fn check_form(body: &[u8]) -> Result<(), AppError> {
    let text = std::str::from_utf8(body).map_err(|_| {
        AppError::BadRequest("The form is not UTF-8 text; send it again from the page.".into())
    })?;
    check_pairs(text, "form", Lines::Many, |name| {
        CHECKED_FIELDS.contains(&name) || ponder_core::settings::find(name).is_some()
    })
    .map_err(AppError::BadRequest)
}

/// Checks each `name=value` pair of `pairs` (a query or a form body; `what` says
/// which in the message): decoded, each must be UTF-8, and hold no control
/// character unless `checked_later(name)`. Tabs are taken in values, and line
/// breaks where `lines` says (a form's text areas send them; an address's values
/// have none).
fn check_pairs(
    pairs: &str,
    what: &str,
    lines: Lines,
    checked_later: impl Fn(&str) -> bool,
) -> Result<(), String> {
    for pair in pairs.split('&').filter(|p| !p.is_empty()) {
        let (raw_name, raw_value) = pair.split_once('=').unwrap_or((pair, ""));
        let name = decode(raw_name, true)
            .map_err(|()| format!("A field name in the {what} is not UTF-8 text."))?;
        let value = decode(raw_value, true).map_err(|()| {
            format!(
                "The {what}'s field “{}” is not UTF-8 text; type it again.",
                shown_name(&name)
            )
        })?;
        if let Some(c) = refused_character(&name, Lines::One) {
            return Err(format!(
                "A field name in the {what} holds the control character {}.",
                code_point(c)
            ));
        }
        if checked_later(&name) {
            continue;
        }
        if let Some(c) = refused_character(&value, lines) {
            return Err(format!(
                "The {what}'s field “{}” holds the invisible control character {}, which \
                 no field takes; remove it and try again.",
                shown_name(&name),
                code_point(c)
            ));
        }
    }
    Ok(())
}

/// The fields of a form body (`application/x-www-form-urlencoded`), decoded, in
/// order; a pair that is not UTF-8 is left out.
pub(crate) fn form_fields(body: &str) -> Vec<(String, String)> {
    body.split('&')
        .filter(|p| !p.is_empty())
        .filter_map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            Some((decode(name, true).ok()?, decode(value, true).ok()?))
        })
        .collect()
}

/// Whether `text` (a raw path or query) is printable ASCII without escapes: it
/// decodes to itself and passes the rule, with nothing to allocate (most addresses).
fn is_plain(text: &str) -> bool {
    text.bytes().all(|b| b.is_ascii_graphic() && b != b'%')
}

/// A field's name as a message shows it: at most 40 characters.
fn shown_name(name: &str) -> String {
    name.chars().take(40).collect()
}

/// Percent-decodes `text` (and `+` as a space, in queries and forms) into UTF-8;
/// `Err` if the bytes are not UTF-8. A `%` without two hex digits stays as it is.
fn decode(text: &str, plus_is_space: bool) -> Result<String, ()> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let escaped = bytes
            .get(i + 1..i + 3)
            .filter(|_| bytes[i] == b'%')
            .and_then(|digits| hex_pair(digits[0], digits[1]));
        match (escaped, bytes[i]) {
            (Some(byte), _) => {
                out.push(byte);
                i += 3;
            }
            (None, b'+') if plus_is_space => {
                out.push(b' ');
                i += 1;
            }
            (None, byte) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8(out).map_err(|_| ())
}

/// The byte two hex digits make.
fn hex_pair(high: u8, low: u8) -> Option<u8> {
    let digit = |b: u8| (b as char).to_digit(16);
    Some((digit(high)? * 16 + digit(low)?) as u8)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decoding() {
        assert_eq!(decode("a%20b+c", true), Ok("a b c".into()));
        assert_eq!(decode("a+b", false), Ok("a+b".into()));
        assert_eq!(decode("%C3%A9%", true), Ok("é%".into()));
        assert_eq!(decode("100%zz", true), Ok("100%zz".into()));
        assert_eq!(decode("%4", true), Ok("%4".into()));
        assert_eq!(decode("%41%42", true), Ok("AB".into()));
        assert_eq!(decode("%ff", true), Err(()));
        assert_eq!(decode("%C3", true), Err(()));
        assert_eq!(decode("%00", true), Ok("\0".into()));
    }

    #[test]
    fn forms() {
        assert!(check_form(b"csrf=abc&sort=newest&about=line%0Aline%09tab").is_ok());
        // Fields the forms check themselves pass; their checks answer beside them.
        assert!(check_form(b"csrf=abc&about=a%00b&login=x%1Bq&site.tagline=%00").is_ok());
        let refused = |body: &[u8]| match check_form(body) {
            Err(AppError::BadRequest(message)) => message,
            other => panic!("{other:?}"),
        };
        let message = refused(b"csrf=abc&reason=a%00b");
        assert!(
            message.contains("“reason”") && message.contains("U+0000"),
            "{message}"
        );
        assert!(refused(b"kind=%7F").contains("U+007F"));
        assert!(refused(b"note=%C2%85").contains("U+0085"));
        assert!(refused(b"about=%FF").contains("“about” is not UTF-8"));
        assert!(refused(b"%FF=1").contains("field name"));
        assert!(refused(b"a%00=1").contains("field name"));
        assert!(refused(b"\xff=1").contains("not UTF-8"));
        // An empty form, and pairs without values, are fine.
        assert!(check_form(b"").is_ok());
        assert!(check_form(b"a&&b=").is_ok());
    }

    #[test]
    fn plain_addresses_need_no_decoding() {
        assert!(is_plain("/questions/12/why-the-wall-fell"));
        assert!(is_plain("sort=newest&page=2&q=a+b"));
        for escaped in ["/tags/a%00b", "q=%41", "a b", "caf\u{e9}"] {
            assert!(!is_plain(escaped), "{escaped:?}");
        }
    }

    #[test]
    fn queries() {
        let query = |q: &str| check_pairs(q, "address", Lines::One, |_| false);
        assert!(query("q=%22exact%22+words&page=2&t=a%09b").is_ok());
        assert!(query("q=%E2%80%AEtxt").is_ok());
        for bad in ["q=a%00b", "q=%1b", "next=%0D%0Ax", "q=%0A", "q=%FF"] {
            assert!(query(bad).is_err(), "{bad}");
        }
    }
}

/// Property tests standing in for a fuzzer: any bytes as a form body, any text
/// as a query, are refused with a message or taken, never a panic; what is taken
/// decodes to UTF-8 fields.
#[cfg(test)]
mod fuzz {
    use super::*;
    use proptest::prelude::*;

    /// Form bodies made of the pieces that break decoders.
    fn body() -> impl Strategy<Value = Vec<u8>> {
        let piece = prop_oneof![
            4 => proptest::sample::select(vec![
                "&", "=", "%", "%0", "%00", "%C3", "%C3%A9", "%FF", "%E2%80%AE", "+", "csrf",
                "body", "title", "sort", "a", "%0A", "%0D", "%09", "%7F", "%C2%85", "==", "&&",
            ])
            .prop_map(|s| s.as_bytes().to_vec()),
            1 => proptest::collection::vec(any::<u8>(), 0..8),
        ];
        proptest::collection::vec(piece, 0..40).prop_map(|parts| parts.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig {
            cases: 3_000,
            failure_persistence: None,
            ..ProptestConfig::default()
        })]

        #[test]
        fn any_form_body_is_taken_or_refused_with_a_message(bytes in body()) {
            match check_form(&bytes) {
                Ok(()) => {
                    let text = std::str::from_utf8(&bytes);
                    prop_assert!(text.is_ok(), "a body that is not UTF-8 was taken");
                    for (name, value) in form_fields(text.unwrap_or_default()) {
                        prop_assert!(refused_character(&name, Lines::One).is_none());
                        if !CHECKED_FIELDS.contains(&name.as_str())
                            && ponder_core::settings::find(&name).is_none()
                        {
                            prop_assert!(refused_character(&value, Lines::Many).is_none(), "{name}={value:?}");
                        }
                    }
                }
                Err(err) => prop_assert!(!err.to_string().is_empty()),
            }
        }

        #[test]
        fn any_query_is_taken_or_refused_without_a_panic(text in "[a-z=&%0-9A-F+]{0,60}") {
            let _ = check_pairs(&text, "address", Lines::One, |_| false);
            let _ = decode(&text, true);
        }
    }
}
