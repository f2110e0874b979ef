//! Requests this server makes (webhook deliveries, an S3 bucket's objects, images
//! copied into posts) over HTTP(S): the host is resolved here and every address it
//! names is checked ([`ponder_core::webhooks::is_public`]) before the connection is
//! made to one of those same addresses, so a name that resolves to a private
//! address (or changes to one between the check and the connection) never reaches
//! the inside, unless the caller allows it (an operator's own endpoint). Redirects
//! are not followed. Connecting, the TLS handshake and the exchange each have a
//! time limit; at most the request's `max_response` bytes of the answer are read.

use axum::body::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::Request;
use hyper_util::rt::TokioIo;
use ponder_core::webhooks::{host_of, is_public};
use std::net::SocketAddr;
use std::sync::{Arc, LazyLock};
use std::time::Duration;
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;
use tokio_rustls::rustls;

/// How long resolving and connecting may take.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// How long the whole exchange may take once connected.
const EXCHANGE_TIMEOUT: Duration = Duration::from_secs(10);

/// The most of a webhook receiver's answer that is read.
pub const MAX_RESPONSE_BYTES: usize = 64 * 1024;

/// A request to send.
#[derive(Debug, Clone)]
pub struct Outgoing<'a> {
    /// `GET`, `POST`, `PUT`, …
    pub method: hyper::Method,
    /// Where.
    pub url: &'a str,
    /// The body (empty for none).
    pub body: Bytes,
    /// Headers beyond `Host` and `User-Agent`.
    pub headers: Vec<(&'static str, String)>,
    /// Whether loopback and private addresses may be reached (a site's own
    /// choice, for receivers on its own network).
    pub allow_private: bool,
    /// The most of the answer's body that is read; a longer one is an error.
    pub max_response: usize,
}

/// What came back.
#[derive(Debug, Clone)]
pub struct Answer {
    /// The status.
    pub status: u16,
    /// The `Content-Type`, if any.
    pub content_type: Option<String>,
    /// The body.
    pub body: Bytes,
}

/// A URL taken apart: TLS or not, host, port, path with query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// `https`.
    pub tls: bool,
    /// The host name or address, without brackets.
    pub host: String,
    /// The port.
    pub port: u16,
    /// The path and query (`/` at least).
    pub path: String,
}

/// Takes a webhook URL (checked by `validate_url` when it was registered) apart.
pub fn target(url: &str) -> Result<Target, String> {
    let (tls, rest) = if let Some(rest) = url.strip_prefix("https://") {
        (true, rest)
    } else if let Some(rest) = url.strip_prefix("http://") {
        (false, rest)
    } else {
        return Err("the address is not http or https".into());
    };
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(end);
    let host = host_of(authority).to_owned();
    if host.is_empty() {
        return Err("the address has no host".into());
    }
    let after_host = if authority.starts_with('[') {
        authority.split_once(']').map_or("", |(_, p)| p)
    } else {
        authority.strip_prefix(host.as_str()).unwrap_or("")
    };
    let port = match after_host.strip_prefix(':') {
        Some(port) => port
            .parse()
            .map_err(|_| "the address's port is not a number")?,
        None if tls => 443,
        None => 80,
    };
    let path = tail.split('#').next().unwrap_or_default();
    let path = if path.is_empty() || path.starts_with('?') {
        format!("/{path}")
    } else {
        path.to_owned()
    };
    Ok(Target {
        tls,
        host,
        port,
        path,
    })
}

/// The addresses `host` resolves to, refused when any of them is not public
/// (unless `allow_private`).
pub async fn resolve(
    host: &str,
    port: u16,
    allow_private: bool,
) -> Result<Vec<SocketAddr>, String> {
    let found: Vec<SocketAddr> =
        tokio::time::timeout(CONNECT_TIMEOUT, tokio::net::lookup_host((host, port)))
            .await
            .map_err(|_| format!("resolving {host} took too long"))?
            .map_err(|e| format!("cannot resolve {host}: {e}"))?
            .collect();
    if found.is_empty() {
        return Err(format!("{host} has no address"));
    }
    if !allow_private && let Some(private) = found.iter().find(|a| !is_public(a.ip())) {
        return Err(format!(
            "{host} resolves to {}, which is not a public address",
            private.ip()
        ));
    }
    Ok(found)
}

/// The TLS settings: the Mozilla roots of `webpki-roots`, TLS 1.2 and 1.3.
static TLS: LazyLock<Option<Arc<rustls::ClientConfig>>> = LazyLock::new(|| {
    let mut roots = rustls::RootCertStore::empty();
    roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map(|b| Arc::new(b.with_root_certificates(roots).with_no_client_auth()))
        .map_err(|e| tracing::error!(%e, "webhook TLS settings unusable"))
        .ok()
});

/// Sends `outgoing`; the answer, or what went wrong.
pub async fn send(outgoing: &Outgoing<'_>) -> Result<Answer, String> {
    let target = target(outgoing.url)?;
    let addresses = resolve(&target.host, target.port, outgoing.allow_private).await?;
    let stream = tokio::time::timeout(CONNECT_TIMEOUT, TcpStream::connect(&addresses[..]))
        .await
        .map_err(|_| format!("connecting to {} took too long", target.host))?
        .map_err(|e| format!("cannot connect to {}: {e}", target.host))?;
    let exchange = async {
        if target.tls {
            let config = TLS.clone().ok_or("TLS is not available")?;
            let name = rustls::pki_types::ServerName::try_from(target.host.clone())
                .map_err(|_| format!("{} is not a TLS server name", target.host))?;
            let tls = TlsConnector::from(config)
                .connect(name, stream)
                .await
                .map_err(|e| format!("TLS with {} failed: {e}", target.host))?;
            exchange(TokioIo::new(tls), &target, outgoing).await
        } else {
            exchange(TokioIo::new(stream), &target, outgoing).await
        }
    };
    tokio::time::timeout(EXCHANGE_TIMEOUT, exchange)
        .await
        .map_err(|_| format!("{} did not answer in time", target.host))?
}

/// The HTTP/1.1 exchange over a connected stream.
async fn exchange<S>(
    io: TokioIo<S>,
    target: &Target,
    outgoing: &Outgoing<'_>,
) -> Result<Answer, String>
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
{
    let (mut sender, connection) = hyper::client::conn::http1::handshake(io)
        .await
        .map_err(|e| format!("HTTP handshake failed: {e}"))?;
    let driver = tokio::spawn(async move {
        if let Err(err) = connection.await {
            tracing::debug!(%err, "outgoing connection ended");
        }
    });
    let default_port = if target.tls { 443 } else { 80 };
    let host_header = match (target.host.contains(':'), target.port == default_port) {
        (true, true) => format!("[{}]", target.host),
        (true, false) => format!("[{}]:{}", target.host, target.port),
        (false, true) => target.host.clone(),
        (false, false) => format!("{}:{}", target.host, target.port),
    };
    let mut request = Request::builder()
        .method(outgoing.method.clone())
        .uri(target.path.as_str())
        .header(hyper::header::HOST, host_header)
        .header(hyper::header::USER_AGENT, "Ponder/1");
    for (name, value) in &outgoing.headers {
        request = request.header(*name, value.as_str());
    }
    let request = request
        .body(Full::new(outgoing.body.clone()))
        .map_err(|e| format!("cannot build the request: {e}"))?;
    let response = sender
        .send_request(request)
        .await
        .map_err(|e| format!("the request failed: {e}"))?;
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get(hyper::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let body = Limited::new(response.into_body(), outgoing.max_response)
        .collect()
        .await
        .map(http_body_util::Collected::to_bytes)
        .map_err(|e| format!("the answer could not be read whole: {e}"));
    driver.abort();
    Ok(Answer {
        status,
        content_type,
        body: body?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_come_apart() {
        let t = target("https://hooks.example.com/in?x=1#frag").unwrap();
        assert_eq!(
            (t.tls, t.host.as_str(), t.port, t.path.as_str()),
            (true, "hooks.example.com", 443, "/in?x=1")
        );
        let t = target("http://127.0.0.1:8080").unwrap();
        assert_eq!(
            (t.tls, t.host.as_str(), t.port, t.path.as_str()),
            (false, "127.0.0.1", 8080, "/")
        );
        let t = target("http://[::1]:9000/a").unwrap();
        assert_eq!(
            (t.host.as_str(), t.port, t.path.as_str()),
            ("::1", 9000, "/a")
        );
        let t = target("https://a.example?q").unwrap();
        assert_eq!(t.path, "/?q");
        assert!(target("ftp://a.example/").is_err());
        assert!(target("http://a.example:port/").is_err());
    }

    #[tokio::test]
    async fn private_addresses_are_refused_unless_allowed() {
        let refused = resolve("127.0.0.1", 80, false).await.unwrap_err();
        assert!(refused.contains("not a public address"), "{refused}");
        assert!(resolve("localhost", 80, false).await.is_err());
        assert!(resolve("127.0.0.1", 80, true).await.is_ok());
        let sent = send(&Outgoing {
            method: hyper::Method::POST,
            url: "http://10.0.0.1/hook",
            body: Bytes::from_static(b"{}"),
            headers: Vec::new(),
            allow_private: false,
            max_response: MAX_RESPONSE_BYTES,
        })
        .await
        .unwrap_err();
        assert!(sent.contains("not a public address"), "{sent}");
    }
}
