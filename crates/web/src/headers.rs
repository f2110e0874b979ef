//! Security headers on every response. The Content-Security-Policy allows no inline
//! script or style and no framing; user images may come from any http(s) host
//! because posts embed them.

use axum::Router;
use axum::http::{HeaderValue, header};
use tower_http::set_header::SetResponseHeaderLayer;

const CSP: &str = "default-src 'self'; img-src 'self'; style-src 'self'; \
                   script-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; \
                   frame-ancestors 'none'";

/// Tells browsers to use https for this host alone for a year: set only when the
/// site is served over https, where it is a promise the site keeps.
const HSTS: &str = "max-age=31536000";

/// Wraps `router` so that every response carries the security headers, and on a
/// site served over `https` the Strict-Transport-Security header too.
pub fn apply(router: Router, https: bool) -> Router {
    let router = if https {
        router.layer(SetResponseHeaderLayer::if_not_present(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static(HSTS),
        ))
    } else {
        router
    };
    let fixed = [
        (header::CONTENT_SECURITY_POLICY, CSP),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "strict-origin-when-cross-origin"),
        (header::X_FRAME_OPTIONS, "DENY"),
    ];
    fixed.into_iter().fold(router, |router, (name, value)| {
        router.layer(SetResponseHeaderLayer::if_not_present(
            name,
            HeaderValue::from_static(value),
        ))
    })
}
