//! Clients behind reverse proxies: `--trusted-proxies` names the proxies (as
//! CIDR ranges) whose `Forwarded` or `X-Forwarded-For` header is believed, so
//! that rate limits and the log count the real client, not the proxy. From any
//! other peer those headers are ignored: anyone can send them.
//!
//! The client is found from the right of the list of hops, which each proxy
//! appends to: starting from the TCP peer, while the address at hand is a trusted
//! proxy, the hop it reported is taken; the first address that is not a trusted
//! proxy is the client. A client cannot forge its way past that: whatever it put
//! on the left of the list is never reached while a trusted proxy stands to its
//! right. The scheme comes from `--base-url`, never from a header.

use axum::extract::{ConnectInfo, Request};
use axum::http::HeaderMap;
use std::net::{IpAddr, SocketAddr};

/// The proxies whose forwarding headers are believed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustedProxies {
    ranges: Vec<(IpAddr, u8)>,
}

impl TrustedProxies {
    /// Parses `spec`: CIDR ranges or single addresses separated by commas
    /// (`10.0.0.0/8, 192.168.1.5, fd00::/8`); empty trusts none.
    pub fn parse(spec: &str) -> Result<Self, String> {
        let mut ranges = Vec::new();
        for item in spec.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            let (address, bits) = item.split_once('/').unwrap_or((item, ""));
            let address: IpAddr = address
                .parse()
                .map_err(|_| format!("{item:?} is not an address or a range such as 10.0.0.0/8"))?;
            let address = address.to_canonical();
            let most = if address.is_ipv4() { 32 } else { 128 };
            let bits = if bits.is_empty() {
                most
            } else {
                bits.parse::<u8>()
                    .ok()
                    .filter(|b| *b <= most)
                    .ok_or_else(|| format!("{item:?}: the prefix length must be 0 to {most}"))?
            };
            ranges.push((address, bits));
        }
        Ok(Self { ranges })
    }

    /// Whether no proxy is trusted.
    pub fn is_empty(&self) -> bool {
        self.ranges.is_empty()
    }

    /// Whether `ip` is one of the trusted proxies.
    pub fn contains(&self, ip: IpAddr) -> bool {
        let ip = ip.to_canonical();
        self.ranges
            .iter()
            .any(|&(range, bits)| same_prefix(range, ip, bits))
    }

    /// The client of a request that came from `peer` with `headers`.
    pub fn client(&self, peer: IpAddr, headers: &HeaderMap) -> IpAddr {
        let mut client = peer.to_canonical();
        if !self.contains(client) {
            return client;
        }
        for hop in forwarded_hops(headers).iter().rev() {
            if !self.contains(client) {
                break;
            }
            match parse_hop(hop) {
                Some(ip) => client = ip.to_canonical(),
                // "unknown", an obfuscated name: the proxy that said it is as
                // near the client as can be known.
                None => break,
            }
        }
        client
    }
}

/// Whether `a` and `b` agree in their first `bits` bits (false across families).
fn same_prefix(a: IpAddr, b: IpAddr, bits: u8) -> bool {
    let (a, b, width) = match (a, b) {
        (IpAddr::V4(a), IpAddr::V4(b)) => (u32::from(a) as u128, u32::from(b) as u128, 32),
        (IpAddr::V6(a), IpAddr::V6(b)) => (u128::from(a), u128::from(b), 128),
        _ => return false,
    };
    let shift = width - u32::from(bits);
    shift >= width || (a >> shift) == (b >> shift)
}

/// The hops the request passed, leftmost (the client's) first: `Forwarded`'s
/// `for=` values when the header is there (RFC 7239), else `X-Forwarded-For`'s.
fn forwarded_hops(headers: &HeaderMap) -> Vec<String> {
    let values = |name: &str| -> Vec<String> {
        headers
            .get_all(name)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .map(|s| s.trim().to_owned())
            .collect()
    };
    let forwarded = values("forwarded");
    if !forwarded.is_empty() {
        return forwarded
            .iter()
            .map(|element| {
                element
                    .split(';')
                    .filter_map(|pair| pair.trim().split_once('='))
                    .find(|(name, _)| name.trim().eq_ignore_ascii_case("for"))
                    .map_or_else(String::new, |(_, value)| value.trim().to_owned())
            })
            .collect();
    }
    values("x-forwarded-for")
}

/// The address of one hop: `192.0.2.1`, `192.0.2.1:4711`, `"[2001:db8::1]:4711"`,
/// `2001:db8::1`; `None` for anything else.
fn parse_hop(hop: &str) -> Option<IpAddr> {
    let hop = hop.trim().trim_matches('"');
    if let Ok(ip) = hop.parse::<IpAddr>() {
        return Some(ip);
    }
    if let Ok(socket) = hop.parse::<SocketAddr>() {
        return Some(socket.ip());
    }
    hop.strip_prefix('[')
        .and_then(|rest| rest.strip_suffix(']'))
        .and_then(|inner| inner.parse().ok())
}

/// Gives a request from a trusted proxy its client's address (as `ConnectInfo`,
/// which rate limits and the log read) instead of the proxy's.
pub fn note_real_client(trusted: &TrustedProxies, request: &mut Request) {
    if trusted.is_empty() {
        return;
    }
    let Some(ConnectInfo(peer)) = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .copied()
    else {
        return;
    };
    let client = trusted.client(peer.ip(), request.headers());
    if client != peer.ip() {
        request
            .extensions_mut()
            .insert(ConnectInfo(SocketAddr::new(client, peer.port())));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(*name, value.parse().unwrap());
        }
        map
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn ranges_are_read_and_bad_ones_named() {
        let trusted = TrustedProxies::parse(" 10.0.0.0/8, 192.168.1.5 ,fd00::/8,").unwrap();
        assert!(trusted.contains(ip("10.255.0.1")));
        assert!(!trusted.contains(ip("11.0.0.1")));
        assert!(trusted.contains(ip("192.168.1.5")));
        assert!(!trusted.contains(ip("192.168.1.6")));
        assert!(trusted.contains(ip("fd12::1")));
        assert!(!trusted.contains(ip("fe80::1")));
        assert!(trusted.contains(ip("::ffff:10.1.2.3")), "IPv4 in IPv6");
        assert!(TrustedProxies::parse("").unwrap().is_empty());
        assert!(
            TrustedProxies::parse("0.0.0.0/0")
                .unwrap()
                .contains(ip("203.0.113.9"))
        );
        for bad in [
            "10.0.0.0/33",
            "fd00::/129",
            "proxy.example.org",
            "10.0.0.0/x",
        ] {
            let err = TrustedProxies::parse(bad).unwrap_err();
            assert!(err.contains(bad), "{err}");
        }
    }

    #[test]
    fn the_client_is_the_first_untrusted_hop_from_the_right() {
        let trusted = TrustedProxies::parse("10.0.0.0/8").unwrap();
        let proxy = ip("10.0.0.2");
        let xff = |v: &str| headers(&[("x-forwarded-for", v)]);
        assert_eq!(
            trusted.client(proxy, &xff("203.0.113.7")),
            ip("203.0.113.7")
        );
        // A client's own forged entries stay on the left, never reached.
        assert_eq!(
            trusted.client(proxy, &xff("1.2.3.4, 203.0.113.7")),
            ip("203.0.113.7")
        );
        // Two proxies of ours.
        assert_eq!(
            trusted.client(proxy, &xff("203.0.113.7, 10.0.0.9")),
            ip("203.0.113.7")
        );
        // Headers from a peer that is not trusted are ignored.
        assert_eq!(
            trusted.client(ip("198.51.100.1"), &xff("203.0.113.7")),
            ip("198.51.100.1")
        );
        // Nothing usable: the proxy itself.
        assert_eq!(trusted.client(proxy, &xff("unknown")), proxy);
        assert_eq!(trusted.client(proxy, &HeaderMap::new()), proxy);
        // Several header lines read as one list, in order.
        let two = headers(&[
            ("x-forwarded-for", "1.2.3.4"),
            ("x-forwarded-for", "203.0.113.7"),
        ]);
        assert_eq!(trusted.client(proxy, &two), ip("203.0.113.7"));
    }

    #[test]
    fn forwarded_wins_over_x_forwarded_for_and_takes_ports_and_brackets() {
        let trusted = TrustedProxies::parse("10.0.0.0/8").unwrap();
        let proxy = ip("10.0.0.2");
        let both = headers(&[
            (
                "forwarded",
                r#"for=192.0.2.60;proto=https;by=10.0.0.2, For="[2001:db8:cafe::17]:4711""#,
            ),
            ("x-forwarded-for", "198.51.100.5"),
        ]);
        assert_eq!(trusted.client(proxy, &both), ip("2001:db8:cafe::17"));
        let port = headers(&[("forwarded", "for=192.0.2.60:8080")]);
        assert_eq!(trusted.client(proxy, &port), ip("192.0.2.60"));
        let hidden = headers(&[("forwarded", "for=_hidden")]);
        assert_eq!(trusted.client(proxy, &hidden), proxy);
    }
}
