//! The client's address as rate limits count it. It is the TCP peer's address;
//! behind a reverse proxy every client shares the proxy's, so limits then apply per
//! proxy. An IPv6 client is counted by its /64 network: one host is routinely given
//! a whole /64, and counting its addresses one by one would give it billions of
//! allowances.

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use std::convert::Infallible;
use std::net::{IpAddr, SocketAddr};

/// The client's rate-limit key: an IPv4 address, an IPv6 /64 network
/// (`2001:db8:1:2::/64`), or `unknown` when the server was started without
/// connection info (as in in-process tests that do not set it).
#[derive(Debug, Clone)]
pub struct ClientIp(pub String);

impl<S: Send + Sync> FromRequestParts<S> for ClientIp {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Infallible> {
        Ok(Self(
            parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map_or_else(|| "unknown".to_owned(), |info| limit_key(info.0.ip())),
        ))
    }
}

/// The browser's User-Agent header (empty without one), to tell a user's sessions
/// apart on their settings page.
#[derive(Debug, Clone, Default)]
pub struct UserAgent(pub String);

impl<S: Send + Sync> FromRequestParts<S> for UserAgent {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Infallible> {
        Ok(Self(
            parts
                .headers
                .get(axum::http::header::USER_AGENT)
                .and_then(|v| v.to_str().ok())
                .map(|v| v.chars().take(ponder_store::USER_AGENT_MAX).collect())
                .unwrap_or_default(),
        ))
    }
}

/// The key rate limits count `ip` under.
pub fn limit_key(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = v6.segments();
                format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use super::limit_key;

    #[test]
    fn ipv6_clients_count_by_their_64_and_ipv4_by_address() {
        let key = |s: &str| limit_key(s.parse().unwrap_or_else(|_| panic!("{s}")));
        assert_eq!(key("2001:db8:1:2::1"), "2001:db8:1:2::/64");
        assert_eq!(key("2001:db8:1:2:ffff:1:2:3"), "2001:db8:1:2::/64");
        assert_ne!(key("2001:db8:1:3::1"), key("2001:db8:1:2::1"));
        assert_eq!(key("::ffff:192.0.2.7"), "192.0.2.7");
        assert_eq!(key("192.0.2.7"), "192.0.2.7");
        assert_ne!(key("192.0.2.8"), key("192.0.2.7"));
    }
}
