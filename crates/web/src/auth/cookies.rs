//! Reading the `Cookie` header and writing `Set-Cookie` values.

use axum::http::HeaderMap;
use axum::http::header::COOKIE;

/// The session cookie on an http site: its value is the session id, known only to
/// the browser.
pub const SESSION: &str = "ponder_session";
/// The CSRF cookie of visitors who are not logged in, on an http site.
pub const CSRF: &str = "ponder_csrf";
/// The session cookie on an https site. Browsers keep a `__Host-` cookie only when
/// it is Secure, for this host alone and for every path, so a neighbouring
/// subdomain or a plain-http page cannot plant one.
pub const HOST_SESSION: &str = "__Host-ponder_session";
/// The CSRF cookie on an https site.
pub const HOST_CSRF: &str = "__Host-ponder_csrf";

/// The session cookie's name on a site that is (`secure`) or is not on https.
pub fn session_name(secure: bool) -> &'static str {
    if secure { HOST_SESSION } else { SESSION }
}

/// The CSRF cookie's name on a site that is (`secure`) or is not on https.
pub fn csrf_name(secure: bool) -> &'static str {
    if secure { HOST_CSRF } else { CSRF }
}

/// The value of cookie `name`, if the request sent it.
pub fn get<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.trim())
}

/// A `Set-Cookie` value: HttpOnly, SameSite=Lax, Path=/, Secure when the site is
/// served over https, and `Max-Age` when given (otherwise it ends with the browser).
pub fn set(name: &str, value: &str, max_age: Option<i64>, secure: bool) -> String {
    let mut cookie = format!("{name}={value}; Path=/; HttpOnly; SameSite=Lax");
    if let Some(age) = max_age {
        cookie.push_str(&format!("; Max-Age={age}"));
    }
    if secure {
        cookie.push_str("; Secure");
    }
    cookie
}

/// A `Set-Cookie` value that removes cookie `name`.
pub fn clear(name: &str, secure: bool) -> String {
    set(name, "", Some(0), secure)
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn reads_cookies_among_others() {
        let mut headers = HeaderMap::new();
        headers.append(
            COOKIE,
            HeaderValue::from_static("a=1; ponder_session=abc ; b=2"),
        );
        headers.append(COOKIE, HeaderValue::from_static("ponder_csrf=xyz"));
        assert_eq!(get(&headers, SESSION), Some("abc"));
        assert_eq!(get(&headers, CSRF), Some("xyz"));
        assert_eq!(get(&headers, "missing"), None);
    }

    #[test]
    fn https_sites_use_host_prefixed_names() {
        assert_eq!(session_name(true), "__Host-ponder_session");
        assert_eq!(csrf_name(true), "__Host-ponder_csrf");
        assert_eq!((session_name(false), csrf_name(false)), (SESSION, CSRF));
        let cookie = set(session_name(true), "v", None, true);
        assert!(
            cookie.contains("; Path=/")
                && cookie.contains("; Secure")
                && !cookie.contains("Domain")
        );
    }

    #[test]
    fn writes_safe_cookies() {
        assert_eq!(
            set(SESSION, "v", Some(60), true),
            "ponder_session=v; Path=/; HttpOnly; SameSite=Lax; Max-Age=60; Secure"
        );
        assert_eq!(
            clear(CSRF, false),
            "ponder_csrf=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0"
        );
    }
}
