//! Webhooks: the events a site sends, how a delivery is signed, and which
//! addresses a delivery may go to.
//!
//! A delivery is a JSON body POSTed with the header
//! `Ponder-Signature: t=<unix seconds>,v1=<hex>`, where `<hex>` is
//! HMAC-SHA256, keyed with the webhook's secret, of `"<unix seconds>.<body>"`.
//! A receiver recomputes it over the bytes it received, compares in constant
//! time, and refuses timestamps far from its clock (replays).

use sha2::{Digest, Sha256};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// What a webhook can be told of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum WebhookEvent {
    /// A question was asked.
    Question,
    /// A question was answered.
    Answer,
    /// A post was commented on.
    Comment,
    /// An answer was accepted.
    Accepted,
    /// A post was edited.
    Edit,
    /// A post or comment was flagged.
    Flag,
}

impl WebhookEvent {
    /// Every event, in the order forms list them.
    pub const ALL: [Self; 6] = [
        Self::Question,
        Self::Answer,
        Self::Comment,
        Self::Accepted,
        Self::Edit,
        Self::Flag,
    ];

    /// The name stored and sent (`question.created`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Question => "question.created",
            Self::Answer => "answer.created",
            Self::Comment => "comment.created",
            Self::Accepted => "answer.accepted",
            Self::Edit => "post.edited",
            Self::Flag => "flag.created",
        }
    }

    /// What a form calls it.
    pub fn label(self) -> &'static str {
        match self {
            Self::Question => "New questions",
            Self::Answer => "New answers",
            Self::Comment => "New comments",
            Self::Accepted => "Accepted answers",
            Self::Edit => "Edits",
            Self::Flag => "Flags",
        }
    }

    /// The event named `name`.
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|e| e.as_str() == name)
    }
}

/// The most webhooks a site may register.
pub const MAX_WEBHOOKS: usize = 20;

/// The longest URL a webhook may have.
pub const URL_MAX: usize = 500;

/// The name of the header that carries the signature.
pub const SIGNATURE_HEADER: &str = "Ponder-Signature";

/// HMAC-SHA256 of `message` keyed with `key` (RFC 2104), as bytes.
pub fn hmac_sha256(key: &[u8], message: &[u8]) -> [u8; 32] {
    const BLOCK: usize = 64;
    let mut block = [0u8; BLOCK];
    if key.len() > BLOCK {
        block[..32].copy_from_slice(&Sha256::digest(key));
    } else {
        block[..key.len()].copy_from_slice(key);
    }
    let pad = |byte: u8| block.map(|b| b ^ byte);
    let inner = Sha256::new()
        .chain_update(pad(0x36))
        .chain_update(message)
        .finalize();
    Sha256::new()
        .chain_update(pad(0x5c))
        .chain_update(inner)
        .finalize()
        .into()
}

/// The `Ponder-Signature` value of `body` sent at `timestamp` with `secret`.
pub fn signature(secret: &str, timestamp: i64, body: &[u8]) -> String {
    let mut message = format!("{timestamp}.").into_bytes();
    message.extend_from_slice(body);
    let mac = hmac_sha256(secret.as_bytes(), &message);
    format!("t={timestamp},v1={}", crate::text::hex(&mac))
}

/// A webhook URL as typed, checked: `http` or `https`, a host, no user
/// name or password in it, at most [`URL_MAX`] characters. The address it names
/// is checked again when a delivery is sent ([`is_public`]).
pub fn validate_url(raw: &str) -> Result<String, String> {
    let url = raw.trim();
    if url.is_empty() {
        return Err("give the address to send to".into());
    }
    if url.chars().count() > URL_MAX {
        return Err(format!("an address has at most {URL_MAX} characters"));
    }
    if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err("an address has no spaces".into());
    }
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or("the address must start with https:// or http://")?;
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    if authority.contains('@') {
        return Err("put no user name or password in the address".into());
    }
    let host = host_of(authority);
    if host.is_empty() {
        return Err("the address needs a host name".into());
    }
    Ok(url.to_owned())
}

/// The host of an authority (`host`, `host:port`, `[v6]:port`), without brackets.
pub fn host_of(authority: &str) -> &str {
    if let Some(v6) = authority.strip_prefix('[') {
        return v6.split(']').next().unwrap_or_default();
    }
    authority.split(':').next().unwrap_or_default()
}

/// Whether `ip` is an address on the public internet: not loopback, private,
/// link-local, shared (CGNAT), documentation, benchmarking, multicast,
/// broadcast, unspecified or reserved; IPv4 inside IPv6 is judged as IPv4.
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_public_v4(v4),
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_public_v4(v4);
            }
            is_public_v6(v6)
        }
    }
}

fn is_public_v4(ip: Ipv4Addr) -> bool {
    let [a, b, c, _] = ip.octets();
    !(ip.is_unspecified()
        || ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local()
        || ip.is_multicast()
        || ip.is_broadcast()
        || ip.is_documentation()
        || a == 0
        || (a == 100 && (64..128).contains(&b))
        || (a == 192 && b == 0 && c == 0)
        || (a == 198 && (b == 18 || b == 19))
        || a >= 240)
}

fn is_public_v6(ip: Ipv6Addr) -> bool {
    let first = ip.segments()[0];
    // `::/16` holds the unspecified and loopback addresses and the old
    // IPv4-compatible ones.
    !(first == 0
        || ip.is_multicast()
        || (first & 0xfe00) == 0xfc00
        || (first & 0xffc0) == 0xfe80
        || first == 0x2001 && ip.segments()[1] == 0x0db8
        || first == 0x0064 && ip.segments()[1] == 0xff9b)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::hex;

    /// RFC 4231's test cases 1, 2 and 6 (a key longer than a block).
    #[test]
    fn hmac_matches_rfc_4231() {
        assert_eq!(
            hex(&hmac_sha256(&[0x0b; 20], b"Hi There")),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"
        );
        assert_eq!(
            hex(&hmac_sha256(b"Jefe", b"what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
        assert_eq!(
            hex(&hmac_sha256(
                &[0xaa; 131],
                b"Test Using Larger Than Block-Size Key - Hash Key First"
            )),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"
        );
    }

    /// A key of exactly one block is used as it is, not hashed first.
    #[test]
    fn a_block_sized_key_is_not_hashed() {
        assert_eq!(
            hex(&hmac_sha256(&[0x61; 64], b"sixty-four byte key")),
            "b4508357b0765796627fb64900cb0283f1c25d2d296c7133e2747b3d7d05d2fb"
        );
    }

    #[test]
    fn signatures_cover_the_time_and_the_body() {
        let one = signature("s3cret", 1_700_000_000, b"{\"a\":1}");
        assert!(one.starts_with("t=1700000000,v1="));
        assert_eq!(one.len(), "t=1700000000,v1=".len() + 64);
        assert_ne!(one, signature("s3cret", 1_700_000_001, b"{\"a\":1}"));
        assert_ne!(one, signature("s3cret", 1_700_000_000, b"{\"a\":2}"));
        assert_ne!(one, signature("other", 1_700_000_000, b"{\"a\":1}"));
        assert_eq!(one, signature("s3cret", 1_700_000_000, b"{\"a\":1}"));
    }

    #[test]
    fn urls_are_http_with_a_host_and_no_credentials() {
        for good in [
            "https://hooks.example.com/x?y=1",
            "http://127.0.0.1:8080/in",
            "https://[2001:db8::1]/",
        ] {
            assert!(validate_url(good).is_ok(), "{good}");
        }
        assert_eq!(
            validate_url("  https://a.example/  ").as_deref(),
            Ok("https://a.example/")
        );
        for bad in [
            "",
            "ftp://a.example/",
            "https://",
            "https:///path",
            "https://user:pw@a.example/",
            "https://a.example/ x",
            "javascript:alert(1)",
        ] {
            assert!(validate_url(bad).is_err(), "{bad}");
        }
        assert!(validate_url(&format!("https://a.example/{}", "x".repeat(URL_MAX))).is_err());
        let longest = format!("https://a.example/{}", "x".repeat(URL_MAX - 18));
        assert_eq!(longest.chars().count(), URL_MAX);
        assert!(
            validate_url(&longest).is_ok(),
            "a URL of exactly the limit is taken"
        );
        assert_eq!(host_of("[::1]:8080"), "::1");
        assert_eq!(host_of("a.example:443"), "a.example");
    }

    #[test]
    fn only_public_addresses_are_public() {
        for private in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "0.0.0.0",
            "100.64.0.1",
            "192.0.0.8",
            "198.18.0.1",
            "224.0.0.1",
            "255.255.255.255",
            "240.0.0.1",
            "192.0.2.1",
            "::1",
            "::",
            "fc00::1",
            "fd12::1",
            "fe80::1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
            "2001:db8::1",
            "64:ff9b::a00:1",
            "ff02::1",
        ] {
            assert!(!is_public(private.parse().unwrap()), "{private}");
        }
        for public in [
            "93.184.216.34",
            "1.1.1.1",
            "100.128.0.1",
            "100.63.0.1",
            "192.1.0.1",
            "8.0.0.1",
            "17.18.0.1",
            "198.20.1.1",
            "223.255.255.254",
            "2606:4700::1111",
            "::ffff:8.8.8.8",
            "2001:4860::8888",
            "2606:ff9b::1",
            "64:1::1",
        ] {
            assert!(is_public(public.parse().unwrap()), "{public}");
        }
    }

    #[test]
    fn events_read_back() {
        for e in WebhookEvent::ALL {
            assert_eq!(WebhookEvent::parse(e.as_str()), Some(e));
            assert!(!e.label().is_empty());
        }
        assert_eq!(WebhookEvent::Accepted.label(), "Accepted answers");
        assert_eq!(WebhookEvent::Flag.as_str(), "flag.created");
        assert_eq!(WebhookEvent::parse("ping"), None);
    }
}
